// OpenAI-ES: T. Salimans, J. Ho, X. Chen, S. Sidor, I. Sutskever,
// "Evolution Strategies as a Scalable Alternative to Reinforcement Learning"
// (arXiv:1703.03864, 2017), as in openai/evolution-strategies-starter:
//   * antithetic (mirrored) sampling: for k < lambda/2, eps_k ~ N(0, I) from
//     RandomStream(seed, generation, k, 0, kOptimizer); candidate 2k is
//     theta + sigma eps_k and candidate 2k+1 is theta - sigma eps_k
//     (lambda must be even);
//   * centred-rank fitness shaping by default (optimizer.fitness_shaping
//     selects another, see fitness_shaping.h): ranks 0..lambda-1 (worst..best) mapped to
//     rank/(lambda-1) - 0.5 in [-0.5, 0.5]; tied fitness values share their
//     average rank (the reference code breaks ties arbitrarily) and NaN ranks
//     worst;
//   * gradient estimate g = 1/(lambda sigma) sum_i shaped_i eps_i (the
//     reference code leaves out the 1/sigma, which Adam's scale invariance
//     makes immaterial except relative to the weight decay);
//   * L2 weight decay and Adam minimising -g + weight_decay theta, with the
//     reference code's Adam: a = lr sqrt(1 - b2^t) / (1 - b1^t),
//     theta -= a m / (sqrt(v) + 1e-8).
// With optimizer.es_update = "momentum" (the ENU paper's update) the centre
// instead moves by heavy-ball momentum on the utility-weighted step:
// v = momentum v + lr sum_i u_i (x_i - theta), theta += v (= lr lambda
// sigma^2 g per generation before momentum; with rank5 utilities and lr 1
// the centre moves to the rank^5-weighted mean of the candidates).
// Noise std sigma = options.sigma0 (fixed). The state is theta, Adam's m, v,
// t (or the momentum velocity) and the generation counter.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <map>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class OpenAiEs final : public Strategy {
 public:
  // Options must already be validated (MakeOptimizer does it).
  OpenAiEs(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean);

  int population() const override { return population_; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  // Centred ranks in [-0.5, 0.5], summing to zero (see the header comment).
  static std::vector<double> CentredRanks(std::span<const double> fitness);

  int adam_steps() const { return adam_t_; }

 private:
  void SampleNoise();

  int population_;
  std::string shaping_;  // resolved fitness-shaping mode
  double sigma_;
  double learning_rate_;
  double weight_decay_;
  double beta1_;
  double beta2_;
  std::string update_;  // adam | momentum
  double momentum_;
  Eigen::VectorXd velocity_;  // momentum only

  Eigen::VectorXd theta_;
  Eigen::VectorXd adam_m_;
  Eigen::VectorXd adam_v_;
  int adam_t_ = 0;

  bool has_noise_ = false;
  std::map<int, Eigen::VectorXd> replaced_;  // candidates replaced since Ask
  Eigen::MatrixXd noise_;  // n x lambda/2, column k = eps_k
};

}  // namespace neurevo
