// One episode of a policy on a task: the loop shared by training, evaluation
// and `neurevo rollout`.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "neurevo/model.h"
#include "neurevo/task.h"
#include "train/obs_normalizer.h"

namespace neurevo {

struct EpisodeResult {
  double total_reward = 0.0;
  long long steps = 0;
  // A non-finite observation, action, reward or network state ended the
  // episode early; the individual gets the worst fitness.
  bool failed = false;
};

// Called after every step.
struct StepRecord {
  long long step;                            // 1 for the first step
  std::span<const double> observation;       // raw, the one the action answered
  std::span<const double> next_observation;  // raw, after the step
  std::span<const double> action;
  StepResult result;
  const Task* task;
};
using StepCallback = std::function<void(const StepRecord&)>;

// Runs until termination or truncation. Observations seen (raw, including
// the first) are added to `seen` if given.
EpisodeResult RunEpisode(Policy& policy, Task& task, const ObsNormalizer& normalizer,
                         uint64_t env_seed, uint64_t noise_key, ObsStats* seen = nullptr,
                         const StepCallback& on_step = nullptr);

}  // namespace neurevo
