// [task.options] in configs: a task's own options, set by table or by
// `--set task.options.NAME=value`, saved in config.toml, refused by name on
// a task that does not have them.
#include <gtest/gtest.h>

#include <string>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

TEST(TaskOptions, AntContactForcesFromTableOrOverrideAndRoundTrip) {
  const RunConfig by_table =
      ParseConfig("[task]\nname = \"Ant-v5\"\n[task.options]\ninclude_cfrc_ext_in_observation = false\n", {});
  const RunConfig by_set =
      ParseConfig("", {"task.name=Ant-v5", "task.options.include_cfrc_ext_in_observation=false"});
  ASSERT_EQ(by_table.task_options.size(), 1u);
  EXPECT_EQ(std::get<bool>(by_table.task_options.at("include_cfrc_ext_in_observation")), false);
  EXPECT_EQ(ConfigToToml(by_table), ConfigToToml(by_set));
  const RunConfig back = ParseConfig(ConfigToToml(by_set), {});
  EXPECT_EQ(back.task_options, by_set.task_options);
  // The model sees 27 observations: one BNN input neuron each.
  const auto task = MakeTask(back.task_name, back.task_options);
  EXPECT_EQ(task->observation_space().size, 27);
  const auto full = MakeTask("Ant-v5");
  const auto small_model = MakeModel(back.model, task->observation_space(), task->action_space());
  const auto full_model = MakeModel(back.model, full->observation_space(), full->action_space());
  EXPECT_LT(small_model->layout().size(), full_model->layout().size());
  // The default is Gymnasium's (105 values) and writes an empty table.
  EXPECT_TRUE(ParseConfig("", {"task.name=Ant-v5"}).task_options.empty());
}

TEST(TaskOptions, AnOptionTheTaskDoesNotHaveIsRefusedByName) {
  for (const auto& [toml, sets] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"", {"task.options.include_cfrc_ext_in_observation=false"}},
           {"[task.options]\ninclude_cfrc_ext_in_observation = false\n", {}},
           {"", {"task.name=Ant-v5", "task.options.include_cfrc_ext_in_observation=maybe"}},
           {"", {"task.name=Ant-v5", "task.options.contact_forces=false"}}}) {
    try {
      ParseConfig(toml, sets);
      ADD_FAILURE() << toml << " accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("task.options."), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace neurevo
