// ReplaceCandidate (island migration, injected solutions) for every strategy.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/cma_es.h"

namespace neurevo {
namespace {

OptimizerOptions Options(const std::string& kind) {
  OptimizerOptions o;
  o.kind = kind;
  o.population = 10;
  o.parents = 5;
  o.sigma0 = 0.3;
  return o;
}

std::vector<double> Fitness(const std::vector<std::vector<double>>& pop) {
  std::vector<double> f;
  for (const auto& x : pop) {
    double s = 0;
    for (double v : x) s -= (v - 0.2) * (v - 0.2);
    f.push_back(s);
  }
  return f;
}

// Replacing a candidate by itself changes nothing: the strategy treats an
// injected point exactly like one it sampled.
TEST(ReplaceCandidate, ReplacingByTheSameCandidateIsANoOp) {
  for (const std::string kind : {"cma_es", "openai_es"}) {
    SCOPED_TRACE(kind);
    auto a = MakeOptimizer(Options(kind), 6, 7), b = MakeOptimizer(Options(kind), 6, 7);
    for (int g = 0; g < 5; ++g) {
      const auto pa = a->Ask(), pb = b->Ask();
      // Equal up to rounding: CMA-ES stores a replaced candidate as
      // m + sigma * ((x - m) / sigma).
      for (size_t k = 0; k < pa.size(); ++k)
        for (size_t i = 0; i < pa[k].size(); ++i) ASSERT_NEAR(pa[k][i], pb[k][i], 1e-9);
      b->ReplaceCandidate(3, pb[3]);
      b->ReplaceCandidate(4, pb[4]);
      a->Tell(Fitness(pa));
      b->Tell(Fitness(pb));
      const auto ma = a->Mean(), mb = b->Mean();
      for (size_t i = 0; i < ma.size(); ++i) EXPECT_NEAR(ma[i], mb[i], 1e-12);
    }
  }
}

// A good migrant pulls the distribution towards itself.
TEST(ReplaceCandidate, AGoodMigrantMovesTheMean) {
  for (const std::string kind : {"cma_es", "openai_es"}) {
    SCOPED_TRACE(kind);
    auto a = MakeOptimizer(Options(kind), 4, 3), b = MakeOptimizer(Options(kind), 4, 3);
    const std::vector<double> target(4, 0.2);
    auto pa = a->Ask(), pb = b->Ask();
    auto fa = Fitness(pa), fb = Fitness(pb);
    b->ReplaceCandidate(0, target);
    fb[0] = 0.0;  // the best possible fitness
    a->Tell(fa);
    b->Tell(fb);
    auto dist = [&](const std::vector<double>& m) {
      double d = 0;
      for (size_t i = 0; i < m.size(); ++i) d += (m[i] - 0.2) * (m[i] - 0.2);
      return d;
    };
    EXPECT_LT(dist(b->Mean()), dist(a->Mean()));
  }
}

// CMA-ES clips an injected step's Mahalanobis length to sqrt(n) + 2n/(n+2)
// (Hansen 2011), so a far-away migrant cannot blow up the covariance.
TEST(ReplaceCandidate, CmaClipsFarMigrants) {
  auto es = MakeOptimizer(Options("cma_es"), 5, 1);
  auto* cma = dynamic_cast<CmaEs*>(es.get());
  ASSERT_NE(cma, nullptr);
  const auto mean = es->Mean();
  std::vector<double> far(mean);
  for (double& v : far) v += 1000.0;
  es->Ask();
  es->ReplaceCandidate(2, far);
  const auto replaced = es->Ask()[2];
  double length = 0;
  for (size_t i = 0; i < mean.size(); ++i) {
    const double y = (replaced[i] - mean[i]) / cma->sigma();  // C = I initially
    length += y * y;
  }
  const double n = 5, bound = std::sqrt(n) + 2 * n / (n + 2);
  EXPECT_NEAR(std::sqrt(length), bound, 1e-9);
  // Direction is kept.
  for (size_t i = 1; i < mean.size(); ++i)
    EXPECT_NEAR(replaced[i] - mean[i], replaced[0] - mean[0], 1e-9);
}

TEST(ReplaceCandidate, RejectsBadIndexAndDimension) {
  for (const std::string kind : {"cma_es", "openai_es"}) {
    auto es = MakeOptimizer(Options(kind), 3, 1);
    es->Ask();
    EXPECT_THROW(es->ReplaceCandidate(10, std::vector<double>(3)), std::invalid_argument);
    EXPECT_THROW(es->ReplaceCandidate(0, std::vector<double>(2)), std::invalid_argument);
  }
}

}  // namespace
}  // namespace neurevo
