// [task.options] in configs: a task's own options, set by table or by
// `--set task.options.NAME=value`, saved in config.toml, refused by name on
// a task that does not have them.
#include <gtest/gtest.h>

#include <string>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "tasks/cognitive/stdp_mimic.h"
#include "tasks/cognitive/t_maze.h"

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

// Number and integer options survive config.toml: StdpMimic's amplitudes
// (an integer 1 is the number 1.0) and TMaze's meals per swap and energy.
TEST(TaskOptions, NumberAndIntegerOptionsRoundTrip) {
  const RunConfig stdp = ParseConfig("[task]\nname = \"StdpMimic\"\n[task.options]\npotentiation = 0.5\n",
                                     {"task.options.depression=1"});
  const RunConfig stdp_back = ParseConfig(ConfigToToml(stdp), {});
  EXPECT_EQ(stdp_back.task_options, stdp.task_options);
  auto task = MakeTask(stdp_back.task_name, stdp_back.task_options);
  const auto& mimic = dynamic_cast<const StdpMimic&>(*task);
  EXPECT_EQ(mimic.potentiation(), 0.5);
  EXPECT_EQ(mimic.depression(), 1.0);
  const RunConfig maze = ParseConfig(
      "", {"task.name=TMaze", "task.options.swap_meals_min=2", "task.options.swap_meals_max=3",
           "task.options.max_energy=100", "task.options.swap_schedule=geometric"});
  const RunConfig maze_back = ParseConfig(ConfigToToml(maze), {});
  EXPECT_EQ(maze_back.task_options, maze.task_options);
  task = MakeTask(maze_back.task_name, maze_back.task_options);
  const auto& t_maze = dynamic_cast<const TMaze&>(*task);
  EXPECT_EQ(t_maze.min_swap(), 2);
  EXPECT_EQ(t_maze.max_swap(), 3);
  EXPECT_EQ(t_maze.max_energy(), 100);
  EXPECT_EQ(t_maze.swap_schedule(), TMaze::SwapSchedule::kGeometric);
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
