#include "train/analysis_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace neurevo {
namespace {

TEST(AnalysisStats, CorrelationsOfKnownColumns) {
  // Columns: a ramp, the ramp reversed, the ramp scaled and shifted, a constant.
  std::vector<double> x;
  for (int r = 0; r < 5; ++r) x.insert(x.end(), {double(r), double(-r), 3.0 * r + 7, 1.0});
  const auto c = ColumnCorrelations(x, 5, 4);
  EXPECT_DOUBLE_EQ(c[0 * 4 + 0], 1.0);
  EXPECT_DOUBLE_EQ(c[0 * 4 + 1], -1.0);
  EXPECT_NEAR(c[0 * 4 + 2], 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(c[0 * 4 + 3]));  // a constant column has no correlation
  EXPECT_EQ(c[1 * 4 + 0], c[0 * 4 + 1]);  // symmetric
}

TEST(AnalysisStats, CorrelationOfAHandComputedPair) {
  // x = (1, 2, 3, 4), y = (2, 1, 4, 3): cov 0.8 (times n), var 1.25 each -> r = 0.6.
  const std::vector<double> xy = {1, 2, 2, 1, 3, 4, 4, 3};
  EXPECT_NEAR(ColumnCorrelations(xy, 4, 2)[1], 0.6, 1e-15);
}

TEST(AnalysisStats, LognormalFitIsTheLogMoments) {
  const std::vector<double> x = {std::exp(1.0), std::exp(2.0), std::exp(3.0)};
  const LognormalFit f = FitLognormal(x);
  EXPECT_NEAR(f.mu, 2.0, 1e-15);
  EXPECT_NEAR(f.sigma, std::sqrt(2.0 / 3.0), 1e-15);
  // Mean log-likelihood against the density summed by hand.
  double ll = 0;
  for (double v : x)
    ll += -std::log(v) - std::log(f.sigma * std::sqrt(2 * M_PI)) - std::pow(std::log(v) - f.mu, 2) / (2 * f.sigma * f.sigma);
  EXPECT_NEAR(f.mean_log_likelihood, ll / 3, 1e-12);
}

TEST(AnalysisStats, GammaFitRecoversItsParameters) {
  std::mt19937_64 rng(7);
  for (const auto [k, theta] : {std::pair{0.7, 2.0}, std::pair{3.0, 0.5}, std::pair{20.0, 1.5}}) {
    std::gamma_distribution<double> gamma(k, theta);
    std::vector<double> x(200000);
    for (double& v : x) v = gamma(rng);
    const GammaFit f = FitGamma(x);
    EXPECT_NEAR(f.shape / k, 1.0, 0.02) << k;
    EXPECT_NEAR(f.scale / theta, 1.0, 0.02) << k;
    // The fit is a maximum: nearby shapes (with the scale that keeps the mean) are less likely.
    for (double dk : {0.97, 1.03}) {
      const double k2 = f.shape * dk, t2 = f.shape * f.scale / k2;
      double ll = 0, mean_log = 0, mean = 0;
      for (double v : x) mean_log += std::log(v), mean += v;
      mean_log /= x.size();
      mean /= x.size();
      ll = (k2 - 1) * mean_log - mean / t2 - std::lgamma(k2) - k2 * std::log(t2);
      EXPECT_LT(ll, f.mean_log_likelihood);
    }
  }
}

TEST(AnalysisStats, GammaFitOfLargeShapes) {
  // Shapes where log k - psi(k) ~ 1 / (2k) would lose its digits if computed as a difference.
  std::mt19937_64 rng(3);
  for (double k : {1e3, 1e5, 1e7}) {
    std::gamma_distribution<double> gamma(k, 1.0 / k);
    std::vector<double> x(400000);
    for (double& v : x) v = gamma(rng);
    const GammaFit f = FitGamma(x);
    EXPECT_NEAR(f.shape / k, 1.0, 0.02) << k;
    // The fit solves its likelihood equation: s = log mean - mean log equals log k - psi(k) ~ 1/(2k) + 1/(12k^2).
    double mean = 0, s = 0;
    for (double v : x) mean += v;
    mean /= x.size();
    for (double v : x) s -= std::log1p((v - mean) / mean);
    s /= x.size();
    EXPECT_NEAR((1 / (2 * f.shape) + 1 / (12 * f.shape * f.shape)) / s, 1.0, 1e-6) << k;
  }
}

TEST(AnalysisStats, ConstantColumnsAreNotCorrelated) {
  // 0.1 ten times: its mean is not exactly 0.1 in binary, so its spread is rounding, not 0.
  std::vector<double> x;
  for (int r = 0; r < 10; ++r) x.insert(x.end(), {0.1, double(r)});
  const auto c = ColumnCorrelations(x, 10, 2);
  EXPECT_TRUE(std::isnan(c[1]));
  EXPECT_TRUE(std::isnan(c[0]));
  EXPECT_EQ(c[3], 1.0);
}

TEST(AnalysisStats, FitsRefuseWhatTheyCannotFit) {
  EXPECT_THROW(FitLognormal(std::vector<double>{1.0}), std::invalid_argument);
  EXPECT_THROW(FitLognormal(std::vector<double>{1.0, -2.0}), std::invalid_argument);
  EXPECT_THROW(FitGamma(std::vector<double>{2.0, 2.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(FitGamma(std::vector<double>{1.0, std::nan("")}), std::invalid_argument);
}

TEST(AnalysisStats, DiversityOfKnownPopulations) {
  // Ten genomes spread one per bin over [0, 1]: uniform, KL 0; all equal: KL log(10), std 0.
  std::vector<std::vector<double>> spread, collapsed;
  for (int i = 0; i < 10; ++i) {
    spread.push_back({(i + 0.5) / 10, (i + 0.5) / 10});
    collapsed.push_back({0.33, 0.33});
  }
  EXPECT_NEAR(PopulationDiversity(spread).kl_uniform, 0.0, 1e-15);
  EXPECT_NEAR(PopulationDiversity(collapsed).kl_uniform, std::log(10.0), 1e-12);
  EXPECT_DOUBLE_EQ(PopulationDiversity(collapsed).gene_std, 0.0);
  // Half in one bin, half in another: KL = log(10) - log(2); std of {0.05 x5, 0.95 x5} = 0.45.
  std::vector<std::vector<double>> two;
  for (int i = 0; i < 10; ++i) two.push_back({i < 5 ? 0.05 : 0.95});
  const Diversity d = PopulationDiversity(two);
  EXPECT_NEAR(d.kl_uniform, std::log(5.0), 1e-12);
  EXPECT_NEAR(d.gene_std, 0.45, 1e-12);
  // Genes outside the box are folded first (1.2 reads as 0.8, -0.3 as 0.3).
  EXPECT_NEAR(PopulationDiversity({{1.2}, {0.8}}).kl_uniform, PopulationDiversity({{0.8}, {0.8}}).kl_uniform, 1e-15);
}

}  // namespace
}  // namespace neurevo
