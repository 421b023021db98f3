#include "train/analysis_stats.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "neurevo/genome_layout.h"

namespace neurevo {

std::vector<double> ColumnCorrelations(std::span<const double> x, int rows, int columns) {
  std::vector<double> mean(columns, 0.0), scale(columns, 0.0);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) mean[c] += x[static_cast<size_t>(r) * columns + c];
  for (double& m : mean) m /= rows;
  std::vector<double> centred(x.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      const double d = x[static_cast<size_t>(r) * columns + c] - mean[c];
      centred[static_cast<size_t>(r) * columns + c] = d;
      scale[c] += d * d;
    }
  std::vector<double> out(static_cast<size_t>(columns) * columns);
  for (int a = 0; a < columns; ++a)
    for (int b = a; b < columns; ++b) {
      double s = 0.0;
      for (int r = 0; r < rows; ++r)
        s += centred[static_cast<size_t>(r) * columns + a] * centred[static_cast<size_t>(r) * columns + b];
      const double denom = std::sqrt(scale[a] * scale[b]);
      // A column is constant when its spread is rounding of its mean (not only exactly 0).
      const auto constant = [&](int c) {
        return !(scale[c] > 1e-24 * rows * std::max(1.0, mean[c] * mean[c]));
      };
      const double c = constant(a) || constant(b) ? std::nan("") : std::clamp(s / denom, -1.0, 1.0);
      out[static_cast<size_t>(a) * columns + b] = out[static_cast<size_t>(b) * columns + a] = c;
    }
  return out;
}

namespace {
void CheckPositive(std::span<const double> x, const char* what) {
  if (x.size() < 2) throw std::invalid_argument(std::string(what) + ": fewer than two samples");
  for (double v : x)
    if (!(v > 0.0) || !std::isfinite(v)) throw std::invalid_argument(std::string(what) + ": a sample is not positive");
}

// g(k) = log k - psi(k) and its derivative g'(k) = 1/k - psi'(k), the gamma
// likelihood equation's terms, without the cancellation of computing log k
// and psi(k) apart (both grow like log k; their difference is ~1/(2k)):
// the asymptotic tails for x >= 10, and the recurrences
// psi(k) = psi(k + m) - sum 1/(k + i), psi'(k) = psi'(k + m) + sum 1/(k + i)^2 below.
double LogMinusDigamma(double k) {
  double shift = 0.0, x = k;
  while (x < 10.0) shift += 1.0 / x, x += 1.0;
  const double f = 1.0 / (x * x);
  const double tail = 1.0 / (2 * x) + f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  return std::log(k / x) + tail + shift;
}
double LogMinusDigammaSlope(double k) {
  double shift = 0.0, x = k;
  while (x < 10.0) shift += 1.0 / (x * x), x += 1.0;
  const double f = 1.0 / (x * x);
  const double tail = -f * (0.5 + (1.0 / x) * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30))));
  return 1.0 / k - 1.0 / x + tail - shift;
}
}  // namespace

LognormalFit FitLognormal(std::span<const double> x) {
  CheckPositive(x, "FitLognormal");
  const double n = static_cast<double>(x.size());
  double mu = 0.0;
  for (double v : x) mu += std::log(v);
  mu /= n;
  double var = 0.0;
  for (double v : x) var += (std::log(v) - mu) * (std::log(v) - mu);
  var /= n;  // maximum likelihood: 1/n
  LognormalFit f;
  f.mu = mu;
  f.sigma = std::sqrt(var);
  // log p(x) = -log x - log(sigma sqrt(2 pi)) - (log x - mu)^2 / (2 sigma^2); mean over the samples.
  f.mean_log_likelihood = -mu - std::log(f.sigma * std::sqrt(2 * std::numbers::pi)) - 0.5;
  return f;
}

GammaFit FitGamma(std::span<const double> x) {
  CheckPositive(x, "FitGamma");
  const double n = static_cast<double>(x.size());
  double mean = 0.0, mean_log = 0.0;
  for (double v : x) mean += v, mean_log += std::log(v);
  mean /= n;
  mean_log /= n;
  // s = log(mean) - mean(log x) >= 0 (Jensen), 0 iff all equal; as a mean of
  // log1p terms, so that nearly equal samples keep their digits.
  double s = 0.0;
  for (double v : x) s -= std::log1p((v - mean) / mean);
  s /= n;
  if (!(s > 1e-14)) throw std::invalid_argument("FitGamma: all samples are equal");
  // Minka's starting point, then Newton on the likelihood equation log k - psi(k) = s.
  double k = (3 - s + std::sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
  for (int i = 0; i < 100; ++i) {
    const double g = LogMinusDigamma(k) - s;
    const double dg = LogMinusDigammaSlope(k);
    const double next = k - g / dg;
    const double k_new = next > 0 ? next : k / 2;
    if (std::abs(k_new - k) <= 1e-12 * k) {
      k = k_new;
      break;
    }
    k = k_new;
  }
  GammaFit f;
  f.shape = k;
  f.scale = mean / k;
  // log p(x) = (k - 1) log x - x / theta - log Gamma(k) - k log theta; mean over the samples.
  f.mean_log_likelihood = (k - 1) * mean_log - mean / f.scale - std::lgamma(k) - k * std::log(f.scale);
  return f;
}

Diversity PopulationDiversity(const std::vector<std::vector<double>>& genomes, int bins) {
  Diversity d;
  if (genomes.empty() || genomes.front().empty() || bins < 2) return d;
  const size_t n = genomes.front().size();
  const double p = static_cast<double>(genomes.size());
  std::vector<int> count(bins);
  for (size_t i = 0; i < n; ++i) {
    double mean = 0, var = 0;
    for (const auto& g : genomes) mean += g[i];
    mean /= p;
    for (const auto& g : genomes) var += (g[i] - mean) * (g[i] - mean);
    d.gene_std += std::sqrt(var / p);
    std::fill(count.begin(), count.end(), 0);
    for (const auto& g : genomes) ++count[std::min(bins - 1, static_cast<int>(GenomeLayout::Fold(g[i]) * bins))];
    for (int c : count)
      if (c > 0) d.kl_uniform += (c / p) * std::log((c / p) * bins);
  }
  d.gene_std /= static_cast<double>(n);
  d.kl_uniform /= static_cast<double>(n);
  return d;
}

}  // namespace neurevo
