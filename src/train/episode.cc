#include "train/episode.h"

#include <cmath>
#include <limits>
#include <vector>

namespace neurevo {

namespace {
bool AllFinite(std::span<const double> x) {
  for (double v : x)
    if (!std::isfinite(v)) return false;
  return true;
}
}  // namespace

EpisodeResult RunEpisode(Policy& policy, Task& task, const ObsNormalizer& normalizer,
                         uint64_t env_seed, uint64_t noise_key, const EpisodeOptions& options) {
  ObsStats* seen = options.seen;
  const StepCallback& on_step = options.on_step;
  const int obs_size = task.observation_space().vector_size();
  std::vector<double> obs(obs_size), normalized(obs_size), previous(on_step ? obs_size : 0),
      action(task.action_space().vector_size());
  EpisodeResult r;
  policy.Reset(noise_key);
  if (options.held_out_episode < 0 || !task.ResetHeldOut(options.held_out_episode, obs)) task.Reset(env_seed, obs);
  if (options.on_reset) options.on_reset(obs, task);
  for (;;) {
    if (options.abort && options.abort->load(std::memory_order_relaxed)) {
      r.aborted = true;
      return r;
    }
    if (!AllFinite(obs)) {
      r.failed = true;
      return r;
    }
    if (seen) seen->Add(obs);
    normalizer.Normalize(obs, normalized);
    policy.Act(normalized, action);
    if (r.steps + 1 == options.nan_action_step) action[0] = std::numeric_limits<double>::quiet_NaN();
    if (!AllFinite(action) || !policy.healthy()) {
      r.failed = true;
      return r;
    }
    if (on_step) previous = obs;
    const StepResult step = task.Step(action, obs);
    ++r.steps;
    if (r.steps == options.nan_observation_step) obs[0] = std::numeric_limits<double>::quiet_NaN();
    // MuJoCo resets its state after a NaN/Inf: the rest would be fiction.
    if (!std::isfinite(step.reward) || step.simulation_warning) {
      r.failed = true;
      return r;
    }
    r.total_reward += options.drop_survival_bonus ? step.reward - step.survival_reward : step.reward;
    r.info_count = step.info_count;
    for (int k = 0; k < step.info_count; ++k) r.info[k] += step.info_values[k];
    if (on_step) on_step({r.steps, previous, obs, action, step, &task});
    if (step.terminated || step.truncated) return r;
  }
}

}  // namespace neurevo
