#include "tasks/classic/pendulum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace neurevo {
namespace {

TEST(Pendulum, Spaces) {
  Pendulum task;
  EXPECT_EQ(task.observation_space().low, (std::vector<double>{-1, -1, -8}));
  EXPECT_EQ(task.observation_space().high, (std::vector<double>{1, 1, 8}));
  EXPECT_EQ(task.action_space().low, (std::vector<double>{-2}));
  EXPECT_EQ(task.action_space().high, (std::vector<double>{2}));
}

TEST(Pendulum, ResetRangeAndDeterminism) {
  Pendulum task;
  std::vector<double> obs(3), obs2(3);
  double min_th = 10, max_th = -10;
  for (uint64_t seed = 0; seed < 500; ++seed) {
    task.Reset(seed, obs);
    const std::vector<double> s = task.PhysicalState();
    ASSERT_EQ(s.size(), 2u);
    EXPECT_GE(s[0], -std::numbers::pi);
    EXPECT_LT(s[0], std::numbers::pi);
    EXPECT_GE(s[1], -1.0);
    EXPECT_LT(s[1], 1.0);
    min_th = std::min(min_th, s[0]);
    max_th = std::max(max_th, s[0]);
    EXPECT_FLOAT_EQ(obs[0], std::cos(s[0]));
    EXPECT_FLOAT_EQ(obs[1], std::sin(s[0]));
    EXPECT_FLOAT_EQ(obs[2], s[1]);
    task.Reset(seed, obs2);
    EXPECT_EQ(obs, obs2);
  }
  // The whole circle is covered.
  EXPECT_LT(min_th, -3.0);
  EXPECT_GT(max_th, 3.0);
}

TEST(Pendulum, ClipsActionAndVelocity) {
  Pendulum task;
  std::vector<double> obs(3), obs2(3);
  task.SetPhysicalState(std::vector<double>{0.5, 0.0}, obs);
  const StepResult a = task.Step(std::vector<double>{5.0}, obs);
  task.SetPhysicalState(std::vector<double>{0.5, 0.0}, obs2);
  const StepResult b = task.Step(std::vector<double>{2.0}, obs2);
  EXPECT_EQ(obs, obs2);
  EXPECT_EQ(a.reward, b.reward);
  task.SetPhysicalState(std::vector<double>{1.0, 7.99}, obs);
  task.Step(std::vector<double>{2.0}, obs);
  EXPECT_EQ(task.PhysicalState()[1], 8.0);
}

TEST(Pendulum, TruncatesAtStep200) {
  Pendulum task;
  std::vector<double> obs(3);
  task.Reset(3, obs);
  for (int t = 1; t <= 200; ++t) {
    const StepResult r = task.Step(std::vector<double>{0.3}, obs);
    EXPECT_FALSE(r.terminated);
    EXPECT_LE(r.reward, 0.0);
    EXPECT_EQ(r.truncated, t == 200) << "step " << t;
  }
}

}  // namespace
}  // namespace neurevo
