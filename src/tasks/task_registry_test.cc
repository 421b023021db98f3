#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

TEST(TaskRegistry, NamesAndMake) {
  const std::vector<std::string> expected = {
      "CartPole-v1",      "Pendulum-v1",        "MountainCarContinuous-v0",
      "Acrobot-v1",       "InvertedPendulum-v5", "InvertedDoublePendulum-v5",
      "Swimmer-v5",       "Hopper-v5",          "HalfCheetah-v5",
      "Walker2d-v5",      "Ant-v5"};
  EXPECT_EQ(TaskNames(), expected);
  for (const std::string& name : TaskNames()) {
    auto task = MakeTask(name);
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(task->name(), name);
  }
}

// Gymnasium's env.dt: CartPole's tau, Pendulum's and Acrobot's dt, MuJoCo's
// timestep x frame_skip; MountainCarContinuous has no time step.
TEST(TaskRegistry, StepTimeIsGymnasiumsDt) {
  const std::vector<std::pair<std::string, double>> expected = {
      {"CartPole-v1", 0.02}, {"Pendulum-v1", 0.05},  {"MountainCarContinuous-v0", 0.0},
      {"Acrobot-v1", 0.2},   {"Hopper-v5", 0.008},   {"HalfCheetah-v5", 0.05}};
  for (const auto& [name, dt] : expected) EXPECT_DOUBLE_EQ(MakeTask(name)->dt(), dt) << name;
}

TEST(TaskRegistry, UnknownNameThrowsConfigError) {
  try {
    MakeTask("Foo");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "task.name: unknown task 'Foo'; allowed: CartPole-v1, Pendulum-v1, "
        "MountainCarContinuous-v0, Acrobot-v1, InvertedPendulum-v5, "
        "InvertedDoublePendulum-v5, Swimmer-v5, Hopper-v5, HalfCheetah-v5, "
        "Walker2d-v5, Ant-v5");
  }
}

struct SpaceCase {
  const char* name;
  int obs_size;
  bool discrete;
  int action_size;  // Discrete: n; Box: dimensions
  int max_steps;
};

TEST(TaskRegistry, SpacesAndLimits) {
  const SpaceCase cases[] = {
      {"CartPole-v1", 4, true, 2, 500},
      {"Pendulum-v1", 3, false, 1, 200},
      {"MountainCarContinuous-v0", 2, false, 1, 999},
      {"Acrobot-v1", 6, true, 3, 500},
      {"InvertedPendulum-v5", 4, false, 1, 1000},
      {"InvertedDoublePendulum-v5", 9, false, 1, 1000},
      {"Swimmer-v5", 8, false, 2, 1000},
      {"Hopper-v5", 11, false, 3, 1000},
      {"HalfCheetah-v5", 17, false, 6, 1000},
      {"Walker2d-v5", 17, false, 6, 1000},
      {"Ant-v5", 105, false, 8, 1000},
  };
  for (const SpaceCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto task = MakeTask(c.name);
    const Space& obs = task->observation_space();
    EXPECT_FALSE(obs.discrete());
    EXPECT_EQ(obs.size, c.obs_size);
    EXPECT_EQ(obs.vector_size(), c.obs_size);
    EXPECT_EQ(static_cast<int>(obs.low.size()), c.obs_size);
    EXPECT_EQ(static_cast<int>(obs.high.size()), c.obs_size);
    const Space& act = task->action_space();
    EXPECT_EQ(act.discrete(), c.discrete);
    EXPECT_EQ(act.size, c.action_size);
    EXPECT_EQ(act.vector_size(), c.discrete ? 1 : c.action_size);
    EXPECT_EQ(task->max_episode_steps(), c.max_steps);
  }
}

}  // namespace
}  // namespace neurevo
