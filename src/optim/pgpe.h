// PGPE, policy gradients with parameter-based exploration: F. Sehnke, C.
// Osendorfer, T. Rueckstiess, A. Graves, J. Peters and J. Schmidhuber,
// "Parameter-exploring policy gradients" (Neural Networks 23(4), 2010), with
// symmetric sampling (their Section 4.1).
//
// The search distribution is N(mu, diag(sigma)^2). For k < lambda/2,
// eps_k = sigma .* z_k with z_k ~ N(0, I) from RandomStream(seed,
// generation, k, 0, kOptimizer); candidate 2k is mu + eps_k, candidate 2k+1
// is mu - eps_k (lambda even). With utilities u_i (fitness shaping, default
// centred ranks) and the baseline b = mean(u), per candidate i with
// perturbation e_i (+-eps_k):
//   grad_mu    = 1/(lambda/2) sum_i u_i e_i / 2
//                (= mean over pairs of eps_k (u+ - u-) / 2, Sehnke's rule)
//   grad_sigma = 1/(lambda/2) sum_i (u_i - b)/2 (e_i^2 - sigma^2) / sigma
//                (= mean over pairs of ((u+ + u-)/2 - b)(eps^2 - sigma^2)/sigma)
// sigma += pgpe_sigma_lr * grad_sigma, each sigma_i limited to a relative
// change of at most 20% per generation (as evotorch's PGPE, for stability);
// the centre follows grad_mu with pgpe_optimizer:
//   clipup  ClipUp (Toklu, Liskowski and Srivastava, "ClipUp: A Simple and
//           Powerful Optimizer for Distribution-based Policy Evolution", PPSN
//           2020): v <- 0.9 v + alpha g / ||g||, ||v|| clipped to 2 alpha,
//           mu += v, with alpha = learning_rate (the default)
//   adam    Adam on -g (openai_es's update, beta1/beta2 from the options)
//   sgd     mu += learning_rate * g (Sehnke's plain gradient step)
// A replaced candidate uses e_i = x - mu. The state is mu, sigma, the centre
// optimizer's state (velocity, or Adam's m, v, t) and the generation.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class Pgpe final : public Strategy {
 public:
  Pgpe(const OptimizerOptions& options, int dimension, uint64_t seed,
       std::vector<double> initial_mean);

  int population() const override { return lambda_; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  const Eigen::VectorXd& sigma() const { return sigma_; }

 private:
  void Sample();

  int lambda_;
  std::string shaping_;
  std::string center_optimizer_;  // clipup | adam | sgd
  double learning_rate_;
  double sigma_lr_;
  double beta1_, beta2_;
  static constexpr double kMomentum = 0.9;      // ClipUp
  static constexpr double kMaxSigmaChange = 0.2;  // relative, per generation

  Eigen::VectorXd mu_;
  Eigen::VectorXd sigma_;
  Eigen::VectorXd velocity_;  // clipup
  Eigen::VectorXd adam_m_, adam_v_;
  int adam_t_ = 0;

  bool has_noise_ = false;
  Eigen::MatrixXd eps_;  // n x lambda/2
  std::map<int, Eigen::VectorXd> replaced_;
};

}  // namespace neurevo
