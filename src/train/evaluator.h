// Parallel evaluation of genomes on a task.
//
// Each worker thread owns one Task instance; each individual is decoded into
// its own Policy. Every random stream (episode seeds, network noise) comes
// from counters — (seed, generation, individual, episode) — so fitness values
// never depend on thread count or scheduling. Within a generation all
// individuals share the same episode seeds (common random numbers).
#pragma once

#include <cstdint>
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
  double fitness = 0.0;  // mean episode return (kFailedFitness if any episode failed)
  long long steps = 0;
  int failed_episodes = 0;
  bool aborted = false;  // the abort flag stopped it: discard the generation
};

class Evaluator {
 public:
  // `abort` (may be null) is polled every step: a raised flag ends every
  // episode in flight as aborted. `faults` (may be null) injects NaNs.
  Evaluator(const Model& model, const std::string& task_name, ThreadPool& pool,
            const std::atomic<bool>* abort = nullptr, const FaultInjection* faults = nullptr);

  // Evaluates a generation; adds every observation seen to `seen` (merged in
  // individual order).
  std::vector<IndividualResult> EvaluateGeneration(const std::vector<std::vector<double>>& genomes,
                                                   const ObsNormalizer& normalizer, uint64_t seed,
                                                   long long generation, int episodes,
                                                   ObsStats* seen);

  // Evaluates one genome on held-out episodes (parallel over episodes).
  std::vector<EpisodeResult> EvaluateHeldOut(std::span<const double> genome,
                                             const ObsNormalizer& normalizer, uint64_t seed,
                                             int episodes);
  // Evaluates one genome on the validation episodes of a generation (elite
  // validation during training; seeds disjoint from training and held-out).
  std::vector<EpisodeResult> EvaluateValidation(std::span<const double> genome,
                                                const ObsNormalizer& normalizer, uint64_t seed,
                                                long long generation, int episodes);

  const Task& task() const { return *tasks_.front(); }

 private:
  std::vector<EpisodeResult> EvaluateEpisodes(std::span<const double> genome,
                                              const ObsNormalizer& normalizer,
                                              const std::vector<uint64_t>& env_seeds,
                                              const std::vector<uint64_t>& noise_keys);
  const Model& model_;
  ThreadPool& pool_;
  const std::atomic<bool>* abort_;
  const FaultInjection* faults_;
  std::vector<std::unique_ptr<Task>> tasks_;  // one per worker
};

// Held-out episode seeds: disjoint streams from the training seeds.
uint64_t HeldOutEnvSeed(uint64_t seed, int episode);
uint64_t HeldOutNoiseKey(uint64_t seed, int episode);

}  // namespace neurevo
