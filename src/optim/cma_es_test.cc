// Tests for CMA-ES (Hansen, "The CMA Evolution Strategy: A Tutorial",
// arXiv:1604.00772). Evaluation budgets are set from measured counts (21
// seeds, n = 10, lambda = 10, mu = 5, sigma0 = 0.5, x0 ~ U[0,1]^n, target
// f < 1e-8): sphere median 1260 (max 1420), ellipsoid median 5680 (max 6200),
// Rosenbrock median 5880 (one seed in 21 ends in the local minimum near
// x1 = -1); ellipsoid with lambda = 40: median 7840 (max 8320). Broken updates
// violate them: cs = 0 (no step-size adaptation) needs > 10000 evaluations on
// the sphere; cmu = 0 (no rank-mu update) needs > 7500 on the ellipsoid and
// > 22000 with lambda = 40; c1 = 0 needs > 10000 on the ellipsoid.
#include "optim/cma_es.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <thread>
#include <vector>

#include "core/thread_pool.h"
#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "optim/initial_mean.h"
#include "optim/state_json.h"
#include "optim/test_functions.h"

namespace neurevo {
namespace {

using CostFn = double (*)(std::span<const double>);

OptimizerOptions CmaOptions(int lambda, int mu) {
  OptimizerOptions o;
  o.kind = "cma_es";
  o.population = lambda;
  o.parents = mu;
  o.sigma0 = 0.5;
  o.init_mean = "uniform";
  return o;
}

// Evaluations until the best of a generation has cost < target; -1 if not
// reached within max_evals.
int EvalsToTarget(Optimizer& es, CostFn cost, double target, int max_evals) {
  int evals = 0;
  while (evals < max_evals) {
    const auto population = es.Ask();
    std::vector<double> fitness;
    double best = INFINITY;
    for (const auto& x : population) {
      const double f = cost(x);
      best = std::min(best, f);
      fitness.push_back(-f);
    }
    evals += static_cast<int>(population.size());
    es.Tell(fitness);
    if (best < target) return evals;
  }
  return -1;
}

int RunSeed(CostFn cost, int lambda, uint64_t seed, int max_evals) {
  auto es = MakeOptimizer(CmaOptions(lambda, lambda / 2), 10, seed);
  return EvalsToTarget(*es, cost, 1e-8, max_evals);
}

TEST(CmaEs, DefaultParametersMatchTutorial) {
  // n = 10, lambda = 4 + floor(3 ln 10) = 10, mu = 5.
  const auto p = CmaEs::DefaultParameters(10, 10, 5);
  double sum = 0.0;
  for (size_t i = 0; i < p.weights.size(); ++i) {
    sum += p.weights[i];
    if (i > 0) {
      EXPECT_LT(p.weights[i], p.weights[i - 1]);
    }
  }
  EXPECT_NEAR(sum, 1.0, 1e-15);
  // Reference values computed from the formulas of Table 1 (tutorial).
  EXPECT_NEAR(p.mueff, 3.1672992814107163, 1e-12);
  EXPECT_NEAR(p.cs, (p.mueff + 2) / (10 + p.mueff + 5), 1e-15);
  EXPECT_NEAR(p.c1, 2 / (11.3 * 11.3 + p.mueff), 1e-15);
  EXPECT_NEAR(p.chi_n, std::sqrt(10.0) * (1 - 1 / 40.0 + 1 / 2100.0), 1e-15);
  EXPECT_NEAR(p.damps, 1 + p.cs, 1e-15);  // mueff < n + 2: no extra damping
  EXPECT_GT(p.cmu, 0.0);
  EXPECT_LE(p.c1 + p.cmu, 1.0);
}

TEST(CmaEs, SphereEvaluationsMatchLiterature) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const int evals = RunSeed(Sphere, 10, seed, 20000);
    EXPECT_GT(evals, 0) << "seed " << seed;
    EXPECT_LT(evals, 2000) << "seed " << seed;
  }
}

TEST(CmaEs, EllipsoidEvaluations) {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const int evals = RunSeed(Ellipsoid, 10, seed, 30000);
    EXPECT_GT(evals, 0) << "seed " << seed;
    EXPECT_LT(evals, 7000) << "seed " << seed;
  }
}

TEST(CmaEs, EllipsoidLargePopulationNeedsRankMu) {
  for (uint64_t seed = 1; seed <= 2; ++seed) {
    const int evals = RunSeed(Ellipsoid, 40, seed, 40000);
    EXPECT_GT(evals, 0) << "seed " << seed;
    EXPECT_LT(evals, 10000) << "seed " << seed;
  }
}

