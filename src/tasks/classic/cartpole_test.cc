#include "tasks/classic/cartpole.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace neurevo {
namespace {

TEST(CartPole, Spaces) {
  CartPole task;
  const Space& obs = task.observation_space();
  ASSERT_EQ(obs.size, 4);
  const double inf = std::numeric_limits<double>::infinity();
  // float32(4.8) and float32(2 * 12 degrees), as in Gymnasium.
  EXPECT_EQ(obs.high[0], static_cast<double>(4.8f));
  EXPECT_EQ(obs.high[1], inf);
  EXPECT_EQ(
      obs.high[2],
      static_cast<double>(static_cast<float>(24 * 2 * std::numbers::pi / 360)));
  EXPECT_EQ(obs.high[3], inf);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(obs.low[i], -obs.high[i]);
  EXPECT_TRUE(task.action_space().discrete());
  EXPECT_EQ(task.action_space().size, 2);
}

TEST(CartPole, ResetRangeAndDeterminism) {
  CartPole task;
  std::vector<double> obs(4), obs2(4);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    task.Reset(seed, obs);
    const std::vector<double> state = task.PhysicalState();
    for (int i = 0; i < 4; ++i) {
      EXPECT_GE(state[i], -0.05);
      EXPECT_LT(state[i], 0.05);
      EXPECT_EQ(obs[i], static_cast<double>(static_cast<float>(state[i])));
    }
    task.Reset(seed, obs2);
    EXPECT_EQ(obs, obs2);
    EXPECT_EQ(task.PhysicalState(), state);
  }
  task.Reset(1, obs);
  task.Reset(2, obs2);
  EXPECT_NE(obs, obs2);
}

TEST(CartPole, TerminatesAtAngleThreshold) {
  CartPole task;
  std::vector<double> obs(4);
  const double threshold = 12 * 2 * std::numbers::pi / 360;
  // theta moves by tau * theta_dot = 0.02 * 1 per step.
  task.SetPhysicalState(std::vector<double>{0, 0, threshold - 0.01, 1.0}, obs);
  StepResult r = task.Step(std::vector<double>{1}, obs);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, 1.0);
  task.SetPhysicalState(std::vector<double>{0, 0, threshold - 0.03, 1.0}, obs);
  r = task.Step(std::vector<double>{1}, obs);
  EXPECT_FALSE(r.terminated);
  task.SetPhysicalState(std::vector<double>{0, 0, -threshold + 0.01, -1.0},
                        obs);
  EXPECT_TRUE(task.Step(std::vector<double>{0}, obs).terminated);
}

TEST(CartPole, TerminatesAtPositionThreshold) {
  CartPole task;
  std::vector<double> obs(4);
  task.SetPhysicalState(std::vector<double>{2.39, 1.0, 0, 0}, obs);
  EXPECT_TRUE(task.Step(std::vector<double>{1}, obs).terminated);
  task.SetPhysicalState(std::vector<double>{2.37, 1.0, 0, 0}, obs);
  EXPECT_FALSE(task.Step(std::vector<double>{1}, obs).terminated);
  task.SetPhysicalState(std::vector<double>{-2.39, -1.0, 0, 0}, obs);
  EXPECT_TRUE(task.Step(std::vector<double>{0}, obs).terminated);
}

TEST(CartPole, TruncatesAtStep500) {
  CartPole task;
  std::vector<double> obs(4);
  task.SetPhysicalState(std::vector<double>{0, 0, 0, 0}, obs);
  for (int t = 1; t <= 500; ++t) {
    const std::vector<double> state = task.PhysicalState();
    // A simple balancing controller.
    const double u =
        0.05 * state[0] + 0.2 * state[1] + 5.0 * state[2] + state[3];
    const StepResult r = task.Step(std::vector<double>{u > 0 ? 1.0 : 0.0}, obs);
    ASSERT_FALSE(r.terminated) << "step " << t;
    EXPECT_EQ(r.truncated, t == 500) << "step " << t;
  }
}

TEST(CartPole, InvalidActionThrows) {
  CartPole task;
  std::vector<double> obs(4);
  task.Reset(0, obs);
  EXPECT_THROW(task.Step(std::vector<double>{2}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{-1}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{0.5}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{std::nan("")}, obs),
               std::invalid_argument);
  EXPECT_THROW(task.SetPhysicalState(std::vector<double>{0, 0, 0}, obs),
               std::invalid_argument);
}

}  // namespace
}  // namespace neurevo
