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
// The reference code's ENOMAD (Churchland & Garcia-Ojalvo 2025) is these
// knobs set (configs/celegans): enomad_mutation (children's Gaussian
// mutation and the first generation's spread; 0: none, the first
// generation is lambda copies of the initial mean), enomad_reset_genes
// (sparse mutation: genes redrawn in [0, 1]), mads_poll0, enomad_parents =
// fitness (parents in proportion to max(f, 0); a gene from the first parent
// with probability (f1 / (f1 + f2))^1.2, the reference's crossover),
// enomad_subset_mode = changed (a frame only for an individual with 1 .. s
// genes that differ from the initial mean, on exactly those genes), and
// enomad_penalty (every fitness the strategy sees is
// f - penalty * changed^penalty_power; the trainer still records f).
//
// Ask().size() alternates between lambda and the frames' 2|S_j| together
// (population()). Random
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
  // The reference code's knobs (OptimizerOptions::enomad_*).
  double mutation_;
  int reset_genes_;
  bool fitness_parents_;
  bool changed_subsets_;
  double penalty_, penalty_power_;
  Eigen::VectorXd origin_;  // the initial mean: what "changed" is measured from

  // Genes of column k of `m` that differ from the origin.
  int Changed(const Eigen::MatrixXd& m, Eigen::Index k) const;
  // A frame's first candidate column.
  Eigen::Index FrameOffset(size_t frame) const;

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
