#include "tasks/cognitive/t_maze.h"

#include <fmt/format.h>

#include <stdexcept>

#include "core/checked_math.h"
#include "neurevo/random.h"
#include "tasks/cognitive/step_stream.h"
#include "tasks/task_util.h"

namespace neurevo {

namespace {
constexpr uint64_t kSidePurpose = 3, kSwapPurpose = 4, kColourPurpose = 5;
constexpr int kDx[4] = {0, 1, 0, -1}, kDy[4] = {-1, 0, 1, 0};  // north, east, south, west (y down)
}  // namespace

TMaze::TMaze(FirstFood first_food, int min_swap, int max_swap, int max_energy, SwapSchedule schedule)
    : TaskBase(kName, Space::Box({0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}), Space::Discrete(4), kSteps),
      first_food_(first_food),
      schedule_(schedule),
      min_swap_(min_swap),
      max_swap_(max_swap),
      max_energy_(max_energy) {
  if (min_swap < 1 || max_swap > kSwapLimit || min_swap > max_swap)
    throw std::invalid_argument(fmt::format("{}: meals per swap must satisfy 1 <= min <= max <= {}, not {} .. {}",
                                            name(), kSwapLimit, min_swap, max_swap));
  if (max_energy < 1 || max_energy > kSteps)
    throw std::invalid_argument(fmt::format("{}: max_energy must be in 1 .. {}, not {}", name(), kSteps, max_energy));
  k_ = min_swap;
  energy_ = max_energy;
}

bool TMaze::Open(int x, int y) {
  if (x < 0 || y < 0 || x >= kSize || y >= kSize) return false;
  return (x == kStartX && y >= 2 && y <= kStartY) || (y == kArmY && x >= kLeftX && x <= kRightX);
}

int TMaze::DrawK(long long swap) const {
  RandomStream stream = cognitive::StepStream(seed_, kSwapPurpose, static_cast<uint64_t>(swap));
  if (schedule_ == SwapSchedule::kUniform)
    return min_swap_ + static_cast<int>(stream.Below(static_cast<uint64_t>(max_swap_ - min_swap_ + 1)));
  int k = min_swap_;
  while (k < max_swap_ && stream.Below(2) == 1) ++k;  // tails: one more meal before the swap
  return k;
}

int TMaze::DrawFoodSide() const {
  // meals_ < k <= kSwapLimit < 8: (swaps, meals) numbers the episode's trials.
  static_assert(kSwapLimit < 8);
  const uint64_t trial = static_cast<uint64_t>(swaps_) * 8 + static_cast<uint64_t>(meals_);
  return cognitive::StepStream(seed_, kSidePurpose, trial).Below(2) == 0 ? kFoodLeft : kFoodRight;
}

void TMaze::Reset(uint64_t seed, std::span<double> observation) {
  seed_ = seed;
  x_ = kStartX;
  y_ = kStartY;
  heading_ = kNorth;
  food_colour_ = first_food_ == FirstFood::kGreen || cognitive::StepStream(seed, kColourPurpose, 0).Below(2) == 0
                     ? kGreen
                     : kRed;
  meals_ = 0;
  swaps_ = 0;
  food_side_ = DrawFoodSide();
  k_ = DrawK(0);
  energy_ = max_energy_;
  last_meal_ = step_meal_ = kNone;
  StartEpisode();
  WriteObservation(observation);
}

StepResult TMaze::Step(std::span<const double> action, std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, 4, name());
  if (energy_ <= 0) throw std::logic_error(std::string(name()) + ": stepped after the episode terminated");
  StepResult r;
  int meal = kNone;
  bool swapped = false;
  if (a == kLeft) {
    heading_ = (heading_ + 3) % 4;
  } else if (a == kRight) {
    heading_ = (heading_ + 1) % 4;
  } else if (a == kForward) {
    const int nx = x_ + kDx[heading_], ny = y_ + kDy[heading_];
    if (Open(nx, ny)) {
      x_ = nx;
      y_ = ny;
      if (y_ == kArmY && (x_ == kLeftX || x_ == kRightX)) {
        const bool left = x_ == kLeftX;
        meal = left == (food_side_ == kFoodLeft) ? kFood : kPoison;
      }
    }
  }
  --energy_;
  if (meal != kNone) {
    r.reward = meal == kFood ? 1.0 : -1.0;
    const bool repeat = meal == kPoison && last_meal_ == kPoison;
    if (meal == kFood) energy_ = max_energy_;
    x_ = kStartX;
    y_ = kStartY;
    heading_ = kNorth;
    last_meal_ = meal;
    if (++meals_ >= k_) {
      food_colour_ = 1 - food_colour_;
      meals_ = 0;
      swaps_ = SaturatingAdd(swaps_, 1);
      k_ = DrawK(swaps_);
      swapped = true;
    }
    food_side_ = DrawFoodSide();
    r.AddInfo(meal == kFood ? 1.0 : 0.0);
    r.AddInfo(meal == kPoison ? 1.0 : 0.0);
    r.AddInfo(repeat ? 1.0 : 0.0);
  } else {
    for (int i = 0; i < 3; ++i) r.AddInfo(0.0);
  }
  r.AddInfo(swapped ? 1.0 : 0.0);
  step_meal_ = meal;
  r.terminated = energy_ <= 0;
  r.truncated = CountStep();
  WriteObservation(observation);
  return r;
}

