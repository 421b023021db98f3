// Training runs end to end on the MuJoCo tasks: every model kind and
// optimizer on Hopper-v5 (short episodes), and the default BNN with each
// optimizer on every MuJoCo task, for one small generation each.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "neurevo/config.h"
#include "neurevo/train.h"

namespace neurevo {
namespace {

nlohmann::json TrainOnce(const std::string& task, const std::string& model,
                   const std::string& optimizer, int population = 4) {
  const RunConfig c = ParseConfig(
      "", {"task.name=" + task, "model.kind=" + model, "optimizer.kind=" + optimizer,
           "optimizer.population=" + std::to_string(population),
           "optimizer.parents=" + std::to_string(population / 2), "budget.generations=1", "budget.env_steps=0",
           "train.validation_episodes=0", "eval.episodes=1", "model.mlp_hidden=[8]"});
  TrainOptions o;
  o.quiet = true;
  return Train(c, o);
}

TEST(MujocoTrain, EveryModelAndOptimizerRunsOnHopper) {
  for (const std::string model : {"bnn", "snn", "rnn", "mlp"})
    for (const std::string opt : {"cma_es", "openai_es"}) {
      const nlohmann::json s = TrainOnce("Hopper-v5", model, opt);
      EXPECT_EQ(s["generations"], 1) << model << " " << opt;
      EXPECT_EQ(s["failed_episodes"], 0) << model << " " << opt;
      EXPECT_GT(s["env_steps"].get<long long>(), 0) << model << " " << opt;
    }
}

TEST(MujocoTrain, BnnRunsOnEveryMujocoTask) {
  for (const std::string task :
       {"InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Swimmer-v5", "HalfCheetah-v5",
        "Walker2d-v5", "Ant-v5"}) {
    // Two individuals: Swimmer, HalfCheetah and Ant episodes last 1000 steps.
    const nlohmann::json s =
        TrainOnce(task, "bnn", task == "Ant-v5" ? "openai_es" : "cma_es", 2);
    EXPECT_EQ(s["generations"], 1) << task;
    EXPECT_EQ(s["failed_episodes"], 0) << task;
    EXPECT_EQ(s["eval_failed_episodes"], 0) << task;
  }
}

}  // namespace
}  // namespace neurevo
