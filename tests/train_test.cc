// Integration tests of the training loop through the library API.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/scratch_path.h"
#include "neurevo/cluster.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/task.h"
#include "neurevo/train.h"
#include "train/checkpoint.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  return FreshScratchPath("test", name).string();
}

nlohmann::json Quiet(const RunConfig& c, const std::string& out = "") {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = out;
  return Train(c, o);
}

// Fields that legitimately differ between runs of the same config.
nlohmann::json Deterministic(nlohmann::json s) {
  s.erase("wall_seconds");
  s.erase("train_seconds");
  return s;
}

// A one-process cluster whose n-th broadcast (one per generation) throws:
// an error in the middle of a run.
class FailingCluster : public Cluster {
 public:
  explicit FailingCluster(int fail_at) : fail_at_(fail_at) {}
  int rank() const override { return 0; }
  int size() const override { return 1; }
  std::vector<std::string> AllGather(const std::string& m) override { return {m}; }
  std::string Broadcast(const std::string& v) override {
    if (++calls_ == fail_at_) throw std::runtime_error("injected failure");
    return v;
  }

 private:
  int calls_ = 0, fail_at_;
};

// A run that throws while a checkpoint is being written on the background
// lane (every generation checkpoints here) waits for the write before its
// state goes (the sanitizer suites catch the use after free this once was),
// and leaves only complete, readable checkpoints.
TEST(Train, AnErrorDuringABackgroundCheckpointWriteLeavesCompleteFiles) {
  for (int fail_at : {2, 3, 5}) {
    const RunConfig c = ParseConfig("", {"run.threads=2", "checkpoint.interval=1", "budget.generations=50",
                                         "budget.env_steps=0", "eval.episodes=1", "train.validation_episodes=0"});
    const auto dir = std::filesystem::temp_directory_path() /
                     ("neurevo_failing_run_" + std::to_string(::getpid()) + "_" + std::to_string(fail_at));
    std::filesystem::remove_all(dir);
    FailingCluster cluster(fail_at);
    TrainOptions o;
    o.out_dir = dir.string();
    o.quiet = true;
    o.cluster = &cluster;
    EXPECT_THROW(Train(c, o), std::runtime_error);
    const auto files = ListCheckpoints(dir.string());
    if (fail_at == 5) EXPECT_FALSE(files.empty());  // earlier failures may come before the first
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      EXPECT_NO_THROW(DecodeCheckpoint(std::string(std::istreambuf_iterator<char>(in), {}), f)) << f;
    }
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      EXPECT_NE(e.path().extension(), ".tmp") << e.path();
    std::filesystem::remove_all(dir);
  }
}

TEST(Train, ThreadCountNeverChangesTheResult) {
  for (const std::string model : {"bnn", "snn"}) {
    RunConfig c = ParseConfig("", {"model.kind=" + model, "budget.generations=4", "eval.episodes=6",
                                   "train.episodes=2", "islands.count=2", "islands.migration_interval=2",
                                   "model.excitatory=6", "model.inhibitory=6"});
    c.threads = 1;
    const auto one = Quiet(c);
    c.threads = 2;
    const auto two = Quiet(c);
    c.threads = 3;
    const auto three = Quiet(c);
    EXPECT_EQ(Deterministic(one), Deterministic(two)) << model;
    EXPECT_EQ(Deterministic(one), Deterministic(three)) << model;
    EXPECT_GT(one["generations"].get<int>(), 2);
  }
}