std::vector<double> TMaze::PhysicalState() const {
  std::vector<double> s;
  s.reserve(kStateSize);
  cognitive::PutSeed(seed_, s);
  for (const long long v : {static_cast<long long>(x_), static_cast<long long>(y_), static_cast<long long>(heading_),
                            static_cast<long long>(food_side_), static_cast<long long>(meals_),
                            static_cast<long long>(k_), swaps_, static_cast<long long>(energy_),
                            static_cast<long long>(last_meal_), static_cast<long long>(step_meal_),
                            static_cast<long long>(food_colour_)})
    s.push_back(static_cast<double>(v));
  return s;
}

void TMaze::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  using cognitive::StateInteger;
  task_util::CheckSize(state, kStateSize, name(), "state");
  const uint64_t seed = cognitive::StateSeed(state[0], state[1], name());
  const int x = static_cast<int>(StateInteger(state[2], 0, kSize - 1, name(), "x"));
  const int y = static_cast<int>(StateInteger(state[3], 0, kSize - 1, name(), "y"));
  // The agent stands on the T but never on an arm end: a meal puts it back at the start.
  if (!Open(x, y) || (y == kArmY && (x == kLeftX || x == kRightX)))
    throw std::invalid_argument(fmt::format("{}: state position ({}, {}) is not a free cell of the T", name(), x, y));
  const int heading = static_cast<int>(StateInteger(state[4], kNorth, kWest, name(), "heading"));
  const int food_side = static_cast<int>(StateInteger(state[5], kFoodLeft, kFoodRight, name(), "food_side"));
  const int k = static_cast<int>(StateInteger(state[7], min_swap_, max_swap_, name(), "k"));
  const int meals = static_cast<int>(StateInteger(state[6], 0, k - 1, name(), "meals_since_swap"));
  const long long swaps = StateInteger(state[8], 0, kMaxSavedCount, name(), "swaps");
  const int energy = static_cast<int>(StateInteger(state[9], 1, max_energy_, name(), "energy"));
  const int last_meal = static_cast<int>(StateInteger(state[10], kNone, kPoison, name(), "last_meal"));
  const int step_meal = static_cast<int>(StateInteger(state[11], kNone, kPoison, name(), "step_meal"));
  const int food_colour = static_cast<int>(StateInteger(state[12], kGreen, kRed, name(), "food_colour"));
  if (step_meal != kNone && step_meal != last_meal)
    throw std::invalid_argument(fmt::format("{}: state step_meal = {} is neither 0 (none) nor the last meal ({})",
                                            name(), step_meal, last_meal));
  seed_ = seed;
  x_ = x;
  y_ = y;
  heading_ = heading;
  food_side_ = food_side;
  meals_ = meals;
  k_ = k;
  swaps_ = swaps;
  energy_ = energy;
  last_meal_ = last_meal;
  step_meal_ = step_meal;
  food_colour_ = food_colour;
  StartEpisode();
  WriteObservation(observation);
}

void TMaze::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 5, name(), "observation");
  const int ax = x_ + kDx[heading_], ay = y_ + kDy[heading_];
  const bool wall = !Open(ax, ay);
  const bool arm_end = ay == kArmY && (ax == kLeftX || ax == kRightX);
  const bool food_ahead = arm_end && (ax == kLeftX) == (food_side_ == kFoodLeft);
  const int colour = food_ahead ? food_colour_ : 1 - food_colour_;
  observation[0] = wall ? 1.0 : 0.0;
  observation[1] = arm_end && colour == kGreen ? 1.0 : 0.0;
  observation[2] = arm_end && colour == kRed ? 1.0 : 0.0;
  observation[3] = step_meal_ == kFood ? 1.0 : 0.0;
  observation[4] = step_meal_ == kPoison ? 1.0 : 0.0;
}

}  // namespace neurevo
