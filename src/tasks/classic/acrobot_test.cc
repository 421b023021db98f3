#include "tasks/classic/acrobot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace neurevo {
namespace {

TEST(Acrobot, Spaces) {
  Acrobot task;
  const double v1 = static_cast<float>(4 * std::numbers::pi);
  const double v2 = static_cast<float>(9 * std::numbers::pi);
  EXPECT_EQ(task.observation_space().high,
            (std::vector<double>{1, 1, 1, 1, v1, v2}));
  EXPECT_EQ(task.observation_space().low,
            (std::vector<double>{-1, -1, -1, -1, -v1, -v2}));
  EXPECT_TRUE(task.action_space().discrete());
  EXPECT_EQ(task.action_space().size, 3);
}

TEST(Acrobot, ResetRangeAndDeterminism) {
  Acrobot task;
  std::vector<double> obs(6), obs2(6);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    task.Reset(seed, obs);
    const std::vector<double> s = task.PhysicalState();
    ASSERT_EQ(s.size(), 4u);
    for (double v : s) {
      EXPECT_GE(v, -0.1);
      EXPECT_LE(v, 0.1);
      EXPECT_EQ(v,
                static_cast<double>(static_cast<float>(v)));  // float32 state
    }
    EXPECT_FLOAT_EQ(obs[0], std::cos(s[0]));
    EXPECT_FLOAT_EQ(obs[3], std::sin(s[1]));
    EXPECT_EQ(obs[4], s[2]);
    task.Reset(seed, obs2);
    EXPECT_EQ(obs, obs2);
  }
}

TEST(Acrobot, TerminatesWhenTipIsHigh) {
  Acrobot task;
  std::vector<double> obs(6);
  // Upright and at rest: -cos(pi) - cos(pi + 0) = 2 > 1.
  task.SetPhysicalState(std::vector<double>{std::numbers::pi - 0.01, 0, 0, 0},
                        obs);
  const StepResult r = task.Step(std::vector<double>{1}, obs);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, 0.0);
  task.Reset(0, obs);
  const StepResult r2 = task.Step(std::vector<double>{1}, obs);
  EXPECT_FALSE(r2.terminated);
  EXPECT_EQ(r2.reward, -1.0);
}

TEST(Acrobot, WrapsAnglesAndBoundsVelocities) {
  Acrobot task;
  std::vector<double> obs(6);
  task.Reset(5, obs);
  for (int t = 0; t < 300; ++t) {
    task.Step(std::vector<double>{static_cast<double>(t % 3)}, obs);
    const std::vector<double> s = task.PhysicalState();
    EXPECT_GE(s[0], -std::numbers::pi);
    EXPECT_LE(s[0], std::numbers::pi);
    EXPECT_GE(s[1], -std::numbers::pi);
    EXPECT_LE(s[1], std::numbers::pi);
    EXPECT_LE(std::abs(s[2]), 4 * std::numbers::pi);
    EXPECT_LE(std::abs(s[3]), 9 * std::numbers::pi);
  }
}

TEST(Acrobot, TruncatesAtStep500) {
  Acrobot task;
  std::vector<double> obs(6);
  task.Reset(0, obs);
  // No torque: the arm only swings around the bottom and never terminates.
  for (int t = 1; t <= 500; ++t) {
    const StepResult r = task.Step(std::vector<double>{1}, obs);
    ASSERT_FALSE(r.terminated);
    EXPECT_EQ(r.truncated, t == 500) << "step " << t;
  }
}

TEST(Acrobot, InvalidActionThrows) {
  Acrobot task;
  std::vector<double> obs(6);
  task.Reset(0, obs);
  EXPECT_THROW(task.Step(std::vector<double>{3}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{-1}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{}, obs), std::invalid_argument);
}

}  // namespace
}  // namespace neurevo
