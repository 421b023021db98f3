// TMaze: moves, walls, meals, swaps, energy and the state.
#include "tasks/cognitive/t_maze.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "neurevo/random.h"
#include "neurevo/task.h"
#include "tasks/make_task_error.h"

namespace neurevo {
namespace {

constexpr double F = TMaze::kForward, L = TMaze::kLeft, R = TMaze::kRight, S = TMaze::kStay;
enum { kSeedHigh, kSeedLow, kX, kY, kHeading, kFoodSide, kMeals, kK, kSwaps, kEnergy, kLastMeal, kStepMeal,
       kFoodColour };

// At the start facing north with food on `food_side`, k, energy and the
// food's colour as given.
std::vector<double> StartState(int food_side, int k = 5, int energy = 40, int colour = TMaze::kGreen) {
  return {0, 3, 3, 5, TMaze::kNorth, static_cast<double>(food_side), 0, static_cast<double>(k), 0,
          static_cast<double>(energy), TMaze::kNone, TMaze::kNone, static_cast<double>(colour)};
}

struct Walk {
  TMaze task;
  std::vector<double> obs = std::vector<double>(5);
  double reward = 0;
  std::vector<double> info = std::vector<double>(4);
  StepResult last;
  void Do(std::initializer_list<double> actions) {
    for (const double a : actions) {
      last = task.Step(std::vector<double>{a}, obs);
      reward += last.reward;
      for (int i = 0; i < 4; ++i) info[i] += last.info_values[i];
    }
  }
  // Up the stem, then towards the left (1, 1) or right (5, 1) arm end.
  void Meal(bool left) { Do({F, F, F, F, left ? L : R, F, F}); }
  bool FoodLeft() const { return task.PhysicalState()[kFoodSide] == static_cast<double>(TMaze::kFoodLeft); }
  void EatFood() { Meal(FoodLeft()); }
  void EatPoison() { Meal(!FoodLeft()); }
};

TEST(TMaze, SpacesNameAndLimit) {
  const auto task = MakeTask("TMaze");
  EXPECT_EQ(task->observation_space().size, 5);
  EXPECT_TRUE(task->action_space().discrete());
  EXPECT_EQ(task->action_space().size, 4);
  EXPECT_EQ(task->max_episode_steps(), 400);
  EXPECT_EQ(task->info_names(), (std::vector<std::string>{"food", "poison", "repeat_poison", "swaps"}));
  int open = 0;
  for (int y = 0; y < 7; ++y)
    for (int x = 0; x < 7; ++x) open += TMaze::Open(x, y);
  EXPECT_EQ(open, 4 + 5);
  EXPECT_TRUE(TMaze::Open(1, 1) && TMaze::Open(5, 1) && TMaze::Open(3, 5));
  EXPECT_FALSE(TMaze::Open(3, 0) || TMaze::Open(3, 6) || TMaze::Open(2, 2) || TMaze::Open(0, 1) || TMaze::Open(-1, 1));
}

// 4x forward, turn left, 2x forward eats food on the left: +1, back at the start.
TEST(TMaze, ScriptedPathEatsTheFoodAndReturnsToTheStart) {
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodLeft), w.obs);
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 0, 0, 0}));
  w.Do({F, F, F, F});
  EXPECT_EQ(w.obs, (std::vector<double>{1, 0, 0, 0, 0}));  // at the junction (3, 1): wall ahead
  EXPECT_EQ(w.task.PhysicalState()[kY], 1.0);
  w.Do({L, F});
  EXPECT_EQ(w.obs, (std::vector<double>{0, 1, 0, 0, 0}));  // at (2, 1): food ahead
  EXPECT_EQ(w.reward, 0.0);
  w.Do({F});
  EXPECT_EQ(w.last.reward, 1.0);
  EXPECT_EQ(w.info, (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 0, 1, 0}));  // rewarded, facing an empty stem
  auto s = w.task.PhysicalState();
  EXPECT_EQ(s[kX], 3.0);
  EXPECT_EQ(s[kY], 5.0);
  EXPECT_EQ(s[kHeading], TMaze::kNorth);
  EXPECT_EQ(s[kEnergy], 40.0);  // refilled
  EXPECT_EQ(s[kMeals], 1.0);
  w.Do({S});
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 0, 0, 0}));  // the reward signal lasts one step
  // The poison (this trial's side drawn anew): seen red, eaten for -1.
  w.Do({F, F, F, F, w.FoodLeft() ? R : L, F});
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 1, 0, 0}));
  w.Do({F});
  EXPECT_EQ(w.last.reward, -1.0);
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 0, 0, 1}));
  s = w.task.PhysicalState();
  EXPECT_EQ(s[kEnergy], 40.0 - 8);  // poison does not refill
  EXPECT_EQ(s[kLastMeal], TMaze::kPoison);
}