// The ENU T-maze: per-episode shuffles and output noise come from the
// episode's noise key, the ES update from the optimizer's stream.
TEST(Train, EnuTMazeIsTheSameWhateverTheThreadCount) {
  RunConfig c = LoadConfigFile(std::string(NEUREVO_TEST_DATA_DIR) + "/../../configs/enu/tmaze.toml",
                            {"budget.env_steps=0", "budget.generations=3", "optimizer.population=16",
                             "train.episodes=3", "train.validation_episodes=4", "eval.episodes=5"});
  c.threads = 1;
  const auto one = Quiet(c);
  c.threads = 2;
  const auto two = Quiet(c);
  EXPECT_EQ(Deterministic(one), Deterministic(two));
  EXPECT_EQ(one["generations"], 3);
  EXPECT_GT(one["env_steps"].get<long long>(), 16 * 3 * 3 * 40 / 2);
  // describe shows the network the ENU topology builds.
  const nlohmann::json d = DescribeRun(c);
  EXPECT_EQ(d["enu"]["enu_synapses"], 48);
  EXPECT_EQ(d["enu"]["motor_neurons"], 3);
  EXPECT_NE(DescribeText(d).find("3 sensory neurons, a reward neuron (2 channels), 6 ENU neurons (3 motor), 48 ENU "
                                 "synapses"),
            std::string::npos)
      << DescribeText(d);
}

TEST(Train, SeedsChangeTheResult) {
  RunConfig c = ParseConfig("", {"budget.generations=3", "eval.episodes=3"});
  const auto a = Quiet(c);
  c.seed = 2;
  const auto b = Quiet(c);
  EXPECT_NE(Deterministic(a), Deterministic(b));
}

TEST(Train, EnvStepBudgetIsNeverExceeded) {
  // One generation's worst case is (10 individuals + 2 x 10 validation
  // episodes) x 500 steps = 15000.
  for (long long budget : {15000LL, 29999LL, 47777LL}) {
    RunConfig c = ParseConfig("", {"budget.env_steps=" + std::to_string(budget), "eval.episodes=0",
                                   "model.kind=mlp", "model.mlp_hidden=[16]"});
    const auto s = Quiet(c);
    EXPECT_LE(s["env_steps"].get<long long>(), budget);
    EXPECT_EQ(s["stop_reason"], "env_steps");
  }
}

// A budget that cannot hold the first generation's worst case would train
// nothing: refused up front, naming the key and the smallest budget that
// fits, before the run directory exists. The same arithmetic decides whether
// a generation starts, so the smallest budget named runs one generation.
TEST(Train, BudgetBelowOneGenerationIsRefusedBeforeAnyWork) {
  struct Case {
    std::vector<std::string> sets;
    long long smallest;
  };
  const Case cases[] = {
      {{}, (10 + 2 * 10) * 500LL},
      {{"islands.count=3"}, (30 + 2 * 10) * 500LL},
      {{"train.episodes=2", "train.validation_episodes=0"}, (10 * 2) * 500LL},
      {{"task.name=Pendulum-v1", "optimizer.population=6", "optimizer.parents=3"}, (6 + 2 * 10) * 200LL},
      // MADS's first generation polls 2n + 1 points (its population() says so).
      {{"optimizer.kind=mads", "model.kind=mlp", "model.mlp_hidden=[2]"}, -1}};
  // The smallest budget the refusal names ("allowed: ... >= N"), or -1.
  auto refused_smallest = [](std::vector<std::string> sets, long long budget, const std::string& dir) {
    sets.push_back("budget.env_steps=" + std::to_string(budget));
    try {
      Quiet(ParseConfig("", sets), dir);
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("budget.env_steps:", 0), 0u) << what;
      const auto at = what.rfind(">= ");
      return at == std::string::npos ? -2LL : std::stoll(what.substr(at + 3));
    }
    return -1LL;
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.sets));
    const std::string dir = TempDir("small_budget");
    std::vector<std::string> sets = c.sets;
    sets.push_back("eval.episodes=5");
    const long long smallest = refused_smallest(sets, 1, dir);
    if (c.smallest > 0) EXPECT_EQ(smallest, c.smallest);
    ASSERT_GT(smallest, 1);
    EXPECT_EQ(refused_smallest(sets, smallest - 1, dir), smallest);
    EXPECT_FALSE(fs::exists(dir));
    sets.push_back("budget.env_steps=" + std::to_string(smallest));
    const auto s = Quiet(ParseConfig("", sets), dir);
    // (MADS's later polls are smaller than its first: more of them fit.)
    if (c.smallest > 0) EXPECT_EQ(s["generations"], 1);
    EXPECT_GE(s["generations"].get<long long>(), 1);
    EXPECT_EQ(s["stop_reason"], "env_steps");
    fs::remove_all(dir);
  }
}

