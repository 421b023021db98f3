#include "tasks/mujoco/mujoco_task.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "neurevo/random.h"
#include "neurevo/task.h"
#include "tasks/mujoco/hopper.h"
#include "tasks/mujoco/mujoco_model.h"

namespace neurevo {
namespace {

const char* const kMujocoTasks[] = {
    "InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Swimmer-v5",
    "Hopper-v5",           "HalfCheetah-v5",            "Walker2d-v5",
    "Ant-v5"};

std::unique_ptr<MujocoTask> Make(const std::string& name) {
  std::unique_ptr<Task> task = MakeTask(name);
  auto* mujoco = dynamic_cast<MujocoTask*>(task.get());
  if (mujoco == nullptr) throw std::logic_error(name + " is not a MujocoTask");
  task.release();
  return std::unique_ptr<MujocoTask>(mujoco);
}

std::vector<double> RandomAction(const Task& task, RandomStream& rng) {
  const Space& a = task.action_space();
  std::vector<double> action(a.size);
  for (int i = 0; i < a.size; ++i) action[i] = rng.Uniform(a.low[i], a.high[i]);
  return action;
}

TEST(MujocoTask, ModelsAreEmbeddedAndShared) {
  const mjModel& a = SharedMujocoModel("hopper.xml");
  const mjModel& b = SharedMujocoModel("hopper.xml");
  EXPECT_EQ(&a, &b);
  Hopper h1, h2;
  EXPECT_EQ(&h1.model(), &h2.model());
  EXPECT_NE(&h1.data(), &h2.data());
  EXPECT_THROW(SharedMujocoModel("no_such_model.xml"), std::runtime_error);
}

TEST(MujocoTask, SpecsMatchGymnasium) {
  struct Case {
    const char* name;
    int frame_skip;
    double dt;
    int nq, nv;
  };
  const Case cases[] = {{"InvertedPendulum-v5", 2, 0.04, 2, 2},
                        {"InvertedDoublePendulum-v5", 5, 0.05, 3, 3},
                        {"Swimmer-v5", 4, 0.04, 5, 5},
                        {"Hopper-v5", 4, 0.008, 6, 6},
                        {"HalfCheetah-v5", 5, 0.05, 9, 9},
                        {"Walker2d-v5", 4, 0.008, 9, 9},
                        {"Ant-v5", 5, 0.05, 15, 14}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto task = Make(c.name);
    EXPECT_EQ(task->frame_skip(), c.frame_skip);
    EXPECT_DOUBLE_EQ(task->dt(), c.dt);
    EXPECT_EQ(task->model().nq, c.nq);
    EXPECT_EQ(task->model().nv, c.nv);
    EXPECT_EQ(task->max_episode_steps(), 1000);
    EXPECT_EQ(static_cast<int>(task->PhysicalState().size()), c.nq + 2 * c.nv);
  }
}

TEST(MujocoTask, ResetIsSeededAndWithinTheNoise) {
  struct Case {
    const char* name;
    double scale;
    bool uniform_qvel;
  };
  const Case cases[] = {{"InvertedPendulum-v5", 0.01, true},
                        {"InvertedDoublePendulum-v5", 0.1, false},
                        {"Swimmer-v5", 0.1, true},
                        {"Hopper-v5", 5e-3, true},
                        {"HalfCheetah-v5", 0.1, false},
                        {"Walker2d-v5", 5e-3, true},
                        {"Ant-v5", 0.1, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto task = Make(c.name);
    const mjModel& m = task->model();
    std::vector<double> a(task->observation_space().size), b(a.size()), e(a.size());
    task->Reset(7, a);
    task->Reset(7, b);
    EXPECT_EQ(a, b);
    task->Reset(8, e);
    EXPECT_NE(a, e);
    double max_qvel = 0;
    for (uint64_t seed = 0; seed < 50; ++seed) {
      task->Reset(seed, a);
      for (double x : a) EXPECT_TRUE(std::isfinite(x));
      const mjData& d = task->data();
      for (int i = 0; i < m.nq; ++i) {
        // mj_forward normalises a free joint's quaternion (Ant's qpos[3:7]),
        // in Gymnasium too.
        if (m.njnt > 0 && m.jnt_type[0] == mjJNT_FREE && i >= 3 && i < 7) continue;
        EXPECT_LE(std::abs(d.qpos[i] - m.qpos0[i]), c.scale);
      }
      for (int i = 0; i < m.nv; ++i) {
        max_qvel = std::max(max_qvel, std::abs(d.qvel[i]));
        if (c.uniform_qvel) EXPECT_LE(std::abs(d.qvel[i]), c.scale);
      }
    }
    // Normal noise exceeds the scale sometimes; uniform never.
    if (!c.uniform_qvel) EXPECT_GT(max_qvel, c.scale);
    EXPECT_GT(max_qvel, 0.5 * c.scale);
  }
}

// PhysicalState carries everything a step depends on: a task restored from
// it continues exactly as the original.
TEST(MujocoTask, RestoredStateContinuesExactly) {
  for (const char* name : kMujocoTasks) {
    SCOPED_TRACE(name);
    auto a = Make(name);
    auto b = Make(name);
    std::vector<double> obs_a(a->observation_space().size), obs_b(obs_a.size());
    RandomStream rng(3);
    a->Reset(11, obs_a);
    // Small actions keep the terminating tasks alive for the whole check.
    auto action = [&] {
      std::vector<double> u = RandomAction(*a, rng);
      for (double& x : u) x *= 0.1;
      return u;
    };
    for (int t = 0; t < 5; ++t) a->Step(action(), obs_a);
    b->SetPhysicalState(a->PhysicalState(), obs_b);
    EXPECT_EQ(b->PhysicalState(), a->PhysicalState());
    for (int t = 0; t < 10; ++t) {
      const std::vector<double> u = action();
      const StepResult ra = a->Step(u, obs_a);
      const StepResult rb = b->Step(u, obs_b);
      ASSERT_EQ(obs_a, obs_b) << "step " << t;
      // Ant's first reward reads the torso xpos of the last forward pass,
      // which a restore recomputes from qpos (see ant.h).
      if (t > 0 || std::string(name) != "Ant-v5") {
        EXPECT_EQ(ra.reward, rb.reward) << "step " << t;
      }
      EXPECT_EQ(ra.terminated, rb.terminated);
      EXPECT_FALSE(ra.simulation_warning);
    }
  }
}

TEST(MujocoTask, TruncatesAtOneThousandSteps) {
  auto task = Make("Swimmer-v5");
  std::vector<double> obs(task->observation_space().size);
  const std::vector<double> zero(task->action_space().size, 0.0);
  task->Reset(1, obs);
  for (int t = 1; t <= 1000; ++t) {
    const StepResult r = task->Step(zero, obs);
    ASSERT_FALSE(r.terminated);
    ASSERT_EQ(r.truncated, t == 1000) << "step " << t;
  }
}

TEST(MujocoTask, UnhealthyStatesTerminate) {
  struct Case {
    const char* name;
    int index;     // qpos entry set to value
    double value;  // far outside the healthy range
  };
  const Case cases[] = {
      {"InvertedPendulum-v5", 1, 0.5},  // pole angle
      {"InvertedDoublePendulum-v5", 1, 1.5},
      {"Hopper-v5", 1, 0.5},  // torso height
      {"Hopper-v5", 2, 0.5},  // torso angle
      {"Walker2d-v5", 1, 0.5},
      {"Walker2d-v5", 2, 1.5},
      {"Ant-v5", 2, 1.5},  // torso height
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.name) + " qpos[" + std::to_string(c.index) + "]");
    auto task = Make(c.name);
    std::vector<double> obs(task->observation_space().size);
    task->Reset(1, obs);
    std::vector<double> state = task->PhysicalState();
    state[c.index] = c.value;
    task->SetPhysicalState(state, obs);
    const std::vector<double> zero(task->action_space().size, 0.0);
    const StepResult r = task->Step(zero, obs);
    EXPECT_TRUE(r.terminated);
    EXPECT_FALSE(r.truncated);
  }
}

TEST(MujocoTask, SurvivalBonusIsPaidOnHealthySteps) {
  // Gymnasium v5: healthy_reward 1 (Hopper, Walker2d, Ant) or alive_bonus 10
  // (InvertedDoublePendulum) on every step that does not terminate; the
  // other tasks have no such term.
  for (const char* name : kMujocoTasks) {
    SCOPED_TRACE(name);
    const std::string task_name = name;
    const double bonus = task_name == "InvertedDoublePendulum-v5" ? 10.0
                         : task_name == "Hopper-v5" || task_name == "Walker2d-v5" || task_name == "Ant-v5"
                             ? 1.0
                             : 0.0;
    auto task = Make(task_name);
    EXPECT_EQ(task->has_survival_bonus(), bonus > 0);
    std::vector<double> obs(task->observation_space().size);
    RandomStream rng(3);
    task->Reset(2, obs);
    int steps = 0;
    for (;;) {
      const StepResult r = task->Step(RandomAction(*task, rng), obs);
      ++steps;
      ASSERT_EQ(r.survival_reward, r.terminated ? 0.0 : bonus) << "step " << steps;
      if (r.terminated || r.truncated) break;
    }
  }
}

// Each step's info terms (Gymnasium v5's reward_* and penalty terms) are
// named, one value per name, and add up to the step's reward; the survival
// term is the survival bonus. (tests/python/replay_rollout.py compares the
// values with Gymnasium's own info dict.)
TEST(MujocoTask, InfoTermsAreNamedAndAddUpToTheReward) {
  for (const char* name : kMujocoTasks) {
    SCOPED_TRACE(name);
    auto task = Make(name);
    const std::vector<std::string> names = task->info_names();
    ASSERT_FALSE(names.empty());
    ASSERT_LE(names.size(), static_cast<size_t>(StepResult::kMaxInfo));
    const auto survive = std::find(names.begin(), names.end(), "reward_survive");
    std::vector<double> obs(task->observation_space().size);
    RandomStream rng(5);
    task->Reset(7, obs);
    for (int step = 1; step <= 200; ++step) {
      const StepResult r = task->Step(RandomAction(*task, rng), obs);
      ASSERT_EQ(r.info().size(), names.size());
      double sum = 0;
      for (double v : r.info()) sum += v;
      EXPECT_NEAR(sum, r.reward, 1e-12 * std::max(1.0, std::abs(r.reward))) << "step " << step;
      if (survive != names.end() && task->has_survival_bonus())
        EXPECT_EQ(r.info()[survive - names.begin()], r.survival_reward) << "step " << step;
      if (r.terminated || r.truncated) break;
    }
  }
}

TEST(MujocoTask, ControlCostUsesTheUnclippedAction) {
  // MuJoCo clamps ctrl to ctrlrange, so the physics of 2.0 and 1.0 agree;
  // Gymnasium's control cost uses the action as given.
  Hopper a, b;
  std::vector<double> obs_a(11), obs_b(11);
  a.Reset(4, obs_a);
  b.Reset(4, obs_b);
  const StepResult ra = a.Step(std::vector<double>{2.0, 0.0, 0.0}, obs_a);
  const StepResult rb = b.Step(std::vector<double>{1.0, 0.0, 0.0}, obs_b);
  EXPECT_EQ(obs_a, obs_b);
  EXPECT_NEAR(rb.reward - ra.reward, 1e-3 * (4.0 - 1.0), 1e-9);
}

TEST(MujocoTask, NumericalTroubleIsReported) {
  Hopper task;
  std::vector<double> obs(11);
  task.Reset(1, obs);
  const std::vector<double> zero(3, 0.0);
  EXPECT_FALSE(task.Step(zero, obs).simulation_warning);
  EXPECT_EQ(task.warning_count(), 0);
  std::vector<double> state = task.PhysicalState();
  state[6 + 3] = 1e12;  // a thigh velocity beyond MuJoCo's mjMAXVAL
  task.SetPhysicalState(state, obs);
  const StepResult r = task.Step(zero, obs);
  EXPECT_TRUE(r.simulation_warning);
  EXPECT_GT(task.warning_count(), 0);
  // A NaN action is a bad control.
  task.Reset(1, obs);
  const std::vector<double> nan(3, std::nan(""));
  EXPECT_TRUE(task.Step(nan, obs).simulation_warning);
}

TEST(MujocoTask, SizesAreChecked) {
  Hopper task;
  std::vector<double> obs(11), bad_obs(10);
  EXPECT_THROW(task.Reset(1, bad_obs), std::invalid_argument);
  task.Reset(1, obs);
  EXPECT_THROW(task.Step(std::vector<double>(2, 0.0), obs), std::invalid_argument);
  EXPECT_THROW(task.SetPhysicalState(std::vector<double>(5, 0.0), obs),
               std::invalid_argument);
  // {qpos, qvel} alone is accepted (warm start zero).
  task.SetPhysicalState(std::vector<double>(12, 0.0), obs);
}

}  // namespace
}  // namespace neurevo