TEST(TMaze, WallsBlockAndTurnsTurnInPlace) {
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodRight), w.obs);
  w.Do({L});  // west of the start: wall
  EXPECT_EQ(w.obs[0], 1.0);
  EXPECT_EQ(w.task.PhysicalState()[kHeading], TMaze::kWest);
  w.Do({F});
  auto s = w.task.PhysicalState();
  EXPECT_EQ(s[kX], 3.0);
  EXPECT_EQ(s[kY], 5.0);
  EXPECT_EQ(s[kEnergy], 38.0);  // standing still costs energy too
  w.Do({L, F});  // south: the grid's wall row
  s = w.task.PhysicalState();
  EXPECT_EQ(s[kHeading], TMaze::kSouth);
  EXPECT_EQ(s[kY], 5.0);
  w.Do({R, R, R});  // south -> west -> north -> east
  EXPECT_EQ(w.task.PhysicalState()[kHeading], TMaze::kEast);
  w.Do({L, F, F, F, F, F, F});  // north to the junction and beyond: stops at y = 1
  s = w.task.PhysicalState();
  EXPECT_EQ(s[kX], 3.0);
  EXPECT_EQ(s[kY], 1.0);
  w.Do({L, F, L, F});  // (2, 1) facing south: the stem is not there
  s = w.task.PhysicalState();
  EXPECT_EQ(s[kX], 2.0);
  EXPECT_EQ(s[kY], 1.0);
  EXPECT_EQ(w.reward, 0.0);
}

// With k = 3, the third meal swaps the colours; k is drawn anew. Food is
// seen in its colour whichever side the trial puts it on.
TEST(TMaze, ColoursSwapAfterKMeals) {
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodLeft, 3), w.obs);
  w.EatFood();
  w.EatPoison();  // poison counts too
  EXPECT_EQ(w.info[3], 0.0);
  EXPECT_EQ(w.task.PhysicalState()[kMeals], 2.0);
  w.EatFood();
  EXPECT_EQ(w.last.reward, 1.0);
  EXPECT_EQ(w.last.info_values[3], 1.0);
  auto s = w.task.PhysicalState();
  EXPECT_EQ(s[kFoodColour], TMaze::kRed);
  EXPECT_EQ(s[kMeals], 0.0);
  EXPECT_EQ(s[kSwaps], 1.0);
  const double k = s[kK];
  EXPECT_TRUE(k == 3 || k == 4 || k == 5);
  // Facing the food now shows red, facing the poison green.
  w.Do({F, F, F, F, w.FoodLeft() ? L : R, F});
  EXPECT_EQ(w.obs, (std::vector<double>{0, 0, 1, 0, 0}));
  w.Do({F});
  EXPECT_EQ(w.last.reward, 1.0);
  w.Do({F, F, F, F, w.FoodLeft() ? R : L, F});
  EXPECT_EQ(w.obs, (std::vector<double>{0, 1, 0, 0, 0}));
  w.Do({F});
  EXPECT_EQ(w.last.reward, -1.0);
  for (int m = 2; m < k; ++m) w.EatFood();
  EXPECT_EQ(w.task.PhysicalState()[kFoodColour], TMaze::kGreen);  // swapped back
  EXPECT_EQ(w.info[3], 2.0);
}