// An evaluation that did not run is never reported as a number.
TEST(Train, SkippedEvaluationIsNotReportedAsANumber) {
  const std::string dir = TempDir("no_eval");
  const auto s = Quiet(ParseConfig("", {"budget.generations=2", "eval.episodes=0"}), dir);
  EXPECT_TRUE(s["eval_mean"].is_null()) << s;
  EXPECT_TRUE(s["eval_std"].is_null()) << s;
  EXPECT_EQ(s["eval_episodes"], 0);
  EXPECT_EQ(s["eval_skipped"], "eval.episodes = 0");
  std::ifstream sf(fs::path(dir) / "summary.json");
  EXPECT_EQ(nlohmann::json::parse(sf), s);
  fs::remove_all(dir);
  // A wall-clock limit spent before the first generation: nothing to
  // evaluate and nothing to summarise; the run fails, saying why.
  try {
    Quiet(ParseConfig("", {"budget.wall_seconds=1e-9", "eval.episodes=5"}));
    ADD_FAILURE() << "a run without a generation succeeded";
  } catch (const RunFailed& e) {
    EXPECT_NE(std::string(e.what()).find("before its first generation"), std::string::npos) << e.what();
  }
}

// Strategies whose population changes between generations (restarts, MADS
// polls, ENOMAD refinement) run through the trainer, and a generation still
// starts only if its worst case fits the env-step budget.
TEST(Train, ChangingPopulationsNeverExceedTheBudget) {
  struct Case {
    std::vector<std::string> sets;
    bool grows;  // IPOP must have restarted with a larger population
  };
  for (const Case& c : {Case{{"optimizer.kind=cma_es", "optimizer.restarts=ipop"}, true},
                        Case{{"optimizer.kind=sep_cma_es", "optimizer.restarts=bipop"}, false},
                        Case{{"optimizer.kind=mads"}, false}, Case{{"optimizer.kind=enomad"}, false}}) {
    const std::string dir = TempDir("populations");
    // A 2-unit MLP solves CartPole quickly; IPOP then restarts once the
    // population's returns go flat at 500.
    std::vector<std::string> sets = {"model.kind=mlp", "model.mlp_hidden=[2]", "budget.env_steps=800000",
                                     "eval.episodes=2", "train.validation_episodes=0", "optimizer.sigma0=0.3"};
    sets.insert(sets.end(), c.sets.begin(), c.sets.end());
    const auto s = Quiet(ParseConfig("", sets), dir);
    EXPECT_LE(s["env_steps"].get<long long>(), 800000) << c.sets[0];
    EXPECT_EQ(s["stop_reason"], "env_steps") << c.sets[0];
    std::ifstream metrics(fs::path(dir) / "metrics.jsonl");
    std::string line;
    int first = -1, largest = 0;
    while (std::getline(metrics, line)) {
      const int n = nlohmann::json::parse(line)["individuals"].get<int>();
      if (first < 0) first = n;
      largest = std::max(largest, n);
    }
    if (c.grows) EXPECT_GT(largest, first) << "no IPOP restart happened";
    fs::remove_all(dir);
  }
}

TEST(Train, StopsAtGenerationsAndTarget) {
  auto s = Quiet(ParseConfig("", {"budget.generations=4", "eval.episodes=0"}));
  EXPECT_EQ(s["generations"], 4);
  EXPECT_EQ(s["stop_reason"], "generations");
  s = Quiet(ParseConfig("", {"budget.target_fitness=15", "eval.episodes=0"}));
  EXPECT_EQ(s["stop_reason"], "target_fitness");
  EXPECT_GE(s["best_training_fitness"].get<double>(), 15.0);
}

