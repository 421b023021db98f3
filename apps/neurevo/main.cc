// neurevo: the command-line tool, a thin layer over the library.
//
//   neurevo train [CONFIG.toml] [--set key=value]... [--out DIR] [--threads N] [--seed S]
//   neurevo train --resume RUN_DIR [--set budget.KEY=value]... [--threads N]
//   neurevo eval RUN_DIR [--episodes N] [--seed S]
//   neurevo rollout RUN_DIR [--episodes N] [--seed S] [--out FILE] [--record spikes,v,g,activity [--max-bytes N]]
//   neurevo export RUN_DIR --to brian2|nest|nir --out FILE.py [--steps N] [--seed S] [--without-noise]
//   neurevo analyze RUN_DIR [--out DIR] [--episodes N] [--seed S]
//   neurevo report RUN_DIR [RUN_DIR ...] [--out report.html] [--tensorboard LOGDIR]   (the Python package's page)
//   neurevo render RUN_DIR --out FILE.mp4|FILE.png [--seed S]   (the Python package's renderer)
//   neurevo describe [CONFIG.toml] [--set key=value]... [--json]
//   neurevo config [CONFIG.toml] [--set key=value]... [--expand]
//   neurevo config --markdown       (every key with its default)
//
// Exit status: 0 success, 2 invalid input (one line naming the key or file),
// 130 interrupted, 1 any other failure.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <vector>

#include "core/files.h"
#include "neurevo/cluster.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/train.h"
#include "train/analyze_run.h"
#include "train/export_run.h"
#include "train/rollout_recording.h"

namespace {

std::atomic<bool> g_stop{false};
// What the tool is doing, for the last-resort out-of-memory message.
const char* g_doing = "reading the command line";

extern "C" void OnSignal(int) {
  if (g_stop.exchange(true)) {
    // A second Ctrl-C (or SIGTERM): leave at once, with the README's status
    // for an interrupted run. Every file is written atomically, so the last
    // checkpoint is intact.
    std::_Exit(130);
  }
  static const char kMessage[] =
      "\nneurevo: stopping: abandoning the generation in flight and checkpointing (Ctrl-C again to exit at once)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
}

// The final lines of `train`: the same names as the progress line,
// summary.json and the README, and no number for what did not run.
void PrintResult(const nlohmann::json& s) {
  fmt::print("{} generations, {} env steps (stopped: {})\n", s["generations"].get<long long>(),
             s["env_steps"].get<long long>(), s["stop_reason"].get<std::string>());
  if (s["best_generation"].is_null()) {
    fmt::print("no best genome\n");
  } else if (s["best_validated_mean"].is_null()) {
    fmt::print("best genome from generation {}: best training fitness {:.2f}\n", s["best_generation"].get<long long>(),
               s["best_training_fitness"].get<double>());
  } else {
    fmt::print("best genome from generation {}: best validated mean {:.2f} over {} episodes (its training "
               "fitness {:.2f})\n",
               s["best_generation"].get<long long>(), s["best_validated_mean"].get<double>(),
               s["best_validated_episodes"].get<long long>(), s["best_training_fitness"].get<double>());
  }
  if (s["eval_skipped"].is_null()) {
    fmt::print("evaluation over {} held-out episodes: mean {:.2f}, std {:.2f}", s["eval_episodes"].get<int>(),
               s["eval_mean"].get<double>(), s["eval_std"].get<double>());
    // The task's info terms per episode (MemoryLength's "correct": the accuracy).
    if (s.contains("eval_info"))
      for (const auto& [name, value] : s["eval_info"].items()) fmt::print(", {} {:.4g}", name, value.get<double>());
    fmt::print("\n");
  } else {
    fmt::print("no held-out evaluation ({})\n", s["eval_skipped"].get<std::string>());
  }
}

// An error message as printed: one line, and never a whole huge input (the
// messages quote values through neurevo::Echo; this bounds the rest).
std::string Shorten(std::string message) {
  constexpr size_t kMax = 2000;
  for (char& ch : message)
    if (ch == '\n' || ch == '\r') ch = ' ';
  if (message.size() > kMax) message = fmt::format("{}… ({} bytes)", message.substr(0, kMax), message.size());
  return message;
}

// A seed as typed: a decimal integer in [0, 2^64). CLI11 alone would take "-1" and
// "99999999999999999999999" for an uint64_t (both as 2^64 - 1), silently.
const CLI::Validator kSeed(
    [](std::string& text) -> std::string {
      const bool digits = !text.empty() && text.size() <= 20 &&
                          std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || (text.size() == 20 && text > "18446744073709551615"))
        return fmt::format("seed {}: a decimal integer in [0, 2^64) is needed", text);
      return "";
    },
    "SEED");