// The food's side is drawn anew every trial: over many meals it takes both
// sides, and about as often the same as the previous trial's as not (an
// agent without memory cannot do better than chance on the side).
TEST(TMaze, FoodSideIsDrawnEveryTrial) {
  Walk w;
  w.task.Reset(9, w.obs);
  int left = 0, same = 0, meals = 0;
  bool previous = w.FoodLeft();
  while (!w.last.truncated && !w.last.terminated) {
    w.EatFood();
    ++meals;
    left += w.FoodLeft();
    same += w.FoodLeft() == previous;
    previous = w.FoodLeft();
  }
  EXPECT_EQ(meals, 58);  // the last trial is cut by the time limit
  EXPECT_GT(left, 15);   // binomial(58, 0.5): sd 3.8
  EXPECT_LT(left, 43);
  EXPECT_GT(same, 15);
  EXPECT_LT(same, 43);
}

// Over resets, both sides, both colours and all three k occur, each reset deterministic.
TEST(TMaze, ResetDrawsSideColourAndKFromTheSeed) {
  TMaze a, b;
  std::vector<double> oa(5), ob(5);
  std::set<double> ks;
  int left = 0, green = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    a.Reset(seed, oa);
    b.Reset(seed, ob);
    const auto s = a.PhysicalState();
    EXPECT_EQ(s, b.PhysicalState());
    EXPECT_EQ(oa, (std::vector<double>{0, 0, 0, 0, 0}));
    EXPECT_EQ(s[kX], 3.0);
    EXPECT_EQ(s[kY], 5.0);
    EXPECT_EQ(s[kEnergy], 40.0);
    ks.insert(s[kK]);
    left += s[kFoodSide] == static_cast<double>(TMaze::kFoodLeft);
    green += s[kFoodColour] == static_cast<double>(TMaze::kGreen);
  }
  EXPECT_EQ(ks, (std::set<double>{3, 4, 5}));
  EXPECT_GT(left, 120);  // binomial(300, 0.5): sd 8.7
  EXPECT_LT(left, 180);
  EXPECT_GT(green, 120);
  EXPECT_LT(green, 180);
}

TEST(TMaze, FirstFoodGreenFixesOnlyTheStartingColour) {
  TMaze random, green(TMaze::FirstFood::kGreen);
  std::vector<double> o(5);
  for (uint64_t seed = 0; seed < 100; ++seed) {
    random.Reset(seed, o);
    green.Reset(seed, o);
    auto expected = random.PhysicalState();
    expected[kFoodColour] = TMaze::kGreen;  // side, k and the rest drawn as before
    EXPECT_EQ(green.PhysicalState(), expected);
  }
  // The swaps still reverse it: after k meals red is food.
  Walk w{TMaze(TMaze::FirstFood::kGreen)};
  w.task.Reset(7, w.obs);
  const int k = static_cast<int>(w.task.PhysicalState()[kK]);
  for (int m = 0; m < k; ++m) w.EatFood();
  EXPECT_EQ(w.task.PhysicalState()[kFoodColour], TMaze::kRed);
  // The option by name, and a value it does not have refused by name.
  EXPECT_EQ(MakeTask("TMaze", {{"first_food", std::string("green")}})->name(), "TMaze");
  for (const TaskOptionValue& bad : {TaskOptionValue(std::string("blue")), TaskOptionValue(true)}) {
    const std::string error = MakeTaskError("TMaze", {{"first_food", bad}});
    EXPECT_NE(error.find("task.options.first_food"), std::string::npos) << error;
  }
  // A value with a control character is printed escaped, whole.
  const std::string error = MakeTaskError("TMaze", {{"first_food", std::string("green\0x", 7)}});
  EXPECT_NE(error.find(R"(not "green\x00x")"), std::string::npos) << error;
}

