#include "optim/bptt.h"

#include <gtest/gtest.h>

#include <cmath>

#include "neurevo/error.h"

namespace neurevo {
namespace {

OptimizerOptions Options(double lr = 0.05, double clip = 0.0) {
  OptimizerOptions o;
  o.kind = "bptt";
  o.learning_rate = lr;
  o.gradient_clip = clip;
  return o;
}

// Fitness -|x - c|^2, gradient -2 (x - c).
std::vector<double> Gradient(const std::vector<double>& x) {
  std::vector<double> g(x.size());
  for (size_t i = 0; i < x.size(); ++i) g[i] = -2.0 * (x[i] - 0.3 * (i + 1));
  return g;
}

TEST(Bptt, AscendsTheGradientToTheOptimum) {
  auto es = MakeOptimizer(Options(0.05), 5, 1, std::vector<double>(5, 0.0));
  EXPECT_TRUE(es->uses_gradient());
  EXPECT_EQ(es->population(), 1);
  for (int t = 0; t < 600; ++t) {
    const auto x = es->Ask();
    ASSERT_EQ(x.size(), 1u);
    es->TellGradient(0.0, Gradient(x[0]));
  }
  const auto m = es->Mean();
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(m[i], 0.3 * (i + 1), 1e-3);
  EXPECT_EQ(es->generation(), 600);
  EXPECT_THROW(es->Tell(std::vector<double>{1.0}), std::logic_error);
}

// Adam's first step moves every coordinate by the learning rate against the
// sign of the descent direction, whatever the clipping; clipping rescales
// the gradient Adam averages, which shows from the second step on.
TEST(Bptt, ClipsTheGlobalNorm) {
  Bptt clipped(Options(0.1, 1.0), 2, 1, {0.0, 0.0}), free(Options(0.1, 0.0), 2, 1, {0.0, 0.0});
  for (Bptt* b : {&clipped, &free}) b->TellGradient(0.0, std::vector<double>{30.0, 40.0});
  EXPECT_DOUBLE_EQ(clipped.last_gradient_norm(), 50.0);
  for (Bptt* b : {&clipped, &free}) EXPECT_NEAR(b->Mean()[0], 0.1, 1e-6);
  for (Bptt* b : {&clipped, &free}) b->TellGradient(0.0, std::vector<double>{0.3, 0.4});
  // Unclipped, the small second gradient barely moves Adam's averages; clipped, the first was as small.
  EXPECT_GT(std::abs(clipped.Mean()[0] - free.Mean()[0]), 1e-3);
}

TEST(Bptt, StateRoundTripContinuesExactlyAndRefusesBrokenStates) {
  Bptt a(Options(), 3, 7, {0.1, 0.2, 0.3});
  for (int t = 0; t < 5; ++t) a.TellGradient(0.0, Gradient(a.Ask()[0]));
  Bptt b(Options(), 3, 99, {0.0, 0.0, 0.0});
  b.LoadState(nlohmann::json::parse(a.SaveState().dump()));
  for (int t = 0; t < 5; ++t) {
    a.TellGradient(0.0, Gradient(a.Ask()[0]));
    b.TellGradient(0.0, Gradient(b.Ask()[0]));
  }
  EXPECT_EQ(a.Mean(), b.Mean());
  EXPECT_EQ(a.SaveState(), b.SaveState());
  const auto good = a.SaveState();
  auto bad = good;
  bad["adam_v"][0] = -1.0;
  EXPECT_THROW(b.LoadState(bad), ConfigError);
  bad = good;
  bad["adam_t"] = 3;  // not one step per generation
  EXPECT_THROW(b.LoadState(bad), ConfigError);
  bad = good;
  bad["theta"] = {1.0};
  EXPECT_THROW(b.LoadState(bad), ConfigError);
  bad = good;
  bad["kind"] = "cma_es";
  EXPECT_THROW(b.LoadState(bad), ConfigError);
  EXPECT_EQ(b.SaveState(), good) << "a refused state changes nothing";
}

}  // namespace
}  // namespace neurevo
