// neurevo: the command-line tool, a thin layer over the library.
//
//   neurevo train [CONFIG.toml] [--set key=value]... [--out DIR] [--threads N] [--seed S]
//   neurevo train --resume RUN_DIR [--set budget.KEY=value]... [--threads N]
//   neurevo eval RUN_DIR [--episodes N] [--seed S]
//   neurevo rollout RUN_DIR [--episodes N] [--seed S] [--out FILE]
//   neurevo config [--markdown]     (every key with its default)
//
// Exit status: 0 success, 2 invalid input (one line naming the key or file),
// 130 interrupted, 1 any other failure.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "core/files.h"
#include "neurevo/cluster.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/train.h"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnSignal(int sig) {
  if (g_stop.exchange(true)) {
    // A second Ctrl-C: leave at once. Every file is written atomically, so
    // the last checkpoint is intact.
    std::_Exit(128 + sig);
  }
  static const char kMessage[] =
      "\nneurevo: stopping: abandoning the generation in flight and checkpointing (Ctrl-C again to exit at once)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

int Run(int argc, char** argv, neurevo::Cluster& cluster) {
  CLI::App app{"neurevo: evolve biologically grounded neurodynamic networks into controllers"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "neurevo 0.1.0");

  // train
  auto* train = app.add_subcommand("train", "Train a controller (no CONFIG: the built-in default)");
  std::string config_path, out_dir, resume_dir;
  std::vector<std::string> sets;
  std::optional<int> threads;
  std::optional<uint64_t> train_seed;
  bool quiet = false;
  // Checked when read (core/files.h): a missing, special or oversized file is
  // refused there, in one line naming it.
  train->add_option("config", config_path, "TOML config file");
  train->add_option("--set", sets, "Override a key: --set model.kind=snn (repeatable)")->allow_extra_args(false);
  train->add_option("--out", out_dir, "Run directory (default: runs/<task>-<model>-<optimizer>-seed<S>-<time>)");
  train->add_option("--threads", threads, "Worker threads (default: run.threads; 0 = all)")->check(CLI::Range(0, 4096));
  train->add_option("--seed", train_seed, "Seed (default: run.seed)");
  train->add_flag("--quiet", quiet, "No progress output");
  auto* resume_opt = train->add_option("--resume", resume_dir,
                                       "Continue a stopped or killed run from its last checkpoint "
                                       "(--set may change budget.* only)");
  resume_opt->excludes(train->get_option("config"))->excludes(train->get_option("--out"))
      ->excludes(train->get_option("--seed"));

  // eval
  auto* eval = app.add_subcommand("eval", "Re-evaluate a run's best genome; prints JSON");
  std::string eval_dir;
  int eval_episodes = 100;
  std::optional<uint64_t> eval_seed;
  std::optional<int> eval_threads;
  eval->add_option("run_dir", eval_dir, "Run directory")->required();
  eval->add_option("--episodes", eval_episodes, "Episodes (default 100)")->check(CLI::Range(1, 100000000));
  eval->add_option("--seed", eval_seed, "Seed of the held-out episodes (default: the run's)");
  eval->add_option("--threads", eval_threads, "Worker threads (default: all)")->check(CLI::Range(0, 4096));

  // rollout
  auto* rollout = app.add_subcommand("rollout", "Run the best genome; one JSON line per step");
  std::string rollout_dir, rollout_out;
  int rollout_episodes = 1;
  std::optional<uint64_t> rollout_seed;
  rollout->add_option("run_dir", rollout_dir, "Run directory")->required();
  rollout->add_option("--episodes", rollout_episodes, "Episodes (default 1)")->check(CLI::Range(1, 1000000));
  rollout->add_option("--seed", rollout_seed, "Seed (default: the run's)");
  rollout->add_option("--out", rollout_out, "Output file (default: standard output)");

  // config
  auto* config_cmd = app.add_subcommand("config", "Print every config key with its default");
  bool markdown = false;
  config_cmd->add_flag("--markdown", markdown, "As the README's Markdown table");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*train) {
    std::vector<std::string> overrides = sets;
    if (threads) overrides.push_back(fmt::format("run.threads={}", *threads));
    if (train_seed) overrides.push_back(fmt::format("run.seed={}", *train_seed));
    neurevo::TrainOptions options;
    options.cluster = &cluster;
    options.terminal = isatty(STDERR_FILENO);
    options.quiet = quiet;
    options.stop_requested = &g_stop;
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    nlohmann::json summary;
    if (!resume_dir.empty()) {
      options.out_dir = resume_dir;
      summary = neurevo::ResumeTraining(overrides, options);
    } else {
      // Everything is validated before the run directory is created.
      const neurevo::RunConfig config = config_path.empty()
                                            ? neurevo::ParseConfig("", overrides, "default config")
                                            : neurevo::LoadConfigFile(config_path, overrides);
      options.out_dir = out_dir.empty() ? neurevo::DefaultRunDir(config) : out_dir;
      summary = neurevo::Train(config, options);
    }
    if (!cluster.root()) return summary["stop_reason"] == "interrupted" ? 130 : 0;  // rank 0 reports
    if (summary["stop_reason"] == "interrupted") {
      fmt::print(stderr, "interrupted after {} complete generations; continue with: neurevo train --resume {}\n",
                 summary["generations"].get<long long>(), options.out_dir);
      return 130;
    }
    fmt::print("best training fitness {:.2f} after {} generations and {} env steps ({})\n",
               summary["best_fitness"].get<double>(), summary["generations"].get<long long>(),
               summary["env_steps"].get<long long>(), summary["stop_reason"].get<std::string>());
    fmt::print("evaluation over {} held-out episodes: mean {:.2f}, std {:.2f}\n",
               summary["eval_episodes"].get<int>(), summary["eval_mean"].get<double>(),
               summary["eval_std"].get<double>());
    fmt::print("run directory: {}\n", options.out_dir);
    return 0;
  }
  // The other subcommands are single-process work: other ranks stand by.
  if (!cluster.root()) return 0;
  if (*eval) {
    const auto result = neurevo::EvaluateRun(eval_dir, eval_episodes, eval_seed ? &*eval_seed : nullptr,
                                             eval_threads.value_or(0));
    fmt::print("{}\n", result.dump(2));
    return 0;
  }
  if (*rollout) {
    if (rollout_out.empty()) {
      neurevo::RolloutRun(rollout_dir, rollout_episodes, rollout_seed ? &*rollout_seed : nullptr, std::cout);
    } else {
      // Written only once the rollout succeeded, atomically: a bad run
      // directory never truncates an existing file.
      std::ostringstream out;
      neurevo::RolloutRun(rollout_dir, rollout_episodes, rollout_seed ? &*rollout_seed : nullptr, out);
      neurevo::WriteFileAtomic(rollout_out, out.str());
    }
    return 0;
  }
  if (*config_cmd) {
    if (markdown) fmt::print("{}", neurevo::ConfigReferenceMarkdown());
    else fmt::print("{}", neurevo::ConfigToToml(neurevo::RunConfig{}));
    return 0;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_pattern("[%H:%M:%S] %v");
  // Before any thread starts: MPI is initialised here when mpirun started us.
  const std::unique_ptr<neurevo::Cluster> cluster = neurevo::MakeProcessCluster(&argc, &argv);
  try {
    return Run(argc, argv, *cluster);
  } catch (const neurevo::ConfigError& e) {
    fmt::print(stderr, "neurevo: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "neurevo: fatal: {}\n", e.what());
    return 1;
  }
}
