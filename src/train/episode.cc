#include "train/episode.h"

#include <cmath>
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
                         uint64_t env_seed, uint64_t noise_key, ObsStats* seen,
                         const StepCallback& on_step) {
  const int obs_size = task.observation_space().vector_size();
  std::vector<double> obs(obs_size), normalized(obs_size), previous(on_step ? obs_size : 0),
      action(task.action_space().vector_size());
  EpisodeResult r;
  policy.Reset(noise_key);
  task.Reset(env_seed, obs);
  for (;;) {
    if (!AllFinite(obs)) {
      r.failed = true;
      return r;
    }
    if (seen) seen->Add(obs);
    normalizer.Normalize(obs, normalized);
    policy.Act(normalized, action);
    if (!AllFinite(action) || !policy.healthy()) {
      r.failed = true;
      return r;
    }
    if (on_step) previous = obs;
    const StepResult step = task.Step(action, obs);
    ++r.steps;
    if (!std::isfinite(step.reward)) {
      r.failed = true;
      return r;
    }
    r.total_reward += step.reward;
    if (on_step) on_step({r.steps, previous, obs, action, step, &task});
    if (step.terminated || step.truncated) return r;
  }
}

}  // namespace neurevo