// About one run in 20 ends in Rosenbrock's local minimum, and which seed does
// depends on the CPU (-march=native changes rounding: seed 1 does on an
// AVX-512 machine, none of 1-5 did without), so the test allows two of nine.
TEST(CmaEs, RosenbrockEvaluations) {
  std::vector<int> evals;
  int local_minimum = 0;
  for (uint64_t seed = 1; seed <= 9; ++seed) {
    const int e = RunSeed(Rosenbrock, 10, seed, 10000);
    if (e < 0) ++local_minimum;
    evals.push_back(e < 0 ? 10000 : e);
  }
  EXPECT_LE(local_minimum, 2);
  std::sort(evals.begin(), evals.end());
  EXPECT_LT(evals[4], 7000);  // median
}

TEST(CmaEs, BrokenStepSizeAdaptationIsDetected) {
  // Guards the tests above: without CSA the sphere budget is far exceeded.
  const auto options = CmaOptions(10, 5);
  CmaEs es(options, 10, 1, InitialMean(options, 10, 1, {}));
  auto p = es.parameters();
  p.cs = 0.0;
  es.OverrideParametersForTest(p);
  EXPECT_EQ(EvalsToTarget(es, Sphere, 1e-8, 2000), -1);
}

TEST(CmaEs, BrokenRankMuIsDetected) {
  const auto options = CmaOptions(40, 20);
  CmaEs es(options, 10, 1, InitialMean(options, 10, 1, {}));
  auto p = es.parameters();
  p.cmu = 0.0;
  es.OverrideParametersForTest(p);
  EXPECT_EQ(EvalsToTarget(es, Ellipsoid, 1e-8, 10000), -1);
}

TEST(CmaEs, SampleCovarianceMatchesSigmaSquaredC) {
  // Adapt C on an ellipsoid for a few generations, then compare the
  // empirical covariance of a large population with sigma^2 C.
  const int n = 3;
  const int lambda = 20000;
  auto options = CmaOptions(lambda, 100);
  options.sigma0 = 1.0;
  CmaEs es(options, n, 7, std::vector<double>(n, 1.0));
  auto cost = [](const std::vector<double>& x) {
    return x[0] * x[0] + 100 * x[1] * x[1] + 10000 * x[2] * x[2] + 50 * x[0] * x[1];
  };
  for (int g = 0; g < 3; ++g) {
    const auto population = es.Ask();
    std::vector<double> fitness;
    for (const auto& x : population) fitness.push_back(-cost(x));
    es.Tell(fitness);
  }
  const Eigen::MatrixXd c = es.covariance();
  ASSERT_GT(c.maxCoeff() / c.diagonal().minCoeff(), 2.0) << "C did not adapt";
  const auto population = es.Ask();
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(n);
  for (const auto& x : population) mean += Eigen::Map<const Eigen::VectorXd>(x.data(), n);
  mean /= lambda;
  // The distribution's mean is the optimizer's mean.
  const auto m = es.Mean();
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(n, n);
  for (const auto& x : population) {
    const Eigen::VectorXd d = Eigen::Map<const Eigen::VectorXd>(x.data(), n) -
                              Eigen::Map<const Eigen::VectorXd>(m.data(), n);
    cov += d * d.transpose();
  }
  cov /= lambda;
  const Eigen::MatrixXd expected = es.sigma() * es.sigma() * c;
  for (int i = 0; i < n; ++i) {
    const double sd_i = std::sqrt(expected(i, i));
    EXPECT_NEAR(mean(i), m[static_cast<size_t>(i)], 5 * sd_i / std::sqrt(lambda));
    for (int j = 0; j < n; ++j) {
      const double scale = sd_i * std::sqrt(expected(j, j));
      EXPECT_NEAR(cov(i, j), expected(i, j), 0.05 * scale) << i << "," << j;
    }
  }
}

TEST(CmaEs, AskIsStableUntilTell) {
  auto es = MakeOptimizer(CmaOptions(10, 5), 4, 3);
  const auto a = es->Ask();
  const auto b = es->Ask();
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 10u);
  ASSERT_EQ(a[0].size(), 4u);
  std::vector<double> fitness(10);
  for (int i = 0; i < 10; ++i) fitness[static_cast<size_t>(i)] = -Sphere(a[static_cast<size_t>(i)]);
  es->Tell(fitness);
  EXPECT_EQ(es->generation(), 1);
  EXPECT_NE(es->Ask(), a);
}