// Elite validation with a pooled incumbent: metrics.jsonl logs every
// validation, and best_so_far follows the documented rule exactly.
TEST(Train, EliteValidationPoolsTheIncumbentsEpisodes) {
  const std::string dir = TempDir("pooled");
  const auto summary = Quiet(ParseConfig("", {"budget.generations=20", "eval.episodes=0"}), dir);
  constexpr int kEpisodes = 10;  // train.validation_episodes (default)
  std::ifstream metrics(fs::path(dir) / "metrics.jsonl");
  std::string text;
  double best = -std::numeric_limits<double>::infinity();
  long long pooled_episodes = 0;
  int validations = 0, replays = 0;
  while (std::getline(metrics, text)) {
    const auto line = nlohmann::json::parse(text);
    if (line.contains("validation_mean")) {
      ++validations;
      const double challenger = line["validation_mean"];
      if (line.contains("incumbent_replay_mean")) {
        ++replays;
        EXPECT_GE(challenger, best) << text;  // only a challenger that matches the incumbent replays it
        const double replay = line["incumbent_replay_mean"];
        best = (best * pooled_episodes + replay * kEpisodes) / (pooled_episodes + kEpisodes);
        pooled_episodes += kEpisodes;
      }
      if (challenger > best) best = challenger, pooled_episodes = kEpisodes;
    } else {
      EXPECT_FALSE(line.contains("incumbent_replay_mean")) << text;
    }
    EXPECT_EQ(line["best_so_far"].get<double>(), best) << text;
  }
  EXPECT_GT(validations, 2);
  EXPECT_GT(replays, 0);  // the rule was exercised, not only the first validation
  EXPECT_EQ(summary["best_validated_mean"].get<double>(), best);
  EXPECT_EQ(summary["best_validated_episodes"].get<long long>(), pooled_episodes);
  fs::remove_all(dir);
}

TEST(Train, RunDirectoryHoldsEverythingAndEvalReproducesTheSummary) {
  const std::string dir = TempDir("rundir");
  const RunConfig c = ParseConfig("", {"budget.generations=5", "eval.episodes=7", "model.kind=snn"});
  const auto summary = Quiet(c, dir);
  for (const char* f : {"config.toml", "metrics.jsonl", "best_genome.json", "summary.json"})
    EXPECT_TRUE(fs::exists(fs::path(dir) / f)) << f;
  // metrics: one line per generation, numbered 1..5.
  std::ifstream metrics(fs::path(dir) / "metrics.jsonl");
  std::string line;
  int n = 0;
  std::vector<nlohmann::json> lines;
  while (std::getline(metrics, line)) {
    lines.push_back(nlohmann::json::parse(line));
    EXPECT_EQ(lines.back()["generation"], ++n);
  }
  EXPECT_EQ(n, 5);
  // Generations count from 1 everywhere: the best genome's generation in
  // summary.json and best_genome.json is the metrics line that found it
  // (its training fitness is that generation's best, validated there).
  std::ifstream gf(fs::path(dir) / "best_genome.json");
  const auto genome = nlohmann::json::parse(gf);
  const long long best_generation = summary["best_generation"].get<long long>();
  EXPECT_EQ(genome["generation"].get<long long>(), best_generation);
  ASSERT_GE(best_generation, 1);
  ASSERT_LE(best_generation, 5);
  const auto& found = lines[best_generation - 1];
  EXPECT_EQ(found["best_fitness"].get<double>(), summary["best_training_fitness"].get<double>()) << found;
  EXPECT_EQ(found["validation_mean"].get<double>(), found["best_so_far"].get<double>()) << found;
  EXPECT_EQ(genome["fitness"].get<double>(), summary["best_training_fitness"].get<double>());
  // summary.json equals the returned summary and has the documented fields.
  std::ifstream sf(fs::path(dir) / "summary.json");
  const auto written = nlohmann::json::parse(sf);
  EXPECT_EQ(written, summary);
  for (const char* k : {"task", "model", "optimizer", "seed", "generations", "env_steps", "best_generation",
                        "best_training_fitness", "best_validated_mean", "best_validated_episodes", "eval_mean",
                        "eval_std", "wall_seconds", "eval_env_steps", "eval_skipped"})
    EXPECT_TRUE(written.contains(k)) << k;
  // The saved config resolves to the same config.
  std::ifstream cf(fs::path(dir) / "config.toml");
  std::stringstream ss;
  ss << cf.rdbuf();
  EXPECT_EQ(ConfigToToml(ParseConfig(ss.str(), {})), ConfigToToml(c));
  // Re-evaluation with the run's own settings (its eval.episodes and seed,
  // the defaults) reproduces eval_mean exactly.
  const auto eval = EvaluateRun(dir, nullptr, nullptr, 2);
  EXPECT_EQ(eval["episodes"].get<int>(), 7);
  EXPECT_EQ(eval["mean"].get<double>(), summary["eval_mean"].get<double>());
  EXPECT_EQ(eval["std"].get<double>(), summary["eval_std"].get<double>());
  // Rollout: per episode a reset line with the initial state, then one line
  // per step with the documented fields, ending the episode.
  std::stringstream rollout;
  RolloutRun(dir, 2, nullptr, rollout);
  std::vector<nlohmann::json> rows;
  while (std::getline(rollout, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_GT(rows.size(), 2u);
  EXPECT_EQ(rows[0]["kind"], "reset");
  EXPECT_EQ(rows[0]["step"], 0);
  int resets = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row["kind"] == "reset") {
      ++resets;
      EXPECT_EQ(row["episode"], resets - 1);
      EXPECT_EQ(row["state"].size(), 4u);
      if (i > 0) EXPECT_TRUE(rows[i - 1]["terminated"].get<bool>() || rows[i - 1]["truncated"].get<bool>());
      continue;
    }
    for (const char* k : {"observation", "next_observation", "action", "reward", "terminated", "truncated", "state"})
      EXPECT_TRUE(row.contains(k)) << k;
    EXPECT_EQ(row["state"].size(), 4u);
    // A step's observation is the previous line's next one (or the reset's).
    EXPECT_EQ(row["observation"], rows[i - 1][rows[i - 1]["kind"] == "reset" ? "observation" : "next_observation"]);
  }
  EXPECT_EQ(resets, 2);
  EXPECT_TRUE(rows.back()["terminated"].get<bool>() || rows.back()["truncated"].get<bool>());
  fs::remove_all(dir);
}

