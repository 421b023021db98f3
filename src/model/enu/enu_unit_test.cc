// The ENU step against the paper's equations written out unit by unit,
// entry by entry (no matrix library), and the properties the networks rely on.
#include "model/enu/enu_unit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {
namespace {

EnuWeights RandomWeights(const EnuShape& shape, uint64_t seed) {
  GenomeLayout layout;
  EnuWeights::AddFamilies(layout, "u", shape, 2.0);
  RandomStream rng(seed);
  std::vector<double> genome(static_cast<size_t>(layout.size()));
  for (double& g : genome) g = rng.Uniform();
  return EnuWeights::Decode(layout, "u", shape, genome);
}

struct ScalarUnit {
  std::vector<double> h, o;
};

// z = s(Wz a + bz), r = s(Wr a + br), h~ = tanh(Wc [r h, o, x] + bc),
// h = (1 - z) h + z h~, o = clip(Wo h + bo, 0, 1); a = [h, o, x].
void ScalarStep(const EnuWeights& w, ScalarUnit& u, const std::vector<double>& x) {
  const int m = w.shape.memory, c = w.shape.channels;
  std::vector<double> a(u.h);
  a.insert(a.end(), u.o.begin(), u.o.end());
  a.insert(a.end(), x.begin(), x.end());
  const int k = static_cast<int>(a.size());
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  std::vector<double> z(m), r(m), hc(m);
  for (int j = 0; j < m; ++j) {
    double sz = w.gates_bias(j), sr = w.gates_bias(m + j);
    for (int i = 0; i < k; ++i) {
      sz += a[i] * w.gates(i, j);
      sr += a[i] * w.gates(i, m + j);
    }
    z[j] = sigmoid(sz);
    r[j] = sigmoid(sr);
  }
  std::vector<double> b = a;
  for (int j = 0; j < m; ++j) b[j] = r[j] * u.h[j];
  for (int j = 0; j < m; ++j) {
    double s = w.candidate_bias(j);
    for (int i = 0; i < k; ++i) s += b[i] * w.candidate(i, j);
    hc[j] = std::tanh(s);
  }
  for (int j = 0; j < m; ++j) u.h[j] = (1 - z[j]) * u.h[j] + z[j] * hc[j];
  for (int j = 0; j < c; ++j) {
    double s = w.output_bias(j);
    for (int i = 0; i < m; ++i) s += u.h[i] * w.output(i, j);
    u.o[j] = std::clamp(s, 0.0, 1.0);
  }
}

TEST(EnuUnit, BatchedStepMatchesTheEquationsUnitByUnit) {
  const EnuShape shape{.memory = 7, .channels = 5, .inputs = 3};
  const EnuWeights w = RandomWeights(shape, 11);
  const int units = 9;
  EnuBatch batch(units, shape);
  std::vector<ScalarUnit> ref(units, ScalarUnit{std::vector<double>(7, 0.0), std::vector<double>(5, 0.0)});
  RandomStream rng(5);
  for (int step = 0; step < 30; ++step) {
    for (int u = 0; u < units; ++u) {
      std::vector<double> x(3);
      for (int i = 0; i < 3; ++i) {
        x[i] = static_cast<float>(rng.Uniform(-1, 1));
        batch.input(u, i) = static_cast<float>(x[i]);
      }
      ScalarStep(w, ref[static_cast<size_t>(u)], x);
    }
    CpuEnuKernel().Step(w, batch, nullptr, false);
    for (int u = 0; u < units; ++u) {
      for (int j = 0; j < 7; ++j) ASSERT_NEAR(batch.memory(u, j), ref[u].h[j], 2e-5) << "step " << step;
      for (int j = 0; j < 5; ++j) ASSERT_NEAR(batch.output(u, j), ref[u].o[j], 2e-5) << "step " << step;
    }
  }
  // The outputs are clipped: over 30 steps some hit 0 or 1 and some lie between.
  EXPECT_TRUE((batch.output.array() == 0.0f).any() || (batch.output.array() == 1.0f).any());
}

TEST(EnuUnit, SharedWeightsButOwnStateAndNoiseMakesTwinsDiverge) {
  const EnuShape shape{.memory = 8, .channels = 4, .inputs = 2};
  const EnuWeights w = RandomWeights(shape, 3);
  EnuBatch batch(3, shape);
  // Units 0 and 1 see the same input, unit 2 another: 0 and 1 stay equal.
  for (int step = 0; step < 10; ++step) {
    batch.input << 0.3f, -0.2f, 0.3f, -0.2f, 0.9f, 0.1f;
    CpuEnuKernel().Step(w, batch, nullptr, false);
  }
  EXPECT_EQ(batch.memory.row(0), batch.memory.row(1));
  EXPECT_NE(batch.memory.row(0), batch.memory.row(2));
  // Noise on the outputs (fed back) separates the twins.
  EnuMatrix noise(3, 4);
  noise.setZero();
  noise.row(1).setConstant(0.01f);
  batch.input << 0.3f, -0.2f, 0.3f, -0.2f, 0.9f, 0.1f;
  CpuEnuKernel().Step(w, batch, &noise, false);
  CpuEnuKernel().Step(w, batch, nullptr, false);
  EXPECT_NE(batch.memory.row(0), batch.memory.row(1));
}

TEST(EnuUnit, StatelessUnitsAnswerOnlyTheirCurrentInput) {
  const EnuShape shape{.memory = 6, .channels = 3, .inputs = 2};
  const EnuWeights w = RandomWeights(shape, 8);
  EnuBatch with_history(1, shape), fresh(1, shape), remembering(1, shape);
  for (int step = 0; step < 5; ++step) {
    with_history.input << static_cast<float>(step), -1.0f;
    remembering.input << static_cast<float>(step), -1.0f;
    CpuEnuKernel().Step(w, with_history, nullptr, true);
    CpuEnuKernel().Step(w, remembering, nullptr, false);
  }
  with_history.input << 0.5f, 0.5f;
  remembering.input << 0.5f, 0.5f;
  fresh.input << 0.5f, 0.5f;
  CpuEnuKernel().Step(w, with_history, nullptr, true);
  CpuEnuKernel().Step(w, remembering, nullptr, false);
  CpuEnuKernel().Step(w, fresh, nullptr, false);  // from h = 0: what a stateless unit computes
  EXPECT_EQ(with_history.output, fresh.output);
  EXPECT_NE(remembering.output, fresh.output);
}

TEST(EnuUnit, CentredGenomeIsAUnitOfZeroWeights) {
  const EnuShape shape{.memory = 4, .channels = 2, .inputs = 1};
  GenomeLayout layout;
  EnuWeights::AddFamilies(layout, "neuron", shape, 1.0);
  EXPECT_EQ(layout.size(), 3 * 7 * 4 + 2 * 4 + 4 + 4 * 2 + 2);
  const EnuWeights w = EnuWeights::Decode(layout, "neuron", shape, std::vector<double>(layout.size(), 0.5));
  EXPECT_EQ(w.gates.norm() + w.candidate.norm() + w.output.norm() + w.output_bias.norm(), 0.0f);
  EXPECT_EQ(shape.multiply_adds(), 3 * 7 * 4 + 4 * 2);
}

}  // namespace
}  // namespace neurevo
