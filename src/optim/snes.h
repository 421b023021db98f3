// SNES, separable natural evolution strategies: T. Schaul, T. Glasmachers and
// J. Schmidhuber, "High Dimensions and Heavy Tails for Natural Evolution
// Strategies" (GECCO 2011), Algorithm 2.
//
// The search distribution is N(mu, diag(sigma)^2) with one step size per
// coordinate. Per generation z_k ~ N(0, I) from RandomStream(seed,
// generation, k, 0, kOptimizer) and x_k = mu + sigma .* z_k. With utilities
// u_k (fitness shaping; default the NES utilities, fitness_shaping.h)
//   grad_mu    = sum u_k z_k
//   grad_sigma = sum u_k (z_k^2 - 1)
//   mu    += eta_mu sigma .* grad_mu
//   sigma .*= exp(eta_sigma / 2 grad_sigma)
// with the paper's defaults eta_mu = 1, eta_sigma = (3 + ln n) / (5 sqrt n).
// O(n) per candidate: suited to genomes of thousands of genes.
//
// A replaced candidate x enters with z = (x - mu) / sigma. Non-finite fitness
// ranks worst; a non-finite update is discarded and sigma reset to sigma0
// (resets()). The state is mu, sigma and the generation.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class Snes final : public Strategy {
 public:
  Snes(const OptimizerOptions& options, int dimension, uint64_t seed,
       std::vector<double> initial_mean);

  int population() const override { return lambda_; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  const Eigen::VectorXd& sigma() const { return sigma_; }
  int resets() const { return resets_; }
  void OverrideLearningRatesForTest(double eta_mu, double eta_sigma) {
    eta_mu_ = eta_mu;
    eta_sigma_ = eta_sigma;
  }

 private:
  void Sample();

  int lambda_;
  double sigma0_;
  std::string shaping_;
  double eta_mu_, eta_sigma_;

  Eigen::VectorXd mu_;
  Eigen::VectorXd sigma_;
  int resets_ = 0;

  bool has_population_ = false;
  Eigen::MatrixXd z_;  // n x lambda
};

}  // namespace neurevo
