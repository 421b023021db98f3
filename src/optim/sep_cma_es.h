// Separable CMA-ES: R. Ros and N. Hansen, "A Simple Modification in CMA-ES
// Achieving Linear Time and Space Complexity" (PPSN X, 2008).
//
// CMA-ES (cma_es.h) with the covariance matrix restricted to its diagonal:
// sampling, the step-size path and the update cost O(n) per candidate instead
// of O(n^2), and no eigendecomposition is needed, so it suits genomes of
// thousands of genes. Because the diagonal has n instead of n(n+1)/2 degrees
// of freedom it can learn much faster; the learning rates are pycma's
// separable ones (its CMA_diagonal setting, which refines Ros & Hansen's
// factor (n + 2)/3 on the full-matrix rates):
//   c1  = 1 / (n + 2 sqrt(n) + mueff/n)
//   cmu = min(1 - c1, (1/4 + mueff + 1/mueff - 2) / (n + 4 sqrt(n) + mueff/2))
//   cc  = (1 + 1/n + mueff/n) / (sqrt(n) + 1/n + 2 mueff/n)
// with weights, mueff, cs, damps and chiN as in cma_es.h. Per generation
// x_k = m + sigma d .* z_k (d = sqrt(diag C)), z_k from RandomStream(seed,
// generation, k, 0, kOptimizer) as in cma_es; the update is the full one
// with every outer product replaced by its diagonal (squares).
//
// options.active adds the negative weights of cma_es.h (same formula, with
// the separable c1 and cmu); a negative weight's square term is rescaled by
// n / ||y_i / d||^2.
//
// Numerical hygiene as in cma_es: non-finite fitness ranks worst; after an
// update with a non-finite mean, sigma or C, a non-positive entry of C or a
// condition number above 1e14, the strategy resets (mean kept, C = I, paths
// 0, sigma = sigma0) and counts it in resets(). SaveState stores mean,
// sigma, diag C, both paths and the generation counter.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

class SepCmaEs final : public Strategy {
 public:
  struct Parameters {
    int lambda = 0;
    int mu = 0;
    std::vector<double> weights;           // mu positive weights summing to 1
    std::vector<double> negative_weights;  // active only
    double mueff = 0.0;
    double cc = 0.0;
    double cs = 0.0;
    double c1 = 0.0;
    double cmu = 0.0;
    double damps = 0.0;
    double chi_n = 0.0;
  };
  static Parameters DefaultParameters(int dimension, int lambda, int mu, bool active);

  SepCmaEs(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean);

  int population() const override { return params_.lambda; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  const Parameters& parameters() const { return params_; }
  void OverrideParametersForTest(const Parameters& params) { params_ = params; }
  double sigma() const { return sigma_; }
  double sigma0() const { return sigma0_; }
  bool active() const { return !params_.negative_weights.empty(); }
  const Eigen::VectorXd& diagonal() const { return c_; }  // diag C
  const Eigen::VectorXd& mean_vector() const { return mean_; }
  const Eigen::VectorXd& pc() const { return pc_; }
  int resets() const { return resets_; }

 private:
  void SamplePopulation();
  void Reset(const Eigen::VectorXd& fallback_mean);

  double sigma0_;
  Parameters params_;

  Eigen::VectorXd mean_;
  double sigma_;
  Eigen::VectorXd c_;  // diagonal of C
  Eigen::VectorXd d_;  // sqrt(c_)
  Eigen::VectorXd ps_;
  Eigen::VectorXd pc_;
  int resets_ = 0;

  bool has_population_ = false;
  Eigen::MatrixXd population_;  // n x lambda
};

}  // namespace neurevo
