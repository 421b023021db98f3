// The neocortical RSNN (model.kind = "rsnn") trained end to end: by
// backpropagation through time (optimizer.kind = "bptt") and by evolution,
// on the temporal tasks, through the library API.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/train.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

const std::string kPreset = std::string(NEUREVO_TEST_DATA_DIR) + "/../../configs/rsnn/cortical_n32.toml";

std::string TempDir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("neurevo_rsnn_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p.string();
}

TrainOptions Quiet(const std::string& out = "") {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = out;
  return o;
}

nlohmann::json Deterministic(nlohmann::json s) {
  s.erase("wall_seconds");
  s.erase("train_seconds");
  return s;
}

// BPTT learns each temporal task far above chance in a small budget
// (BENCHMARKS.md has the full table): cue-delay-response (chance 0.25),
// evidence accumulation (chance 0.5, ideal observer 0.903), 2-back (0.5).
TEST(RsnnTrain, BpttLearnsTheTemporalTasks) {
  const struct {
    const char* task;
    double above;
  } cases[] = {{"CueDelayResponse-10", 0.9}, {"EvidenceAccumulation-20", 0.8}, {"NBack-2", 0.8}};
  for (const auto& c : cases) {
    const RunConfig config = LoadConfigFile(
        kPreset, {std::string("task.name=") + c.task, "budget.env_steps=1000000", "eval.episodes=200", "run.threads=2"});
    const auto s = Train(config, Quiet());
    EXPECT_GT(s["eval_mean"].get<double>(), c.above) << c.task;
  }
}

// Evolution trains the same genome: a short CMA-ES run improves on its first generation.
TEST(RsnnTrain, EvolutionTrainsTheSameModel) {
  const std::string dir = TempDir("cma");
  const RunConfig config =
      LoadConfigFile(kPreset, {"task.name=CueDelayResponse-10", "optimizer.kind=cma_es", "optimizer.population=16",
                               "budget.env_steps=0", "budget.generations=60", "eval.episodes=200", "run.threads=2"});
  const auto s = Train(config, Quiet(dir));
  std::ifstream in(fs::path(dir) / "metrics.jsonl");
  std::string first;
  std::getline(in, first);
  const double first_mean = nlohmann::json::parse(first)["mean_fitness"].get<double>();
  EXPECT_GT(s["eval_mean"].get<double>(), first_mean + 0.2) << "first generation's mean " << first_mean;
  EXPECT_GT(s["eval_mean"].get<double>(), 0.5);  // chance 0.25
  fs::remove_all(dir);
}

// Gradients are summed in episode order: the thread count never changes a
// bptt run; and a resumed run continues it exactly (Adam's state is in the
// checkpoint).
TEST(RsnnTrain, BpttIsDeterministicAndResumesExactly) {
  const std::vector<std::string> sets = {"task.name=NBack-2",      "budget.env_steps=0", "budget.generations=6",
                                         "checkpoint.interval=2", "eval.episodes=20",   "train.episodes=8"};
  RunConfig c = LoadConfigFile(kPreset, sets);
  c.threads = 1;
  const auto one = Train(c, Quiet());
  c.threads = 3;
  EXPECT_EQ(Deterministic(Train(c, Quiet())), Deterministic(one));
  const std::string dir = TempDir("resume");
  c.budget.generations = 3;
  Train(c, Quiet(dir));
  EXPECT_EQ(Deterministic(ResumeTraining({"budget.generations=6"}, Quiet(dir))), Deterministic(one));
  // Every generation logs its minibatch loss and gradient norm.
  std::ifstream in(fs::path(dir) / "metrics.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_GT(j["loss"].get<double>(), 0.0);
    EXPECT_GT(j["gradient_norm"].get<double>(), 0.0);
    EXPECT_EQ(j["individuals"].get<int>(), 1);
    ++lines;
  }
  EXPECT_EQ(lines, 6);
  fs::remove_all(dir);
}

// Fault injection reaches gradient training: episodes with a NaN action or
// observation fail, leave the minibatch's gradient, and the run goes on the
// same whatever the thread count.
TEST(RsnnTrain, BpttContainsFailedEpisodes) {
  RunConfig c = LoadConfigFile(kPreset, {"task.name=NBack-2", "budget.env_steps=0", "budget.generations=5",
                                         "eval.episodes=20", "train.episodes=8"});
  TrainOptions o = Quiet();
  o.faults.nan_action_rate = 0.2;
  o.faults.nan_observation_rate = 0.2;
  c.threads = 1;
  const auto one = Train(c, o);
  c.threads = 2;
  EXPECT_EQ(Deterministic(Train(c, o)), Deterministic(one));
  EXPECT_GT(one["failed_episodes"].get<long long>(), 0);
  EXPECT_EQ(one["generations"].get<int>(), 5);
  EXPECT_EQ(one["eval_failed_episodes"].get<long long>(), 0);  // held-out episodes get no faults
}

// REINFORCE through the same backward pass on a task without a teacher.
TEST(RsnnTrain, ReinforceRunsOnCartPole) {
  RunConfig c = LoadConfigFile(kPreset, {"task.name=CartPole-v1", "budget.env_steps=0", "budget.generations=5",
                                         "eval.episodes=5", "train.episodes=4", "train.obs_normalization=true"});
  const auto s = Train(c, Quiet());
  EXPECT_EQ(s["generations"].get<int>(), 5);
  EXPECT_GT(s["eval_mean"].get<double>(), 0.0);
}

std::string ConfigError(const std::vector<std::string>& sets, const std::string& text = "") {
  try {
    if (text.empty())
      LoadConfigFile(kPreset, sets);
    else
      ParseConfig(text, sets);
  } catch (const neurevo::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RsnnTrain, BadCombinationsAreRefusedByKey) {
  EXPECT_NE(ConfigError({"optimizer.kind=bptt"}, "[task]\nname = \"CartPole-v1\"\n").find("optimizer.kind: bptt needs"),
            std::string::npos);
  EXPECT_NE(ConfigError({"islands.count=2"}).find("islands.count"), std::string::npos);
  EXPECT_NE(ConfigError({"task.name=Pendulum-v1"}).find("REINFORCE"), std::string::npos);
  EXPECT_NE(ConfigError({"optimizer.gradient_clip=-1"}).find("optimizer.gradient_clip"), std::string::npos);
  EXPECT_NE(ConfigError({"model.rsnn_surrogate_slope=0"}).find("model.rsnn_surrogate_slope"), std::string::npos);
  EXPECT_NE(ConfigError({"model.kind=bnn", "optimizer.kind=cma_es"}).find("network"), std::string::npos);
}

}  // namespace
}  // namespace neurevo
