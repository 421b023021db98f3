// Training runs and what can be done with their results.
//
// Train() runs generations of ask -> evaluate -> tell over one or more
// islands until a budget is spent, evaluates the best genome on held-out
// episodes, and (given an output directory) writes the run directory:
//   config.toml       the resolved config (every key)
//   metrics.jsonl     one JSON line per generation
//   best_genome.json  the best genome with its layout and normaliser
//   checkpoints/      the whole run state every checkpoint.interval
//                     generations and on stop (the last two are kept)
//   summary.json      the run's result, written once the run is complete
// Every file is written atomically (metrics line by line), so a killed run
// never leaves a corrupt file behind, and ResumeTraining() continues a
// stopped or killed run to the same result as an uninterrupted one.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "neurevo/config.h"

namespace neurevo {

// Deliberate faults, for testing fault containment. Decisions come from
// counters (seed, generation, individual, episode), so they are the same
// whatever the thread count.
struct FaultInjection {
  double nan_action_rate = 0.0;       // share of training episodes given a NaN action
  double nan_observation_rate = 0.0;  // share given a NaN observation
  // At the end of this generation (1-based) island 0's state is made
  // non-finite (a NaN candidate is told as the best); -1: never.
  long long poison_optimizer_generation = -1;
};

class Cluster;

struct TrainOptions {
  std::string out_dir;        // empty: write nothing
  bool terminal = false;      // live progress line on stderr
  bool quiet = false;         // no progress output at all
  // Set (e.g. by a signal handler) to stop: the generation in flight is
  // abandoned, the state of the last complete one is checkpointed, and the
  // run returns with stop_reason "interrupted" (no summary.json is written).
  const std::atomic<bool>* stop_requested = nullptr;
  FaultInjection faults;
  // The processes sharing this run (neurevo/cluster.h); null: this one only.
  Cluster* cluster = nullptr;
};

// A fresh default run directory name: runs/<task>-<model>-<optimizer>-seed<S>-<time>.
std::string DefaultRunDir(const RunConfig& config);

// Runs training; returns the summary (as written to summary.json).
nlohmann::json Train(const RunConfig& config, const TrainOptions& options);

// Continues the run in options.out_dir from its newest valid checkpoint (or
// from the start if it stopped before its first). `overrides` may change only
// budget.* and run.threads (to extend a run or use another machine).
// Throws ConfigError naming the file and the problem if the directory, its
// config or every checkpoint is unusable; nothing on disk is changed then.
nlohmann::json ResumeTraining(const std::vector<std::string>& overrides, const TrainOptions& options);

// Re-evaluates a run directory's best genome on `episodes` held-out episodes
// with `seed`; both default (null) to the run's own eval.episodes and
// run.seed, which reproduces summary.json's eval_mean exactly. Returns
// {"mean", "std", "min", "max", "episodes", "seed", ...}. Throws ConfigError
// naming the file for unreadable or inconsistent files.
nlohmann::json EvaluateRun(const std::string& run_dir, const int* episodes, const uint64_t* seed,
                           int threads);

// Runs the best genome on held-out episodes and streams JSON lines, each
// written as it happens: per episode one {"kind": "reset", episode, step 0,
// observation, state} (the state the episode starts from), then per step
// {"kind": "step", episode, step, observation, next_observation, action (as
// the task applied it: ActionAsApplied), reward, terminated, truncated,
// state}. Enough to replay an episode step by step in another simulator.
void RolloutRun(const std::string& run_dir, int episodes, const uint64_t* seed, std::ostream& out);
// The same into `path`, streamed into `path`.partial and renamed once
// complete (a killed rollout leaves no `path` that looks complete). Throws
// ConfigError for a bad run directory before creating anything.
void RolloutRunToFile(const std::string& run_dir, int episodes, const uint64_t* seed, const std::string& path);

// What a config builds, before any training (`neurevo describe`): the task's
// sizes; for LIF models (bnn and snn as their presets, or a description) the
// populations, projections with their synapse counts, and neuron
// parameters; every gene family with its count, range and first labels; the
// memory estimate per individual, island and thread. Builds the model (a
// description's connections are drawn with the run's seed), nothing else.
nlohmann::json DescribeRun(const RunConfig& config);
// The same as text, for a terminal.
std::string DescribeText(const nlohmann::json& description);

}  // namespace neurevo
