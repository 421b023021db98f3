// CMA-ES: the covariance matrix adaptation evolution strategy.
//
// Follows N. Hansen, "The CMA Evolution Strategy: A Tutorial"
// (arXiv:1604.00772), with the default positive-weights setting of its
// Table 1, and the structure of Hansen's purecma.py (lazy eigendecomposition):
//   weights   w_i ∝ ln(mu + 1/2) - ln(i), i = 1..mu, sum w_i = 1
//             (= ln((lambda+1)/2) - ln(i) when mu = lambda/2, lambda even)
//   mueff     (sum w)^2 / sum w^2
//   cc        (4 + mueff/n) / (n + 4 + 2 mueff/n)
//   cs        (mueff + 2) / (n + mueff + 5)
//   c1        2 / ((n + 1.3)^2 + mueff)
//   cmu       min(1 - c1, 2 (mueff - 2 + 1/mueff) / ((n + 2)^2 + mueff))
//   ds        1 + 2 max(0, sqrt((mueff - 1)/(n + 1)) - 1) + cs
//   chiN      sqrt(n) (1 - 1/(4n) + 1/(21 n^2))  ~ E||N(0, I)||
// Per generation: x_k = m + sigma B D z_k (all k in one matrix product), z_k ~ N(0, I) drawn from
// RandomStream(seed, generation, k, 0, kOptimizer); weighted recombination of
// the mu best; cumulative step-size adaptation with
// sigma *= exp(min(1, cs/ds (||ps||/chiN - 1))) (the cap at 1 is purecma's
// safeguard); the h_sigma stall of the rank-one path; rank-one plus rank-mu
// covariance update; C is eigendecomposed (symmetric_eigen.h: LAPACK's dsyevd)
// once more than lambda / (c1 + cmu) / n / 10 evaluations have passed since
// the last decomposition, as in purecma. From kDeferredDecompositionDimension
// genes on, the decomposition of the C that a Tell leaves is adopted when the
// next one is due (one lazy interval later, ~1/(10 n (c1 + cmu))
// generations: B and D are then up to two intervals old, where purecma's
// are up to one): meanwhile BackgroundWork() lets the trainer compute it on
// a worker across those generations' evaluations, and the results are the
// same whether, where and when it ran. Below that size the decomposition is
// immediate, as in purecma.
//
// Active CMA (options.active; Jastrebski & Arnold 2006, "Improving evolution
// strategies through active covariance matrix adaptation", and the tutorial's
// negative weights, its eq. (53) and Table 1): the lambda - mu worst steps get
// negative raw weights w'_i = ln((lambda+1)/2) - ln i (only the negative ones
// are kept), scaled to sum to -min(alpha_mu, alpha_mueff, alpha_posdef) with
//   alpha_mu     = 1 + c1/cmu
//   alpha_mueff  = 1 + 2 mueff^- / (mueff + 2)
//   alpha_posdef = (1 - c1 - cmu) / (n cmu);
// in the rank-mu update a negative weight is multiplied by n / ||C^{-1/2} y_i||^2
// so that long bad steps cannot make C indefinite; the decay factor uses the
// sum of all weights. The mean uses the positive weights only. Without
// `active` the arithmetic is exactly the positive-weights update above.
//
// Numerical hygiene: C is symmetrised after each update. Non-finite fitness
// ranks as the worst. If after an update the mean, sigma or C is non-finite,
// sigma is not positive, or the eigendecomposition fails / gives a non-positive
// eigenvalue / a condition number of C above 1e14, the strategy RESETS (it
// never throws from Tell): the mean falls back to the last finite one, C = B =
// I, D = 1, both paths = 0, sigma = sigma0; resets() counts these.
//
// Because samples depend only on (seed, generation, k), the state is the
// distribution plus the generation counter; SaveState stores mean, sigma, C,
// B, D, ps, pc, generation and the generation of the last eigendecomposition
// as JSON (doubles round-trip exactly).
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <future>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"

