// Genetic algorithm in the style of F. P. Such, V. Madhavan, E. Conti, J.
// Lehman, K. O. Stanley and J. Clune, "Deep Neuroevolution: Genetic
// Algorithms Are a Competitive Alternative for Training Deep Neural Networks
// for Reinforcement Learning" (arXiv:1712.06567, 2018).
//
// Generation 0: candidate 0 is the initial mean, candidate k > 0 is mean +
// sigma0 z_k. After Tell (ranked by fitness, NaN worst, ties stable):
//   * truncation selection: the top T = optimizer.parents individuals (<= 0:
//     max(1, lambda / 5)) are the parents;
//   * elitism: the best E = optimizer.elites individuals are carried into the
//     next generation unmutated (and re-evaluated there, as in Such et al.,
//     which is what protects against a lucky noisy evaluation);
//   * each other child picks a parent uniformly among the top T; with
//     probability optimizer.crossover (ga default 0, as in Such et al.) it
//     instead takes each gene from one of two such parents with probability
//     1/2 (uniform crossover); then adds sigma0 N(0, I) (Gaussian mutation,
//     fixed sigma).
// Child k of generation g draws from RandomStream(seed, g, k, 0, kOptimizer).
// Selection is rank-based, so fitness shaping does not apply. Mean() is the
// best individual of the last told generation (the initial mean before).
// The state is the current population, that best individual and the
// generation counter.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class Ga final : public Strategy {
 public:
  Ga(const OptimizerOptions& options, int dimension, uint64_t seed,
     std::vector<double> initial_mean);

  int population() const override { return lambda_; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  int truncation() const { return truncation_; }
  int elites() const { return elites_; }
  double crossover() const { return crossover_; }

 private:
  int lambda_;
  int truncation_;
  int elites_;
  double crossover_;
  double sigma_;

  Eigen::MatrixXd population_;  // n x lambda, the candidates of this generation
  Eigen::VectorXd best_;
};

}  // namespace neurevo
