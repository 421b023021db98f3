// Parity of MemoryLength-N with bsuite's own memory_len environment.
//
// tests/python/record_bsuite.py records episodes of bsuite 0.3.6's
// MemoryChain (one bit) at several lengths: the bit drawn, the actions, and
// per step the observation, reward and whether the episode ended. Here each
// episode is replayed from the same bit (SetPhysicalState) with the same
// actions, and every value must agree exactly: the task is arithmetic on
// small integers and one float32 rounding of 1 - t / N, done as numpy does it.
// The data come from $NEUREVO_PARITY_DIR/MemoryLength.json when that is set
// (the ctest `bsuite_parity_live` records fresh ones), else from the
// committed tests/data/bsuite_parity/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/task.h"

namespace neurevo {
namespace {

std::filesystem::path ParityFile() {
  if (const char* dir = std::getenv("NEUREVO_PARITY_DIR"); dir != nullptr && *dir) {
    const std::filesystem::path p = std::filesystem::path(dir) / "MemoryLength.json";
    if (std::filesystem::exists(p)) return p;
  }
  return std::filesystem::path(NEUREVO_TEST_DATA_DIR) / "bsuite_parity" / "MemoryLength.json";
}

TEST(BsuiteParity, MemoryLengthStepByStep) {
  std::ifstream in(ParityFile());
  ASSERT_TRUE(in) << ParityFile();
  const nlohmann::json data = nlohmann::json::parse(in);
  ASSERT_GE(data["episodes"].size(), 20u);
  int steps = 0, judged = 0, right = 0;
  for (const auto& episode : data["episodes"]) {
    const int n = episode["memory_length"];
    const std::string id = "MemoryLength-" + std::to_string(n);
    auto task = MakeTask(id);
    std::vector<double> obs(3);
    const std::vector<double> state = {0.0, episode["context"].get<double>(), episode["query"].get<double>()};
    task->SetPhysicalState(state, obs);
    ASSERT_EQ(obs, episode["initial_observation"].get<std::vector<double>>()) << id;
    // A reset that drew the same bit starts the same episode.
    for (uint64_t seed = 0;; ++seed) {
      std::vector<double> reset_obs(3);
      task->Reset(seed, reset_obs);
      if (task->PhysicalState() == state) {
        EXPECT_EQ(reset_obs, obs) << id;
        break;
      }
    }
    const auto& recorded = episode["steps"];
    ASSERT_EQ(recorded.size(), static_cast<size_t>(n + 1)) << id << ": bsuite's episodes last N + 1 steps";
    for (size_t k = 0; k < recorded.size(); ++k) {
      const auto& ref = recorded[k];
      const StepResult r = task->Step(std::vector<double>{ref["action"].get<double>()}, obs);
      ++steps;
      ASSERT_EQ(obs, ref["observation"].get<std::vector<double>>()) << id << " step " << k;
      ASSERT_EQ(r.reward, ref["reward"].get<double>()) << id << " step " << k;
      ASSERT_EQ(r.terminated, ref["last"].get<bool>()) << id << " step " << k;
      ASSERT_FALSE(r.truncated);
      ASSERT_EQ(r.info_count, 1);
      if (r.terminated) {
        ++judged;
        right += r.reward > 0;
        EXPECT_EQ(r.info_values[0], r.reward > 0 ? 1.0 : 0.0);
      }
    }
  }
  // The recording answers some right and some wrong: both branches compared.
  EXPECT_EQ(judged, static_cast<int>(data["episodes"].size()));
  EXPECT_GT(right, 0);
  EXPECT_LT(right, judged);
  std::printf("bsuite %s: %d episodes, %d steps, all equal\n", data["bsuite_version"].get<std::string>().c_str(),
              judged, steps);
}

}  // namespace
}  // namespace neurevo