namespace neurevo {

// From this many genes on, CMA-ES defers its eigendecomposition by one
// generation so that it can overlap an evaluation (see above).
inline constexpr int kDeferredDecompositionDimension = 100;

class CmaEs final : public Strategy {
 public:
  // Strategy parameters derived from (n, lambda, mu); see the header comment.
  struct Parameters {
    int lambda = 0;
    int mu = 0;
    std::vector<double> weights;  // mu positive weights summing to 1
    // Active CMA: weights of ranks mu+1..lambda (<= 0); empty when inactive.
    std::vector<double> negative_weights;
    double mueff = 0.0;
    double cc = 0.0;
    double cs = 0.0;
    double c1 = 0.0;
    double cmu = 0.0;
    double damps = 0.0;  // ds
    double chi_n = 0.0;
  };
  static Parameters DefaultParameters(int dimension, int lambda, int mu, bool active = false);
  // Negative weights of ranks mu+1..lambda for active CMA (shared with
  // sep_cma_es, which passes its own c1 and cmu); empty if there are none.
  static std::vector<double> ActiveWeights(int dimension, int lambda, int mu, double mueff,
                                           double c1, double cmu);

  // Options must already be validated (MakeOptimizer does it); mu <= 0 in
  // options.parents means lambda / 2.
  CmaEs(const OptimizerOptions& options, int dimension, uint64_t seed,
        std::vector<double> initial_mean);

  int population() const override { return params_.lambda; }
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  const Parameters& parameters() const { return params_; }
  double sigma() const { return sigma_; }
  double sigma0() const { return sigma0_; }
  bool active() const { return !params_.negative_weights.empty(); }
  // The eigendecomposition a Tell made due (of C as it was then), to be run
  // on a worker while the next generations are evaluated; adopted by the
  // Tell at which the next one is due, which waits for it if need be.
  std::function<void()> BackgroundWork() override;
  void SetParallelFor(ParallelForFn parallel_for) override { parallel_for_ = std::move(parallel_for); }
  ~CmaEs() override;
  // Not while a background job runs (it refers to this object).
  CmaEs(CmaEs&&) = default;
  CmaEs& operator=(CmaEs&&) = default;
  const Eigen::MatrixXd& covariance() const { return c_; }
  // For the restart criteria (optim/cma_termination.h).
  const Eigen::MatrixXd& eigenvectors() const { return b_; }
  const Eigen::VectorXd& axis_lengths() const { return d_; }  // sqrt(eig(C))
  const Eigen::VectorXd& mean_vector() const { return mean_; }
  const Eigen::VectorXd& pc() const { return pc_; }
  int resets() const { return resets_; }

  // For tests that need to break the update on purpose (e.g. cs = 0).
  void OverrideParametersForTest(const Parameters& params) { params_ = params; }

 private:
  void SamplePopulation();
  // Runs body(first, size) over fixed blocks of kBlock rows or columns, on
  // the parallel loop when one is set (SetParallelFor).
  void ForBlocks(const std::function<void(int first, int size)>& body) const;
  static constexpr int kBlock = 64;
  static constexpr int kTile = 16;  // C's mirror copies 16 x 16 tiles (both in L1)
  ParallelForFn parallel_for_;
  // Adopts the pending decomposition (computing it if nobody has).
  void UpdateEigensystem();
  void Decompose();
  void WaitForBackgroundWork();
  void Reset(const Eigen::VectorXd& fallback_mean);

  double sigma0_;
  Parameters params_;

  Eigen::VectorXd mean_;
  double sigma_;
  Eigen::MatrixXd c_;  // covariance matrix C
  Eigen::MatrixXd b_;  // eigenvectors of C (columns)
  Eigen::VectorXd d_;  // sqrt of eigenvalues of C
  Eigen::VectorXd ps_;
  Eigen::VectorXd pc_;
  int eigen_generation_ = 0;  // generation whose C was last decomposed (or is being)
  // A decomposition made due by one Tell and adopted by the next: of
  // pending_c_, into pending_values_ and pending_b_ (decomposed_ once done).
  bool pending_ = false, decomposed_ = false, decomposition_ok_ = false;
  Eigen::MatrixXd pending_c_, pending_b_;
  Eigen::VectorXd pending_values_;
  bool handed_out_ = false;      // BackgroundWork's job exists: wait for job_ before touching the above
  std::shared_future<void> job_;
  int resets_ = 0;

  // Cached population of the current generation (columns), valid until Tell.
  bool has_population_ = false;
  Eigen::MatrixXd population_;
};

}  // namespace neurevo
