#include "train/gradient_episode.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {

namespace {
bool AllFinite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

// Softmax of the first `n` values, stably.
void Softmax(std::span<const double> y, int n, std::vector<double>& p) {
  p.resize(n);
  const double top = *std::max_element(y.begin(), y.begin() + n);
  double sum = 0;
  for (int k = 0; k < n; ++k) sum += p[k] = std::exp(y[k] - top);
  for (double& v : p) v /= sum;
}
}  // namespace

GradientEpisodeResult RunGradientEpisode(const Model& model, std::span<const double> genome, Task& task,
                                         const ObsNormalizer& normalizer, uint64_t env_seed, uint64_t noise_key,
                                         double gamma, std::span<double> gradient, ObsStats* seen,
                                         const std::atomic<bool>* abort, const EpisodeOptions* faults) {
  const long long nan_action_step = faults ? faults->nan_action_step : -1;
  const long long nan_observation_step = faults ? faults->nan_observation_step : -1;
  auto policy = model.NewDifferentiable(genome);
  if (!policy) throw std::logic_error("RunGradientEpisode: the model has no backward pass");
  const Space& action_space = task.action_space();
  const int obs_size = task.observation_space().vector_size();
  std::vector<double> obs(obs_size), normalized(obs_size), action(action_space.vector_size()), p;
  GradientEpisodeResult out;
  EpisodeResult& r = out.episode;
  policy->Reset(noise_key);
  task.Reset(env_seed, obs);
  const bool teacher = task.SupervisedTarget() != Task::kNoTeacher;
  if (!teacher && !action_space.discrete())
    throw std::logic_error("RunGradientEpisode: REINFORCE needs discrete actions");
  const int actions = action_space.size;
  RandomStream sampler(HashKey({noise_key, static_cast<uint64_t>(StreamPurpose::kActionSampling)}));
  std::vector<double> dl_dy;       // per step, outputs values: d(objective)/d(outputs), unscaled
  std::vector<double> rewards, log_p;  // REINFORCE
  int outputs = 0, scored = 0;
  for (;;) {
    if (abort && abort->load(std::memory_order_relaxed)) {
      r.aborted = true;
      return out;
    }
    if (!AllFinite(obs)) {
      r.failed = true;
      return out;
    }
    if (seen) seen->Add(obs);
    normalizer.Normalize(obs, normalized);
    const int target = task.SupervisedTarget();
    const std::span<const double> y = policy->Forward(normalized);
    outputs = static_cast<int>(y.size());
    if (!policy->healthy() || !AllFinite(y)) {
      r.failed = true;
      return out;
    }
    const size_t row = dl_dy.size();
    dl_dy.resize(row + outputs, 0.0);
    if (teacher) {
      if (action_space.discrete()) {
        action[0] = static_cast<double>(std::max_element(y.begin(), y.begin() + actions) - y.begin());
      } else {
        for (int k = 0; k < actions; ++k)
          action[k] = action_space.low[k] + (std::tanh(y[k]) + 1.0) * 0.5 * (action_space.high[k] - action_space.low[k]);
      }
      if (target >= 0) {
        if (target >= actions) throw std::logic_error("RunGradientEpisode: the teacher's answer is not an action");
        Softmax(y, actions, p);
        out.loss -= std::log(std::max(p[target], 1e-300));
        for (int k = 0; k < actions; ++k) dl_dy[row + k] = (k == target ? 1.0 : 0.0) - p[k];
        ++scored;
      }
    } else {
      Softmax(y, actions, p);
      const double u = sampler.Uniform();
      int a = 0;
      for (double c = p[0]; a + 1 < actions && u >= c; c += p[++a]) {
      }
      action[0] = a;
      log_p.push_back(std::log(std::max(p[a], 1e-300)));  // weighted by returns below
      for (int k = 0; k < actions; ++k) dl_dy[row + k] = (k == a ? 1.0 : 0.0) - p[k];
      ++scored;
    }
    if (r.steps + 1 == nan_action_step) action[0] = std::numeric_limits<double>::quiet_NaN();
    if (!AllFinite(action)) {
      r.failed = true;
      return out;
    }
    const StepResult step = task.Step(action, obs);
    ++r.steps;
    if (r.steps == nan_observation_step) obs[0] = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(step.reward) || step.simulation_warning) {
      r.failed = true;
      return out;
    }
    r.total_reward += step.reward;
    rewards.push_back(step.reward);
    r.info_count = step.info_count;
    for (int k = 0; k < step.info_count; ++k) r.info[k] += step.info_values[k];
    if (step.terminated || step.truncated) break;
  }
  const int steps = static_cast<int>(r.steps);
  if (teacher) {
    if (scored == 0) return out;
    for (double& d : dl_dy) d /= scored;
    out.loss /= scored;
  } else {
    // Discounted returns, standardised over the episode.
    std::vector<double> g(steps);
    double running = 0;
    for (int t = steps - 1; t >= 0; --t) g[t] = running = rewards[t] + gamma * running;
    double mean = 0, var = 0;
    for (double v : g) mean += v;
    mean /= steps;
    for (double v : g) var += (v - mean) * (v - mean);
    const double sd = std::sqrt(var / steps);
    out.loss = 0;
    for (int t = 0; t < steps; ++t) {
      const double weight = sd > 1e-12 ? (g[t] - mean) / sd : g[t] - mean;
      out.loss -= weight * log_p[t] / steps;
      for (int k = 0; k < outputs; ++k) dl_dy[static_cast<size_t>(t) * outputs + k] *= weight;
    }
  }
  policy->Backward(dl_dy, gradient);
  return out;
}

}  // namespace neurevo
