// Training runs and what can be done with their results.
//
// Train() runs generations of ask -> evaluate -> tell over one or more
// islands until a budget is spent, evaluates the best genome on held-out
// episodes, and (given an output directory) writes the run directory:
//   config.toml       the resolved config (every key)
//   metrics.jsonl     one JSON line per generation
//   best_genome.json  the best genome with its layout and normaliser
//   summary.json      the run's result
// Every file is written atomically (metrics line by line), so a killed run
// never leaves a corrupt file behind.
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "neurevo/config.h"

namespace neurevo {

struct TrainOptions {
  std::string out_dir;        // empty: write nothing
  bool terminal = false;      // live progress line on stderr
  bool quiet = false;         // no progress output at all
  // Set (e.g. by a signal handler) to stop after the current generation.
  const std::atomic<bool>* stop_requested = nullptr;
};

// A fresh default run directory name: runs/<task>-<model>-<optimizer>-seed<S>-<time>.
std::string DefaultRunDir(const RunConfig& config);

// Runs training; returns the summary (as written to summary.json).
nlohmann::json Train(const RunConfig& config, const TrainOptions& options);

// Re-evaluates a run directory's best genome on `episodes` held-out episodes
// with `seed` (defaults to the run's own, reproducing summary.json's
// eval_mean). Returns {"mean", "std", "min", "max", "episodes", "seed", ...}.
// Throws ConfigError naming the file for unreadable or inconsistent files.
nlohmann::json EvaluateRun(const std::string& run_dir, int episodes, const uint64_t* seed,
                           int threads);

// Runs the best genome and writes one JSON line per step: episode, step,
// observation, action, reward, terminated, truncated, state.
void RolloutRun(const std::string& run_dir, int episodes, const uint64_t* seed, std::ostream& out);

}  // namespace neurevo