TEST(CmaEs, SameSeedSameTrajectory) {
  auto a = MakeOptimizer(CmaOptions(10, 5), 6, 11);
  auto b = MakeOptimizer(CmaOptions(10, 5), 6, 11);
  auto c = MakeOptimizer(CmaOptions(10, 5), 6, 12);
  EXPECT_NE(a->Ask(), c->Ask());
  for (int g = 0; g < 30; ++g) {
    const auto pa = a->Ask();
    ASSERT_EQ(pa, b->Ask());
    std::vector<double> fitness;
    for (const auto& x : pa) fitness.push_back(-Rosenbrock(x));
    a->Tell(fitness);
    b->Tell(fitness);
  }
  EXPECT_EQ(a->Mean(), b->Mean());
}

TEST(CmaEs, SaveLoadReproducesExactly) {
  const auto options = CmaOptions(10, 5);
  auto original = MakeOptimizer(options, 8, 21);
  auto step = [](Optimizer& es) {
    const auto population = es.Ask();
    std::vector<double> fitness;
    for (const auto& x : population) fitness.push_back(-Ellipsoid(x));
    es.Tell(fitness);
    return population;
  };
  // Run past several lazy eigendecompositions, then save mid-run.
  for (int g = 0; g < 37; ++g) step(*original);
  const std::string saved = original->SaveState().dump();

  // A fresh optimizer built with a different seed and mean takes everything
  // from the state.
  auto restored = MakeOptimizer(options, 8, 999, std::vector<double>(8, -3.0));
  restored->LoadState(nlohmann::json::parse(saved));
  EXPECT_EQ(restored->generation(), original->generation());
  EXPECT_EQ(restored->Mean(), original->Mean());
  EXPECT_EQ(restored->Ask(), original->Ask());  // bit-identical candidates
  for (int g = 0; g < 40; ++g) {
    ASSERT_EQ(step(*restored), step(*original)) << "generation " << g;
  }
  EXPECT_EQ(restored->Mean(), original->Mean());
  EXPECT_EQ(restored->SaveState(), original->SaveState());
}

