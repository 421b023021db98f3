// Every shipped example config parses and names a registered task; the
// MuJoCo ones are at the seed paper's budget.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "neurevo/config.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

TEST(Configs, EveryShippedConfigParses) {
  const fs::path dir = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / ".." / "configs";
  int files = 0, mujoco = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    ++files;
    const RunConfig c = LoadConfigFile(entry.path().string(), {});
    EXPECT_NE(MakeTask(c.task_name), nullptr);
    if (c.task_name.ends_with("-v5")) {
      ++mujoco;
      EXPECT_EQ(c.model.kind, "bnn");
      EXPECT_EQ(c.model.excitatory, 10);
      EXPECT_EQ(c.model.inhibitory, 10);
      EXPECT_EQ(c.optimizer.population, 10);
      EXPECT_EQ(c.budget.generations, 500);
      EXPECT_EQ(c.budget.env_steps, 0);
      EXPECT_EQ(c.train_episodes, 1);
    }
  }
  EXPECT_GT(files, 0);
  EXPECT_EQ(mujoco, 14);  // 7 tasks x {cma_es, openai_es}
}

}  // namespace
}  // namespace neurevo
