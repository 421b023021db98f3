// One episode of a policy on a task: the loop shared by training, evaluation
// and `neurevo rollout`.
#pragma once

#include <atomic>
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
  // A non-finite observation, action, reward or network state, or a
  // simulator warning (MuJoCo's instability flags), ended the episode early;
  // the individual gets the worst fitness.
  bool failed = false;
  // The abort flag was raised mid-episode: the result is incomplete and must
  // be discarded.
  bool aborted = false;
  // The task's per-step info values (Task::info_names()) summed over the
  // episode's steps.
  std::array<double, StepResult::kMaxInfo> info{};
  int info_count = 0;
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
// Called once after the reset, with the first (raw) observation.
using ResetCallback = std::function<void(std::span<const double> observation, const Task& task)>;

// Optional controls of one episode.
struct EpisodeOptions {
  ObsStats* seen = nullptr;  // raw observations seen (including the first) are added here
  ResetCallback on_reset;    // called after the reset
  StepCallback on_step;      // called after every step
  // Checked before every step: a raised flag ends the episode as `aborted`
  // (a graceful stop abandons the generation in flight).
  const std::atomic<bool>* abort = nullptr;
  // Fault injection, for testing fault containment: the action computed at
  // this step (1 = first), or the observation returned by it, becomes NaN.
  long long nan_action_step = -1;
  long long nan_observation_step = -1;
  // total_reward leaves out the task's survival bonus (StepResult::survival_reward).
  bool drop_survival_bonus = false;
  // >= 0: a held-out episode, started by Task::ResetHeldOut(held_out_episode)
  // where the task has a test set of its own (else from env_seed as always).
  int held_out_episode = -1;
};

// Runs until termination or truncation.
EpisodeResult RunEpisode(Policy& policy, Task& task, const ObsNormalizer& normalizer,
                         uint64_t env_seed, uint64_t noise_key, const EpisodeOptions& options = {});

}  // namespace neurevo
