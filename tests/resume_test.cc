// Runs that survive: checkpoints and exact resume, graceful stop, corrupt
// checkpoints, fault containment (library API; tests/kill_test.cc kills the
// real binary).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <thread>

#include "core/scratch_path.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/random.h"
#include "neurevo/train.h"
#include "train/checkpoint.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

std::string TempDir(const std::string& name) {
  return FreshScratchPath("resume", name).string();
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TrainOptions Options(const std::string& dir, const std::atomic<bool>* stop = nullptr) {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = dir;
  o.stop_requested = stop;
  return o;
}

nlohmann::json Deterministic(nlohmann::json s) {
  s.erase("wall_seconds");
  s.erase("train_seconds");
  return s;
}

// metrics.jsonl without wall times; also checks generations run 1..n.
std::vector<nlohmann::json> Metrics(const std::string& dir) {
  std::ifstream in(fs::path(dir) / "metrics.jsonl");
  std::vector<nlohmann::json> lines;
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["generation"].get<long long>(), static_cast<long long>(lines.size()) + 1) << dir;
    j.erase("wall_seconds");
    lines.push_back(j);
  }
  return lines;
}

// Every file of a directory tree with its bytes.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = Slurp(e.path());
  return files;
}

// A small, fast run: two islands with migration, validation, two threads.
const std::vector<std::string> kRun = {"model.excitatory=4", "model.inhibitory=4", "budget.generations=14",
                                       "checkpoint.interval=3", "eval.episodes=5", "train.validation_episodes=3",
                                       "islands.count=2", "islands.migration_interval=4", "run.threads=2"};

