// Hostile files and run directories (issue 17): nesting deep enough to
// overflow a parser's stack, FIFOs and devices in place of files, sizes no
// file of ours has, counters that would overflow, and directories that are
// not what they should be. Each is refused with exit status 2 naming the
// file, or skipped as an unusable checkpoint in favour of an older one; no
// crash, no hang, and nothing the user had is changed or lost.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/train.h"
#include "train/checkpoint.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

fs::path Scratch(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("neurevo_hostile_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

struct Result {
  int status;
  std::string err;
};

// The real binary, killed after 60 s: a hang fails the test instead of
// blocking the suite.
Result Neurevo(const std::string& args, const std::string& prefix = "") {
  const fs::path err = Scratch("stderr");
  const std::string cmd = prefix + "timeout -s KILL 60 " + NEUREVO_BINARY + " " + args + " > /dev/null 2> " +
                          err.string();
  const int raw = std::system(cmd.c_str());
  Result r{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, Slurp(err)};
  fs::remove(err);
  return r;
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// Every file of a directory tree with its bytes (FIFOs as a marker).
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? Slurp(e.path()) : "<special>";
  return files;
}

nlohmann::json Deterministic(nlohmann::json s) {
  s.erase("wall_seconds");
  s.erase("train_seconds");
  s.erase("run_dir");
  return s;
}

const std::vector<std::string> kRun = {"model.excitatory=3", "model.inhibitory=3", "budget.generations=6",
                                       "checkpoint.interval=2", "eval.episodes=2", "run.threads=1"};
std::string SetArgs() {
  std::string out;
  for (const auto& s : kRun) out += " --set " + s;
  return out;
}

TrainOptions Quiet(const std::string& dir) {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = dir;
  return o;
}

// A finished run (checkpoints at generations 4 and 6) and its summary.
struct Reference {
  fs::path dir = Scratch("reference");
  nlohmann::json summary = Deterministic(Train(ParseConfig("", kRun), Quiet(dir.string())));
  ~Reference() { fs::remove_all(dir); }
};
const Reference& Ref() {
  static const Reference r;
  return r;
}

fs::path CopyOfReference(const std::string& name) {
  const fs::path dir = Scratch(name);
  fs::copy(Ref().dir, dir, fs::copy_options::recursive);
  fs::remove(dir / "summary.json");
  return dir;
}

// A checkpoint file around any payload (valid header and CRC).
std::string Wrap(const std::string& payload) {
  std::string out("NEURCKPT", 8);
  auto put = [&](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(kCheckpointFormatVersion, 4);
  put(Crc32(payload), 4);
  put(payload.size(), 8);
  return out + payload;
}

// Replaces the newest checkpoint of `dir` with `bytes`, resumes, and checks
// that the run fell back to the older one and finished as the reference
// did, with the bad file set aside.
void ExpectFallBack(const std::string& what, const std::function<void(const fs::path&)>& damage) {
  const fs::path dir = CopyOfReference("fallback");
  const fs::path newest = ListCheckpoints(dir.string()).at(0);
  damage(newest);
  try {
    EXPECT_EQ(Deterministic(ResumeTraining({}, Quiet(dir.string()))), Ref().summary) << what;
    EXPECT_TRUE(fs::exists(newest.string() + ".unusable")) << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": did not fall back: " << e.what();
  }
  fs::remove_all(dir);
}

TEST(HostileInput, DeepAndSpecialConfigsAreRefusedWithStatus2) {
  const fs::path dir = Scratch("configs");
  fs::create_directories(dir);
  const std::vector<std::pair<std::string, std::string>> deep = {
      {"dotted.toml", "a" + Repeat(".a", 50000) + " = 1\n"},
      {"header.toml", "[a" + Repeat(".a", 50000) + "]\n"},
      {"tables.toml", "[[a" + Repeat(".a", 50000) + "]]\n"},
      {"inline.toml", "x = " + Repeat("{a = ", 50000) + "1" + Repeat("}", 50000) + "\n"},
      {"arrays.toml", "x = " + Repeat("[", 50000) + Repeat("]", 50000) + "\n"},
      {"big.toml", "# " + std::string(2 << 20, 'x') + "\n"}};
  for (const auto& [name, text] : deep) Write(dir / name, text);
  ASSERT_EQ(::mkfifo((dir / "fifo.toml").c_str(), 0644), 0);
  const fs::path out = dir / "never";
  for (const std::string name : {"dotted.toml", "header.toml", "tables.toml", "inline.toml", "arrays.toml",
                                 "big.toml", "fifo.toml"}) {
    const Result r = Neurevo("train " + (dir / name).string() + " --out " + out.string());
    EXPECT_EQ(r.status, 2) << name << ": " << r.err;
    EXPECT_EQ(Lines(r.err), 1) << name << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << name;
  }
  const Result zero = Neurevo("train /dev/zero --out " + out.string());
  EXPECT_EQ(zero.status, 2) << zero.err;
  EXPECT_NE(zero.err.find("/dev/zero: not a regular file"), std::string::npos) << zero.err;
  fs::remove_all(dir);
}

TEST(HostileInput, RunDirectoryFilesThatAreDeepSpecialOrHugeAreRefused) {
  // Each damage to a copy of a finished run; eval, rollout and resume must
  // refuse it with status 2 naming the file, changing nothing.
  const std::vector<std::tuple<std::string, std::string, std::function<void(const fs::path&)>>> cases = {
      {"config.toml", "a FIFO", [](const fs::path& p) { fs::remove(p); ::mkfifo(p.c_str(), 0644); }},
      {"config.toml", "deep", [](const fs::path& p) { Write(p, "[a" + Repeat(".a", 50000) + "]\n"); }},
      {"config.toml", "/dev/zero", [](const fs::path& p) { fs::remove(p); fs::create_symlink("/dev/zero", p); }},
      {"config.toml", "a directory", [](const fs::path& p) { fs::remove(p); fs::create_directory(p); }},
      {"best_genome.json", "a FIFO", [](const fs::path& p) { fs::remove(p); ::mkfifo(p.c_str(), 0644); }},
      {"best_genome.json", "deep", [](const fs::path& p) { Write(p, Repeat("[", 200000)); }},
      {"best_genome.json", "/dev/zero", [](const fs::path& p) { fs::remove(p); fs::create_symlink("/dev/zero", p); }},
      {"best_genome.json", "huge", [](const fs::path& p) { Write(p, std::string(40 << 20, ' ')); }},
      {"best_genome.json", "a directory", [](const fs::path& p) { fs::remove(p); fs::create_directory(p); }},
      {"metrics.jsonl", "a FIFO", [](const fs::path& p) { fs::remove(p); ::mkfifo(p.c_str(), 0644); }},
      {"metrics.jsonl", "a directory", [](const fs::path& p) { fs::remove(p); fs::create_directory(p); }},
      {"checkpoints", "a regular file", [](const fs::path& p) { fs::remove_all(p); Write(p, "x"); }},
  };
  for (const auto& [file, how, damage] : cases) {
    const fs::path dir = CopyOfReference("rundir");
    damage(dir / file);
    const auto before = Snapshot(dir);
    // Resume rewrites best_genome.json from the checkpoint without reading
    // it, so only what cannot be a file is refused there.
    std::vector<std::string> commands;
    if (file != "best_genome.json" || how == "a FIFO" || how == "a directory")
      commands.push_back("train --quiet --resume " + dir.string());
    if (file == "config.toml" || file == "best_genome.json")
      commands.push_back("eval " + dir.string() + " --episodes 1"),
          commands.push_back("rollout " + dir.string() + " --out " + (dir / "x.jsonl").string());
    for (const auto& command : commands) {
      const auto start = std::chrono::steady_clock::now();
      const Result r = Neurevo(command);
      EXPECT_EQ(r.status, 2) << file << " " << how << ": " << command << ": " << r.err;
      EXPECT_EQ(Lines(r.err), 1) << r.err;
      EXPECT_NE(r.err.find(file), std::string::npos) << file << " " << how << ": " << r.err;
      EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30)) << file << " " << how;
      EXPECT_EQ(Snapshot(dir), before) << file << " " << how << ": " << command;
    }
    fs::remove_all(dir);
  }
}

TEST(HostileInput, BadNewestCheckpointFallsBackToTheOlderOne) {
  ExpectFallBack("a FIFO", [](const fs::path& p) { fs::remove(p); ::mkfifo(p.c_str(), 0644); });
  ExpectFallBack("a directory", [](const fs::path& p) { fs::remove(p); fs::create_directory(p); });
  ExpectFallBack("200000 nested CBOR arrays", [](const fs::path& p) {
    Write(p, Wrap(Repeat("\x81", 200000) + std::string(1, '\0')));
  });
  ExpectFallBack("200000 nested CBOR tags", [](const fs::path& p) { Write(p, Wrap(Repeat("\xc6", 200000) + "\x01")); });
  ExpectFallBack("a deep config inside", [](const fs::path& p) {
    RunState s = DecodeCheckpoint(Slurp(p), p.string());
    s.config_toml = "[a" + Repeat(".a", 50000) + "]\n";
    Write(p, EncodeCheckpoint(s));
  });
  // Counters (valid CRC) that would overflow or that the config cannot
  // produce in the checkpoint's generations.
  const long long kHuge = std::numeric_limits<long long>::max();
  const std::vector<std::pair<std::string, std::function<void(RunState&)>>> counters = {
      {"env_steps 2^63-1", [&](RunState& s) { s.env_steps = kHuge; }},
      {"env_steps 2^53", [](RunState& s) { s.env_steps = 1LL << 53; }},
      {"env_steps beyond the config", [](RunState& s) {
         const RunConfig c = ParseConfig("", kRun);  // CartPole: at most 500 steps an episode
         s.env_steps = s.generation * (c.optimizer.population * c.train_episodes + 2 * c.validation_episodes) * 500 + 1;
       }},
      {"env_steps -1", [](RunState& s) { s.env_steps = -1; }},
      {"generation 2^63-1", [&](RunState& s) { s.generation = kHuge; }},
      {"generation -5", [](RunState& s) { s.generation = -5; }},
      {"failed_episodes huge", [&](RunState& s) { s.failed_episodes = kHuge; }},
      {"failed_episodes beyond the config", [](RunState& s) { s.failed_episodes = s.failed_individuals = 1000; }},
      {"failed_individuals > failed_episodes", [](RunState& s) { s.failed_individuals = s.failed_episodes + 1; }},
      {"optimizer_restores huge", [&](RunState& s) { s.optimizer_restores = kHuge - 1; }},
      {"restore_generation after generation", [](RunState& s) { s.restore_generation = s.generation + 1; }},
      {"metrics_bytes huge", [](RunState& s) { s.metrics_bytes = ~uint64_t{0}; }},
      {"best from the future", [](RunState& s) { s.best->generation = s.generation; }},
      {"best validated too often", [](RunState& s) { s.best->validation_episodes = 1000; }},
  };
  for (const auto& [what, mutate_state] : counters) {
    const auto& mutate = mutate_state;  // (clang 14 lambdas cannot capture structured bindings)
    ExpectFallBack(what, [&](const fs::path& p) {
      RunState s = DecodeCheckpoint(Slurp(p), p.string());
      mutate(s);
      Write(p, EncodeCheckpoint(s));
    });
  }
}

TEST(HostileInput, OverflowingCountersInEveryCheckpointAreRefused) {
  const fs::path dir = CopyOfReference("overflow");
  for (const auto& file : ListCheckpoints(dir.string())) {
    RunState s = DecodeCheckpoint(Slurp(file), file);
    s.env_steps = std::numeric_limits<long long>::max();
    Write(file, EncodeCheckpoint(s));
  }
  const auto before = Snapshot(dir);
  const Result r = Neurevo("train --quiet --resume " + dir.string() + " --set budget.generations=100");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("no usable checkpoint"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("env_steps"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(dir), before);
  fs::remove_all(dir);
}

// The README's promise: metrics.jsonl cut between two checkpoints resumes
// from the older checkpoint, whose prefix still matches.
TEST(HostileInput, MetricsCutBetweenCheckpointsResumesFromTheOlderOne) {
  const fs::path dir = CopyOfReference("metrics");
  const RunState older = DecodeCheckpoint(Slurp(ListCheckpoints(dir.string()).at(1)), "older");
  const std::string metrics = Slurp(dir / "metrics.jsonl");
  ASSERT_GT(metrics.size(), older.metrics_bytes + 10);
  Write(dir / "metrics.jsonl", metrics.substr(0, older.metrics_bytes + 10));  // half a line after it
  EXPECT_EQ(Deterministic(ResumeTraining({}, Quiet(dir.string()))), Ref().summary);
  std::string resumed = Slurp(dir / "metrics.jsonl"), reference = Slurp(Ref().dir / "metrics.jsonl");
  EXPECT_EQ(std::count(resumed.begin(), resumed.end(), '\n'), std::count(reference.begin(), reference.end(), '\n'));
  fs::remove_all(dir);
}

TEST(HostileInput, NeurevoDeletesOnlyItsOwnFiles) {
  // --out a directory holding a user's .tmp file: refused, file kept.
  const fs::path dir = Scratch("out");
  fs::create_directories(dir);
  Write(dir / "notes.tmp", "precious\n");
  Write(dir / "config.toml.tmp", "mine too\n");
  const auto before = Snapshot(dir);
  const Result r = Neurevo("train --quiet --out " + dir.string() + SetArgs());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(Snapshot(dir), before);
  // Only leftovers of neurevo's own naming: the directory is used.
  fs::remove(dir / "notes.tmp");
  fs::remove(dir / "config.toml.tmp");
  Write(dir / ".neurevo-config.toml.tmp", "half");
  EXPECT_EQ(Neurevo("train --quiet --out " + dir.string() + SetArgs()).status, 0);
  EXPECT_FALSE(fs::exists(dir / ".neurevo-config.toml.tmp"));
  fs::remove_all(dir);
}

// A full disk (here: the file size limit, with SIGXFSZ ignored, as a shell
// would set it) stops the run; once space is back, resume works in place
// and finishes as the uninterrupted run did, with no stale files left.
TEST(HostileInput, ResumeAfterADiskFullFailureWorksInPlace) {
  const fs::path dir = Scratch("diskfull");
  // Checkpoints are ~500 KB, every other file a few KB: the first checkpoint fails.
  const Result full = Neurevo("train --quiet --out " + dir.string() + SetArgs(), "trap '' XFSZ; ulimit -f 200; ");
  EXPECT_EQ(full.status, 1) << full.err;
  EXPECT_NE(full.err.find("cannot write"), std::string::npos) << full.err;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  // Stale temporary files of an older failure do not get in the way either.
  Write(dir / ".neurevo-best_genome.json.tmp", "stale");
  Write(dir / "notes.tmp", "a user's");
  const Result resumed = Neurevo("train --quiet --resume " + dir.string());
  EXPECT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_EQ(Deterministic(nlohmann::json::parse(Slurp(dir / "summary.json"))), Ref().summary);
  EXPECT_FALSE(fs::exists(dir / ".neurevo-best_genome.json.tmp"));
  EXPECT_EQ(Slurp(dir / "notes.tmp"), "a user's");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace neurevo