// C and B are stored packed (8 bytes an entry, not a JSON number each: full
// CMA-ES on Ant is n = 7658); states from before, with lists of rows, load
// to the same optimizer.
TEST(CmaEs, StateStoresMatricesPackedAndReadsTheOlderRowLists) {
  const int n = 6;
  auto original = MakeOptimizer(CmaOptions(10, 5), n, 4);
  for (int g = 0; g < 30; ++g) {
    const auto population = original->Ask();
    std::vector<double> fitness;
    for (const auto& x : population) fitness.push_back(-Ellipsoid(x));
    original->Tell(fitness);
  }
  const nlohmann::json state = original->SaveState();
  for (const char* key : {"C", "B"}) {
    ASSERT_TRUE(state.at(key).is_binary()) << key;
    EXPECT_EQ(state.at(key).get_binary().size(), size_t(n * n * 8)) << key;
  }
  // The same state in the older form: each matrix a list of rows.
  const auto& cma = dynamic_cast<const CmaEs&>(*original);
  auto rows = [&](const Eigen::MatrixXd& m) {
    nlohmann::json out = nlohmann::json::array();
    for (int i = 0; i < n; ++i) {
      std::vector<double> row;
      for (int k = 0; k < n; ++k) row.push_back(m(i, k));
      out.push_back(row);
    }
    return out;
  };
  ASSERT_NE(cma.eigenvectors(), cma.eigenvectors().transpose());  // so row order matters
  nlohmann::json legacy = state;
  legacy["C"] = rows(cma.covariance());
  legacy["B"] = rows(cma.eigenvectors());
  auto restored = MakeOptimizer(CmaOptions(10, 5), n, 99);
  restored->LoadState(legacy);
  EXPECT_EQ(restored->SaveState(), state);
  EXPECT_EQ(restored->Ask(), original->Ask());
  // A matrix of the wrong size is refused, naming the key, and loads nothing.
  nlohmann::json bad = state;
  auto bytes = bad["B"].get_binary();
  bytes.resize(bytes.size() - 8);
  bad["B"] = nlohmann::json::binary(bytes, 0x65);
  auto untouched = MakeOptimizer(CmaOptions(10, 5), n, 7);
  const auto mean_before = untouched->Mean();
  try {
    untouched->LoadState(bad);
    ADD_FAILURE() << "accepted a short B";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'B'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(untouched->Mean(), mean_before);
}

TEST(CmaEs, LoadStateRejectsMismatch) {
  auto a = MakeOptimizer(CmaOptions(10, 5), 8, 1);
  auto b = MakeOptimizer(CmaOptions(10, 5), 7, 1);
  EXPECT_THROW(b->LoadState(a->SaveState()), ConfigError);
  auto state = a->SaveState();
  state.erase("C");
  auto c = MakeOptimizer(CmaOptions(10, 5), 8, 1);
  const auto mean_before = c->Mean();
  EXPECT_THROW(c->LoadState(state), ConfigError);
  EXPECT_EQ(c->Mean(), mean_before);
}

TEST(CmaEs, NanFitnessRanksWorstAndStateStaysFinite) {
  auto es = MakeOptimizer(CmaOptions(10, 5), 5, 4);
  for (int g = 0; g < 50; ++g) {
    const auto population = es->Ask();
    std::vector<double> fitness;
    for (size_t i = 0; i < population.size(); ++i) {
      fitness.push_back(i % 3 == 0 ? NAN : -Sphere(population[i]));
    }
    es->Tell(fitness);
  }
  for (double v : es->Mean()) EXPECT_TRUE(std::isfinite(v));
  EXPECT_LT(Sphere(es->Mean()), 1e-2);
}

TEST(CmaEs, TellChecksSize) {
  auto es = MakeOptimizer(CmaOptions(10, 5), 3, 1);
  std::vector<double> fitness(9, 0.0);
  EXPECT_THROW(es->Tell(fitness), std::invalid_argument);
}

TEST(CmaEs, InitialMeanModes) {
  auto options = CmaOptions(10, 5);
  options.init_mean = "center";
  EXPECT_EQ(MakeOptimizer(options, 4, 1)->Mean(), std::vector<double>(4, 0.5));
  options.init_mean = "uniform";
  const auto m1 = MakeOptimizer(options, 4, 1)->Mean();
  const auto m2 = MakeOptimizer(options, 4, 2)->Mean();
  EXPECT_NE(m1, m2);
  EXPECT_EQ(m1, MakeOptimizer(options, 4, 1)->Mean());
  for (double v : m1) {
    EXPECT_GE(v, 0.0);
    EXPECT_LT(v, 1.0);
  }
  const std::vector<double> explicit_mean = {1, 2, 3, 4};
  EXPECT_EQ(MakeOptimizer(options, 4, 1, explicit_mean)->Mean(), explicit_mean);
}

// The eigendecomposition a Tell makes due may run elsewhere while the next
// generation is evaluated (BackgroundWork); whether it ran, on which thread,
// or not at all, and a save and load while it is pending, change nothing.
TEST(CmaEs, BackgroundDecompositionChangesNothing) {
  OptimizerOptions o;
  o.kind = "cma_es";
  o.population = 10;
  o.sigma0 = 0.3;
  const int n = kDeferredDecompositionDimension;  // the smallest that defers
  CmaEs inline_es(o, n, 5, std::vector<double>(n, 0.7)), background_es(o, n, 5, std::vector<double>(n, 0.7)),
      reloaded(o, n, 5, std::vector<double>(n, 0.7));
  auto fitness = [](const std::vector<std::vector<double>>& pop) {
    std::vector<double> f;
    for (const auto& x : pop) {
      double s = 0;
      for (size_t i = 0; i < x.size(); ++i) s -= std::pow(1e2, static_cast<double>(i) / (x.size() - 1)) * x[i] * x[i];
      f.push_back(s);
    }
    return f;
  };
  int ran = 0, pending_saves = 0;
  for (int g = 0; g < 150; ++g) {
    const auto a = inline_es.Ask(), b = background_es.Ask(), c = reloaded.Ask();
    ASSERT_EQ(a, b) << g;
    ASSERT_EQ(a, c) << g;
    if (auto work = background_es.BackgroundWork()) {
      std::thread t(work);  // another thread, as a pool worker runs it
      t.join();
      ++ran;
    }
    inline_es.Tell(fitness(a));
    background_es.Tell(fitness(b));
    reloaded.Tell(fitness(c));
    // Through JSON text, as a checkpoint goes; states with a pending decomposition among them.
    const auto state = reloaded.SaveState();
    pending_saves += state.contains("C_pending");
    CmaEs fresh(o, n, 99, std::vector<double>(n, 0.0));
    fresh.LoadState(nlohmann::json::parse(state.dump()));
    reloaded = std::move(fresh);
  }
  EXPECT_EQ(inline_es.Mean(), background_es.Mean());
  EXPECT_EQ(inline_es.Mean(), reloaded.Mean());
  EXPECT_EQ(inline_es.SaveState(), background_es.SaveState());
  EXPECT_GT(ran, 10) << "decompositions were due and ran in the background";
  // A pending C that is not a covariance is refused, and the optimizer is left as it was.
  nlohmann::json pending_state;
  for (int g = 0; g < 100 && !pending_state.contains("C_pending"); ++g) {
    inline_es.Tell(fitness(inline_es.Ask()));
    pending_state = inline_es.SaveState();
  }
  ASSERT_TRUE(pending_state.contains("C_pending"));
  CmaEs other(o, n, 5, std::vector<double>(n, 0.7));
  const auto before = other.SaveState();
  auto broken = pending_state;
  broken["C_pending"] = nlohmann::json::array();
  EXPECT_THROW(other.LoadState(broken), ConfigError);
  Eigen::MatrixXd asymmetric = Eigen::MatrixXd::Identity(n, n);
  asymmetric(0, 1) = 0.5;
  broken["C_pending"] = state_json::FromMatrix(asymmetric);
  EXPECT_THROW(other.LoadState(broken), ConfigError);
  EXPECT_EQ(other.SaveState(), before);
  EXPECT_GT(pending_saves, 10);
  EXPECT_GT(fitness({inline_es.Mean()})[0], 0.5 * fitness({std::vector<double>(n, 0.7)})[0])
      << "and the search makes progress on the ellipsoid";
}

// The update's matrix work split over a thread pool (fixed blocks of the
// dimension) gives the serial update's bits, with and without active CMA.
TEST(CmaEs, ParallelUpdateIsTheSerialOne) {
  for (const bool active : {false, true}) {
    OptimizerOptions o;
    o.kind = "cma_es";
    o.population = 12;
    o.sigma0 = 0.3;
    o.active = active;
    const int n = 200;  // four blocks of 64 and one of 8
    CmaEs serial(o, n, 3, std::vector<double>(n, 0.6)), parallel(o, n, 3, std::vector<double>(n, 0.6));
    ThreadPool pool(3);
    parallel.SetParallelFor([&pool](int count, const std::function<void(int)>& body) {
      pool.ParallelFor(count, [&body](int i, int) { body(i); });
    });
    for (int g = 0; g < 60; ++g) {
      const auto a = serial.Ask(), b = parallel.Ask();
      ASSERT_EQ(a, b) << g;
      std::vector<double> f;
      for (const auto& x : a) {
        double v = 0;
        for (int i = 0; i < n; ++i) v -= (1 + i % 7) * x[i] * x[i];
        f.push_back(v);
      }
      serial.Tell(f);
      parallel.Tell(f);
    }
    EXPECT_EQ(serial.SaveState(), parallel.SaveState()) << (active ? "active" : "");
  }
}


// C stays exactly symmetric after every update: the rank-mu products round
// (i, j) and (j, i) differently, and the mirror copies the lower triangle
// into the upper tile by tile (n = 203 ends in a partial block and tiles).
TEST(CmaEs, CovarianceStaysExactlySymmetric) {
  OptimizerOptions o;
  o.kind = "cma_es";
  o.population = 12;
  o.sigma0 = 0.3;
  const int n = 203;
  CmaEs cma(o, n, 5, std::vector<double>(n, 0.4));
  for (int g = 0; g < 40; ++g) {
    const auto x = cma.Ask();
    std::vector<double> f;
    for (const auto& v : x) {
      double s = 0;
      for (int i = 0; i < n; ++i) s -= (1 + i % 5) * v[i] * v[i];
      f.push_back(s);
    }
    cma.Tell(f);
    const Eigen::MatrixXd c = state_json::FromPacked(cma.SaveState()["C"], n, n, "test", "C");
    int asymmetric = 0;
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < j; ++i) asymmetric += c(i, j) != c(j, i);
    ASSERT_EQ(asymmetric, 0) << "generation " << g;
    ASSERT_TRUE(c.allFinite());
  }
}

}  // namespace
}  // namespace neurevo