// Runs `python -m MODULE ARGS...` in place of this process: report and render are the Python
// package's (their plotting, rendering and encoding libraries are Python's). The Python is
// $NEUREVO_PYTHON, else the python3 beside this binary (a venv's bin/, where pip put both), else
// python3 on PATH. Returns only on failure.
int ExecPythonModule(const std::string& module, const std::vector<std::string>& module_args, const char* what) {
  std::string python = std::getenv("NEUREVO_PYTHON") ? std::getenv("NEUREVO_PYTHON") : "";
  if (python.empty()) {
    std::error_code ec;
    const auto beside = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "python3";
    python = !ec && std::filesystem::exists(beside) ? beside.string() : "python3";
  }
  std::vector<std::string> args = {python, "-m", module};
  args.insert(args.end(), module_args.begin(), module_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  ::execvp(argv[0], argv.data());
  fmt::print(stderr, "neurevo: error: cannot run {} for the {} ({}); install the Python package (pip install .) or "
             "set NEUREVO_PYTHON to a Python that has it\n", args[0], what, std::strerror(errno));
  return 1;
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
  train->add_option("--seed", train_seed, "Seed (default: run.seed)")->check(kSeed);
  train->add_flag("--quiet", quiet, "No progress output");
  auto* resume_opt = train->add_option("--resume", resume_dir,
                                       "Continue a stopped or killed run from its last checkpoint "
                                       "(--set may change budget.* only)");
  resume_opt->excludes(train->get_option("config"))->excludes(train->get_option("--out"))
      ->excludes(train->get_option("--seed"));

  // eval
  auto* eval = app.add_subcommand("eval", "Re-evaluate a run's best genome; prints JSON");
  std::string eval_dir;
  std::optional<int> eval_episodes;
  std::optional<uint64_t> eval_seed;
  std::optional<int> eval_threads;
  eval->add_option("run_dir", eval_dir, "Run directory")->required();
  eval->add_option("--episodes", eval_episodes, "Episodes (default: the run's eval.episodes)")->check(CLI::Range(1, 100000000));
  eval->add_option("--seed", eval_seed, "Seed of the held-out episodes (default: the run's)")->check(kSeed);
  eval->add_option("--threads", eval_threads, "Worker threads (default: all)")->check(CLI::Range(0, 4096));

  // rollout
  auto* rollout = app.add_subcommand("rollout", "Run the best genome; one JSON line per step");
  std::string rollout_dir, rollout_out;
  int rollout_episodes = 1;
  std::optional<uint64_t> rollout_seed;
  rollout->add_option("run_dir", rollout_dir, "Run directory")->required();
  rollout->add_option("--episodes", rollout_episodes, "Episodes (default 1)")->check(CLI::Range(1, 1000000));
  rollout->add_option("--seed", rollout_seed, "Seed (default: the run's)")->check(kSeed);
  rollout->add_option("--out", rollout_out, "Output file (default: standard output)");
  std::string rollout_record;
  uint64_t rollout_max_bytes = 1ULL << 30;
  rollout->add_option("--record", rollout_record,
                      "Record the neurons too (comma list of spikes, v, g, activity): --out FILE.npz gets the "
                      "episodes and the recording as NumPy arrays");
  rollout->add_option("--max-bytes", rollout_max_bytes, "Largest recording --record may write (default 1 GiB)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{2000000000}));

  // export
  auto* export_cmd = app.add_subcommand("export", "Write the best network as a runnable script for another simulator");
  std::string export_dir, export_to, export_out;
  int export_steps = 20;
  std::optional<uint64_t> export_seed;
  export_cmd->add_option("run_dir", export_dir, "Run directory")->required();
  export_cmd->add_option("--to", export_to, "Target: brian2 | nest (runnable scripts that compare with neurevo) | nir (a script that writes the NIR graph)")->required();
  export_cmd->add_option("--out", export_out, "The script to write (never overwritten)")->required();
  export_cmd->add_option("--steps", export_steps,
                         "Environment steps of the first held-out episode to drive it with (default 20: 200 ms "
                         "at the default dt and substeps)")->check(CLI::Range(1, 100000));
  export_cmd->add_option("--seed", export_seed, "Seed of the held-out episode (default: the run's)")->check(kSeed);
  bool export_without_noise = false;
  export_cmd->add_flag("--without-noise", export_without_noise,
                       "Silence the input noise in the script and in neurevo's recording (to compare spike for spike)");

  // analyze
  auto* analyze = app.add_subcommand("analyze", "Structural and functional connectivity, parameter fits: data files "
                                                "in RUN_DIR/analysis");
  std::string analyze_dir, analyze_out;
  int analyze_episodes = 10;
  std::optional<uint64_t> analyze_seed;
  analyze->add_option("run_dir", analyze_dir, "Run directory")->required();
  analyze->add_option("--out", analyze_out, "Directory for the files (default: RUN_DIR/analysis)");
  analyze->add_option("--episodes", analyze_episodes, "Held-out rollouts for the functional connectivity (default 10)")
      ->check(CLI::Range(1, 100000));
  analyze->add_option("--seed", analyze_seed, "Seed of the rollouts (default: the run's)")->check(kSeed);

  // report: the Python package's page (python/neurevo/report.py), run by the Python that has it
  auto* report = app.add_subcommand("report", "One self-contained HTML page of runs (needs the Python package "
                                              "and matplotlib: pip install .)");
  std::vector<std::string> report_dirs;
  std::string report_out = "report.html";
  int report_episodes = 3;
  report->add_option("run_dirs", report_dirs, "Run directories")->required();
  report->add_option("--out", report_out, "The page to write (default report.html)");
  report->add_option("--episodes", report_episodes, "Rollouts for the functional connectivity (default 3)")
      ->check(CLI::Range(1, 100000));
  std::optional<std::string> report_tensorboard;
  report->add_option("--tensorboard", report_tensorboard,
                     "Also write each run's metrics as TensorBoard event files under this directory (needs "
                     "tensorboardX)");

  // render: the Python package's (python/neurevo/render.py)
  auto* render = app.add_subcommand("render", "The best agent's held-out episode as a video (.mp4) or a strip of "
                                              "frames (.png); needs the Python package, Gymnasium's renderers and "
                                              "imageio-ffmpeg");
  std::string render_dir, render_out;
  std::optional<uint64_t> render_seed;
  int render_width = 480, render_height = 480, render_frames = 8;
  std::optional<int> render_every, render_max_steps;
  render->add_option("run_dir", render_dir, "Run directory")->required();
  render->add_option("--out", render_out, "FILE.mp4 (a video) or FILE.png (a strip of frames)")->required();
  render->add_option("--seed", render_seed, "Seed of the held-out episode (default: the run's first)")->check(kSeed);
  render->add_option("--width", render_width, "Frame width in pixels (default 480)")->check(CLI::Range(16, 4096));
  render->add_option("--height", render_height, "Frame height in pixels (default 480)")->check(CLI::Range(16, 4096));
  render->add_option("--every", render_every, "Draw every K-th step (default: about 30 frames per second)")
      ->check(CLI::Range(1, 1000000));
  render->add_option("--frames", render_frames, "Frames in a .png strip (default 8)")->check(CLI::Range(1, 64));
  render->add_option("--max-steps", render_max_steps, "Stop the picture after this many steps")
      ->check(CLI::Range(0, 100000000));

  // describe
  auto* describe = app.add_subcommand("describe", "What a config builds (populations, projections, synapses, "
                                                  "genes, memory), before any training");
  std::string describe_path;
  std::vector<std::string> describe_sets;
  bool describe_json = false;
  describe->add_option("config", describe_path, "TOML config file (default: the built-in default)");
  describe->add_option("--set", describe_sets, "Override a key (repeatable)")->allow_extra_args(false);
  describe->add_flag("--json", describe_json, "As JSON");

  // config
  auto* config_cmd = app.add_subcommand("config", "Print the resolved config (no CONFIG: every key's default)");
  bool markdown = false, expand = false;
  std::string config_cmd_path;
  std::vector<std::string> config_sets;
  config_cmd->add_option("config", config_cmd_path, "TOML config file (default: the built-in default)");
  config_cmd->add_option("--set", config_sets, "Override a key (repeatable)")->allow_extra_args(false);
  config_cmd->add_flag("--markdown", markdown, "Every key as the README's Markdown table");
  config_cmd->add_flag("--expand", expand,
                       "bnn and snn: the same model written out as model.kind = \"network\" with its "
                       "[[network.populations]] and [[network.projections]], to copy and change");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*train) {
    g_doing = "reading the config";
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
      g_doing = "resuming the run";
      summary = neurevo::ResumeTraining(overrides, options);
    } else {
      // Everything is validated before the run directory is created.
      const neurevo::RunConfig config = config_path.empty()
                                            ? neurevo::ParseConfig("", overrides, "default config")
                                            : neurevo::LoadConfigFile(config_path, overrides);
      options.out_dir = out_dir.empty() ? neurevo::DefaultRunDir(config) : out_dir;
      g_doing = "training";
      summary = neurevo::Train(config, options);
    }
    if (!cluster.root()) return summary["stop_reason"] == "interrupted" ? 130 : 0;  // rank 0 reports
    if (summary["stop_reason"] == "interrupted") {
      fmt::print(stderr, "interrupted after {} complete generations; continue with: neurevo train --resume {}\n",
                 summary["generations"].get<long long>(), options.out_dir);
      return 130;
    }
    const int eval_episodes_run = summary["eval_episodes"].get<int>();
    if (eval_episodes_run > 0 && summary["eval_failed_episodes"].get<int>() == eval_episodes_run) {
      fmt::print(stderr, "neurevo: error: every one of the {} held-out episodes of the best genome failed (its state "
                 "became non-finite); summary.json records it; check the model.* parameters\n", eval_episodes_run);
      return 1;
    }
    PrintResult(summary);
    fmt::print("run directory: {}\n", options.out_dir);
    return 0;
  }
  // The other subcommands are single-process work: other ranks stand by.
  if (!cluster.root()) return 0;
  if (*eval) {
    g_doing = "evaluating the run's best genome";
    const auto result = neurevo::EvaluateRun(eval_dir, eval_episodes ? &*eval_episodes : nullptr, eval_seed ? &*eval_seed : nullptr,
                                             eval_threads.value_or(0));
    fmt::print("{}\n", result.dump(2));
    if (result["failed_episodes"].get<int>() == result["episodes"].get<int>()) {
      fmt::print(stderr, "neurevo: error: every one of the {} episodes failed (the network's state became "
                 "non-finite)\n", result["episodes"].get<int>());
      return 1;
    }
    return 0;
  }
  if (*rollout) {
    g_doing = "running the rollout";
    if (rollout->get_option("--max-bytes")->count() > 0 && rollout->get_option("--record")->count() == 0)
      throw neurevo::ConfigError("--max-bytes bounds a recording: it needs --record");
    if (rollout->get_option("--record")->count() > 0) {
      if (rollout_out.empty()) throw neurevo::ConfigError("--record needs --out FILE.npz (the recording is binary)");
      neurevo::RecordRolloutToFile(rollout_dir, rollout_episodes, rollout_seed ? &*rollout_seed : nullptr,
                                   neurevo::ParseRecordFields(rollout_record), rollout_max_bytes, rollout_out);
      return 0;
    }
    if (rollout_out.empty())
      neurevo::RolloutRun(rollout_dir, rollout_episodes, rollout_seed ? &*rollout_seed : nullptr, std::cout);
    else
      neurevo::RolloutRunToFile(rollout_dir, rollout_episodes, rollout_seed ? &*rollout_seed : nullptr, rollout_out);
    return 0;
  }
  if (*export_cmd) {
    g_doing = "exporting the network";
    neurevo::ExportRun(export_dir, export_to, export_out, export_steps, export_seed ? &*export_seed : nullptr,
                       export_without_noise);
    fmt::print("wrote {} ({} network of {}; run it with python3 {})\n", export_out, export_to, export_dir, export_out);
    return 0;
  }
  if (*report) {
    std::vector<std::string> args = {"--out", report_out, "--episodes", std::to_string(report_episodes)};
    // Passed on even when empty: the page's own parser refuses an empty LOGDIR by name.
    if (report_tensorboard) args.insert(args.end(), {"--tensorboard", *report_tensorboard});
    args.push_back("--");
    args.insert(args.end(), report_dirs.begin(), report_dirs.end());
    return ExecPythonModule("neurevo.report", args, "report");
  }
  if (*render) {
    std::vector<std::string> args = {"--out", render_out, "--width", std::to_string(render_width), "--height",
                                     std::to_string(render_height), "--frames", std::to_string(render_frames)};
    if (render_seed) args.insert(args.end(), {"--seed", std::to_string(*render_seed)});
    if (render_every) args.insert(args.end(), {"--every", std::to_string(*render_every)});
    if (render_max_steps) args.insert(args.end(), {"--max-steps", std::to_string(*render_max_steps)});
    args.insert(args.end(), {"--", render_dir});
    return ExecPythonModule("neurevo.render", args, "render");
  }
  if (*analyze) {
    g_doing = "analysing the run";
    const nlohmann::json s =
        neurevo::AnalyzeRun(analyze_dir, analyze_out, analyze_episodes, analyze_seed ? &*analyze_seed : nullptr);
    fmt::print("analysed {} ({} neurons, {} synapses, {} + {} steps of activity): {}\n", analyze_dir,
               s["neurons"].get<long long>(), s["synapses"].get<long long>(), s["steps_initial"].get<long long>(),
               s["steps_best"].get<long long>(),
               analyze_out.empty() ? (std::filesystem::path(analyze_dir) / "analysis").string() : analyze_out);
    return 0;
  }
  if (*describe) {
    g_doing = "building the model";
    const neurevo::RunConfig config = describe_path.empty()
                                          ? neurevo::ParseConfig("", describe_sets, "default config")
                                          : neurevo::LoadConfigFile(describe_path, describe_sets);
    const nlohmann::json d = neurevo::DescribeRun(config);
    if (describe_json) fmt::print("{}\n", d.dump(2));
    else fmt::print("{}", neurevo::DescribeText(d));
    return 0;
  }
  if (*config_cmd) {
    if (markdown) {
      fmt::print("{}", neurevo::ConfigReferenceMarkdown());
      return 0;
    }
    neurevo::RunConfig config = config_cmd_path.empty()
                                    ? neurevo::ParseConfig("", config_sets, "default config")
                                    : neurevo::LoadConfigFile(config_cmd_path, config_sets);
    if (expand) config.model = neurevo::ExpandPreset(config.model);
    fmt::print("{}", neurevo::ConfigToToml(config));
    return 0;
  }
  return 0;
}

