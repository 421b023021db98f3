// Fitness shaping: raw fitness values -> utilities for gradient-type
// strategies (openai_es, xnes, snes, pgpe). Higher fitness is better; the
// utility of a candidate is what multiplies its perturbation in the search
// gradient. NaN fitness ranks (or counts) as the worst value.
//
//   raw            u_i = f_i (non-finite values replaced by the worst finite
//                  value; all non-finite: 0). Not invariant to scaling f.
//   zscore         u_i = (f_i - mean f) / std f (population std; 0 if flat).
//   centered_rank  u_i = r_i / (lambda - 1) - 1/2, r_i in 0..lambda-1 the
//                  rank from worst to best, ties sharing their average rank
//                  (Salimans et al. 2017; openai_es's historical behaviour,
//                  bit for bit).
//   rank5          the ENU paper's rank^5 weighting (Bertens & Lee 2019):
//                  with ranks r_i = 1..lambda worst to best (ties averaged),
//                  v_i = (r_i / lambda)^5, u_i = v_i / sum_j v_j - 1/lambda.
//                  Weights proportional to (rank/lambda)^5, normalised to sum
//                  1, minus the uniform weight so that the utilities sum to 0
//                  (a baseline: with all-equal fitness nothing moves).
//   nes            the NES utilities of Wierstra et al. 2014 / Glasmachers et
//                  al. 2010: u_k = max(0, ln(lambda/2 + 1) - ln k) / sum_j
//                  max(0, ln(lambda/2 + 1) - ln j) - 1/lambda for the k-th best
//                  (k = 1..lambda); ties averaged.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace neurevo {

// The modes accepted by optimizer.fitness_shaping, "auto" included.
std::vector<std::string> FitnessShapingModes();

// `mode` is one of the modes above except auto. Throws std::invalid_argument
// for an unknown mode.
std::vector<double> ShapeFitness(std::span<const double> fitness, std::string_view mode);

// Throws ConfigError "<what>: fitness_shaping ..." unless `mode` is a
// resolved mode (not auto): what a saved state may hold.
void CheckResolvedFitnessShaping(const std::string& mode, const std::string& what);

// Resolves "auto" for a strategy kind (centered_rank for openai_es and pgpe,
// nes for xnes and snes); any other mode is returned unchanged.
std::string ResolveFitnessShaping(std::string_view mode, std::string_view kind);

}  // namespace neurevo
