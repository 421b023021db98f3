#include "tasks/bsuite/memory_length.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "neurevo/task.h"
#include "tasks/make_task_error.h"

namespace neurevo {
namespace {

TEST(MemoryLength, SpacesNameAndLimit) {
  MemoryLength task(25);
  EXPECT_EQ(task.name(), "MemoryLength-25");
  EXPECT_EQ(task.observation_space().size, 3);
  EXPECT_TRUE(task.action_space().discrete());
  EXPECT_EQ(task.action_space().size, 2);
  EXPECT_EQ(task.max_episode_steps(), 26);
  EXPECT_EQ(task.info_names(), std::vector<std::string>{"correct"});
  EXPECT_THROW(MemoryLength(0), std::invalid_argument);
  EXPECT_THROW(MemoryLength(MemoryLength::kMaxLength + 1), std::invalid_argument);
}

// The context shows in the first two observations only (bsuite's _step
// returns the observation before its counter moves), time counts down from
// 1 in float32, and only the (N+1)-th action is judged.
TEST(MemoryLength, EpisodeShowsContextTwiceAndJudgesTheLastAction) {
  constexpr int n = 4;
  for (const int bit : {0, 1}) {
    for (const int answer : {0, 1}) {
      MemoryLength task(n);
      std::vector<double> obs(3);
      task.SetPhysicalState(std::vector<double>{0, static_cast<double>(bit), 0}, obs);
      const double sign = bit == 1 ? 1.0 : -1.0;
      EXPECT_EQ(obs, (std::vector<double>{1.0, 0.0, sign}));
      for (int k = 0; k <= n; ++k) {
        // Wrong answers before the end cost nothing.
        const StepResult r = task.Step(std::vector<double>{static_cast<double>(k < n ? 1 - bit : answer)}, obs);
        const int t = k;  // the observation of counter value k
        EXPECT_EQ(obs[0], static_cast<double>(static_cast<float>(1.0 - static_cast<double>(t) / n))) << k;
        EXPECT_EQ(obs[1], 0.0);
        EXPECT_EQ(obs[2], t == 0 ? sign : 0.0) << k;
        ASSERT_EQ(r.info_count, 1);
        if (k < n) {
          EXPECT_FALSE(r.terminated) << k;
          EXPECT_EQ(r.reward, 0.0);
          EXPECT_EQ(r.info_values[0], 0.0);
        } else {
          EXPECT_TRUE(r.terminated);
          EXPECT_FALSE(r.truncated);
          EXPECT_EQ(r.reward, answer == bit ? 1.0 : -1.0);
          EXPECT_EQ(r.info_values[0], answer == bit ? 1.0 : 0.0);
        }
      }
      EXPECT_THROW(task.Step(std::vector<double>{0}, obs), std::logic_error);
    }
  }
}

TEST(MemoryLength, ResetDrawsBothBitsEvenlyAndDeterministically) {
  MemoryLength task(3);
  std::vector<double> obs(3), again(3);
  int ones = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    task.Reset(seed, obs);
    ones += obs[2] > 0;
    EXPECT_EQ(obs[0], 1.0);
    EXPECT_NE(obs[2], 0.0);
    task.Reset(seed, again);
    EXPECT_EQ(obs, again);
  }
  EXPECT_GT(ones, 900);  // binomial(2000, 0.5): mean 1000, sd 22
  EXPECT_LT(ones, 1100);
}

TEST(MemoryLength, RefusesAbsurdStatesAndActions) {
  MemoryLength task(5);
  std::vector<double> obs(3);
  for (const auto& bad : std::vector<std::vector<double>>{
           {-1, 0, 0}, {6, 0, 0}, {0.5, 0, 0}, {0, 2, 0}, {0, 0.5, 0}, {0, 0, 1}, {0, 1, 0, 0}})
    EXPECT_THROW(task.SetPhysicalState(bad, obs), std::invalid_argument);
  task.Reset(1, obs);
  EXPECT_THROW(task.Step(std::vector<double>{2}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{0.5}, obs), std::invalid_argument);
}

TEST(MemoryLength, RegistryParsesTheLengthStrictly) {
  EXPECT_EQ(MakeTask("MemoryLength-1")->max_episode_steps(), 2);
  EXPECT_EQ(MakeTask("MemoryLength-100")->name(), "MemoryLength-100");
  EXPECT_TRUE(IsTaskName("MemoryLength-100000"));
  for (const char* bad : {"MemoryLength-", "MemoryLength-0", "MemoryLength-07", "MemoryLength--3", "MemoryLength-1e2",
                          "MemoryLength-10x", "MemoryLength-100001", "MemoryLength-99999999999999999999",
                          "memorylength-10", "MemoryLength- 10"}) {
    EXPECT_FALSE(IsTaskName(bad)) << bad;
    const std::string error = MakeTaskError(bad, {});
    EXPECT_NE(error.find("MemoryLength-N (N = 1 .. 100000)"), std::string::npos) << bad << ": " << error;
  }
  const std::string error = MakeTaskError("MemoryLength-3", {{"num_bits", 2LL}});
  EXPECT_NE(error.find("task.options.num_bits"), std::string::npos) << error;
}

}  // namespace
}  // namespace neurevo
