// MADS, mesh adaptive direct search (C. Audet and J. E. Dennis Jr., SIAM J.
// Optim. 17(1), 2006) with the orthogonal 2n poll of OrthoMADS (Abramson et
// al. 2009) as in NOMAD 4; the poll itself is in mads_poll.h.
//
// Through ask/tell: the incumbent x starts at the initial mean with poll size
// Delta = sigma0. The first Ask also contains x itself (its fitness is
// unknown); every Ask then returns poll points around the incumbent:
//   complete poll (optimizer.mads_poll = complete, the default): all 2n
//     points of the poll in one Ask (a parallel evaluator gains nothing from
//     stopping early), then the best point becomes the incumbent if it is
//     strictly better (Delta *= 2), otherwise Delta /= 2;
//   opportunistic poll (mads_poll = opportunistic): batches of
//     optimizer.population poll points in the poll's order; the poll ends at
//     the first batch containing a strictly better point (success) or when
//     all 2n points failed. This saves evaluations when success is frequent.
// So population() is 2n (+1 on the first Ask) for complete polls and
// min(population, points left) (+1 on the first Ask) for opportunistic ones.
// There is no search step (NOMAD's speculative or quadratic-model search).
// The poll directions of poll k come from RandomStream(seed, k, 0,
// kMadsPollChannel, kOptimizer). MADS assumes a deterministic objective: the
// incumbent's fitness is never re-evaluated, so with noisy fitness a lucky
// evaluation can stall it (prefer ga, cma_es or enomad there).
// Mean() is the incumbent. The state is the frame (incumbent, its fitness,
// Delta), the poll counter, the position within the poll and the best point
// of the poll so far.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/strategy.h"
#include "optim/mads_poll.h"

namespace neurevo {

inline constexpr uint64_t kMadsPollChannel = 5;

class Mads final : public Strategy {
 public:
  Mads(const OptimizerOptions& options, int dimension, uint64_t seed,
       std::vector<double> initial_mean);

  int population() const override;
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  double poll_size() const { return frame_.poll_size; }
  double incumbent_fitness() const { return frame_.fx; }
  int polls() const { return poll_; }

 private:
  void EnsureCandidates();
  int BatchEnd() const;

  bool opportunistic_;
  int batch_size_;

  MadsFrame frame_;
  bool center_known_ = false;
  int poll_ = 0;         // polls completed
  int batch_start_ = 0;  // first poll point of the next batch
  bool has_poll_best_ = false;
  Eigen::VectorXd poll_best_;
  double poll_best_f_ = 0.0;

  // Candidates of the current Ask (columns), valid until Tell.
  bool has_candidates_ = false;
  Eigen::MatrixXd candidates_;
};

}  // namespace neurevo
