// Parity of the classic-control tasks with Gymnasium itself.
//
// tests/python/record_classic.py records episodes with gymnasium 1.4.0
// (initial internal state, then per step: action, observation, reward,
// terminated, truncated, internal state). Here each episode is replayed from
// the recorded initial state with the recorded actions and every step is
// compared. The data come from $NEUREVO_PARITY_DIR/<TaskId>.json when that
// variable is set and the file exists (the ctest `gymnasium_parity_live` test
// records fresh ones), else from the committed tests/data/classic_parity/.
//
// Tolerances. The ports perform the same IEEE operations in the same order
// as Gymnasium/numpy: float64 where numpy computes in float64, float32 where
// numpy's NEP 50 promotion computes in float32, `x**2` as libm's pow(x, 2)
// (not x * x, which differs by an ulp about once in a thousand), no FMA
// contraction, and cos/sin from the same libm numpy uses. With gymnasium
// 1.4.0 and numpy 2.3.4 on x86-64 glibc every compared value matched bit for
// bit: 0 difference over the committed data and over 160 further episodes
// (~52,000 steps). The test prints the largest differences it saw.
// The tolerances are the tightest that allow for a libm or numpy build
// whose cos/sin/pow differ from ours by an ulp (e.g. numpy's AVX-512 SVML
// loops), and no more:
//   * observations (float32): |ours - gym| <= 1e-7 + 2^-23 |gym|, about one
//     float32 ulp, as an ulp-level float64 difference can flip a rounding.
//   * internal state: 1e-10 absolute + 1e-10 relative. An ulp difference
//     grows in Acrobot's chaotic dynamics (one seen with x*x instead of
//     pow(x, 2) reached 2.6e-13 after 85 steps); a modelling error such as a
//     wrong constant shows up at 1e-6 or more within a step or two.
//   * rewards: exact for CartPole and Acrobot (constants); 1e-12 absolute +
//     1e-12 relative for Pendulum and MountainCarContinuous, whose rewards
//     are float64 functions of state and action.
//   * terminated / truncated: exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/task.h"

