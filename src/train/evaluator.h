// Parallel evaluation of genomes on a task.
//
// Each worker thread owns one Task instance; each individual is decoded into
// its own Policy. Every random stream (episode seeds, network noise) comes
// from counters — (seed, generation, individual, episode) — so fitness values
// never depend on thread count or scheduling. Within a generation all
// individuals share the same episode seeds (common random numbers).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "neurevo/train.h"
#include "train/episode.h"
#include "train/obs_normalizer.h"

namespace neurevo {

// The worst fitness: given to individuals whose rollout failed (non-finite
// values). Finite, so it sorts and serialises like any other fitness.
inline constexpr double kFailedFitness = -1e300;

struct IndividualResult {
  double fitness = 0.0;  // mean episode return (kFailedFitness if any episode failed; gradient training: if all)
  long long steps = 0;
  int failed_episodes = 0;
  bool aborted = false;  // the abort flag stopped it: discard the generation
  // The task's info values (Task::info_names()) summed over its episodes' steps.
  std::array<double, StepResult::kMaxInfo> info{};
  int info_count = 0;
};

// A half-open range of indices; end < 0 means "to the end".
struct Range {
  int begin = 0, end = -1;
  Range Clamp(int n) const { return {begin, end < 0 ? n : end}; }
};

class Evaluator {
 public:
  // `abort` (may be null) is polled every step: a raised flag ends every
  // episode in flight as aborted. `faults` (may be null) injects NaNs. With
  // `drop_survival_bonus`, training and validation returns leave out the
  // task's survival bonus; held-out returns always keep the full reward.
  Evaluator(const Model& model, const std::string& task_name, ThreadPool& pool,
            const std::atomic<bool>* abort = nullptr, const FaultInjection* faults = nullptr,
            bool drop_survival_bonus = false, const TaskOptions& task_options = {});

  // Evaluates individuals [range.begin, range.end) of a generation (the
  // others' results stay empty: another process evaluates them). The
  // observations individual i sees go to (*seen)[i] if `seen` is given
  // (sized like `genomes`).
  std::vector<IndividualResult> EvaluateGeneration(const std::vector<std::vector<double>>& genomes,
                                                   const ObsNormalizer& normalizer, uint64_t seed,
                                                   long long generation, int episodes,
                                                   std::vector<ObsStats>* seen, Range range = {});

  // Evaluates one genome on held-out episodes first_episode + [range.begin,
  // range.end) of `episodes` (parallel over episodes; the others stay empty).
  // Once the abort flag is raised the remaining episodes come back aborted.
  std::vector<EpisodeResult> EvaluateHeldOut(std::span<const double> genome,
                                             const ObsNormalizer& normalizer, uint64_t seed,
                                             int episodes, Range range = {}, int first_episode = 0);
  // Evaluates one genome on the validation episodes of a generation (elite
  // validation during training; seeds disjoint from training and held-out).
  std::vector<EpisodeResult> EvaluateValidation(std::span<const double> genome,
                                                const ObsNormalizer& normalizer, uint64_t seed,
                                                long long generation, int episodes, Range range = {});

  // Gradient training (optimizer.kind = "bptt"): one genome on the
  // generation's `episodes` training episodes (the seeds EvaluateGeneration
  // gives individual 0), each with its gradient (train/gradient_episode.h),
  // in parallel; the gradient, the fitness and the info sums are over the
  // episodes that did not fail (the fitness is kFailedFitness only when all
  // failed), summed in episode order (so independent of the thread count).
  struct GradientResult {
    IndividualResult result;
    std::vector<double> gradient;
    double loss = 0.0;  // mean over the episodes that did not fail
  };
  GradientResult EvaluateGradient(std::span<const double> genome, const ObsNormalizer& normalizer, uint64_t seed,
                                  long long generation, int episodes, double gamma, ObsStats* seen);

  const Task& task() const { return *tasks_.front(); }

 private:
  std::vector<EpisodeResult> EvaluateEpisodes(std::span<const double> genome,
                                              const ObsNormalizer& normalizer,
                                              const std::vector<uint64_t>& env_seeds,
                                              const std::vector<uint64_t>& noise_keys, bool training_reward,
                                              Range range, int first_held_out = -1);
  const Model& model_;
  ThreadPool& pool_;
  const std::atomic<bool>* abort_;
  const FaultInjection* faults_;
  const bool drop_survival_bonus_;
  std::vector<std::unique_ptr<Task>> tasks_;  // one per worker
};

// Held-out episode seeds: disjoint streams from the training seeds.
uint64_t HeldOutEnvSeed(uint64_t seed, int episode);
uint64_t HeldOutNoiseKey(uint64_t seed, int episode);

}  // namespace neurevo
