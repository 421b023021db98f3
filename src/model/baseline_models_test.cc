// Tests of the rnn / mlp baselines (baseline_models.h), the model factory and
// DecodeAction.
#include "model/baseline_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {
namespace {

Space Box(int n, double low = -1.0, double high = 1.0) {
  return Space::Box(std::vector<double>(n, low), std::vector<double>(n, high));
}

std::vector<double> RandomGenome(int size, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> g(size);
  for (auto& x : g) x = u(rng);
  return g;
}

TEST(Baselines, RnnGenomeSize) {
  ModelOptions o;
  o.kind = "rnn";
  for (auto [n_in, e, i, action] :
       {std::tuple{4, 10, 10, Space::Discrete(2)}, std::tuple{11, 10, 10, Space::Discrete(3)},
        std::tuple{3, 5, 2, Box(2)}}) {
    o.excitatory = e;
    o.inhibitory = i;
    const auto m = MakeModel(o, Box(n_in), action);
    const int h = e + i, out = NumOutputs(action, o);
    // hidden: (n_in + h) x h weights + h biases; output: h x out + out.
    EXPECT_EQ(m->layout().size(), (n_in + h) * h + h + h * out + out);
    EXPECT_EQ(m->synapses(), (n_in + h + 1) * h + (h + 1) * out);
    EXPECT_EQ(m->substeps(), 1);
    ASSERT_NE(m->layout().Find("hidden_weights"), nullptr);
    ASSERT_NE(m->layout().Find("output_bias"), nullptr);
    // Weight range: +- scale / sqrt(fan_in).
    EXPECT_DOUBLE_EQ(m->layout().Find("hidden_weights")->high,
                     o.baselines.baseline_weight_scale / std::sqrt(n_in + h));
    EXPECT_DOUBLE_EQ(m->layout().Find("output_weights")->low,
                     -o.baselines.baseline_weight_scale / std::sqrt(h));
  }
}

TEST(Baselines, MlpGenomeSize) {
  ModelOptions o;
  o.kind = "mlp";
  const auto m = MakeModel(o, Box(8), Box(2));  // default hidden 64, 64
  EXPECT_EQ(m->layout().size(), (8 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 2);
  EXPECT_EQ(m->synapses(), m->layout().size());
  o.baselines.mlp_hidden = {5};
  EXPECT_EQ(MakeModel(o, Box(3), Space::Discrete(4))->layout().size(), (3 + 1) * 5 + (5 + 1) * 4);
  o.baselines.mlp_hidden = {};
  EXPECT_EQ(MakeModel(o, Box(3), Space::Discrete(2))->layout().size(), (3 + 1) * 2);
  o.readout.binary_readout = "threshold";
  EXPECT_EQ(MakeModel(o, Box(3), Space::Discrete(2))->layout().size(), (3 + 1) * 1);
}

TEST(Baselines, CentredGenomeGivesZeroWeightsAndMidRangeOutputs) {
  for (const std::string kind : {"rnn", "mlp"}) {
    SCOPED_TRACE(kind);
    ModelOptions o;
    o.kind = kind;
    const Space act = Space::Box({-2.0, 0.0}, {2.0, 10.0});
    const auto m = MakeModel(o, Box(3), act);
    const auto p = m->Decode(std::vector<double>(m->layout().size(), 0.5));
    p->Reset(0);
    std::vector<double> action(2);
    for (int t = 0; t < 3; ++t) {
      p->Act(std::vector<double>{0.9, -0.4, 3.0}, action);
      EXPECT_DOUBLE_EQ(action[0], 0.0);
      EXPECT_DOUBLE_EQ(action[1], 5.0);
    }
    // Discrete: two actions threshold at 0 (not above: action 0); more take
    // the argmax with ties to the lowest index (0).
    for (int n : {2, 4}) {
      const auto md = MakeModel(o, Box(3), Space::Discrete(n));
      const auto pd = md->Decode(std::vector<double>(md->layout().size(), 0.5));
      pd->Reset(0);
      std::vector<double> a(1, -1.0);
      pd->Act(std::vector<double>{0.9, -0.4, 3.0}, a);
      EXPECT_EQ(a[0], 0.0);
    }
  }
}

TEST(Baselines, RnnHasMemoryMlpDoesNotAndResetClearsIt) {
  ModelOptions o;
  const Space act = Box(2);
  std::vector<double> a(2);
  auto run = [&](Policy& p, const std::vector<std::vector<double>>& obs) {
    p.Reset(0);
    std::vector<double> out;
    for (const auto& x : obs) {
      p.Act(x, a);
      out.insert(out.end(), a.begin(), a.end());
    }
    return out;
  };
  const std::vector<std::vector<double>> seq1 = {{1, 0, 0}, {0, 0, 0}},
                                         seq2 = {{-1, 0.5, 0}, {0, 0, 0}};
  o.kind = "rnn";
  const auto rnn_model = MakeModel(o, Box(3), act);
  const auto rnn = rnn_model->Decode(RandomGenome(rnn_model->layout().size(), 3));
  const auto r1 = run(*rnn, seq1), r2 = run(*rnn, seq2);
  // The second observation is the same; the RNN's action depends on the first.
  EXPECT_NE(r1[2], r2[2]);
  EXPECT_EQ(r1, run(*rnn, seq1));  // Reset clears the hidden state
  EXPECT_TRUE(rnn->healthy());
  o.kind = "mlp";
  const auto mlp_model = MakeModel(o, Box(3), act);
  const auto mlp = mlp_model->Decode(RandomGenome(mlp_model->layout().size(), 3));
  const auto m1 = run(*mlp, seq1), m2 = run(*mlp, seq2);
  EXPECT_EQ(m1[2], m2[2]);
  EXPECT_EQ(m1[3], m2[3]);
  EXPECT_NE(m1[0], m2[0]);
}

TEST(Baselines, MlpMatchesHandComputation) {
  // One hidden layer of 2, one input, one continuous output in [-1, 1].
  ModelOptions o;
  o.kind = "mlp";
  o.baselines.mlp_hidden = {2};
  o.baselines.baseline_weight_scale = 1.0;  // fan_in 1: weights in [-1, 1]; fan_in 2: +-1/sqrt(2)
  const auto m = MakeModel(o, Box(1), Box(1));
  // Layout: layer0_weights (2), layer0_bias (2), layer1_weights (2), layer1_bias (1).
  ASSERT_EQ(m->layout().size(), 7);
  const std::vector<double> g = {1.0, 0.25, 0.5, 0.75, 1.0, 0.0, 0.5};
  const double r = 1.0 / std::sqrt(2.0);
  const double x = 0.6;
  const double h0 = std::tanh(1.0 * x + 0.0), h1 = std::tanh(-0.5 * x + 0.5);
  const double y = std::tanh(r * h0 - r * h1 + 0.0);
  const auto p = m->Decode(g);
  std::vector<double> a(1);
  p->Act(std::vector<double>{x}, a);
  EXPECT_NEAR(a[0], y, 1e-6);
}

TEST(DecodeActionTest, ContinuousMapsRangeLinearlyAndClamps) {
  const Space act = Space::Box({-2.0, 0.0, 5.0}, {2.0, 1.0, 6.0});
  std::vector<double> a(3);
  DecodeAction(std::vector<float>{0.0f, 0.5f, 1.0f}, {0.0, 1.0}, act, a);
  EXPECT_DOUBLE_EQ(a[0], -2.0);
  EXPECT_DOUBLE_EQ(a[1], 0.5);
  EXPECT_DOUBLE_EQ(a[2], 6.0);
  DecodeAction(std::vector<float>{-1.0f, 0.0f, 0.5f}, {-1.0, 1.0}, act, a);
  EXPECT_DOUBLE_EQ(a[0], -2.0);
  EXPECT_DOUBLE_EQ(a[1], 0.5);
  EXPECT_DOUBLE_EQ(a[2], 5.75);
  DecodeAction(std::vector<float>{-3.0f, 7.0f, 0.25f}, {0.0, 1.0}, act, a);  // clamped
  EXPECT_DOUBLE_EQ(a[0], -2.0);
  EXPECT_DOUBLE_EQ(a[1], 1.0);
  EXPECT_DOUBLE_EQ(a[2], 5.25);
}

TEST(DecodeActionTest, PushPullMapsTheDifferenceAroundTheMiddle) {
  const Space act = Space::Box({-2.0, 0.0}, {2.0, 1.0});
  ModelOptions push_pull;
  push_pull.readout.continuous_readout = "push_pull";
  EXPECT_EQ(NumOutputs(act, push_pull), 4);
  EXPECT_EQ(NumOutputs(act, ModelOptions{}), 2);  // default: one output per dimension
  EXPECT_EQ(NumOutputs(Space::Discrete(2), push_pull), 2);  // discrete actions are not affected
  std::vector<double> a(2);
  // Outputs: push of dims 0, 1, then pull of dims 0, 1.
  DecodeAction(std::vector<float>{0.3f, 1.0f, 0.3f, 0.0f}, {0.0, 1.0}, act, a);
  EXPECT_DOUBLE_EQ(a[0], 0.0);  // push = pull: the middle
  EXPECT_DOUBLE_EQ(a[1], 1.0);  // full push
  DecodeAction(std::vector<float>{0.0f, 0.25f, 0.5f, 0.75f}, {0.0, 1.0}, act, a);
  EXPECT_DOUBLE_EQ(a[0], -1.0);   // pull by half the range: half-way down
  EXPECT_DOUBLE_EQ(a[1], 0.25);
  DecodeAction(std::vector<float>{1.0f, -1.0f, -1.0f, 1.0f}, {-1.0, 1.0}, act, a);  // tanh range
  EXPECT_DOUBLE_EQ(a[0], 2.0);
  EXPECT_DOUBLE_EQ(a[1], 0.0);
  // Every model builds and acts with the pair readout.
  for (const char* kind : {"bnn", "snn", "rnn", "mlp"}) {
    push_pull.kind = kind;
    const auto m = MakeModel(push_pull, Box(3), act);
    const auto p = m->Decode(std::vector<double>(m->layout().size(), 0.5));
    p->Reset(1);
    p->Act(std::vector<double>{0.1, -0.2, 0.3}, a);
    for (double x : a) EXPECT_TRUE(x >= -2.0 && x <= 2.0) << kind;
  }
  push_pull.readout.continuous_readout = "both";
  EXPECT_THROW(MakeModel(push_pull, Box(3), act), ConfigError);
}

TEST(DecodeActionTest, TwoActionsThresholdAtTheMiddle) {
  const Space act = Space::Discrete(2);
  ModelOptions threshold;
  threshold.readout.binary_readout = "threshold";
  EXPECT_EQ(NumOutputs(act, threshold), 1);
  EXPECT_EQ(NumOutputs(act, ModelOptions{}), 2);  // default: argmax of two outputs
  std::vector<double> a(1);
  auto decode = [&](float y, OutputRange r) {
    DecodeAction(std::vector<float>{y}, r, act, a);
    return a[0];
  };
  EXPECT_EQ(decode(0.6f, {0.0, 1.0}), 1.0);
  EXPECT_EQ(decode(0.4f, {0.0, 1.0}), 0.0);
  EXPECT_EQ(decode(0.5f, {0.0, 1.0}), 0.0);  // the middle itself is not above it
  EXPECT_EQ(decode(0.01f, {-1.0, 1.0}), 1.0);
  EXPECT_EQ(decode(-0.01f, {-1.0, 1.0}), 0.0);
}

TEST(DecodeActionTest, ArgmaxWithLowestIndexOnTies) {
  const Space act = Space::Discrete(4);
  EXPECT_EQ(NumOutputs(act, ModelOptions{}), 4);
  std::vector<double> a(1);
  DecodeAction(std::vector<float>{0.1f, 0.7f, 0.2f, 0.7f}, {0.0, 1.0}, act, a);
  EXPECT_EQ(a[0], 1.0);
  DecodeAction(std::vector<float>{-0.5f, -0.9f, -0.1f, -0.2f}, {-1.0, 1.0}, act, a);
  EXPECT_EQ(a[0], 2.0);
  DecodeAction(std::vector<float>{0.f, 0.f, 0.f, 0.f}, {0.0, 1.0}, act, a);
  EXPECT_EQ(a[0], 0.0);
  EXPECT_EQ(NumOutputs(Box(3), ModelOptions{}), 3);
}

TEST(MakeModelTest, RejectsUnknownKindAndDiscreteObservations) {
  ModelOptions o;
  o.kind = "transformer";
  try {
    MakeModel(o, Box(2), Space::Discrete(2));
    ADD_FAILURE() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model.kind"), std::string::npos) << e.what();
  }
  o.kind = "mlp";
  EXPECT_THROW(MakeModel(o, Space::Discrete(5), Space::Discrete(2)), ConfigError);
}

// substeps = 0 (real time) is the config loader's to resolve; a model built
// from unresolved options would run no substeps and answer nothing.
TEST(MakeModelTest, RejectsUnresolvedSubsteps) {
  ModelOptions o;
  o.substeps = 0;
  EXPECT_THROW(MakeModel(o, Box(4), Space::Discrete(2)), ConfigError);
  o.substeps = 1;
  EXPECT_NE(MakeModel(o, Box(4), Space::Discrete(2)), nullptr);
}

}  // namespace
}  // namespace neurevo