// A rollout replays exactly: from each episode's recorded initial state, the
// recorded actions (float32, as the task applies them) reproduce every
// observation, reward and flag. Pendulum (a float32 action it clips) and
// Hopper (MuJoCo, whose ctrl takes the float32 action unclipped).
TEST(Train, RolloutReplaysFromItsInitialStateWithItsActions) {
  for (const std::string task : {"Pendulum-v1", "Hopper-v5"}) {
    SCOPED_TRACE(task);
    const std::string dir = TempDir("replay");
    Quiet(ParseConfig("", {"task.name=" + task, "budget.generations=1", "eval.episodes=1", "model.kind=mlp",
                           "model.mlp_hidden=[4]", "train.validation_episodes=1"}),
          dir);
    std::stringstream rollout;
    RolloutRun(dir, 2, nullptr, rollout);
    const auto replay = MakeTask(task);
    std::vector<double> obs(replay->observation_space().vector_size());
    std::string text;
    int steps = 0, rounded = 0;
    while (std::getline(rollout, text)) {
      const auto row = nlohmann::json::parse(text);
      if (row["kind"] == "reset") {
        replay->SetPhysicalState(row["state"].get<std::vector<double>>(), obs);
        EXPECT_EQ(obs, row["observation"].get<std::vector<double>>());
        continue;
      }
      const auto action = row["action"].get<std::vector<double>>();
      for (double a : action) {
        EXPECT_EQ(a, static_cast<double>(static_cast<float>(a)));  // float32, as applied
        rounded += a != 0.0;
      }
      const StepResult r = replay->Step(action, obs);
      ++steps;
      ASSERT_EQ(obs, row["next_observation"].get<std::vector<double>>()) << "step " << row["step"];
      EXPECT_EQ(r.reward, row["reward"].get<double>());
      EXPECT_EQ(r.terminated, row["terminated"].get<bool>());
      EXPECT_EQ(replay->PhysicalState(), row["state"].get<std::vector<double>>());
    }
    EXPECT_GT(steps, 10);
    EXPECT_GT(rounded, 0);
    fs::remove_all(dir);
  }
}