// The meals per swap are options: with 1 .. 2 every k is 1 or 2 (both
// occur), the other draws at reset are the default task's, a swap follows
// exactly k meals, and a state's k is checked against the task's range.
// Ranges outside 1 .. 7 or with min > max are refused naming the option.
TEST(TMaze, MealsPerSwapAreOptions) {
  const auto task = MakeTask("TMaze", {{"swap_meals_min", 1LL}, {"swap_meals_max", 2LL}});
  TMaze plain;
  std::vector<double> o(5), op(5);
  std::set<double> ks;
  for (uint64_t seed = 0; seed < 100; ++seed) {
    task->Reset(seed, o);
    plain.Reset(seed, op);
    auto s = task->PhysicalState();
    ks.insert(s[kK]);
    s[kK] = plain.PhysicalState()[kK];
    EXPECT_EQ(s, plain.PhysicalState());
  }
  EXPECT_EQ(ks, (std::set<double>{1, 2}));
  Walk w{TMaze(TMaze::FirstFood::kGreen, 1, 1)};
  w.task.Reset(5, w.obs);
  for (int m = 1; m <= 3; ++m) {
    w.EatFood();
    EXPECT_EQ(w.task.PhysicalState()[kSwaps], m);
    EXPECT_EQ(w.task.PhysicalState()[kFoodColour], m % 2 == 1 ? TMaze::kRed : TMaze::kGreen);
  }
  TMaze narrow(TMaze::FirstFood::kRandom, 1, 2);
  EXPECT_NO_THROW(narrow.SetPhysicalState(StartState(TMaze::kFoodLeft, 2), o));
  EXPECT_THROW(narrow.SetPhysicalState(StartState(TMaze::kFoodLeft, 3), o), std::invalid_argument);
  TMaze wide(TMaze::FirstFood::kRandom, 7, 7);
  EXPECT_NO_THROW(wide.SetPhysicalState(StartState(TMaze::kFoodLeft, 7), o));
  EXPECT_THROW(TMaze(TMaze::FirstFood::kRandom, 4, 3), std::invalid_argument);
  EXPECT_THROW(TMaze(TMaze::FirstFood::kRandom, 0, 3), std::invalid_argument);
  EXPECT_THROW(TMaze(TMaze::FirstFood::kRandom, 3, 8), std::invalid_argument);
  for (const auto& [options, key] : std::vector<std::pair<TaskOptions, std::string>>{
           {{{"swap_meals_min", 0LL}}, "swap_meals_min: expected an integer in 1 .. 7"},
           {{{"swap_meals_max", 8LL}}, "swap_meals_max: expected an integer in 1 .. 7"},
           {{{"swap_meals_max", 2.0}}, "swap_meals_max: expected an integer"},
           {{{"swap_meals_min", 6LL}}, "swap_meals_min (6) must not exceed task.options.swap_meals_max (5)"},
           {{{"swap_meals_min", 2LL}, {"swap_meals_max", 1LL}}, "swap_meals_min (2) must not exceed"}}) {
    const std::string error = MakeTaskError("TMaze", options);
    EXPECT_NE(error.find("task.options." + key), std::string::npos) << key << ": " << error;
  }
}

// swap_schedule = "geometric": k is min + the tails before the first heads,
// capped at max, so from the min-th meal on a swap follows each meal with
// probability 1/2 (the hazard is flat: counting meals cannot predict it),
// where "uniform" (the default) gives each k in the range 1/7 and a rising
// hazard. The other draws at reset are the default task's; a bad value is
// refused naming the option.
TEST(TMaze, GeometricSwapScheduleHasAFlatHazard) {
  const auto geometric =
      MakeTask("TMaze", {{"swap_meals_min", 1LL}, {"swap_meals_max", 7LL}, {"swap_schedule", std::string("geometric")}});
  const auto uniform = MakeTask("TMaze", {{"swap_meals_min", 1LL}, {"swap_meals_max", 7LL}});
  EXPECT_EQ(dynamic_cast<const TMaze&>(*geometric).swap_schedule(), TMaze::SwapSchedule::kGeometric);
  EXPECT_EQ(dynamic_cast<const TMaze&>(*uniform).swap_schedule(), TMaze::SwapSchedule::kUniform);
  TMaze plain;
  std::vector<double> o(5), op(5);
  const int n = 8000;
  std::vector<int> g(8, 0), u(8, 0);
  for (uint64_t seed = 0; seed < static_cast<uint64_t>(n); ++seed) {
    geometric->Reset(seed, o);
    uniform->Reset(seed, o);
    auto s = geometric->PhysicalState();
    ASSERT_GE(s[kK], 1);
    ASSERT_LE(s[kK], 7);
    ++g[static_cast<int>(s[kK])];
    ++u[static_cast<int>(uniform->PhysicalState()[kK])];
    if (seed < 100) {
      plain.Reset(seed, op);
      s[kK] = plain.PhysicalState()[kK];
      EXPECT_EQ(s, plain.PhysicalState());
    }
  }
  int left = n;  // draws with k >= j
  for (int j = 1; j <= 4; ++j) {
    EXPECT_NEAR(static_cast<double>(g[j]) / left, 0.5, 0.05) << "hazard at meal " << j;
    left -= g[j];
  }
  EXPECT_NEAR(static_cast<double>(g[7]) / n, 1.0 / 64, 0.006);  // six tails in a row
  for (int j = 1; j <= 7; ++j) EXPECT_NEAR(static_cast<double>(u[j]) / n, 1.0 / 7, 0.02) << "uniform k = " << j;
  for (const TaskOptionValue& bad : {TaskOptionValue(std::string("poisson")), TaskOptionValue(2LL)}) {
    const std::string error = MakeTaskError("TMaze", {{"swap_schedule", bad}});
    EXPECT_NE(error.find("task.options.swap_schedule"), std::string::npos) << error;
  }
}

