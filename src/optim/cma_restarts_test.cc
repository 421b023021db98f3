// IPOP (Auger & Hansen 2005) and BIPOP (Hansen 2009) restarts and the
// termination criteria that trigger them (cma_termination.h).
#include "optim/cma_restarts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "neurevo/optimizer.h"
#include "optim/cma_es.h"
#include "optim/test_functions.h"

namespace neurevo {
namespace {

OptimizerOptions Restarting(const std::string& kind, const std::string& mode) {
  OptimizerOptions o;
  o.kind = kind;
  o.population = 8;
  o.parents = 4;
  o.sigma0 = 2.0;
  o.restarts = mode;
  return o;
}

void Step(Optimizer& es, double (*cost)(std::span<const double>)) {
  std::vector<double> fitness;
  for (const auto& x : es.Ask()) fitness.push_back(-cost(x));
  es.Tell(fitness);
}

TEST(CmaRestarts, IdenticalToThePlainStrategyUntilTheFirstRestart) {
  auto o = Restarting("cma_es", "ipop");
  auto plain_options = o;
  plain_options.restarts = "none";
  auto wrapped = MakeOptimizer(o, 5, 3), plain = MakeOptimizer(plain_options, 5, 3);
  const auto* r = dynamic_cast<const CmaRestarts*>(wrapped.get());
  ASSERT_NE(r, nullptr);
  int g = 0;
  for (; r->restarts() == 0 && g < 5000; ++g) {
    ASSERT_EQ(wrapped->Ask(), plain->Ask()) << "generation " << g;
    Step(*wrapped, Rastrigin);
    Step(*plain, Rastrigin);
  }
  EXPECT_EQ(r->restarts(), 1);
  EXPECT_NE(r->last_reason(), "");
  EXPECT_EQ(wrapped->generation(), g);
}

TEST(CmaRestarts, IpopDoublesThePopulation) {
  for (const std::string kind : {"cma_es", "sep_cma_es"}) {
    auto es = MakeOptimizer(Restarting(kind, "ipop"), 5, 1);
    const auto* r = dynamic_cast<const CmaRestarts*>(es.get());
    std::vector<int> sizes = {es->population()};
    for (int g = 0; g < 20000 && r->restarts() < 3; ++g) {
      const int before = r->restarts();
      Step(*es, Rastrigin);
      if (r->restarts() > before) sizes.push_back(es->population());
    }
    EXPECT_EQ(sizes, (std::vector<int>{8, 16, 32, 64})) << kind;
    EXPECT_EQ(es->name(), kind);
  }
}

TEST(CmaRestarts, BipopInterleavesSmallAndLargeRuns) {
  auto es = MakeOptimizer(Restarting("cma_es", "bipop"), 5, 2);
  const auto* r = dynamic_cast<const CmaRestarts*>(es.get());
  std::vector<int> sizes;
  std::vector<bool> small;
  for (int g = 0; g < 40000 && r->restarts() < 6; ++g) {
    const int before = r->restarts();
    Step(*es, Rastrigin);
    if (r->restarts() > before) {
      sizes.push_back(es->population());
      small.push_back(r->small_regime());
    }
  }
  ASSERT_EQ(sizes.size(), 6u);
  // The first run (lambda0, large) is followed by a small one: no small
  // evaluations were spent yet.
  EXPECT_TRUE(small[0]);
  int large_runs = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (small[i]) {
      // lambda_s = floor(lambda0 (lambda_l / (2 lambda0))^(U^2)) lies between
      // lambda0 and lambda_l / 2 (between lambda0 / 2 and lambda0 while
      // lambda_l = lambda0), with lambda_l = lambda0 2^large_runs.
      const int lambda_l = 8 << large_runs;
      EXPECT_LE(sizes[i], std::max(8, lambda_l / 2)) << i;
      EXPECT_GE(sizes[i], 2) << i;
    } else {
      ++large_runs;
      EXPECT_EQ(sizes[i], 8 << large_runs) << i;
    }
  }
  EXPECT_GE(large_runs, 1);
}

TEST(CmaRestarts, ConvergedRunStopsOnTolerances) {
  // On the sphere a run converges until tolfun / tolx (or, in floating
  // point, no-effect) criteria fire.
  auto o = Restarting("cma_es", "ipop");
  o.sigma0 = 0.5;
  auto es = MakeOptimizer(o, 4, 1);
  const auto* r = dynamic_cast<const CmaRestarts*>(es.get());
  for (int g = 0; g < 5000 && r->restarts() == 0; ++g) Step(*es, Sphere);
  ASSERT_EQ(r->restarts(), 1);
  const std::string reason = r->last_reason();
  EXPECT_TRUE(reason == "tolfun" || reason == "tolx" || reason == "noeffectaxis" ||
              reason == "noeffectcoord")
      << reason;
}

}  // namespace
}  // namespace neurevo