namespace neurevo {
namespace {

constexpr double kObsAbs = 1e-7, kObsRel = 0x1p-23;
constexpr double kStateAbs = 1e-10, kStateRel = 1e-10;
constexpr double kRewardAbs = 1e-12, kRewardRel = 1e-12;

std::filesystem::path ParityFile(const std::string& task) {
  const std::string file = task + ".json";
  if (const char* dir = std::getenv("NEUREVO_PARITY_DIR");
      dir != nullptr && *dir) {
    const std::filesystem::path p = std::filesystem::path(dir) / file;
    if (std::filesystem::exists(p)) return p;
  }
  return std::filesystem::path(NEUREVO_TEST_DATA_DIR) / "classic_parity" / file;
}

std::vector<double> ToVector(const nlohmann::json& j) {
  return j.get<std::vector<double>>();
}

bool Close(double ours, double ref, double abs_tol, double rel_tol) {
  if (std::isnan(ref)) return std::isnan(ours);
  return std::abs(ours - ref) <= abs_tol + rel_tol * std::abs(ref);
}

// Largest |ours - ref| seen, for the log.
struct MaxDiff {
  double obs = 0, state = 0, reward = 0;
};

// Compares two vectors; on mismatch records one failure and returns false.
bool ExpectVectorClose(const std::vector<double>& ours,
                       const std::vector<double>& ref, double abs_tol,
                       double rel_tol, const std::string& what,
                       double& max_diff) {
  if (ours.size() != ref.size()) {
    ADD_FAILURE() << what << ": size " << ours.size() << " vs Gymnasium's "
                  << ref.size();
    return false;
  }
  for (size_t i = 0; i < ref.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(ours[i] - ref[i]));
    if (!Close(ours[i], ref[i], abs_tol, rel_tol)) {
      ADD_FAILURE() << what << "[" << i << "]: ours " << ours[i]
                    << " vs Gymnasium's " << ref[i] << " (difference "
                    << ours[i] - ref[i] << ")";
      return false;
    }
  }
  return true;
}

void CheckParity(const std::string& task_name, bool exact_reward) {
  const std::filesystem::path path = ParityFile(task_name);
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  const nlohmann::json data = nlohmann::json::parse(in);
  std::cout << "[ parity   ] " << task_name << ": " << path.string()
            << " (gymnasium " << data.at("gymnasium_version").get<std::string>()
            << ")\n";
  EXPECT_EQ(data.at("gymnasium_version").get<std::string>(), "1.4.0");

  auto task = MakeTask(task_name);
  const int obs_size = task->observation_space().vector_size();
  std::vector<double> obs(obs_size);
  std::vector<double> action(task->action_space().vector_size());
  MaxDiff max_diff;
  int episodes = 0, steps_total = 0;
  bool saw_truncation = false;

  for (const nlohmann::json& episode : data.at("episodes")) {
    SCOPED_TRACE("episode " + std::to_string(episodes));
    ++episodes;
    task->SetPhysicalState(ToVector(episode.at("initial_state")), obs);
    if (!ExpectVectorClose(obs, ToVector(episode.at("initial_observation")),
                           kObsAbs, kObsRel, "initial observation",
                           max_diff.obs)) {
      continue;
    }
    int t = 0;
    for (const nlohmann::json& step : episode.at("steps")) {
      ++t;
      ++steps_total;
      const std::string where = "step " + std::to_string(t);
      action[0] = step.at("action").get<double>();
      const StepResult r = task->Step(action, obs);
      const double ref_reward = step.at("reward").get<double>();
      max_diff.reward =
          std::max(max_diff.reward, std::abs(r.reward - ref_reward));
      bool ok = true;
      if (exact_reward) {
        ok &= r.reward == ref_reward;
      } else {
        ok &= Close(r.reward, ref_reward, kRewardAbs, kRewardRel);
      }
      EXPECT_TRUE(ok) << where << ": reward " << r.reward << " vs Gymnasium's "
                      << ref_reward;
      const bool ref_terminated = step.at("terminated").get<bool>();
      const bool ref_truncated = step.at("truncated").get<bool>();
      EXPECT_EQ(r.terminated, ref_terminated) << where;
      EXPECT_EQ(r.truncated, ref_truncated) << where;
      ok &= r.terminated == ref_terminated && r.truncated == ref_truncated;
      saw_truncation |= ref_truncated;
      ok &= ExpectVectorClose(obs, ToVector(step.at("observation")), kObsAbs,
                              kObsRel, where + " observation", max_diff.obs);
      ok &= ExpectVectorClose(task->PhysicalState(), ToVector(step.at("state")),
                              kStateAbs, kStateRel, where + " state",
                              max_diff.state);
      if (!ok) break;  // one report per episode, not hundreds
    }
  }
  EXPECT_GT(episodes, 0);
  EXPECT_TRUE(saw_truncation) << "the recording should cover the time limit";
  std::cout << "[ parity   ] " << episodes << " episodes, " << steps_total
            << " steps; max |diff| observation " << max_diff.obs << ", state "
            << max_diff.state << ", reward " << max_diff.reward << "\n";
}

TEST(GymnasiumParity, CartPole) {
  CheckParity("CartPole-v1", /*exact_reward=*/true);
}
TEST(GymnasiumParity, Pendulum) {
  CheckParity("Pendulum-v1", /*exact_reward=*/false);
}
TEST(GymnasiumParity, MountainCarContinuous) {
  CheckParity("MountainCarContinuous-v0", /*exact_reward=*/false);
}
TEST(GymnasiumParity, Acrobot) {
  CheckParity("Acrobot-v1", /*exact_reward=*/true);
}

}  // namespace
}  // namespace neurevo