// The geometric schedule holds for the draws after a swap too (DrawK of swap
// index 1 has the same flat hazard), and a state taken mid-episode continues
// exactly in a fresh task with the same options.
TEST(TMaze, GeometricScheduleAfterASwapAndAcrossAStateRoundTrip) {
  const auto geometric = [] { return TMaze(TMaze::FirstFood::kGreen, 1, 7, 40, TMaze::SwapSchedule::kGeometric); };
  const int n = 2000;
  std::vector<int> k(8, 0);
  for (uint64_t seed = 0; seed < static_cast<uint64_t>(n); ++seed) {
    Walk w{geometric()};
    w.task.Reset(seed, w.obs);
    while (w.task.PhysicalState()[kSwaps] < 1) w.EatFood();
    ++k[static_cast<int>(w.task.PhysicalState()[kK])];
    if (seed < 20) {
      Walk copy{geometric()};
      copy.task.SetPhysicalState(w.task.PhysicalState(), copy.obs);
      for (int meal = 0; meal < 3; ++meal) {
        w.EatFood();
        copy.EatFood();
      }
      EXPECT_EQ(copy.task.PhysicalState(), w.task.PhysicalState()) << "seed " << seed;
    }
  }
  EXPECT_NEAR(static_cast<double>(k[1]) / n, 0.5, 0.05);
  EXPECT_NEAR(static_cast<double>(k[2]) / (n - k[1]), 0.5, 0.07);
}

// The energy budget is an option: with max_energy 100 an agent that only
// turns in place lasts 100 steps, food refills to 100, a state's energy is
// checked against the task's budget, and budgets outside 1 .. 400 are refused.
TEST(TMaze, EnergyBudgetIsAnOption) {
  const auto task = MakeTask("TMaze", {{"max_energy", 100LL}});
  std::vector<double> o(5);
  task->Reset(3, o);
  EXPECT_EQ(task->PhysicalState()[kEnergy], 100.0);
  StepResult r;
  int steps = 0;
  do {
    r = task->Step(std::vector<double>{L}, o);
    ++steps;
  } while (!r.terminated && !r.truncated);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(steps, 100);
  Walk w{TMaze(TMaze::FirstFood::kRandom, 3, 5, 100)};
  w.task.SetPhysicalState(StartState(TMaze::kFoodLeft, 5, 90), w.obs);
  w.EatPoison();
  EXPECT_EQ(w.task.PhysicalState()[kEnergy], 83.0);  // poison does not refill
  w.EatFood();
  EXPECT_EQ(w.task.PhysicalState()[kEnergy], 100.0);
  EXPECT_THROW(TMaze().SetPhysicalState(StartState(TMaze::kFoodLeft, 5, 41), o), std::invalid_argument);
  EXPECT_THROW(TMaze(TMaze::FirstFood::kRandom, 3, 5, 0), std::invalid_argument);
  EXPECT_THROW(TMaze(TMaze::FirstFood::kRandom, 3, 5, 401), std::invalid_argument);
  for (const TaskOptionValue& bad : {TaskOptionValue(0LL), TaskOptionValue(401LL), TaskOptionValue(50.0)}) {
    const std::string error = MakeTaskError("TMaze", {{"max_energy", bad}});
    EXPECT_NE(error.find("task.options.max_energy: expected an integer in 1 .. 400"), std::string::npos) << error;
  }
}

