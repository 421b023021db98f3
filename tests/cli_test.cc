// The command-line contract, checked by running the real binary: exit
// status 2 and one line naming the key for bad input, nothing created or
// overwritten on disk, and the documented output of eval and rollout.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/sanitizers.h"

namespace {

namespace fs = std::filesystem;

struct Result {
  int status;
  std::string out, err;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path Scratch() {
  const fs::path dir = fs::temp_directory_path() / ("neurevo_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

Result RunNeurevo(const std::string& args) {
  const fs::path dir = Scratch();
  const std::string cmd = std::string(NEUREVO_BINARY) + " " + args + " > " + (dir / "out").string() +
                          " 2> " + (dir / "err").string();
  const int raw = std::system(cmd.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, Slurp(dir / "out"), Slurp(dir / "err")};
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(Cli, BadInputExitsWithStatus2OneLineAndNoRunDirectory) {
  const fs::path out = Scratch() / "never";
  for (const std::string args :
       {"--set model.kindd=bnn", "--set model.substeps=-1", "--set model.kind=lstm",
        "--set model.substeps=0 --set task.name=MountainCarContinuous-v0",
        "--set task.name=Nope-v0", "--set optimizer.sigma0=abc", "--set budget.env_steps=0",
        "--set budget.env_steps=5000 --set eval.episodes=5",
        "--set task.options.include_cfrc_ext_in_observation=false"}) {
    const Result r = RunNeurevo("train " + args + " --out " + out.string());
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(Lines(r.err), 1) << args << ": " << r.err;
    const std::string key = args.substr(6, args.find('=') - 6);
    EXPECT_NE(r.err.find(key), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
}

// A budget too small for one generation names the smallest that fits:
// (10 individuals + 2 x 10 validation episodes) x 500 steps.
TEST(Cli, BudgetBelowOneGenerationNamesTheSmallestThatFits) {
  const fs::path out = Scratch() / "never_small";
  const Result r = RunNeurevo("train --set budget.env_steps=5000 --set eval.episodes=5 --out " + out.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("budget.env_steps: 5000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(">= 15000"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(out));
}

// Without an evaluation the final lines say so instead of printing a mean.
TEST(Cli, SkippedEvaluationPrintsNoMean) {
  const fs::path run = Scratch() / "no_eval";
  fs::remove_all(run);
  const Result r = RunNeurevo("train --quiet --set budget.generations=2 --set eval.episodes=0 --out " + run.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("no held-out evaluation (eval.episodes = 0)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("evaluation over"), std::string::npos) << r.out;  // no evaluation mean
  EXPECT_NE(r.out.find("best genome from generation "), std::string::npos) << r.out;
  // `eval` of such a run needs an explicit --episodes.
  EXPECT_EQ(RunNeurevo("eval " + run.string()).status, 2);
  EXPECT_EQ(RunNeurevo("eval " + run.string() + " --episodes 2").status, 0);
}

TEST(Cli, TrainEvalAndRolloutWork) {
  const fs::path run = Scratch() / "run";
  fs::remove_all(run);
  Result r = RunNeurevo("train --quiet --set budget.generations=3 --set eval.episodes=5 --threads 2 --out " +
                 run.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("evaluation over 5 held-out episodes: mean"), std::string::npos) << r.out;
  const auto summary = nlohmann::json::parse(Slurp(run / "summary.json"));

  // With no options eval takes the run's own eval.episodes (5) and seed.
  r = RunNeurevo("eval " + run.string());
  ASSERT_EQ(r.status, 0) << r.err;
  const auto eval = nlohmann::json::parse(r.out);
  EXPECT_EQ(eval["episodes"], 5);
  EXPECT_EQ(eval["mean"], summary["eval_mean"]);  // same seed, same episodes
  EXPECT_EQ(eval["std"], summary["eval_std"]);
  r = RunNeurevo("eval " + run.string() + " --episodes 3");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["episodes"], 3);

  const fs::path traj = Scratch() / "traj.jsonl";
  r = RunNeurevo("rollout " + run.string() + " --episodes 2 --out " + traj.string());
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(traj);
  std::string line;
  int episodes_ended = 0, resets = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    if (j["kind"] == "reset") {
      ++resets;
      continue;
    }
    episodes_ended += j["terminated"].get<bool>() || j["truncated"].get<bool>();
  }
  EXPECT_EQ(resets, 2);
  EXPECT_EQ(episodes_ended, 2);
  EXPECT_FALSE(fs::exists(traj.string() + ".partial"));

  // Training into an existing run directory is refused; nothing is touched.
  const std::string before = Slurp(run / "summary.json");
  r = RunNeurevo("train --quiet --set budget.generations=1 --out " + run.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(Slurp(run / "summary.json"), before);
}

// `rollout --out FILE` streams: FILE.partial grows while episodes run (it
// does not hold the output in memory), and a killed rollout leaves no FILE.
TEST(Cli, RolloutStreamsAndAKilledOneLeavesNoFile) {
  const fs::path run = Scratch() / "stream_run";
  fs::remove_all(run);
  ASSERT_EQ(RunNeurevo("train --quiet --set budget.generations=1 --set eval.episodes=1 --set model.kind=mlp "
                       "--set 'model.mlp_hidden=[4]' --out " + run.string()).status,
            0);
  const fs::path traj = Scratch() / "stream.jsonl", partial = Scratch() / "stream.jsonl.partial";
  fs::remove(traj);
  fs::remove(partial);
  const fs::path pid_file = Scratch() / "rollout.pid";
  std::system((std::string(NEUREVO_BINARY) + " rollout " + run.string() + " --episodes 1000000 --out " +
               traj.string() + " > /dev/null 2>&1 & echo $! > " + pid_file.string())
                  .c_str());
  const pid_t pid = std::stoi(Slurp(pid_file));
  std::uintmax_t seen = 0;
  for (int i = 0; i < 400 && seen < (1u << 20); ++i) {  // up to 20 s for 1 MB
    ::usleep(50000);
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(partial, ec);
    if (!ec) seen = size;
  }
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) ::usleep(20000);
  EXPECT_GE(seen, 1u << 20) << "the output did not grow while the rollout ran";
  EXPECT_FALSE(fs::exists(traj)) << "a killed rollout left a file that looks complete";
  // What was streamed is whole lines in order, but for the one being written.
  std::ifstream in(partial);
  std::string line;
  int parsed = 0;
  while (std::getline(in, line) && !in.eof()) {
    nlohmann::json::parse(line);
    ++parsed;
  }
  EXPECT_GT(parsed, 100);
  fs::remove(partial);
}

TEST(Cli, RolloutOfABadRunDirectoryLeavesTheOutputFileAlone) {
  const fs::path keep = Scratch() / "keep.jsonl";
  std::ofstream(keep) << "precious\n";
  const Result r = RunNeurevo("rollout /nonexistent/run --out " + keep.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(Slurp(keep), "precious\n");
}

// Issue 17, the hostile configs of the outside probe: each exits 2 with one
// line naming its key, and creates no run directory.
TEST(Cli, HostileConfigsAreRefusedNamingTheirKey) {
  const fs::path dir = Scratch() / "never";
  const std::string huge(100000, 'x');  // one argument may have at most 128 KB
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--set model.excitatory=4000 --set model.inhibitory=0 --set optimizer.kind=sep_cma_es", "model.excitatory=4000"},
      {"--set islands.count=100000 --set budget.env_steps=0 --set budget.generations=1", "islands.count=100000"},
      {"--set optimizer.population=1000000", "budget.env_steps: 500000 is less than one generation's worst case"},
      {"--set model.input_gain_pA=inf", "model.input_gain_pA"},
      {"--set model.input_bias_pA=-inf", "model.input_bias_pA"},
      {"--set model.tau_m_ms=1e-300", "model.tau_m_ms"},
      {"--set model.c_m_pF=1e-300", "model.c_m_pF"},
      {"--set model.weight_max_nS=1e308", "model.weight_max_nS"},
      {"--seed 18446744073709551615", "run.seed: 18446744073709551615 is out of range"},
      {"--set run.seed=99999999999999999999", "run.seed: 99999999999999999999 is out of range"},
      {"--set \"$(printf 'task.name=CartPole-v1\\nmodel.kind=snn')\"", "a value must be one line"},
      {"--set task.name=" + huge, "(100000 bytes)"},
  };
  for (const auto& [args, says] : cases) {
    const Result r = RunNeurevo("train --quiet --out " + dir.string() + " " + args);
    EXPECT_EQ(r.status, 2) << args.substr(0, 100) << ": " << r.err.substr(0, 300);
    EXPECT_EQ(Lines(r.err), 1) << r.err.substr(0, 300);
    EXPECT_LT(r.err.size(), 3000u);
    EXPECT_NE(r.err.find(says), std::string::npos) << args.substr(0, 100) << ": " << r.err.substr(0, 300);
    EXPECT_FALSE(fs::exists(dir));
  }
  std::ofstream(Scratch() / "empty_table.toml") << "[foo]\n";
  const Result r = RunNeurevo("train --quiet --out " + dir.string() + " " + (Scratch() / "empty_table.toml").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("foo: unknown key"), std::string::npos) << r.err;
}

// A seed must be what it says: CLI11 alone reads "-1" and any number above 2^64 - 1 as 2^64 - 1.
TEST(Cli, SeedsThatAreNotDecimalIntegersBelow2To64AreRefused) {
  const fs::path dir = Scratch() / "never";
  for (const std::string seed : {"-1", "99999999999999999999999", "18446744073709551616", "1x", "0x10", "1e3"}) {
    for (const std::string command : {"train --quiet --out " + dir.string(), "eval " + dir.string(),
                                      "render " + dir.string() + " --out x.mp4"}) {
      const Result r = RunNeurevo(command + " --seed " + seed);
      EXPECT_EQ(r.status, 2) << command << " --seed " << seed;
      EXPECT_NE(r.err.find("seed " + seed + ": a decimal integer in [0, 2^64) is needed"), std::string::npos)
          << command << " --seed " << seed << ": " << r.err;
      EXPECT_FALSE(fs::exists(dir));
    }
  }
}

// Issue 17: more threads than the system allows (here an address-space
// limit, as `ulimit -v`, too small for 200 stacks) is a clear error naming
// run.threads, not a hang; no run directory is left.
TEST(Cli, ThreadsTheSystemRefusesAreAClearErrorNotAHang) {
  if (neurevo::kSanitized) GTEST_SKIP() << "sanitizers reserve more address space than the limit allows";
  const fs::path dir = Scratch() / "threads";
  // The estimate is told there is plenty, so that the pool itself meets the limit.
  const std::string cmd = "bash -c 'ulimit -v 700000; NEUREVO_MEMORY_LIMIT_BYTES=1e15 exec timeout 60 " + std::string(NEUREVO_BINARY) +
                          " train --quiet --threads 200 --set budget.generations=1 --out " + dir.string() + "'";
  const std::string full = cmd + " > " + (Scratch() / "out").string() + " 2> " + (Scratch() / "err").string();
  const int raw = std::system(full.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  const std::string err = Slurp(Scratch() / "err");
  EXPECT_EQ(WEXITSTATUS(raw), 2) << err;
  EXPECT_NE(err.find("run.threads (--threads) = 200"), std::string::npos) << err;
  EXPECT_EQ(Lines(err), 1) << err;
  EXPECT_FALSE(fs::exists(dir));
}

// Issue 17: eval and rollout refuse a genome whose run's config.toml was
// edited to another model or task (bnn to snn kept every size and evaluated).
TEST(Cli, EvalAndRolloutRefuseAGenomeOfAnotherConfig) {
  const fs::path run = Scratch() / "edited";
  fs::remove_all(run);
  Result r = RunNeurevo("train --quiet --set budget.generations=1 --set eval.episodes=1 --set model.excitatory=4 "
                        "--set model.inhibitory=4 --out " + run.string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string original = Slurp(run / "config.toml");
  // The first line that sets `from` (model.kind comes before optimizer.kind) becomes `to`.
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"kind = ", "kind = 'snn'"}, {"name = ", "name = 'Acrobot-v1'"},
           {"obs_clip = ", "obs_clip = 4.0"}, {"weight_max_nS = ", "weight_max_nS = 0.06"}}) {
    std::string edited = original;
    const size_t at = edited.find("\n" + from);
    ASSERT_NE(at, std::string::npos) << from << " in " << original;
    edited.replace(at + 1, edited.find('\n', at + 1) - at - 1, to);
    std::ofstream(run / "config.toml") << edited;
    for (const std::string cmd : {"eval ", "rollout "}) {
      r = RunNeurevo(cmd + run.string());
      EXPECT_EQ(r.status, 2) << cmd << to << ": " << r.err;
      EXPECT_NE(r.err.find("best_genome.json"), std::string::npos) << r.err;
      EXPECT_EQ(Lines(r.err), 1) << r.err;
    }
  }
  std::ofstream(run / "config.toml") << original;
  EXPECT_EQ(RunNeurevo("eval " + run.string() + " --episodes 2").status, 0);
}

// Issue 17: under an address-space limit a large config is refused by the
// memory estimate (exit 2, naming its keys); and if memory still runs out
// (here the estimate is told there is plenty) the last line of defence says
// "out of memory while training" (exit 1), not "std::bad_alloc" or a crash.
TEST(Cli, OutOfMemoryIsRefusedOrReportedInOneLine) {
  if (neurevo::kSanitized) GTEST_SKIP() << "sanitizers reserve more address space than the limit allows";
  const std::string big = " train --quiet --threads 1 --set model.excitatory=1500 --set model.inhibitory=0 --set "
                          "optimizer.kind=sep_cma_es --set budget.generations=1 --out ";
  for (const std::string env : {"", "NEUREVO_MEMORY_LIMIT_BYTES=1e15 "}) {
    const fs::path dir = Scratch() / ("oom" + std::to_string(env.size()));
    fs::remove_all(dir);
    const std::string cmd = "bash -c 'ulimit -v 1000000; " + env + "exec timeout 120 " + std::string(NEUREVO_BINARY) +
                            big + dir.string() + "' > " + (Scratch() / "out").string() + " 2> " +
                            (Scratch() / "err").string();
    const int raw = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(raw));
    const std::string err = Slurp(Scratch() / "err");
    EXPECT_EQ(Lines(err), 1) << err;
    if (env.empty()) {
      EXPECT_EQ(WEXITSTATUS(raw), 2) << err;
      EXPECT_NE(err.find("model.excitatory=1500, model.inhibitory=0, optimizer.kind=sep_cma_es: needs about"),
                std::string::npos) << err;
      EXPECT_NE(err.find("(ulimit -v)"), std::string::npos) << err;
      EXPECT_FALSE(fs::exists(dir));
    } else {
      EXPECT_EQ(WEXITSTATUS(raw), 1) << err;
      EXPECT_NE(err.find("out of memory while training"), std::string::npos) << err;
    }
  }
}

}  // namespace
