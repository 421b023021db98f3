#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/task.h"
#include "neurevo/random.h"
#include "tasks/make_task_error.h"

namespace neurevo {
namespace {

// scikit-learn's 8x8 digits in MNIST's layout (configs/heterogeneity/data).
constexpr const char* kDigits = NEUREVO_TEST_DATA_DIR "/../../configs/heterogeneity/data/digits";

TEST(TaskRegistry, NamesAndMake) {
  const std::vector<std::string> expected = {
      "CartPole-v1",      "Pendulum-v1",        "MountainCarContinuous-v0",
      "Acrobot-v1",       "InvertedPendulum-v5", "InvertedDoublePendulum-v5",
      "Swimmer-v5",       "Hopper-v5",          "HalfCheetah-v5",
      "Walker2d-v5",      "Ant-v5",             "ImageClassification",
      "WormForaging-circle", "WormForaging-triangle", "WormForaging-square", "WormForaging-pentagon",
      "WormForaging-hexagon", "WormForaging-heptagon", "WormForaging-octagon", "WormForaging-nonagon",
      "IafMimic", "StdpMimic", "TMaze"};
  EXPECT_EQ(TaskNames(), expected);
  for (const std::string& name : TaskNames()) {
    TaskOptions options;
    if (name == "ImageClassification") options["data"] = std::string(kDigits);
    auto task = MakeTask(name, options);
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
  EXPECT_EQ(MakeTaskError("Foo", {}),
            "task.name: unknown task 'Foo'; allowed: CartPole-v1, Pendulum-v1, "
            "MountainCarContinuous-v0, Acrobot-v1, InvertedPendulum-v5, "
            "InvertedDoublePendulum-v5, Swimmer-v5, Hopper-v5, HalfCheetah-v5, "
            "Walker2d-v5, Ant-v5, ImageClassification, WormForaging-circle, WormForaging-triangle, "
            "WormForaging-square, WormForaging-pentagon, WormForaging-hexagon, WormForaging-heptagon, "
            "WormForaging-octagon, WormForaging-nonagon, IafMimic, StdpMimic, TMaze, MemoryLength-N (N = 1 .. 100000), "
            "NBack-N (N = 1 .. 100), EvidenceAccumulation-N (N = 1 .. 1000), CueDelayResponse-N (N = 1 .. 10000)");
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
      {"IafMimic", 1, false, 1, 100},
      {"StdpMimic", 4, false, 1, 200},
      {"TMaze", 5, true, 4, 400},
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

// Task options: each task accepts its own, by name and type (config:
// [task.options]); anything else is refused naming task.options.<name>.
TEST(TaskRegistry, OptionsAreCheckedPerTask) {
  EXPECT_EQ(MakeTaskError("Ant-v5", {{"include_cfrc_ext_in_observation", false}}), "");
  EXPECT_NE(MakeTaskError("CartPole-v1", {{"include_cfrc_ext_in_observation", false}})
                .find("task.options.include_cfrc_ext_in_observation: CartPole-v1 has no such option"),
            std::string::npos);
  EXPECT_NE(MakeTaskError("Ant-v5", {{"use_contact_forces", true}}).find("task.options.use_contact_forces"),
            std::string::npos);
  EXPECT_NE(MakeTaskError("Ant-v5", {{"include_cfrc_ext_in_observation", 1LL}})
                .find("task.options.include_cfrc_ext_in_observation: expected true or false"),
            std::string::npos);
  EXPECT_NE(MakeTaskError("TMaze", {{"first_colour", std::string("green")}}).find("task.options.first_colour"),
            std::string::npos);
  for (const std::string& name : TaskNames()) {
    const auto options = TaskOptionsOf(name);
    const size_t expected = name == "TMaze"                                                                 ? 5u
                            : name == "StdpMimic"                                                           ? 2u
                            : name == "Ant-v5" || name == "ImageClassification" || name == "CartPole-v1" ? 1u
                                                                                                             : 0u;
    EXPECT_EQ(options.size(), expected) << name;
  }
}

// CartPole-v1's TimeLimit is gymnasium.make's max_episode_steps: the episode
// is truncated (not terminated) at that step; out-of-range or non-integer
// values are refused naming the option.
TEST(TaskRegistry, CartPoleTimeLimitIsAnOption) {
  EXPECT_EQ(MakeTask("CartPole-v1")->max_episode_steps(), 500);
  auto task = MakeTask("CartPole-v1", {{"max_episode_steps", 7LL}});
  EXPECT_EQ(task->max_episode_steps(), 7);
  std::vector<double> obs(4);
  task->Reset(3, obs);
  StepResult r;
  int steps = 0;
  do {
    // Alternate pushes keep the pole up for 7 steps.
    r = task->Step(std::vector<double>{static_cast<double>(steps % 2)}, obs);
    ++steps;
  } while (!r.terminated && !r.truncated);
  EXPECT_EQ(steps, 7);
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.terminated);
  for (const TaskOptionValue& bad : std::vector<TaskOptionValue>{0LL, 1000001LL, 2.5, std::string("9"), true}) {
    const std::string error = MakeTaskError("CartPole-v1", {{"max_episode_steps", bad}});
    EXPECT_NE(error.find("task.options.max_episode_steps: expected an integer in 1 .. 1000000"), std::string::npos)
        << error;
  }
}

// Ant-v5 with include_cfrc_ext_in_observation = false is Gymnasium's: the
// observation is the default one without its last 78 values (the clipped
// contact forces), 27 values, the seed paper's BNN input; reward, flags and
// physics are unchanged.
TEST(TaskRegistry, AntWithoutContactForcesObservesTheFirst27Values) {
  auto full = MakeTask("Ant-v5");
  auto short_obs = MakeTask("Ant-v5", {{"include_cfrc_ext_in_observation", false}});
  ASSERT_EQ(full->observation_space().size, 105);
  ASSERT_EQ(short_obs->observation_space().size, 27);
  std::vector<double> a(105), b(27), action(8);
  RandomStream rng(7);
  for (uint64_t seed : {1u, 2u}) {
    full->Reset(seed, a);
    short_obs->Reset(seed, b);
    EXPECT_EQ(b, std::vector<double>(a.begin(), a.begin() + 27));
    int contact = 0;
    for (int step = 0; step < 200; ++step) {
      for (double& x : action) x = rng.Uniform(-1.0, 1.0);
      const StepResult ra = full->Step(action, a);
      const StepResult rb = short_obs->Step(action, b);
      ASSERT_EQ(b, std::vector<double>(a.begin(), a.begin() + 27)) << step;
      ASSERT_EQ(ra.reward, rb.reward) << step;
      ASSERT_EQ(ra.terminated, rb.terminated);
      for (int i = 27; i < 105; ++i) contact += a[i] != 0.0;
      if (ra.terminated || ra.truncated) break;
    }
    EXPECT_GT(contact, 0);  // the left-out values were not all zero
  }
}

// Gymnasium 1.4.0's gymnasium.spec(id).reward_threshold; bench/seed_sweep.sh
// and summary.json use it.
TEST(TaskRegistry, RewardThresholdsAreGymnasiums) {
  const std::pair<const char*, std::optional<double>> expected[] = {
      {"CartPole-v1", 475.0},          {"Pendulum-v1", std::nullopt},
      {"MountainCarContinuous-v0", 90.0}, {"Acrobot-v1", -100.0},
      {"InvertedPendulum-v5", 950.0},  {"InvertedDoublePendulum-v5", 9100.0},
      {"Swimmer-v5", 360.0},           {"Hopper-v5", 3800.0},
      {"HalfCheetah-v5", 4800.0},      {"Walker2d-v5", std::nullopt},
      {"Ant-v5", 6000.0},              {"ImageClassification", std::nullopt}};
  // ... and neurevo's own tasks, which have none.
  EXPECT_EQ(std::size(expected) + 8 + 3, TaskNames().size());
  EXPECT_EQ(TaskRewardThreshold("WormForaging-pentagon"), std::nullopt);
  EXPECT_EQ(TaskRewardThreshold("TMaze"), std::nullopt);
  for (const auto& [name, threshold] : expected) EXPECT_EQ(TaskRewardThreshold(name), threshold) << name;
}

}  // namespace
}  // namespace neurevo
