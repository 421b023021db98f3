// The training loop as an object: islands of ask -> evaluate -> tell,
// budgets, migration, elite validation, fault containment, checkpoints, and
// the final held-out evaluation (see neurevo/train.h for the run directory).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <span>
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
#include "train/checkpoint_writer.h"
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
  // A new run's optimizers and state, its search centred on `start` (with
  // its normaliser) when given: optimizer.init_genome.
  void StartFresh(const std::optional<SavedGenome>& start);
  SavedGenome ReadStartGenome(const std::string& path, std::string& text) const;
  void ResumeOnRoot(bool config_changed);
  // Checks a decoded checkpoint against this run and loads it into fresh
  // optimizers; throws ConfigError naming `what`.
  std::vector<std::unique_ptr<Optimizer>> Adopt(const RunState& state, const std::string& what) const;
  // Every island's optimizer, its search centred on `initial_mean` when given
  // (optimizer.init_genome), else as optimizer.init_mean says.
  std::vector<std::unique_ptr<Optimizer>> MakeOptimizers(std::span<const double> initial_mean = {}) const;
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
  // What one generation's steps hand on to the next ones.
  struct Generation {
    long long index = 0;                        // 0-based
    std::vector<std::vector<double>> genomes;   // every island's, island after island
    std::vector<int> offset;                    // island k's are [offset[k], offset[k + 1])
    std::vector<IndividualResult> results;
    std::vector<ObsStats> seen;                 // each individual's observations
    std::vector<double> fitness;                // training fitness; migrants replace entries
    long long steps = 0;                        // training and validation env steps
    int failed_episodes = 0, failed_individuals = 0;
    int best = 0;                               // index of the best training fitness
    double best_fitness = 0;
    std::vector<double> island_best;            // before migration
    double score = 0;                           // the best's validated mean (its fitness if not validated)
    bool validated = false, incumbent_revalidated = false;
    double incumbent_replay = 0;                // the incumbent's mean on this generation's validation episodes
    long long restores = 0;                     // optimizer states restored after a fault
    // Gradient training (bptt): the minibatch's mean gradient and loss.
    std::vector<double> gradient;
    double loss = 0, gradient_norm = 0;

    std::span<double> Island(std::vector<double>& f, int k) const {
      return std::span(f).subspan(offset[k], offset[k + 1] - offset[k]);
    }
  };
  // A generation, read as six calls: Ask, Evaluate, ValidateElites, Migrate, Tell, Record.
  Outcome RunGeneration();
  // Asks each island for its population; false (stop: env_steps) if the worst case would overrun the budget.
  bool Ask(Generation& g);
  // Plays every individual's training episodes, split over ranks; false if a stop came meanwhile.
  bool Evaluate(Generation& g);
  // Replays the generation's best (and the incumbent) on fresh episodes so luck never makes the best so far.
  bool ValidateElites(Generation& g);
  // Every migration_interval generations, islands swap their best for a neighbour's worst to share progress.
  void Migrate(Generation& g);
  // Tells the optimizers (restoring a non-finite one) and the normaliser, in individual order for determinism.
  void Tell(Generation& g);
  // Adds the generation to the run's counters, metrics.jsonl and progress line, which budgets and stops read.
  void Record(const Generation& g);
  // Replaces failed individuals' fitness by a finite value below every
  // other, so no strategy (z-scores, raw fitness) sees -1e300.
  static void ShapeFailures(std::span<double> fitness);
  // `gradient`: what a gradient optimizer (bptt) is told with the fitness.
  void TellAndContain(std::vector<std::vector<double>>& told_fitness, int generation_index,
                      std::span<const double> gradient = {});
  void Checkpoint();
  // Island 0's distribution centre (Optimizer::Mean) now, as a genome file
  // of the run directory (initial_genome.json, final_mean.json).
  void WriteMeanGenome(const std::string& name) const;
  double Elapsed() const;

  RunConfig config_;
  TrainOptions options_;
  std::unique_ptr<Cluster> local_cluster_;
  Cluster& cluster_;
  bool write_;
  std::string dir_;
  std::unique_ptr<Task> task_probe_;
  const std::vector<std::string> info_names_;  // the task's per-step info terms (Task::info_names())
  std::unique_ptr<Model> model_;
  mutable ThreadPool pool_;  // mutable: optimizers made in const methods keep a loop on it
  Evaluator evaluator_;
  Progress progress_;
  MetricsLog metrics_;
  std::vector<std::unique_ptr<Optimizer>> optimizers_;
  RunState state_;
  long long last_checkpoint_ = -1;
  std::string stop_reason_;
  std::chrono::steady_clock::time_point session_start_;
  // Last: destroyed first, so a write still running when Run throws (its
  // destructor waits) finishes before the pool, metrics_ and state_ it uses go.
  CheckpointWriter writer_{pool_};
};

}  // namespace neurevo