TEST(TMaze, EnergyRunsOutAtStep40WithoutFood) {
  for (const bool poison_first : {false, true}) {
    Walk w;
    w.task.SetPhysicalState(StartState(TMaze::kFoodRight), w.obs);
    int steps = 0;
    if (poison_first) {
      w.EatPoison();  // poison refills nothing
      steps = 7;
    }
    for (; steps < 39; ++steps) {
      w.Do({S});
      ASSERT_FALSE(w.last.terminated) << steps;
    }
    w.Do({S});
    EXPECT_TRUE(w.last.terminated);
    EXPECT_FALSE(w.last.truncated);
    EXPECT_EQ(w.task.PhysicalState()[kEnergy], 0.0);
    EXPECT_THROW(w.Do({S}), std::logic_error);
  }
  // Food on the 40th step refills instead.
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodRight, 5, 7), w.obs);
  w.EatFood();
  EXPECT_FALSE(w.last.terminated);
  EXPECT_EQ(w.task.PhysicalState()[kEnergy], 40.0);
}

// A poison meal right after a poison meal is a repeat, even with food (or
// a swap) far back; poison after food is not.
TEST(TMaze, RepeatPoisonCountsConsecutivePoisonMeals) {
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodLeft, 5), w.obs);
  w.EatPoison();  // poison, first meal: not a repeat
  EXPECT_EQ(w.last.info_values[2], 0.0);
  w.EatPoison();  // poison again
  EXPECT_EQ(w.last.info_values[2], 1.0);
  w.EatFood();
  w.EatPoison();  // poison after food
  EXPECT_EQ(w.last.info_values[2], 0.0);
  EXPECT_EQ(w.info, (std::vector<double>{1, 3, 1, 0}));
  w.EatPoison();  // the fifth meal: poison after poison, then the swap
  EXPECT_EQ(w.last.info_values[2], 1.0);
  EXPECT_EQ(w.last.info_values[3], 1.0);
  w.EatPoison();  // after poison, a repeat
  EXPECT_EQ(w.last.reward, -1.0);
  EXPECT_EQ(w.last.info_values[2], 1.0);
  EXPECT_EQ(w.info, (std::vector<double>{1, 5, 3, 1}));
}

// An agent that knows the food side eats every 7 steps and lives to the
// time limit: 57 meals in 400 steps.
TEST(TMaze, FedAgentReachesTheTimeLimit) {
  Walk w;
  w.task.Reset(5, w.obs);
  int steps = 0;
  while (true) {
    const bool left = w.task.PhysicalState()[kFoodSide] == static_cast<double>(TMaze::kFoodLeft);
    for (const double a : {F, F, F, F, left ? L : R, F, F}) {
      w.Do({a});
      ++steps;
      if (w.last.truncated || w.last.terminated) break;
    }
    if (w.last.truncated || w.last.terminated) break;
  }
  EXPECT_EQ(steps, 400);
  EXPECT_TRUE(w.last.truncated);
  EXPECT_FALSE(w.last.terminated);
  EXPECT_EQ(w.info[0], 57.0);
  EXPECT_EQ(w.info[1], 0.0);
  EXPECT_GE(w.info[3], 57.0 / 5 - 1);
  EXPECT_LE(w.info[3], 57.0 / 3);
  EXPECT_EQ(w.reward, 57.0);
}

