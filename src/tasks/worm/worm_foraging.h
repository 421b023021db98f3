// WormForaging-<pattern>: the food-foraging task of the ENOMAD paper
// (Churchland & Garcia-Ojalvo 2025, "Reinforcement learning in densely
// recurrent biological networks"), a port of its reference code
// (Worm_Env/c_worm.py and celegan_env.py; README, "WormForaging").
//
// A worm in a 1600 x 1200 arena starts at the centre facing +x. Its action
// is two wheel drives (L, R) — in the reference the summed potentials of the
// left and right body-wall muscles, unbounded; the box [-150, 150] is only
// the range other models' outputs are mapped onto (|L| + |R| >= 150 is
// already full speed); nothing is clipped (drives whose difference is not
// finite make the step a simulation warning: the episode fails). Each step:
//   heading <- wrap(heading + (R - L) / 10)     radians, into [-pi, pi)
//   speed    = clip(|L| + |R|, 75, 150) / 7     (10.7 .. 21.4 per step)
//   position <- clamp(position + speed (cos, sin)(heading), arena)
// then food within 150 (inclusive) is seen, every item closer than 20 is
// eaten (+1 each) and removed. Observation (after the step): touch = 1 when
// the nearest wall is strictly between 0 and 100 away, else 0; food = 1
// when food is seen and touch is 0 (touch comes first), else 0. The first
// observation is (0, 0). 250 steps; nothing terminates an episode.
//
// Food patterns, 36 items each, centred on (800, 600), placed as the
// reference places them (some positions repeat: two items at one place are
// eaten together for +2): circle (radius 300), triangle (vertices (800, 900),
// (400, 300), (1200, 300)), square (side 600, 9 items per side with both
// corners), and the regular pentagon ... nonagon of radius 300 (item i on
// edge i mod n at fraction (i div n) / (36 div n) of it). Episodes do not
// depend on the seed: the reference's task is deterministic.
//
// info: "eaten", the items eaten this step (the episode's sum is its score).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class WormForaging final : public TaskBase {
 public:
  enum Pattern { kCircle, kTriangle, kSquare, kPentagon, kHexagon, kHeptagon, kOctagon, kNonagon, kPatterns };
  static constexpr std::array<std::string_view, kPatterns> kNames = {
      "WormForaging-circle",  "WormForaging-triangle", "WormForaging-square",  "WormForaging-pentagon",
      "WormForaging-hexagon", "WormForaging-heptagon", "WormForaging-octagon", "WormForaging-nonagon"};
  static constexpr double kWidth = 1600, kHeight = 1200;
  static constexpr int kFood = 36, kSteps = 250;

  explicit WormForaging(Pattern pattern);

  // The pattern's food positions, in the reference's order.
  static std::vector<std::array<double, 2>> FoodPattern(Pattern pattern);

  std::vector<std::string> info_names() const override { return {"eaten"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {x, y, heading, touch, food, then 0/1 per item: 1 while it is uneaten}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  Pattern pattern_;
  std::vector<std::array<double, 2>> all_food_;
  std::vector<uint8_t> present_;
  double x_ = 0, y_ = 0, heading_ = 0;
  bool touch_ = false, food_ = false;
};

}  // namespace neurevo
