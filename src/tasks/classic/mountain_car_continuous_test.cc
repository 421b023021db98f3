#include "tasks/classic/mountain_car_continuous.h"

#include <gtest/gtest.h>

#include <vector>

namespace neurevo {
namespace {

TEST(MountainCarContinuous, Spaces) {
  MountainCarContinuous task;
  EXPECT_EQ(task.observation_space().low,
            (std::vector<double>{static_cast<double>(-1.2f),
                                 static_cast<double>(-0.07f)}));
  EXPECT_EQ(task.observation_space().high,
            (std::vector<double>{static_cast<double>(0.6f),
                                 static_cast<double>(0.07f)}));
  EXPECT_EQ(task.action_space().low, (std::vector<double>{-1}));
  EXPECT_EQ(task.action_space().high, (std::vector<double>{1}));
}

TEST(MountainCarContinuous, ResetRangeAndDeterminism) {
  MountainCarContinuous task;
  std::vector<double> obs(2), obs2(2);
  for (uint64_t seed = 0; seed < 200; ++seed) {
    task.Reset(seed, obs);
    const std::vector<double> s = task.PhysicalState();
    EXPECT_GE(s[0], -0.6);
    EXPECT_LT(s[0], -0.4);
    EXPECT_EQ(s[1], 0.0);
    EXPECT_EQ(obs[0], static_cast<double>(static_cast<float>(s[0])));
    task.Reset(seed, obs2);
    EXPECT_EQ(obs, obs2);
  }
}

TEST(MountainCarContinuous, GoalGivesBonusAndTerminates) {
  MountainCarContinuous task;
  std::vector<double> obs(2);
  task.SetPhysicalState(std::vector<double>{0.44, 0.05}, obs);
  const StepResult r = task.Step(std::vector<double>{0.5}, obs);
  EXPECT_TRUE(r.terminated);
  EXPECT_NEAR(r.reward, 100.0 - 0.1 * 0.25, 1e-12);
}

TEST(MountainCarContinuous, ClipsForceButRewardUsesRawAction) {
  MountainCarContinuous task;
  std::vector<double> obs(2), obs2(2);
  task.SetPhysicalState(std::vector<double>{-0.5, 0.0}, obs);
  const StepResult a = task.Step(std::vector<double>{3.0}, obs);
  task.SetPhysicalState(std::vector<double>{-0.5, 0.0}, obs2);
  const StepResult b = task.Step(std::vector<double>{1.0}, obs2);
  EXPECT_EQ(obs, obs2);
  EXPECT_NEAR(a.reward, -0.9, 1e-12);
  EXPECT_NEAR(b.reward, -0.1, 1e-12);
}

TEST(MountainCarContinuous, LeftWallStopsTheCar) {
  MountainCarContinuous task;
  std::vector<double> obs(2);
  task.SetPhysicalState(std::vector<double>{-1.19, -0.05}, obs);
  task.Step(std::vector<double>{-1.0}, obs);
  EXPECT_EQ(obs[0], static_cast<double>(-1.2f));
  EXPECT_EQ(obs[1], 0.0);
}

TEST(MountainCarContinuous, TruncatesAtStep999) {
  MountainCarContinuous task;
  std::vector<double> obs(2);
  task.Reset(0, obs);
  for (int t = 1; t <= 999; ++t) {
    const StepResult r = task.Step(std::vector<double>{0.0}, obs);
    ASSERT_FALSE(r.terminated);
    EXPECT_EQ(r.truncated, t == 999) << "step " << t;
  }
}

}  // namespace
}  // namespace neurevo
