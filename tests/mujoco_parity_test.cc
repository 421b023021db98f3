// Parity of the MuJoCo tasks with Gymnasium 1.4.0's v5 environments.
//
// tests/python/record_mujoco.py records episodes with gymnasium 1.4.0 and
// PyPI's mujoco (pinned in tests/python/requirements.txt): after the reset
// and after every step a snapshot of the simulator (qpos, qvel,
// qacc_warmstart and the derived quantities the observation and reward
// read), plus each step's float32 action, observation, reward, terminated
// and truncated. The data come from $NEUREVO_PARITY_DIR/<TaskId>.json when
// that variable is set and the file exists (the ctest
// `gymnasium_mujoco_parity_live` test records fresh ones), else from the
// committed tests/data/mujoco_parity/.
//
// Three checks per task:
//
// MujocoParityExact — observation, reward and termination as functions of
// the simulator state. The recorded pre-step and post-step snapshots are
// loaded into our mjData and our CaptureBefore/Evaluate/Observe are called
// with the recorded action. Same state in, so everything must agree bit for
// bit: rewards (including numpy's float32 control cost and pairwise sums),
// terminated flags and observations are compared with ==. Measured: all
// equal, on every task (the committed recording and 24,220 fresh steps).
//
// MujocoParityPhysics — one environment step from the reference's own state
// (re-synced every step, so differences do not accumulate): our task is set
// to the recorded pre-step qpos, qvel and qacc_warmstart (Ant: also the
// torso's xpos, which Gymnasium's x velocity reads from the previous step's
// last forward pass), steps with the recorded action, and is compared with
// the recorded post-step observation, reward and flags. Our simulator is
// Debian's MuJoCo 2.2.2, the reference's is PyPI's mujoco 2.3.7 (a
// different build and release), so the physics itself may differ in the
// last bits. Tolerance: 1e-9 absolute on every observation entry and on the
// reward. Measured (below, kStepTolerance): 0 in six tasks, at most 1.9e-13
// in Ant (contacts), over 24,220 steps; the bound is ~5000x that, and far
// below what a modelling error produces (measured with Gymnasium: a 1%
// error in one actuator gear or body mass moves observations by 1e-4 to
// 1e-1 within three steps). terminated and truncated must agree exactly.
//
// MujocoParityRollout — each recorded episode replayed freely from its
// initial state: same termination step, observations and rewards within
// 1e-6 (measured: 0; the recordings are short because long Ant episodes
// diverge chaotically).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/task.h"
#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {
namespace {

std::filesystem::path ParityFile(const std::string& task) {
  const std::string file = task + ".json";
  if (const char* dir = std::getenv("NEUREVO_PARITY_DIR");
      dir != nullptr && *dir) {
    const std::filesystem::path p = std::filesystem::path(dir) / file;
    if (std::filesystem::exists(p)) return p;
  }
  return std::filesystem::path(NEUREVO_TEST_DATA_DIR) / "mujoco_parity" / file;
}

nlohmann::json Load(const std::string& task_name) {
  const std::filesystem::path path = ParityFile(task_name);
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return nullptr;
  }
  nlohmann::json data = nlohmann::json::parse(in);
  std::cout << "[ parity   ] " << task_name << ": " << path.string()
            << " (gymnasium " << data.at("gymnasium_version").get<std::string>()
            << ", mujoco " << data.at("mujoco_version").get<std::string>()
            << ")\n";
  EXPECT_EQ(data.at("gymnasium_version").get<std::string>(), "1.4.0");
  return data;
}

std::vector<double> Vec(const nlohmann::json& j, const char* key) {
  return j.contains(key) ? j.at(key).get<std::vector<double>>()
                         : std::vector<double>();
}

struct Made {
  std::unique_ptr<Task> task;
  MujocoTask* mujoco = nullptr;
};

Made MakeMujoco(const std::string& name) {
  Made m;
  m.task = MakeTask(name);
  m.mujoco = dynamic_cast<MujocoTask*>(m.task.get());
  return m;
}

// Writes a recorded snapshot into the data: the state and every derived
// quantity Observe, CaptureBefore and Evaluate read.
void LoadSnapshot(MujocoTask& task, const nlohmann::json& s) {
  mjData& d = task.data();
  const mjModel& m = task.model();
  auto put = [](const std::vector<double>& v, mjtNum* dst, size_t n) {
    ASSERT_EQ(v.size(), n);
    std::copy(v.begin(), v.end(), dst);
  };
  put(Vec(s, "qpos"), d.qpos, m.nq);
  put(Vec(s, "qvel"), d.qvel, m.nv);
  put(Vec(s, "qacc_warmstart"), d.qacc_warmstart, m.nv);
  put(Vec(s, "xpos_torso"), d.xpos + 3, 3);
  put(Vec(s, "site_xpos"), d.site_xpos, 3 * m.nsite);
  put(Vec(s, "qfrc_constraint"), d.qfrc_constraint, m.nv);
  if (s.contains("cfrc_ext")) put(Vec(s, "cfrc_ext"), d.cfrc_ext, 6 * m.nbody);
}