TEST(Train, RefusesToOverwriteARunDirectory) {
  const std::string dir = TempDir("exists");
  fs::create_directories(dir);
  std::ofstream(fs::path(dir) / "keep.txt") << "precious";
  EXPECT_THROW(Quiet(ParseConfig("", {"budget.generations=1"}), dir), ConfigError);
  std::ifstream in(fs::path(dir) / "keep.txt");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  fs::remove_all(dir);
}

TEST(Train, CorruptGenomeFilesAreRefusedWithTheFileName) {
  const std::string dir = TempDir("corrupt");
  Quiet(ParseConfig("", {"budget.generations=1", "eval.episodes=1"}), dir);
  const fs::path genome = fs::path(dir) / "best_genome.json";
  std::ifstream in(genome);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  for (const std::string& bad : {text.substr(0, text.size() / 2), std::string("{}"),
                                std::string("not json")}) {
    std::ofstream(genome) << bad;
    try {
      const int one = 1;
      EvaluateRun(dir, &one, nullptr, 1);
      ADD_FAILURE() << "accepted a corrupt genome";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("best_genome.json"), std::string::npos) << e.what();
    }
  }
  fs::remove_all(dir);
}

TEST(Train, EveryModelAndOptimizerRunsOnEveryClassicTask) {
  for (const std::string task : {"CartPole-v1", "Pendulum-v1", "MountainCarContinuous-v0", "Acrobot-v1"})
    for (const std::string model : {"bnn", "snn", "rnn", "mlp", "enu"})
      for (const std::string opt : {"cma_es", "openai_es"}) {
        const auto s = Quiet(ParseConfig("", {"task.name=" + task, "model.kind=" + model,
                                              "optimizer.kind=" + opt, "budget.generations=1",
                                              "eval.episodes=1", "model.mlp_hidden=[8]",
                                              "model.enu_memory=4", "model.enu_channels=2",
                                              // small networks: this checks the plumbing, and runs under sanitizers
                                              "model.excitatory=4", "model.inhibitory=4"}));
        EXPECT_EQ(s["generations"], 1) << task << model << opt;
        EXPECT_EQ(s["failed_episodes"], 0) << task << model << opt;
      }
}

// Issue 17: a run in which every episode failed has no result: it says so
// (RunFailed, exit 1) and writes no summary.json, never "mean 0.00".
TEST(Train, ARunInWhichEveryEpisodeFailedSaysSoAndWritesNoSummary) {
  for (const std::string validation : {"10", "0"}) {
    const std::string out = TempDir("all_failed" + validation);
    TrainOptions o;
    o.quiet = true;
    o.out_dir = out;
    o.faults.nan_action_rate = 1.0;  // every training episode ends with a NaN action
    const RunConfig c = ParseConfig("", {"budget.generations=3", "eval.episodes=5", "model.excitatory=4",
                                         "model.inhibitory=4", "train.validation_episodes=" + validation});
    if (validation == "10") {
      try {
        Train(c, o);
        ADD_FAILURE() << "a run without a single finished episode reported a result";
      } catch (const RunFailed& e) {
        EXPECT_NE(std::string(e.what()).find("every individual's episodes failed in all 3 generations"),
                  std::string::npos) << e.what();
      }
      EXPECT_FALSE(fs::exists(fs::path(out) / "summary.json"));
      EXPECT_FALSE(fs::exists(fs::path(out) / "best_genome.json"));
    } else {
      // Without validation the best "failed" genome is still the best
      // training fitness; its held-out episodes run without faults and the
      // summary reports them honestly.
      const auto s = Train(c, o);
      EXPECT_EQ(s["eval_failed_episodes"], 0);
      EXPECT_TRUE(fs::exists(fs::path(out) / "summary.json"));
    }
    fs::remove_all(out);
  }
  // No generation ran (the wall-clock budget ended first): no genome, no summary.
  const std::string out = TempDir("no_generation");
  TrainOptions o;
  o.quiet = true;
  o.out_dir = out;
  EXPECT_THROW(Train(ParseConfig("", {"budget.wall_seconds=1e-9"}), o), RunFailed);
  EXPECT_FALSE(fs::exists(fs::path(out) / "summary.json"));
  fs::remove_all(out);
}

}  // namespace
}  // namespace neurevo
