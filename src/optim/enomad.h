// ENOMAD: evolution for global search plus MADS for local refinement, after
// the ENOMAD hybrid of Li et al., who evolved the synaptic weights of the C.
// elegans connectome with a genetic outer loop whose individuals are refined
// by NOMAD's mesh adaptive direct search on a few coordinates at a time,
// keeping every weight's sign (excitatory stays excitatory).
//
// Expressed through ask/tell as two alternating phases:
//   evolve  Ask returns the lambda individuals of the generation (generation
//           0: the initial mean and mean + sigma0 z_k, as in ga.h). After
//           Tell the population is ranked (NaN worst).
//   refine  the K = optimizer.enomad_refine best individuals each get a MADS
//           frame (mads_poll.h) on a random subset S_j of s coordinates, with
//           the individual as incumbent (its fitness from the evolve phase)
//           and sign-preserving bounds: a coordinate that is >= 0 stays in
//           [0, inf), a negative one in (-inf, 0] (poll points are clamped).
//           optimizer.mads_iterations complete polls follow; each Ask
//           returns all frames' 2s poll points, frame by frame. Success
//           doubles a frame's poll size, failure halves it.
// After the refine phase the refined individuals replace their originals,
// the population is re-ranked and bred into the next evolve generation:
// the best E = optimizer.elites unmutated; every other child from a parent
// drawn uniformly among the top T = optimizer.parents (<= 0: lambda / 2),
// with probability optimizer.crossover (enomad default 0.5) uniform crossover
// with a second such parent, then Gaussian mutation sigma0 N(0, I).
//
// The two variants (optimizer.enomad_variant) differ in the refinement:
//   many_small  many small adjustments spread over many weights:
//               s = min(n, ceil(2 sqrt n)), initial poll size sigma0 / 4
//   few_large   larger changes on a few weights:
//               s = min(n, ceil(sqrt(n) / 4)), initial poll size 2 sigma0
// optimizer.enomad_subset > 0 overrides s.
//
// Ask().size() alternates between lambda and K * 2s (population()). Random
// streams: child k of generation g from RandomStream(seed, g, k, 0,
// kOptimizer); frame j's subset from channel kEnomadSubsetChannel and its
// poll directions from channel kMadsPollChannel (both with g, j). Mean() is
// the best individual evaluated so far (by its single evaluation). The state
// holds the phase, the candidates, the ranked population with fitness, the
// frames and the best individual.
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

inline constexpr uint64_t kEnomadSubsetChannel = 6;

class Enomad final : public Strategy {
 public:
  Enomad(const OptimizerOptions& options, int dimension, uint64_t seed,
         std::vector<double> initial_mean);

  int population() const override;
  std::vector<std::vector<double>> Ask() override;
  void Tell(std::span<const double> fitness) override;
  void ReplaceCandidate(int index, std::span<const double> x) override;
  std::vector<double> Mean() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  bool refining() const { return refining_; }
  int subset_size() const { return subset_; }
  double initial_poll_size() const { return poll0_; }
  const std::vector<MadsFrame>& frames() const { return frames_; }

 private:
  void EnsureCandidates();
  void StartRefinement();
  void Breed();

  int lambda_;
  int truncation_;
  int elites_;
  double crossover_;
  double sigma_;
  int refine_count_;
  int iterations_;
  int subset_;
  double poll0_;

  bool refining_ = false;
  int refine_iteration_ = 0;
  Eigen::MatrixXd population_;   // n x lambda: the evolve phase's candidates
  Eigen::MatrixXd ranked_;       // n x lambda: last evolve generation, best first
  std::vector<double> ranked_fitness_;
  std::vector<MadsFrame> frames_;
  Eigen::VectorXd best_;
  double best_f_;

  bool has_candidates_ = false;
  Eigen::MatrixXd candidates_;
};

}  // namespace neurevo