// Also with other options: the state is checked against, and continues
// under, the task's own meals per swap and energy budget.
TEST(TMaze, PhysicalStateRoundTripContinuesExactly) {
  for (const auto& [min_swap, max_swap, max_energy] :
       std::vector<std::tuple<int, int, int>>{{TMaze::kMinSwap, TMaze::kMaxSwap, TMaze::kMaxEnergy}, {1, 2, 100}}) {
    TMaze task(TMaze::FirstFood::kRandom, min_swap, max_swap, max_energy),
        copy(TMaze::FirstFood::kRandom, min_swap, max_swap, max_energy);
    std::vector<double> obs(5), obs_copy(5);
    task.Reset(77, obs);
    // Random blocks that each start and end at the start facing north: a meal
    // on either side, stays, turns back and forth, a walk up the stem and
    // back, a bump into the wall.
    const std::vector<std::vector<double>> blocks = {
        {F, F, F, F, L, F, F}, {F, F, F, F, R, F, F}, {S}, {L, R}, {R, L}, {F, F, R, R, F, F, R, R}, {L, F, R}};
    RandomStream rng(4);  // a sequence with meals after the round trip (seed 7 has none)
    std::vector<double> actions;
    while (actions.size() < 400) {
      const auto& block = blocks[rng.Below(blocks.size())];
      actions.insert(actions.end(), block.begin(), block.end());
    }
    int t = 0;
    for (; t < 25; ++t) task.Step(std::vector<double>{actions[t]}, obs);
    const auto state = task.PhysicalState();
    ASSERT_EQ(state.size(), static_cast<size_t>(TMaze::kStateSize));
    copy.SetPhysicalState(state, obs_copy);
    EXPECT_EQ(obs, obs_copy);
    EXPECT_EQ(copy.PhysicalState(), state);
    int meals = 0;
    for (; t < 400; ++t) {
      const StepResult r = task.Step(std::vector<double>{actions[t]}, obs),
                       rc = copy.Step(std::vector<double>{actions[t]}, obs_copy);
      ASSERT_EQ(obs, obs_copy);
      ASSERT_EQ(r.reward, rc.reward);
      ASSERT_EQ(r.info_values, rc.info_values);
      ASSERT_EQ(r.terminated, rc.terminated);
      ASSERT_EQ(task.PhysicalState(), copy.PhysicalState());
      meals += r.reward != 0;
      if (r.terminated) break;
    }
    EXPECT_GE(meals, 2);
  }
  // Right after a meal, the reward signal survives the round trip too.
  Walk w;
  w.task.SetPhysicalState(StartState(TMaze::kFoodLeft), w.obs);
  w.EatPoison();
  TMaze again;
  std::vector<double> o(5);
  again.SetPhysicalState(w.task.PhysicalState(), o);
  EXPECT_EQ(o, w.obs);
  EXPECT_EQ(o[4], 1.0);
}

TEST(TMaze, RefusesAbsurdStatesAndActions) {
  TMaze task;
  std::vector<double> obs(5);
  const auto good = StartState(TMaze::kFoodLeft, 4);
  EXPECT_NO_THROW(task.SetPhysicalState(good, obs));
  for (const auto& [i, v] : std::vector<std::pair<int, double>>{
           {kSeedHigh, -1}, {kSeedLow, 4294967296.0}, {kX, 2}, {kX, 7}, {kX, 3.5}, {kY, 0}, {kY, NAN},
           {kHeading, 4}, {kFoodSide, 2}, {kMeals, 4}, {kMeals, -1}, {kK, 2}, {kK, 6}, {kSwaps, -1},
           {kEnergy, 0}, {kEnergy, 41}, {kLastMeal, 3}, {kStepMeal, TMaze::kFood}, {kFoodColour, 2},
           {kFoodColour, -1}}) {
    auto bad = good;
    bad[i] = v;
    EXPECT_THROW(task.SetPhysicalState(bad, obs), std::invalid_argument) << i << " = " << v;
  }
  auto on_food = good;  // an arm end is never stood on
  on_food[kX] = 1;
  on_food[kY] = 1;
  EXPECT_THROW(task.SetPhysicalState(on_food, obs), std::invalid_argument);
  EXPECT_THROW(task.SetPhysicalState(std::vector<double>(12), obs), std::invalid_argument);
  task.SetPhysicalState(good, obs);
  for (const double a : {-1.0, 4.0, 0.5, static_cast<double>(NAN)})
    EXPECT_THROW(task.Step(std::vector<double>{a}, obs), std::invalid_argument) << a;
}

}  // namespace
}  // namespace neurevo
