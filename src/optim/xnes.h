// xNES, exponential natural evolution strategies: T. Glasmachers, T. Schaul,
// Y. Sun, D. Wierstra and J. Schmidhuber, "Exponential Natural Evolution
// Strategies" (GECCO 2010), Algorithm 1, with full covariance.
//
// The search distribution is N(mu, sigma^2 B B^T) with det B = 1. Per
// generation z_k ~ N(0, I) from RandomStream(seed, generation, k, 0,
// kOptimizer) and x_k = mu + sigma B z_k. With utilities u_k (fitness
// shaping; default the NES utilities, fitness_shaping.h) the natural
// gradients in local coordinates are
//   G_delta = sum u_k z_k
//   G_M     = sum u_k (z_k z_k^T - I)
//   G_sigma = tr(G_M) / n,   G_B = G_M - G_sigma I
// and the updates
//   mu    += eta_mu sigma B G_delta
//   sigma *= exp(eta_sigma / 2 G_sigma)
//   B     *= expm(eta_B / 2 G_B)
// with the paper's defaults eta_mu = 1, eta_sigma = eta_B = (9 + 3 ln n) /
// (5 n sqrt n). expm of the symmetric G_B is taken through its
// eigendecomposition. Cost O(n^3) per generation (like cma_es); for large
// genomes use snes or sep_cma_es.
//
// A replaced candidate x (ReplaceCandidate) enters with z = (sigma B)^-1
// (x - mu). Non-finite fitness ranks worst. If an update gives a non-finite
// state the strategy keeps the previous one and resets B = I, sigma = sigma0
// (counted in resets()). The state is mu, sigma, B and the generation.
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

class Xnes final : public Strategy {
 public:
  Xnes(const OptimizerOptions& options, int dimension, uint64_t seed,
       std::vector<double> initial_mean);

  int population() const override { return lambda_; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  double sigma() const { return sigma_; }
  const Eigen::MatrixXd& shape() const { return b_; }
  int resets() const { return resets_; }
  // For tests that break the update on purpose.
  void OverrideLearningRatesForTest(double eta_mu, double eta_sigma, double eta_b) {
    eta_mu_ = eta_mu;
    eta_sigma_ = eta_sigma;
    eta_b_ = eta_b;
  }

 private:
  void Sample();

  int lambda_;
  double sigma0_;
  std::string shaping_;
  double eta_mu_, eta_sigma_, eta_b_;

  Eigen::VectorXd mu_;
  double sigma_;
  Eigen::MatrixXd b_;
  int resets_ = 0;

  bool has_population_ = false;
  Eigen::MatrixXd z_;  // n x lambda
};

}  // namespace neurevo
