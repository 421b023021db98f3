// The neuronal-heterogeneity configs (configs/heterogeneity, bench/heterogeneity):
// the neurons-only network learns bsuite's memory task, the two variants have
// equal trainable parameter counts, and image classification's held-out
// evaluation is the test split, image by image.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/sanitizers.h"
#include "neurevo/config.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "neurevo/train.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

const fs::path kConfigs = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / ".." / "configs" / "heterogeneity";

size_t Genes(const RunConfig& c) {
  const auto task = MakeTask(c.task_name, c.task_options);
  return MakeModel(c.model, task->observation_space(), task->action_space())->layout().size();
}

// Random frozen weights, evolved tau_m, V_th, V_rest and R, membrane noise:
// the context bit is kept in the neurons for 10 steps, with the config as
// shipped (3x10^6 env steps, a few seconds). The bar is accuracy
// >= 0.95 over 1000 held-out episodes; this GCC build reaches 1.000 on seed 1
// (0.971 .. 1.000 on seeds 1-5, BENCHMARKS.md), but a compiler that fuses
// floating-point operations differently follows another trajectory (clang
// gave 0.945 on seed 1), so the test holds a margin: >= 0.9, chance 0.5.
// Under the sanitizers (50x slower) a shorter run checks the same path and
// that the accuracy is the return's (+1 or -1 per episode).
TEST(Heterogeneity, NeuronsOnlyNetworkSolvesMemoryLength10) {
  const std::vector<std::string> sets =
      kSanitized ? std::vector<std::string>{"budget.env_steps=200000"} : std::vector<std::string>{};
  const RunConfig c = LoadConfigFile((kConfigs / "memory_neurons.toml").string(), sets);
  ASSERT_EQ(c.task_name, "MemoryLength-10");
  ASSERT_EQ(c.eval_episodes, 1000);
  TrainOptions o;
  o.quiet = true;
  const auto summary = Train(c, o);
  const double accuracy = summary["eval_info"]["correct"].get<double>();
  if (!kSanitized) EXPECT_GE(accuracy, 0.9) << summary.dump();
  EXPECT_NEAR(summary["eval_mean"].get<double>(), 2 * accuracy - 1, 1e-9);
}

// "neurons" and "weights" at equal trainable parameter counts (the paper's
// comparison): 66 neurons x 4 properties = 6 x 33 + 33 x 2 weights = 264.
TEST(Heterogeneity, VariantsHaveEqualParameterCounts) {
  const RunConfig neurons = LoadConfigFile((kConfigs / "memory_neurons.toml").string(), {});
  const RunConfig weights = LoadConfigFile((kConfigs / "memory_weights.toml").string(), {});
  EXPECT_EQ(Genes(neurons), 264u);
  EXPECT_EQ(Genes(weights), 264u);
  // The hidden layer's V_reset = V_rest (the paper's Eq. 2; the input relays
  // rest where they reset anyway).
  for (const auto& p : neurons.model.network.populations)
    if (p.role == Role::kHidden) EXPECT_TRUE(p.reset_to_rest && p.spiking) << p.name;
}

// The digits config's data path is relative to the config and stored
// absolute; its evaluation of 360 episodes is the 360 test images.
TEST(Heterogeneity, DigitsEvaluationIsTheTestSplit) {
  const RunConfig c = LoadConfigFile((kConfigs / "digits_neurons.toml").string(),
                                     {"budget.generations=1", "optimizer.population=8", "train.episodes=2"});
  const std::string data = std::get<std::string>(c.task_options.at("data"));
  EXPECT_TRUE(fs::path(data).is_absolute()) << data;
  EXPECT_TRUE(fs::exists(fs::path(data) / "t10k-images-idx3-ubyte")) << data;
  TrainOptions o;
  o.quiet = true;
  const auto summary = Train(c, o);
  EXPECT_EQ(summary["eval_episodes"].get<int>(), 360);
  EXPECT_EQ(summary["eval_env_steps"].get<long long>(), 360);
  // An accuracy is a multiple of 1/360 (each test image once).
  const double correct = summary["eval_info"]["correct"].get<double>() * 360;
  EXPECT_NEAR(correct, std::round(correct), 1e-9);
}

}  // namespace
}  // namespace neurevo
