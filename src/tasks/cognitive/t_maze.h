// TMaze: a T-maze with food and poison whose sides swap, the one-shot
// learning task of the evolvable neural unit (ENU; Bertens & Lee 2019).
//
// A 7 x 7 grid (y grows downwards) that is wall except the T: the stem
// x = 3, y = 2 .. 5 and the crossbar y = 1, x = 1 .. 5. The agent starts at
// (3, 5) facing north (towards y = 1). The two arm ends (1, 1) and (5, 1)
// hold a green and a red item; one colour is food, the other poison. Which
// colour is food is drawn at Reset (option first_food = "random", the
// default) or is green at Reset (first_food = "green": an agent without
// memory can then learn "eat green" and lose only after the first swap, a
// stepping stone for evolution). Which side holds the food is drawn anew
// for every trial (at Reset and after every meal), so the side never tells
// an agent where the food is, and after a swap only what it ate tells it
// which colour is food now.
//
// Actions (Discrete(4)): 0 forward (one cell, unless a wall is ahead),
// 1 turn left 90 degrees in place, 2 turn right, 3 stay (what a model
// chooses when no motor output is active).
// Observation: [wall ahead, green ahead, red ahead, reward_positive,
// reward_negative]: the first three a one-hot of the cell ahead (all 0 for
// an empty cell), the last two 1 when the previous step ate food / poison
// (0 at Reset).
//
// Stepping onto the food is a meal with reward +1, onto the poison one with
// -1; after either the agent is put back at the start facing north. Each
// meal counts towards a swap: when the meals since the last swap reach k
// (drawn uniformly from {3, 4, 5} at Reset and after each swap; options
// swap_meals_min and swap_meals_max set another range within 1 .. 7), food
// and poison exchange colours and k is drawn anew. Option swap_schedule =
// "geometric" draws k instead as min + the failures before the first heads of
// fair coin flips, capped at max: after each meal from the min-th on a swap
// comes with probability 1/2 (a constant hazard until the cap, where one
// always comes). Use min >= 2: then the first meal after a swap never brings
// another, so when that meal is poison (the agent kept to the old colour) the
// other colour is surely food next, and over 2 .. 7 counting predicts a swap
// only at the cap (1 in 32). With min 1 a swap may follow the poison meal
// itself (probability 1/2), so the poison says nothing about the next meal's
// food colour and switching is worth nothing (BENCHMARKS.md, sixth session).
// Over a narrow range counting still helps. Energy starts at 40, falls by 1
// each step and is refilled to 40 by food (after that step's fall;
// poison does not refill it); at 0 the episode terminates (option
// max_energy sets another budget than 40, 1 .. 400). Time limit 400 steps.
//
// info per step: "food", "poison", "repeat_poison" (a poison meal whose
// previous meal in the episode was poison too: a failure of one-shot
// avoidance), "swaps".
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class TMaze final : public TaskBase {
 public:
  static constexpr std::string_view kName = "TMaze";
  static constexpr int kSize = 7, kStartX = 3, kStartY = 5, kArmY = 1, kLeftX = 1, kRightX = 5;
  static constexpr int kMaxEnergy = 40, kSteps = 400;
  // k's default range, and the widest range the options allow (k < 8 keeps
  // (swaps, meals) a unique trial number: DrawFoodSide).
  static constexpr int kMinSwap = 3, kMaxSwap = 5, kSwapLimit = 7;
  static constexpr int kStateSize = 13;
  enum Action { kForward, kLeft, kRight, kStay };
  enum Heading { kNorth, kEast, kSouth, kWest };  // turning right adds 1
  enum Meal { kNone, kFood, kPoison };
  enum Side { kFoodLeft, kFoodRight };
  enum Colour { kGreen, kRed };

  enum class FirstFood { kRandom, kGreen };
  enum class SwapSchedule { kUniform, kGeometric };

  // Throws std::invalid_argument unless 1 <= min_swap <= max_swap <= 7 and
  // 1 <= max_energy <= 400.
  explicit TMaze(FirstFood first_food = FirstFood::kRandom, int min_swap = kMinSwap, int max_swap = kMaxSwap,
                 int max_energy = kMaxEnergy, SwapSchedule schedule = SwapSchedule::kUniform);
  SwapSchedule swap_schedule() const { return schedule_; }
  int min_swap() const { return min_swap_; }
  int max_swap() const { return max_swap_; }
  int max_energy() const { return max_energy_; }

  // Whether (x, y) is a cell of the T (outside the grid is wall).
  static bool Open(int x, int y);

  std::vector<std::string> info_names() const override { return {"food", "poison", "repeat_poison", "swaps"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {seed high 32 bits, seed low 32 bits, x, y, heading (Heading), the
  //  trial's food side (Side), meals since the last swap (0 .. k - 1), k,
  //  swaps so far (which k the next swap draws), energy (1 .. max_energy), the last
  //  meal of the episode (Meal), the meal of the previous step (Meal: kNone
  //  or the last meal), the food's colour (Colour)}.
  // The step counter is not part of it: SetPhysicalState restarts the time
  // limit, as for every task.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  int DrawK(long long swap) const;
  int DrawFoodSide() const;  // the trial's, from (swaps, meals since the swap)
  void WriteObservation(std::span<double> observation) const;

  FirstFood first_food_;
  SwapSchedule schedule_;
  int min_swap_, max_swap_, max_energy_;
  uint64_t seed_ = 0;
  int x_ = kStartX, y_ = kStartY, heading_ = kNorth;
  int food_side_ = kFoodLeft, food_colour_ = kGreen;
  int meals_ = 0, k_ = kMinSwap;
  long long swaps_ = 0;
  int energy_ = kMaxEnergy;
  int last_meal_ = kNone, step_meal_ = kNone;
};

}  // namespace neurevo
