// bptt: gradient training (backpropagation through time) as an optimizer.
// It asks for one candidate, its current genome theta, and is told the
// gradient of the fitness there (TellGradient), which the trainer computes
// by running a differentiable model (model.kind = "rsnn") on a minibatch of
// train.episodes episodes (train/gradient_episode.h). Each step:
//   g = gradient, rescaled to norm gradient_clip when longer (global L2 norm);
//   Adam (adam_step.h) minimising -g with learning_rate, adam_beta1, adam_beta2.
// The state is theta, Adam's m, v, t and the generation (step) counter.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class Bptt final : public Strategy {
 public:
  Bptt(const OptimizerOptions& options, int dimension, uint64_t seed, std::vector<double> initial_mean);

  int population() const override { return 1; }
  std::vector<std::vector<double>> Ask() override;
  // Refused: bptt needs a gradient (TellGradient).
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  bool uses_gradient() const override { return true; }
  void TellGradient(double fitness, std::span<const double> gradient) override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  // The norm of the last gradient told, before clipping (metrics).
  double last_gradient_norm() const { return last_norm_; }

 private:
  double learning_rate_, beta1_, beta2_, clip_;
  Eigen::VectorXd theta_, m_, v_;
  int t_ = 0;
  double last_norm_ = 0.0;
};

}  // namespace neurevo
