#include "train/gradient_episode.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {

namespace {

// Softmax of the first `n` values, stably.
void Softmax(std::span<const double> y, int n, std::vector<double>& p) {
  p.resize(n);
  const double top = *std::max_element(y.begin(), y.begin() + n);
  double sum = 0;
  for (int k = 0; k < n; ++k) sum += p[k] = std::exp(y[k] - top);
  for (double& v : p) v /= sum;
}

// A differentiable policy as the shared episode loop (RunEpisode) runs
// policies: each Act runs the forward pass, chooses the action (the argmax,
// or a sample of the softmax for REINFORCE) and records what the objective's
// gradient with respect to the outputs needs. The loop's checks (abort,
// non-finite values, injected faults) are then the evaluation's own.
class TrainingPolicy final : public Policy {
 public:
  TrainingPolicy(std::unique_ptr<DifferentiablePolicy> policy, const Task& task)
      : policy_(std::move(policy)), task_(task), space_(task.action_space()) {}

  void Reset(uint64_t noise_key) override {
    policy_->Reset(noise_key);
    sampler_ = RandomStream(HashKey({noise_key, static_cast<uint64_t>(StreamPurpose::kActionSampling)}));
  }

  void Act(std::span<const double> observation, std::span<double> action) override {
    const int target = task_.SupervisedTarget();  // the answer to this observation
    teacher_ = target != Task::kNoTeacher;
    if (!teacher_ && !space_.discrete()) throw std::logic_error("RunGradientEpisode: REINFORCE needs discrete actions");
    const std::span<const double> y = policy_->Forward(observation);
    outputs_.assign(y.begin(), y.end());
    if (!std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); })) {
      finite_ = false;
      action[0] = std::numeric_limits<double>::quiet_NaN();
      return;
    }
    const int actions = space_.size;
    const size_t row = dl_dy.size();
    dl_dy.resize(row + y.size(), 0.0);
    if (teacher_) {
      if (space_.discrete()) {
        action[0] = static_cast<double>(std::max_element(y.begin(), y.begin() + actions) - y.begin());
      } else {
        for (int k = 0; k < actions; ++k)
          action[k] = space_.low[k] + (std::tanh(y[k]) + 1.0) * 0.5 * (space_.high[k] - space_.low[k]);
      }
      if (target >= 0) {
        if (target >= actions) throw std::logic_error("RunGradientEpisode: the teacher's answer is not an action");
        Softmax(y, actions, p_);
        loss -= std::log(std::max(p_[target], 1e-300));
        for (int k = 0; k < actions; ++k) dl_dy[row + k] = (k == target ? 1.0 : 0.0) - p_[k];
        ++scored;
      }
    } else {
      Softmax(y, actions, p_);
      const double u = sampler_.Uniform();
      int a = 0;
      for (double c = p_[0]; a + 1 < actions && u >= c; c += p_[++a]) {
      }
      action[0] = a;
      log_p.push_back(std::log(std::max(p_[a], 1e-300)));  // weighted by returns afterwards
      for (int k = 0; k < actions; ++k) dl_dy[row + k] = (k == a ? 1.0 : 0.0) - p_[k];
      ++scored;
    }
  }

  bool healthy() const override { return finite_ && policy_->healthy(); }
  std::span<const float> outputs() const override {
    outputs_float_.assign(outputs_.begin(), outputs_.end());
    return outputs_float_;
  }
  bool teacher() const { return teacher_; }
  int output_count() const { return static_cast<int>(outputs_.size()); }
  const DifferentiablePolicy& differentiable() const { return *policy_; }

  // What the episode recorded, per step: d(objective)/d(outputs) before any
  // scaling, and (REINFORCE) the log-probability of the action taken.
  std::vector<double> dl_dy, log_p;
  double loss = 0.0;
  int scored = 0;

 private:
  std::unique_ptr<DifferentiablePolicy> policy_;
  const Task& task_;
  const Space& space_;
  RandomStream sampler_;
  bool teacher_ = true, finite_ = true;
  std::vector<double> outputs_, p_;
  mutable std::vector<float> outputs_float_;
};

}  // namespace

GradientEpisodeResult RunGradientEpisode(const Model& model, std::span<const double> genome, Task& task,
                                         const ObsNormalizer& normalizer, uint64_t env_seed, uint64_t noise_key,
                                         double gamma, std::span<double> gradient, ObsStats* seen,
                                         const std::atomic<bool>* abort, const EpisodeOptions* faults) {
  auto differentiable = model.NewDifferentiable(genome);
  if (!differentiable) throw std::logic_error("RunGradientEpisode: the model has no backward pass");
  TrainingPolicy policy(std::move(differentiable), task);
  EpisodeOptions options;
  if (faults) {
    options.nan_action_step = faults->nan_action_step;
    options.nan_observation_step = faults->nan_observation_step;
  }
  options.seen = seen;
  options.abort = abort;
  std::vector<double> rewards;  // REINFORCE
  options.on_step = [&rewards](const StepRecord& step) { rewards.push_back(step.result.reward); };
  GradientEpisodeResult out;
  out.episode = RunEpisode(policy, task, normalizer, env_seed, noise_key, options);
  if (out.episode.failed || out.episode.aborted) return out;
  std::vector<double>& dl_dy = policy.dl_dy;
  const int outputs = policy.output_count();
  const int steps = static_cast<int>(out.episode.steps);
  if (policy.teacher()) {
    if (policy.scored == 0) return out;
    for (double& d : dl_dy) d /= policy.scored;
    out.loss = policy.loss / policy.scored;
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
    for (int t = 0; t < steps; ++t) {
      const double weight = sd > 1e-12 ? (g[t] - mean) / sd : g[t] - mean;
      out.loss -= weight * policy.log_p[t] / steps;
      for (int k = 0; k < outputs; ++k) dl_dy[static_cast<size_t>(t) * outputs + k] *= weight;
    }
  }
  policy.differentiable().Backward(dl_dy, gradient);
  return out;
}

}  // namespace neurevo
