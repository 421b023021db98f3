// Termination criteria for CMA-ES restarts, after N. Hansen, "Benchmarking a
// BI-Population CMA-ES on the BBOB-2009 Function Testbed" (GECCO 2009
// workshop) and Auger & Hansen 2005 (IPOP-CMA-ES), with pycma's thresholds:
//   tolfun        the range of the best fitness of the last 10 + ceil(30 n /
//                 lambda) generations and of all current fitness values is
//                 below 1e-12
//   tolx          sigma * max(|pc_i|, sqrt(C_ii)) < 1e-12 * sigma0 for all i
//   noeffectaxis  adding 0.1 sigma sqrt(eig_i) b_i, i = generation mod n,
//                 leaves the mean unchanged
//   noeffectcoord adding 0.2 sigma sqrt(C_ii) to m_i leaves it unchanged, for
//                 some i
//   conditioncov  the condition number of C exceeds 1e14 (or the strategy
//                 reset itself for a numerical reason)
//   tolupsigma    sigma / sigma0 > 1e20 * sqrt(max eig C) (a diverging sigma)
//   stagnation    over the last max(120 + 30 n / lambda, 0.2 generation)
//                 generations (at most 20000), the medians of both the best
//                 and the median fitness in the most recent 30% are not
//                 better than in the oldest 30%
// Fitness is maximised here (neurevo's convention), so "better" is larger.
#pragma once

#include <Eigen/Dense>
#include <deque>
#include <nlohmann/json.hpp>
#include <span>
#include <string>

namespace neurevo {

// What the criteria read from a CMA-ES variant after a Tell.
struct CmaSnapshot {
  int generation = 0;
  double sigma = 0.0;
  double sigma0 = 0.0;
  Eigen::VectorXd mean;
  Eigen::VectorXd pc;
  Eigen::VectorXd cov_diagonal;   // C_ii
  Eigen::VectorXd axis_lengths;   // sqrt of the eigenvalues of C
  Eigen::MatrixXd axes;           // eigenvectors (columns); empty: the identity (separable)
  int resets = 0;                 // internal numerical resets so far
};

class CmaTermination {
 public:
  CmaTermination(int dimension, int lambda);

  // Records one generation's fitness values (before Check).
  void Record(std::span<const double> fitness);
  // The first criterion met, or "" if none. Remembers the snapshot's reset
  // count, so a reset is reported once.
  std::string Check(const CmaSnapshot& s);

  nlohmann::json SaveState() const;
  void LoadState(const nlohmann::json& state);

 private:
  int n_;
  int lambda_;
  int resets_seen_ = 0;
  bool have_resets_ = false;
  std::deque<double> best_history_;    // best fitness per generation, newest last
  std::deque<double> median_history_;  // median fitness per generation
  double current_range_ = 0.0;         // max - min of the last generation
  int recorded_ = 0;
};

}  // namespace neurevo
