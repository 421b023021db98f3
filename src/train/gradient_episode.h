// One training episode of a differentiable policy (model.kind = "rsnn") and
// the gradient of its objective, for optimizer.kind = "bptt". The episode
// runs in the shared loop (episode.h: RunEpisode), so its checks and fault
// injection are the evaluation's.
//
// On a task with a teacher (Task::SupervisedTarget) the objective is minus
// the mean cross-entropy between the softmax of the outputs and the
// teacher's answer over the episode's scored steps; actions are the argmax,
// as in evaluation. On a task without one (discrete actions only) it is
// REINFORCE (Williams 1992): actions are sampled from the softmax (from the
// episode's noise key), and the objective is sum_t G_t log pi(a_t | ...),
// with G_t the discounted return from step t standardised over the
// episode's steps (as PyTorch's REINFORCE example, the heterogeneity
// paper's BP baseline, does). The loss reported is minus the objective per
// scored (or taken) step.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "neurevo/model.h"
#include "neurevo/task.h"
#include "train/episode.h"
#include "train/obs_normalizer.h"

namespace neurevo {

struct GradientEpisodeResult {
  EpisodeResult episode;  // the return and counts as RunEpisode reports them
  double loss = 0.0;
};

// Adds d(objective)/d(genome) of this episode to `gradient` (nothing when
// the episode failed or was aborted).
// `faults`: EpisodeOptions' nan_action_step and nan_observation_step (fault
// injection), its other fields unused.
GradientEpisodeResult RunGradientEpisode(const Model& model, std::span<const double> genome, Task& task,
                                         const ObsNormalizer& normalizer, uint64_t env_seed, uint64_t noise_key,
                                         double gamma, std::span<double> gradient, ObsStats* seen = nullptr,
                                         const std::atomic<bool>* abort = nullptr, const EpisodeOptions* faults = nullptr);

}  // namespace neurevo
