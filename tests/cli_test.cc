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

}  // namespace
