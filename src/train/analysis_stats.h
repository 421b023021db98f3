// The statistics `neurevo analyze` computes (train/analyze_run.h), as plain
// functions with known answers (tests: analysis_stats_test.cc).
#pragma once

#include <span>
#include <vector>

namespace neurevo {

// Pearson correlations between the columns of `x` (rows x columns, row
// major): a columns x columns matrix; NaN for a pair with a constant column
// (no correlation is defined).
std::vector<double> ColumnCorrelations(std::span<const double> x, int rows, int columns);

// Maximum-likelihood fits of positive samples. Lognormal: mu and sigma of
// log x (closed form). Gamma: shape k and scale theta (Newton's iteration
// on log k - psi(k) = log mean(x) - mean(log x) from Minka 2002's start, to
// 1e-12 relative; log k - psi(k) is summed as a series, without cancellation,
// so large shapes converge too). Each with its mean
// log-likelihood per sample. Throws std::invalid_argument for fewer than
// two samples, a non-positive one, or (gamma) all samples equal.
struct LognormalFit {
  double mu = 0, sigma = 0, mean_log_likelihood = 0;
};
struct GammaFit {
  double shape = 0, scale = 0, mean_log_likelihood = 0;
};
LognormalFit FitLognormal(std::span<const double> x);
GammaFit FitGamma(std::span<const double> x);

// The gene diversity of a population (genomes of equal length), per gene
// then averaged over the genes: gene_std, the population's standard
// deviation of the raw gene; kl_uniform, the Kullback-Leibler divergence
// (nats) of the histogram of the folded genes (GenomeLayout::Fold, the unit
// box the model reads) in `bins` equal bins from the uniform distribution:
// 0 for a population spread evenly over the box, up to log(bins) for one
// collapsed into a bin. Empty bins contribute 0 (p log p -> 0).
struct Diversity {
  double gene_std = 0, kl_uniform = 0;
};
Diversity PopulationDiversity(const std::vector<std::vector<double>>& genomes, int bins = 10);

}  // namespace neurevo
