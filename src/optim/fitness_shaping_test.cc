// Fitness shaping formulas (fitness_shaping.h): centred ranks (Salimans et
// al. 2017), NES utilities (Wierstra et al. 2014), rank^5 (Bertens & Lee
// 2019), z-scores and raw values.
#include "optim/fitness_shaping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "optim/openai_es.h"

namespace neurevo {
namespace {

double Sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

TEST(FitnessShaping, CenteredRankIsOpenAiEsHistoricalShaping) {
  const std::vector<double> f = {3.0, -1.0, 10.0, 0.5, 7.0, 7.0, NAN};
  EXPECT_EQ(ShapeFitness(f, "centered_rank"), OpenAiEs::CentredRanks(f));
  EXPECT_EQ(ShapeFitness(std::vector<double>{3.0, -1.0, 10.0, 0.5, 7.0}, "centered_rank"),
            (std::vector<double>{0.0, -0.5, 0.5, -0.25, 0.25}));
}

TEST(FitnessShaping, Rank5FollowsTheDocumentedFormula) {
  // Ranks worst..best 1..4: v = (r/4)^5, u = v / sum v - 1/4.
  const std::vector<double> f = {2.0, 0.0, 3.0, 1.0};  // ranks 3, 1, 4, 2
  const auto u = ShapeFitness(f, "rank5");
  double sum = 0.0;
  for (int r = 1; r <= 4; ++r) sum += std::pow(r / 4.0, 5);
  EXPECT_NEAR(u[0], std::pow(3 / 4.0, 5) / sum - 0.25, 1e-15);
  EXPECT_NEAR(u[1], std::pow(1 / 4.0, 5) / sum - 0.25, 1e-15);
  EXPECT_NEAR(u[2], 1.0 / sum - 0.25, 1e-15);
  EXPECT_NEAR(Sum(u), 0.0, 1e-15);
  // The best gets most of the weight: rank^5 is steep.
  EXPECT_GT(u[2], 2 * u[0]);
}

TEST(FitnessShaping, NesUtilities) {
  // lambda = 4: u_k = max(0, ln 3 - ln k) / sum - 1/4 for the k-th best.
  const std::vector<double> f = {1.0, 4.0, 3.0, 2.0};
  const auto u = ShapeFitness(f, "nes");
  const double w1 = std::log(3.0), w2 = std::log(3.0) - std::log(2.0), sum = w1 + w2;
  EXPECT_NEAR(u[1], w1 / sum - 0.25, 1e-15);
  EXPECT_NEAR(u[2], w2 / sum - 0.25, 1e-15);
  EXPECT_NEAR(u[3], -0.25, 1e-15);
  EXPECT_NEAR(u[0], -0.25, 1e-15);
  EXPECT_NEAR(Sum(u), 0.0, 1e-15);
}

TEST(FitnessShaping, ZScoreAndRaw) {
  const std::vector<double> f = {1.0, 2.0, 3.0, NAN};
  const auto raw = ShapeFitness(f, "raw");
  EXPECT_EQ(raw, (std::vector<double>{1.0, 2.0, 3.0, 1.0}));  // NaN -> worst finite
  const auto z = ShapeFitness(std::vector<double>{1.0, 2.0, 3.0}, "zscore");
  EXPECT_NEAR(z[1], 0.0, 1e-15);
  EXPECT_NEAR(z[2], -z[0], 1e-15);
  EXPECT_NEAR(z[2], 1.0 / std::sqrt(2.0 / 3.0), 1e-12);
  for (double v : ShapeFitness(std::vector<double>(5, 7.0), "zscore")) EXPECT_EQ(v, 0.0);
}

TEST(FitnessShaping, TiesShareTheirUtility) {
  for (const char* mode : {"centered_rank", "rank5", "nes"}) {
    const auto u = ShapeFitness(std::vector<double>{1.0, 5.0, 5.0, 0.0}, mode);
    EXPECT_DOUBLE_EQ(u[1], u[2]) << mode;
    EXPECT_NEAR(Sum(u), 0.0, 1e-15) << mode;
  }
}

TEST(FitnessShaping, AutoPerStrategy) {
  EXPECT_EQ(ResolveFitnessShaping("auto", "openai_es"), "centered_rank");
  EXPECT_EQ(ResolveFitnessShaping("auto", "pgpe"), "centered_rank");
  EXPECT_EQ(ResolveFitnessShaping("auto", "xnes"), "nes");
  EXPECT_EQ(ResolveFitnessShaping("auto", "snes"), "nes");
  EXPECT_EQ(ResolveFitnessShaping("rank5", "xnes"), "rank5");
  EXPECT_THROW(ShapeFitness(std::vector<double>{1.0}, "auto"), std::invalid_argument);
}

}  // namespace
}  // namespace neurevo