TEST(Resume, InterruptedRunsResumeToTheUninterruptedResult) {
  const RunConfig c = ParseConfig("", kRun);
  const std::string ref_dir = TempDir("ref");
  const auto reference = Train(c, Options(ref_dir));
  const auto ref_metrics = Metrics(ref_dir);
  ASSERT_EQ(ref_metrics.size(), 14u);

  // Stop at several points (the flag abandons the generation in flight),
  // resuming each time, until the run completes. The stops follow the run's
  // progress, not the clock: a timer lets a fast machine finish the whole run
  // before the first stop.
  const std::string dir = TempDir("stopped");
  std::atomic<bool> stop{false}, done{false};
  // Raises `stop` once metrics.jsonl holds `generations` lines (during the
  // next generation), unless the session ended first. The targets grow by at
  // least 2, so a line count left from the previous session (before resume
  // rewinds to its checkpoint) never meets the next target.
  auto stopper = [&](int generations) {
    done = false;
    return std::thread([&stop, &done, &dir, generations] {
      while (!done) {
        std::ifstream in(fs::path(dir) / "metrics.jsonl");
        const auto lines = std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n');
        if (lines >= generations) {
          stop = true;
          return;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    });
  };
  std::thread t = stopper(2);
  nlohmann::json s = Train(c, Options(dir, &stop));
  done = true;
  t.join();
  int sessions = 1;
  for (int generations : {5, 7, 10, 12, 1000}) {
    if (s["stop_reason"] != "interrupted") break;
    EXPECT_FALSE(fs::exists(fs::path(dir) / "summary.json"));
    EXPECT_FALSE(ListCheckpoints(dir).empty());
    stop = false;
    t = stopper(generations);
    s = ResumeTraining({}, Options(dir, &stop));
    done = true;
    t.join();
    ++sessions;
  }
  EXPECT_GE(sessions, 4);  // 6 when every stop lands (measured); slack for a slow poller
  EXPECT_EQ(Deterministic(s), Deterministic(reference));
  EXPECT_EQ(Deterministic(nlohmann::json::parse(Slurp(fs::path(dir) / "summary.json"))), Deterministic(reference));
  EXPECT_EQ(Metrics(dir), ref_metrics);
  EXPECT_EQ(Slurp(fs::path(dir) / "best_genome.json"), Slurp(fs::path(ref_dir) / "best_genome.json"));
  EXPECT_LE(ListCheckpoints(dir).size(), static_cast<size_t>(kCheckpointsKept));
  fs::remove_all(dir);
  fs::remove_all(ref_dir);
}

TEST(Resume, ExtendingTheBudgetEqualsTheLongerRun) {
  RunConfig c = ParseConfig("", kRun);
  const std::string dir = TempDir("extend"), ref_dir = TempDir("extend_ref");
  Train(c, Options(dir));
  const auto extended = ResumeTraining({"budget.generations=20"}, Options(dir));
  c.budget.generations = 20;
  const auto reference = Train(c, Options(ref_dir));
  EXPECT_EQ(Deterministic(extended), Deterministic(reference));
  EXPECT_EQ(Metrics(dir), Metrics(ref_dir));
  // Resuming a complete run changes nothing.
  EXPECT_EQ(Deterministic(ResumeTraining({}, Options(dir))), Deterministic(reference));
  fs::remove_all(dir);
  fs::remove_all(ref_dir);
}

// Every strategy's state survives a checkpoint (long arrays are stored as
// float64 blobs, integer ones too): extending a finished run's budget equals
// the longer run.
TEST(Resume, EveryStrategyResumesExactly) {
  for (const std::vector<std::string> strategy :
       {std::vector<std::string>{"optimizer.kind=cma_es", "optimizer.restarts=ipop"}, {"optimizer.kind=sep_cma_es"},
        {"optimizer.kind=openai_es"}, {"optimizer.kind=xnes"}, {"optimizer.kind=snes"}, {"optimizer.kind=pgpe"},
        {"optimizer.kind=ga"}, {"optimizer.kind=mads"}, {"optimizer.kind=mads", "optimizer.mads_poll=opportunistic"},
        {"optimizer.kind=enomad"}}) {
    SCOPED_TRACE(strategy[0]);
    std::vector<std::string> sets = {"model.excitatory=3", "model.inhibitory=3", "budget.env_steps=0",
                                     "budget.generations=2", "checkpoint.interval=1", "eval.episodes=2",
                                     "train.validation_episodes=2", "run.threads=2"};
    sets.insert(sets.end(), strategy.begin(), strategy.end());
    RunConfig c = ParseConfig("", sets);
    const std::string dir = TempDir("strategy"), ref_dir = TempDir("strategy_ref");
    Train(c, Options(dir));
    const auto extended = ResumeTraining({"budget.generations=4"}, Options(dir));
    c.budget.generations = 4;
    const auto reference = Train(c, Options(ref_dir));
    EXPECT_EQ(Deterministic(extended), Deterministic(reference));
    EXPECT_EQ(Metrics(dir), Metrics(ref_dir));
    fs::remove_all(dir);
    fs::remove_all(ref_dir);
  }
}

// Damage to the newest checkpoint: the run resumes from the previous one
// and still ends with the uninterrupted result; damage to both: refused,
// naming the files, with nothing on disk changed.
TEST(Resume, CorruptCheckpointsFallBackOrAreRefused) {
  const RunConfig c = ParseConfig("", kRun);
  const std::string ref_dir = TempDir("corrupt_ref");
  const auto reference = Deterministic(Train(c, Options(ref_dir)));
  auto files = ListCheckpoints(ref_dir);
  ASSERT_EQ(files.size(), 2u);  // generations 14 and 12
  const std::string newest = fs::path(files[0]).filename().string();
  const std::string bytes = Slurp(files[0]);

  RandomStream rng(7);
  std::vector<std::pair<std::string, std::string>> damage = {
      {"empty", ""}, {"half", bytes.substr(0, bytes.size() / 2)}, {"last byte gone", bytes.substr(0, bytes.size() - 1)}};
  for (int i = 0; i < 4; ++i) {
    std::string flipped = bytes;
    const size_t at = rng.Below(flipped.size());
    flipped[at] = static_cast<char>(flipped[at] ^ (1 << rng.Below(8)));
    damage.emplace_back("bit flip at " + std::to_string(at), flipped);
  }
  const std::string dir = TempDir("corrupt");
  for (const auto& [what, bad] : damage) {
    fs::remove_all(dir);
    fs::copy(ref_dir, dir, fs::copy_options::recursive);
    fs::remove(fs::path(dir) / "summary.json");
    std::ofstream(fs::path(dir) / "checkpoints" / newest, std::ios::binary | std::ios::trunc) << bad;
    const auto s = ResumeTraining({}, Options(dir));
    EXPECT_EQ(Deterministic(s), reference) << what;
    EXPECT_TRUE(fs::exists(fs::path(dir) / "checkpoints" / (newest + ".unusable"))) << what;
  }
  // Both damaged: refused with both names, directory untouched.
  fs::remove_all(dir);
  fs::copy(ref_dir, dir, fs::copy_options::recursive);
  for (const auto& f : ListCheckpoints(dir)) {
    std::string b = Slurp(f);
    b[b.size() / 2] ^= 0x10;
    std::ofstream(f, std::ios::binary | std::ios::trunc) << b;
  }
  const auto before = Snapshot(dir);
  try {
    ResumeTraining({}, Options(dir));
    ADD_FAILURE() << "resumed from corrupt checkpoints";
  } catch (const ConfigError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("no usable checkpoint"), std::string::npos) << msg;
    EXPECT_NE(msg.find("gen-000000000014.ckpt: checksum mismatch"), std::string::npos) << msg;
    EXPECT_NE(msg.find("gen-000000000012.ckpt: checksum mismatch"), std::string::npos) << msg;
  }
  EXPECT_EQ(Snapshot(dir), before);
  fs::remove_all(dir);
  fs::remove_all(ref_dir);
}

TEST(Resume, HostileRunDirectoriesAreRefusedAndLeftAlone) {
  const std::string dir = TempDir("hostile");
  Train(ParseConfig("", kRun), Options(dir));
  auto refused = [&](const std::vector<std::string>& overrides, const std::string& expected) {
    const auto before = Snapshot(dir);
    try {
      ResumeTraining(overrides, Options(dir));
      ADD_FAILURE() << "accepted: " << expected;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
    EXPECT_EQ(Snapshot(dir), before) << expected;
  };
  refused({"model.kind=snn"}, "--set model.kind: cannot change when resuming");
  refused({"budget.generations=-3"}, "budget.generations");
  // An edited config no longer matches the checkpoints.
  const fs::path config = fs::path(dir) / "config.toml";
  const std::string original = Slurp(config);
  std::ofstream(config, std::ios::trunc) << ConfigToToml(ParseConfig(original, {"model.noise_max_pA=0.5"}));
  refused({}, "belongs to a different config");
  std::ofstream(config, std::ios::trunc) << "[model\nkind = 3";
  refused({}, "config.toml");
  std::ofstream(config, std::ios::trunc) << original;
  // Edited or truncated metrics.
  const fs::path metrics = fs::path(dir) / "metrics.jsonl";
  const std::string lines = Slurp(metrics);
  std::ofstream(metrics, std::ios::trunc) << lines.substr(0, lines.size() / 2);
  refused({}, "metrics.jsonl");
  std::string edited = lines;
  edited[10] = edited[10] == '1' ? '2' : '1';
  std::ofstream(metrics, std::ios::trunc) << edited;
  refused({}, "metrics.jsonl");
  std::ofstream(metrics, std::ios::trunc) << lines;
  // Not a run directory at all.
  try {
    ResumeTraining({}, Options(TempDir("missing")));
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not a directory"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// NaN actions and observations: the individuals get the worst fitness, are
// counted, and the run goes on; the thread count still changes nothing.
TEST(FaultContainment, NanActionsAndObservationsAreContained) {
  RunConfig c = ParseConfig("", {"model.excitatory=4", "model.inhibitory=4", "budget.generations=12",
                                 "eval.episodes=5", "train.episodes=2"});
  TrainOptions o = Options(TempDir("nan"));
  o.faults.nan_action_rate = 0.15;
  o.faults.nan_observation_rate = 0.1;
  c.threads = 1;
  const auto one = Train(c, o);
  const auto metrics = Metrics(o.out_dir);
  fs::remove_all(o.out_dir);
  c.threads = 2;
  const auto two = Train(c, o);
  fs::remove_all(o.out_dir);
  EXPECT_EQ(Deterministic(one), Deterministic(two));
  EXPECT_EQ(one["generations"], 12);
  EXPECT_GT(one["failed_individuals"].get<long long>(), 5);
  EXPECT_GE(one["failed_episodes"].get<long long>(), one["failed_individuals"].get<long long>());
  EXPECT_EQ(one["optimizer_restores"], 0);
  long long counted = 0;
  for (const auto& m : metrics) {
    counted += m["failed_individuals"].get<long long>();
    EXPECT_TRUE(std::isfinite(m["mean_fitness"].get<double>()));
  }
  EXPECT_EQ(counted, one["failed_individuals"].get<long long>());
  // The best genome is a healthy one: its held-out episodes did not fail.
  EXPECT_EQ(one["eval_failed_episodes"], 0);
  EXPECT_GT(one["eval_mean"].get<double>(), 9.0);
}

// An optimizer whose state turns non-finite is put back to its last good
// state, says so, and the run continues to a finite result. (CMA-ES also
// repairs itself, as Hansen's implementations do: it restarts its
// distribution around the last finite mean, so the trainer never has to.)
TEST(FaultContainment, PoisonedOptimizerStateIsRestored) {
  for (const std::string opt : {"openai_es", "cma_es"}) {
    const int expected_restores = opt == "cma_es" ? 0 : 1;
    const RunConfig c = ParseConfig("", {"model.excitatory=4", "model.inhibitory=4", "optimizer.kind=" + opt,
                                         "budget.generations=10", "checkpoint.interval=3", "eval.episodes=3"});
    TrainOptions o = Options(TempDir("poison"));
    o.faults.poison_optimizer_generation = 5;
    const auto s = Train(c, o);
    EXPECT_EQ(s["optimizer_restores"], expected_restores) << opt;
    EXPECT_EQ(s["generations"], 10) << opt;
    EXPECT_TRUE(std::isfinite(s["eval_mean"].get<double>())) << opt;
    const auto metrics = Metrics(o.out_dir);
    ASSERT_EQ(metrics.size(), 10u);
    EXPECT_EQ(metrics[4].value("optimizer_restores", 0), expected_restores) << opt;
    // Every checkpoint written holds a finite state.
    for (const auto& f : ListCheckpoints(o.out_dir)) EXPECT_NO_THROW(DecodeCheckpoint(Slurp(f), f));
    fs::remove_all(o.out_dir);
  }
}

}  // namespace
}  // namespace neurevo