std::vector<float> Action32(const nlohmann::json& step) {
  std::vector<float> a;
  for (double x : Vec(step, "action")) a.push_back(static_cast<float>(x));
  return a;
}

void CheckExact(const std::string& task_name) {
  const nlohmann::json data = Load(task_name);
  if (data.is_null()) return;
  Made made = MakeMujoco(task_name);
  ASSERT_NE(made.mujoco, nullptr);
  MujocoTask& task = *made.mujoco;
  std::vector<double> obs(task.observation_space().size);
  int steps = 0, terminations = 0;
  for (const nlohmann::json& episode : data.at("episodes")) {
    SCOPED_TRACE("seed " + std::to_string(episode.at("seed").get<int>()));
    LoadSnapshot(task, episode.at("initial"));
    task.Observe(obs);
    EXPECT_EQ(obs, Vec(episode, "initial_observation")) << "initial";
    const nlohmann::json* before = &episode.at("initial");
    int t = 0;
    for (const nlohmann::json& step : episode.at("steps")) {
      ++t;
      ++steps;
      LoadSnapshot(task, *before);
      const MujocoTask::Before b = task.CaptureBefore();
      LoadSnapshot(task, step.at("after"));
      const StepResult r = task.Evaluate(b, Action32(step));
      task.Observe(obs);
      EXPECT_EQ(r.reward, step.at("reward").get<double>()) << "step " << t;
      // Gymnasium's info["reward_survive"]; InvertedPendulum's is its whole
      // reward, which has no other term to keep (no survival bonus here).
      if (task.has_survival_bonus())
        EXPECT_EQ(r.survival_reward, step.value("survival", r.survival_reward)) << "step " << t;
      EXPECT_EQ(r.terminated, step.at("terminated").get<bool>())
          << "step " << t;
      EXPECT_EQ(obs, Vec(step, "observation")) << "step " << t;
      terminations += r.terminated;
      before = &step.at("after");
    }
  }
  std::cout << "[ parity   ] exact: " << steps << " steps, " << terminations
            << " terminations\n";
  EXPECT_GT(steps, 0);
}

struct Tolerance {
  double observation;  // absolute, every entry
  double reward;       // absolute
};

void CheckPhysics(const std::string& task_name, Tolerance tol) {
  const nlohmann::json data = Load(task_name);
  if (data.is_null()) return;
  Made made = MakeMujoco(task_name);
  ASSERT_NE(made.mujoco, nullptr);
  MujocoTask& task = *made.mujoco;
  const mjModel& m = task.model();
  std::vector<double> obs(task.observation_space().size);
  std::vector<double> action(m.nu);
  double max_obs = 0, max_reward = 0;
  int steps = 0;
  for (const nlohmann::json& episode : data.at("episodes")) {
    SCOPED_TRACE("seed " + std::to_string(episode.at("seed").get<int>()));
    const nlohmann::json* before = &episode.at("initial");
    int t = 0;
    for (const nlohmann::json& step : episode.at("steps")) {
      ++t;
      ++steps;
      std::vector<double> state = Vec(*before, "qpos");
      for (const char* key : {"qvel", "qacc_warmstart"}) {
        const std::vector<double> v = Vec(*before, key);
        state.insert(state.end(), v.begin(), v.end());
      }
      task.SetPhysicalState(state, obs);
      // Gymnasium's Ant reads the torso's xpos left by the previous step.
      const std::vector<double> xpos = Vec(*before, "xpos_torso");
      std::copy(xpos.begin(), xpos.end(), task.data().xpos + 3);
      action = Vec(step, "action");
      const StepResult r = task.Step(action, obs);
      const std::vector<double> ref_obs = Vec(step, "observation");
      ASSERT_EQ(obs.size(), ref_obs.size());
      bool ok = true;
      for (size_t i = 0; i < obs.size(); ++i) {
        const double diff = std::abs(obs[i] - ref_obs[i]);
        max_obs = std::max(max_obs, diff);
        if (!(diff <= tol.observation)) {
          ADD_FAILURE() << "step " << t << " observation[" << i << "]: ours "
                        << obs[i] << " vs Gymnasium's " << ref_obs[i];
          ok = false;
          break;
        }
      }
      const double ref_reward = step.at("reward").get<double>();
      const double reward_diff = std::abs(r.reward - ref_reward);
      max_reward = std::max(max_reward, reward_diff);
      EXPECT_LE(reward_diff, tol.reward)
          << "step " << t << ": reward " << r.reward << " vs Gymnasium's "
          << ref_reward;
      EXPECT_EQ(r.terminated, step.at("terminated").get<bool>())
          << "step " << t;
      // After SetPhysicalState the step count restarts, so no truncation
      // here; the recordings are shorter than the 1000-step limit too.
      EXPECT_EQ(r.truncated, step.at("truncated").get<bool>()) << "step " << t;
      EXPECT_FALSE(r.simulation_warning) << "step " << t;
      if (!ok) break;
      before = &step.at("after");
    }
  }
  std::cout << "[ parity   ] one step from the reference state: " << steps
            << " steps; max |diff| observation " << max_obs << ", reward "
            << max_reward << "\n";
  EXPECT_GT(steps, 0);
}

