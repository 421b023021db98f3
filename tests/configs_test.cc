// The shipped example configs.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "neurevo/config.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

// Every config under configs/ (subfolders included) loads and names a
// registered task.
TEST(Configs, EveryShippedConfigParses) {
  const fs::path dir = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / ".." / "configs";
  int files = 0;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    ++files;
    const RunConfig c = LoadConfigFile(entry.path().string(), {});
    EXPECT_NE(MakeTask(c.task_name, c.task_options), nullptr);
  }
  EXPECT_GT(files, 32);
}

// configs/cartpole_bnn_cma.toml says it is the built-in default spelled out:
// it resolves to exactly the default config.
TEST(Configs, CartPoleBnnCmaIsTheBuiltInDefault) {
  const fs::path file = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / ".." / "configs" / "cartpole_bnn_cma.toml";
  EXPECT_EQ(ConfigToToml(LoadConfigFile(file.string(), {})), ConfigToToml(ParseConfig("", {})));
}

// configs/table2 holds one config per cell of the seed paper's Table 2
// (bench/table2 runs them): every task x {bnn, snn} x {cma_es, openai_es},
// each at the paper's budget.
TEST(Configs, Table2HasEveryCellAtThePapersBudget) {
  const fs::path dir = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / ".." / "configs" / "table2";
  const std::pair<const char*, const char*> tasks[] = {
      {"cartpole", "CartPole-v1"},
      {"inverted_pendulum", "InvertedPendulum-v5"},
      {"inverted_double_pendulum", "InvertedDoublePendulum-v5"},
      {"swimmer", "Swimmer-v5"},
      {"ant", "Ant-v5"},
      {"half_cheetah", "HalfCheetah-v5"},
      {"hopper", "Hopper-v5"},
      {"walker2d", "Walker2d-v5"}};
  const std::pair<const char*, const char*> optimizers[] = {{"cma", "cma_es"}, {"nes", "openai_es"}};
  for (const auto& [slug, task] : tasks)
    for (const char* model : {"bnn", "snn"})
      for (const auto& [opt_slug, opt] : optimizers) {
        const fs::path file = dir / (std::string(slug) + "_" + model + "_" + opt_slug + ".toml");
        SCOPED_TRACE(file.string());
        ASSERT_TRUE(fs::exists(file));
        const RunConfig c = LoadConfigFile(file.string(), {});
        EXPECT_EQ(c.task_name, task);
        EXPECT_EQ(c.model.kind, model);
        EXPECT_EQ(c.optimizer.kind, opt);
        EXPECT_EQ(c.model.excitatory, 10);
        EXPECT_EQ(c.model.inhibitory, 10);
        EXPECT_EQ(c.optimizer.population, 10);
        EXPECT_EQ(c.budget.generations, 500);
        EXPECT_EQ(c.budget.env_steps, 500LL * 10 * 1000);
        EXPECT_EQ(c.train_episodes, 1);
      }
}

}  // namespace
}  // namespace neurevo
