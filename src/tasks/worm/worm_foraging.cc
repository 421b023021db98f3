#include "tasks/worm/worm_foraging.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>

#include "core/checked_math.h"
#include "neurevo/error.h"

namespace neurevo {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kEatRadius = 20, kSenseRadius = 150, kTouchDistance = 100;

// Python's float %: the remainder with the divisor's sign.
double PyMod(double x, double m) {
  double r = std::fmod(x, m);
  if (r != 0.0) {
    if ((m < 0) != (r < 0)) r += m;
  } else {
    r = std::copysign(0.0, m);
  }
  return r;
}

}  // namespace

std::vector<std::array<double, 2>> WormForaging::FoodPattern(Pattern pattern) {
  const double cx = kWidth / 2, cy = kHeight / 2;
  const int num = kFood;
  std::vector<std::array<double, 2>> food;
  if (pattern == kCircle) {
    const double r = std::min(kWidth, kHeight) / 4;
    for (int i = 0; i < num; ++i) {
      const double a = 2 * kPi * i / num;
      food.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
  } else if (pattern == kTriangle) {
    const double t[2] = {kWidth / 2, kHeight * 3 / 4}, l[2] = {kWidth / 4, kHeight / 4},
                 rr[2] = {kWidth * 3 / 4, kHeight / 4};
    for (int i = 0; i < num; ++i) {
      const double p = static_cast<double>(i) / (num - 1);
      const double* from = p <= 1.0 / 3 ? t : p <= 2.0 / 3 ? l : rr;
      const double* to = p <= 1.0 / 3 ? l : p <= 2.0 / 3 ? rr : t;
      const double q = p <= 1.0 / 3 ? p / (1.0 / 3) : p <= 2.0 / 3 ? (p - 1.0 / 3) / (1.0 / 3) : (p - 2.0 / 3) / (1.0 / 3);
      food.push_back({from[0] + q * (to[0] - from[0]), from[1] + q * (to[1] - from[1])});
    }
  } else if (pattern == kSquare) {
    const double s = std::min(kWidth, kHeight) / 2;
    const int per_side = num / 4;
    for (int i = 0; i < num; ++i) {
      const int side = i / per_side;
      const double pos = static_cast<double>(i % per_side) / (per_side - 1);
      if (side == 0) food.push_back({cx - s / 2 + pos * s, cy - s / 2});
      else if (side == 1) food.push_back({cx + s / 2, cy - s / 2 + pos * s});
      else if (side == 2) food.push_back({cx + s / 2 - pos * s, cy + s / 2});
      else food.push_back({cx - s / 2, cy + s / 2 - pos * s});
    }
  } else {
    const int n = 5 + (pattern - kPentagon);
    const double r = std::min(kWidth, kHeight) / 4;
    for (int i = 0; i < num; ++i) {
      const double a = 2 * kPi * (i % n) / n, next = 2 * kPi * ((i % n) + 1) / n;
      const double interp = static_cast<double>(i / n) / (num / n);
      const double vx = cx + r * std::cos(a), vy = cy + r * std::sin(a);
      const double nx = cx + r * std::cos(next), ny = cy + r * std::sin(next);
      food.push_back({vx + interp * (nx - vx), vy + interp * (ny - vy)});
    }
  }
  return food;
}

WormForaging::WormForaging(Pattern pattern)
    : TaskBase(kNames.at(pattern), Space::Box({0.0, 0.0}, {1.0, 1.0}), Space::Box({-150.0, -150.0}, {150.0, 150.0}),
               kSteps),
      pattern_(pattern),
      all_food_(FoodPattern(pattern)) {}

void WormForaging::WriteObservation(std::span<double> observation) const {
  observation[0] = touch_ ? 1.0 : 0.0;
  observation[1] = food_ ? 1.0 : 0.0;
}

void WormForaging::Reset(uint64_t /*seed*/, std::span<double> observation) {
  StartEpisode();
  x_ = kWidth / 2;
  y_ = kHeight / 2;
  heading_ = 0;
  present_.assign(all_food_.size(), 1);
  touch_ = food_ = false;
  WriteObservation(observation);
}

StepResult WormForaging::Step(std::span<const double> action, std::span<double> observation) {
  // float32, as every continuous task here takes its action (ActionAsApplied); beyond float's range, +-inf.
  const double left = SaturatingFloat(action[0]), right = SaturatingFloat(action[1]);
  StepResult r;
  if (!std::isfinite(right - left)) {  // no heading to turn to: the step is not physics (the episode fails)
    r.simulation_warning = true;
    r.AddInfo(0);
    r.truncated = CountStep();
    WriteObservation(observation);
    return r;
  }
  const double speed = std::min(std::max(std::abs(left) + std::abs(right), 75.0), 150.0) / 7;
  heading_ = PyMod(heading_ + (right - left) / 10.0 + kPi, 2 * kPi) - kPi;
  x_ = std::clamp(x_ + speed * std::cos(heading_), 0.0, kWidth);
  y_ = std::clamp(y_ + speed * std::sin(heading_), 0.0, kHeight);
  bool sees = false;
  int eaten = 0;
  for (size_t k = 0; k < all_food_.size(); ++k) {
    if (!present_[k]) continue;
    const double dx = all_food_[k][0] - x_, dy = all_food_[k][1] - y_;
    const double d = std::sqrt(dx * dx + dy * dy);  // np.linalg.norm's arithmetic (not hypot)
    sees = sees || d <= kSenseRadius;
    if (d < kEatRadius) {
      present_[k] = 0;
      ++eaten;
    }
  }
  const double wall = std::min({x_, kWidth - x_, y_, kHeight - y_});
  touch_ = wall > 0 && wall < kTouchDistance;
  food_ = sees && !touch_;
  WriteObservation(observation);
  r.reward = eaten;
  r.AddInfo(eaten);
  r.truncated = CountStep();
  return r;
}

std::vector<double> WormForaging::PhysicalState() const {
  std::vector<double> s = {x_, y_, heading_, touch_ ? 1.0 : 0.0, food_ ? 1.0 : 0.0};
  for (const uint8_t p : present_) s.push_back(p);
  return s;
}

void WormForaging::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  if (state.size() != 5 + all_food_.size())
    throw ConfigError(fmt::format("{}: a state has {} values (x, y, heading, touch, food, one per item); got {}",
                                  name(), 5 + all_food_.size(), state.size()));
  for (const double v : state)
    if (!std::isfinite(v)) throw ConfigError(fmt::format("{}: a state value is not finite", name()));
  StartEpisode();
  x_ = std::clamp(state[0], 0.0, kWidth);
  y_ = std::clamp(state[1], 0.0, kHeight);
  heading_ = state[2];
  touch_ = state[3] != 0;
  food_ = state[4] != 0;
  present_.resize(all_food_.size());
  for (size_t k = 0; k < all_food_.size(); ++k) present_[k] = state[5 + k] != 0 ? 1 : 0;
  WriteObservation(observation);
}

}  // namespace neurevo
