// The training loop as an object: islands of ask -> evaluate -> tell,
// budgets, migration, elite validation, fault containment, checkpoints, and
// the final held-out evaluation (see neurevo/train.h for the run directory).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "neurevo/cluster.h"
#include "neurevo/config.h"
#include "neurevo/model.h"
#include "neurevo/optimizer.h"
#include "neurevo/task.h"
#include "neurevo/train.h"
#include "train/checkpoint.h"
#include "train/evaluator.h"
#include "train/metrics_log.h"
#include "train/progress.h"

namespace neurevo {

class Trainer {
 public:
  Trainer(const RunConfig& config, const TrainOptions& options);

  // A new run (config validation has refused a budget too small for one
  // generation): creates the run directory (if options.out_dir is set) and writes config.toml.
  void Start();
  // Continues the run in options.out_dir from its newest usable checkpoint
  // (from the start if it has none yet). Everything is verified before any
  // file is touched; ConfigError names the file and the problem.
  void Resume(bool config_changed);

  // Trains until a budget is spent or a stop is requested; returns the
  // summary (written to summary.json once complete).
  nlohmann::json Run();

 private:
  enum class Outcome { kComplete, kAbandoned };

  RunState FreshState() const;
  void ResumeOnRoot(bool config_changed);
  // Checks a decoded checkpoint against this run and loads it into fresh
  // optimizers; throws ConfigError naming `what`.
  std::vector<std::unique_ptr<Optimizer>> Adopt(const RunState& state, const std::string& what) const;
  std::vector<std::unique_ptr<Optimizer>> MakeOptimizers() const;
  // Every counter of `state` within what its generations of this config
  // allow; throws ConfigError naming `what` and the counter.
  void CheckCounters(const RunState& state, const std::string& what) const;

  std::string StopReason();  // empty: run another generation
  // The most env steps a generation of `individuals` can take: every
  // training episode, and the validation of a challenger and of the
  // incumbent, each at the task's step limit. A generation starts only if
  // this fits in what is left of budget.env_steps.
  long long WorstCaseSteps(long long individuals) const;
  // Rank 0 runs `fn`; a ConfigError it throws is thrown on every rank.
  void OnRootFirst(const std::function<void()>& fn);
  // This rank's share of [0, n) (all of it in one process).
  Range Share(int n, int rank) const;
  // Evaluations split over the cluster's ranks, results on every rank.
  std::vector<IndividualResult> EvaluatePopulation(const std::vector<std::vector<double>>& genomes,
                                                   std::vector<ObsStats>& seen);
  std::vector<EpisodeResult> EvaluateEpisodes(int episodes,
                                              const std::function<std::vector<EpisodeResult>(Range)>& run);
  Outcome RunGeneration(long long& max_generation_steps_out);
  // Replaces failed individuals' fitness by a finite value below every
  // other, so no strategy (z-scores, raw fitness) sees -1e300.
  static void ShapeFailures(std::span<double> fitness);
  void TellAndContain(std::vector<std::vector<double>>& told_fitness, int generation_index);
  void Checkpoint();
  double Elapsed() const;

  RunConfig config_;
  TrainOptions options_;
  std::unique_ptr<Cluster> local_cluster_;
  Cluster& cluster_;
  bool write_;
  std::string dir_;
  std::unique_ptr<Task> task_probe_;
  std::unique_ptr<Model> model_;
  ThreadPool pool_;
  Evaluator evaluator_;
  Progress progress_;
  MetricsLog metrics_;
  std::vector<std::unique_ptr<Optimizer>> optimizers_;
  RunState state_;
  long long last_checkpoint_ = -1;
  std::string stop_reason_;
  std::chrono::steady_clock::time_point session_start_;
};

}  // namespace neurevo