// Out of memory where no catch can help (a destructor that allocates, such
// as nlohmann::json's, runs out while unwinding; or a worker thread): say so
// in one line instead of "terminate called" and an abort.
[[noreturn]] void OnTerminate() {
  bool out_of_memory = false;
  if (const std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
      out_of_memory = true;
    } catch (...) {
    }
  }
  if (out_of_memory) {
    static const char kPrefix[] = "neurevo: fatal: out of memory while ";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, kPrefix, sizeof kPrefix - 1);
    n = ::write(STDERR_FILENO, g_doing, std::strlen(g_doing));
    n = ::write(STDERR_FILENO, "\n", 1);
    std::_Exit(1);
  }
  static const char kMessage[] = "neurevo: fatal: internal error (terminate)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  std::set_terminate(OnTerminate);
  spdlog::set_pattern("[%H:%M:%S] %v");
  // Before any thread starts: MPI is initialised here when mpirun started us.
  const std::unique_ptr<neurevo::Cluster> cluster = neurevo::MakeProcessCluster(&argc, &argv);
  try {
    return Run(argc, argv, *cluster);
  } catch (const neurevo::ConfigError& e) {
    fmt::print(stderr, "neurevo: error: {}\n", Shorten(e.what()));
    return 2;
  } catch (const neurevo::RunFailed& e) {
    fmt::print(stderr, "neurevo: error: {}\n", Shorten(e.what()));
    return 1;
  } catch (const std::bad_alloc&) {
    // The memory estimate refuses configs that cannot fit before any work;
    // this is the last line of defence (another process took the memory).
    fmt::print(stderr, "neurevo: fatal: out of memory while {}\n", g_doing);
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "neurevo: fatal: {}\n", Shorten(e.what()));
    return 1;
  }
}