// The recorded episode replayed freely from its initial state (no re-sync):
// the same episode length and termination, and observations and rewards
// within `tol` (differences can grow over the steps).
void CheckRollout(const std::string& task_name, Tolerance tol) {
  const nlohmann::json data = Load(task_name);
  if (data.is_null()) return;
  Made made = MakeMujoco(task_name);
  ASSERT_NE(made.mujoco, nullptr);
  MujocoTask& task = *made.mujoco;
  std::vector<double> obs(task.observation_space().size);
  std::vector<double> action;
  double max_obs = 0, max_reward = 0;
  int steps = 0;
  for (const nlohmann::json& episode : data.at("episodes")) {
    SCOPED_TRACE("seed " + std::to_string(episode.at("seed").get<int>()));
    const nlohmann::json& initial = episode.at("initial");
    std::vector<double> state = Vec(initial, "qpos");
    for (const char* key : {"qvel", "qacc_warmstart"}) {
      const std::vector<double> v = Vec(initial, key);
      state.insert(state.end(), v.begin(), v.end());
    }
    task.SetPhysicalState(state, obs);
    // Not ==: mj_forward re-normalises Ant's recorded (already normalised)
    // quaternion, which can move it by an ulp.
    const std::vector<double> ref_initial = Vec(episode, "initial_observation");
    for (size_t i = 0; i < obs.size(); ++i) {
      EXPECT_LE(std::abs(obs[i] - ref_initial[i]), tol.observation) << i;
    }
    int t = 0;
    for (const nlohmann::json& step : episode.at("steps")) {
      ++t;
      ++steps;
      action = Vec(step, "action");
      const StepResult r = task.Step(action, obs);
      const std::vector<double> ref_obs = Vec(step, "observation");
      double diff = 0;
      for (size_t i = 0; i < obs.size(); ++i) {
        diff = std::max(diff, std::abs(obs[i] - ref_obs[i]));
      }
      max_obs = std::max(max_obs, diff);
      const double reward_diff =
          std::abs(r.reward - step.at("reward").get<double>());
      max_reward = std::max(max_reward, reward_diff);
      ASSERT_LE(diff, tol.observation) << "step " << t;
      ASSERT_LE(reward_diff, tol.reward) << "step " << t;
      ASSERT_EQ(r.terminated, step.at("terminated").get<bool>())
          << "step " << t;
    }
  }
  std::cout << "[ parity   ] free rollout: " << steps
            << " steps; max |diff| observation " << max_obs << ", reward "
            << max_reward << "\n";
}

// The bounds (see the file comment). Measured with mujoco 2.3.7 against
// Debian's 2.2.2 on the committed recording and on a fresh one of 30
// episodes of up to 300 steps per task (24,220 steps): one step from the
// reference state differs by 0 in every task but Ant, whose largest
// differences were 1.9e-13 (observation) and 2.2e-15 (reward); the free
// replays of the committed episodes (at most 60 steps) differ by 0 in every
// task. Free replays of long Ant episodes do diverge (contacts are chaotic:
// a 300-step episode reached a difference of 2 at step 259), hence the
// short recordings.
constexpr Tolerance kStepTolerance{1e-9, 1e-9};
constexpr Tolerance kRolloutTolerance{1e-6, 1e-6};

#define NEUREVO_MUJOCO_PARITY(Test, id)                                      \
  TEST(MujocoParityExact, Test) { CheckExact(id); }                          \
  TEST(MujocoParityPhysics, Test) { CheckPhysics(id, kStepTolerance); }      \
  TEST(MujocoParityRollout, Test) { CheckRollout(id, kRolloutTolerance); }

NEUREVO_MUJOCO_PARITY(InvertedPendulum, "InvertedPendulum-v5")
NEUREVO_MUJOCO_PARITY(InvertedDoublePendulum, "InvertedDoublePendulum-v5")
NEUREVO_MUJOCO_PARITY(Swimmer, "Swimmer-v5")
NEUREVO_MUJOCO_PARITY(Hopper, "Hopper-v5")
NEUREVO_MUJOCO_PARITY(HalfCheetah, "HalfCheetah-v5")
NEUREVO_MUJOCO_PARITY(Walker2d, "Walker2d-v5")
NEUREVO_MUJOCO_PARITY(Ant, "Ant-v5")

}  // namespace
}  // namespace neurevo
