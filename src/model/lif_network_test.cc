// Tests of the LIF network (lif_network.h): equivalence with a deliberately
// naive reference simulator, delay timing, Dale's law, steady-state
// conductance, spiking (refractoriness, LIF firing rate), reset and noise
// determinism, and the genome layout of the LIF models.
#include "model/lif_network.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "model/lif_model.h"
#include "model/lif_preset.h"
#include "model/lif_reference.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/random.h"

namespace neurevo {
namespace {

// ---------------------------------------------------------------------------
// The naive reference simulator.
//
// It implements DESIGN.md §2 directly, substep by substep, with none of
// LifState's machinery (no ring, no block pass): every neuron keeps the
// signal it emitted at every past substep in a plain vector, and each synapse
// reads the presynaptic signal emitted exactly `delay` substeps before the
// current substep (zero before t = 0). The signal computed at the end of
// substep t therefore contributes to g during substep t + d.
//
// It takes from the decoded LifNetwork only parameters: the synapse weights
// (already the per-substep conductance increment per unit signal), delays,
// offset currents and the constants (per neuron). The synapse list (pre,
// post, receptor) comes from the NetworkInstance. Arithmetic is in float like LifState, so the two agree
// to within rounding.
class ReferenceLif {
 public:
  ReferenceLif(const LifNetwork& net, const NetworkInstance& topo)
      : net_(net),
        topo_(topo),
        history_(net.neurons),
        v_(net.v_init_per_neuron),
        ge_(net.neurons, 0.f),
        gi_(net.neurons, 0.f),
        trace_(net.neurons, 0.f),
        refractory_(net.neurons, 0) {}

  void Step(const std::vector<double>& observation, std::vector<float>& outputs) {
    const int n = net_.neurons;
    std::vector<float> injected(n, 0.f);
    for (int i = 0; i < net_.inputs; ++i)
      injected[i] = net_.input_bias + net_.input_gain * static_cast<float>(observation[i]);
    std::vector<double> acc(net_.outputs, 0.0);
    std::vector<float> acc_f(net_.outputs, 0.f);
    for (int s = 0; s < net_.substeps; ++s, ++t_) {
      // Synaptic input of this substep, synapse by synapse.
      std::vector<float> in_e(n, 0.f), in_i(n, 0.f);
      for (size_t k = 0; k < topo_.synapses.size(); ++k) {
        const InstanceSynapse& syn = topo_.synapses[k];
        const long emitted = t_ - net_.delay[k];
        const float x = emitted >= 0 ? history_[syn.pre][emitted] : 0.f;
        (syn.receptor == kGaba ? in_i : in_e)[syn.post] += net_.weight[k] * x;
      }
      for (int j = 0; j < n; ++j) {
        ge_[j] = ge_[j] * net_.syn_decay + in_e[j];
        gi_[j] = gi_[j] * net_.syn_decay + in_i[j];
        max_g_ = std::max({max_g_, ge_[j], gi_[j]});
      }
      // Forward Euler on C dV/dt = g_L (V_rest - V) + g_E (E_E - V) + g_I (E_I - V) + I.
      for (int j = 0; j < n; ++j) {
        const float current = net_.g_leak_per_neuron[j] * (net_.v_rest_per_neuron[j] - v_[j]) +
                              ge_[j] * (net_.e_exc - v_[j]) +
                              gi_[j] * (net_.e_inh - v_[j]) + net_.offset_current[j] + injected[j];
        v_[j] += net_.dt_over_c_per_neuron[j] * current;
      }
      for (int j = 0; j < n; ++j) {
        float signal;
        const bool graded_output = net_.graded_outputs && j >= net_.output_begin;
        if (net_.spiking && !graded_output) {
          signal = 0.f;
          if (refractory_[j] > 0) {
            --refractory_[j];
            v_[j] = net_.v_reset_per_neuron[j];
          } else {
            min_margin_ = std::min(min_margin_, std::abs(v_[j] - net_.v_threshold_per_neuron[j]));
            if (v_[j] > net_.v_threshold_per_neuron[j]) {
              signal = 1.f;
              v_[j] = net_.v_reset_per_neuron[j];
              refractory_[j] = net_.refractory_per_neuron[j];
              ++spikes_;
              if (j >= net_.inputs) ++network_spikes_;
            }
          }
        } else {
          // Smoothstep from V_th - w (0) to V_th + w (1).
          float x = (v_[j] - net_.graded_low_per_neuron[j]) * net_.graded_inv_width_per_neuron[j];
          x = std::min(std::max(x, 0.f), 1.f);
          signal = x * x * (3.f - 2.f * x);
          if (j >= net_.inputs && signal > 0.f && signal < 1.f) ++partial_signals_;
        }
        history_[j].push_back(signal);
      }
      for (int o = 0; o < net_.outputs; ++o) {
        const int j = net_.output_begin + o;
        const float sig = history_[j].back();
        if (net_.spiking && !net_.graded_outputs) {
          trace_[j] = trace_[j] * net_.trace_decay + net_.trace_increment * sig;
          acc_f[o] += trace_[j];
        } else {
          acc_f[o] += sig;
        }
      }
    }
    outputs.resize(net_.outputs);
    // Spiking: the step's mean trace, clipped at 1 (graded is in [0, 1]).
    for (int o = 0; o < net_.outputs; ++o)
      outputs[o] = std::min(acc_f[o] / static_cast<float>(net_.substeps), 1.f);
  }

  const std::vector<float>& potentials() const { return v_; }
  long spikes() const { return spikes_; }
  // Graded: (neuron, substep) pairs of E, I and output neurons strictly
  // inside the graded range (the smoothstep is neither 0 nor 1).
  long partial_signals() const { return partial_signals_; }
  long network_spikes() const { return network_spikes_; }
  float max_conductance() const { return max_g_; }
  // Smallest |V - V_th| over all threshold decisions so far (spiking).
  float min_margin() const { return min_margin_; }

 private:
  const LifNetwork& net_;
  const NetworkInstance& topo_;
  std::vector<std::vector<float>> history_;  // [neuron][substep]: signal emitted
  std::vector<float> v_, ge_, gi_, trace_;
  std::vector<int> refractory_;
  long t_ = 0;
  long spikes_ = 0, network_spikes_ = 0, partial_signals_ = 0;
  float max_g_ = 0.f;
  float min_margin_ = std::numeric_limits<float>::infinity();
};

std::vector<double> RandomGenome(int size, uint32_t seed, double low = 0.0, double high = 1.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(low, high);
  std::vector<double> g(size);
  for (auto& x : g) x = u(rng);
  return g;
}

struct EquivalenceCase {
  std::string kind;
  double min_delay_ms, max_delay_ms;
  int substeps;
  int expected_block;
};

// Tolerances. The reference performs the same float operations as LifState,
// but the synapse sums may be accumulated in a different order (LifState
// sums a block of substeps per synapse pass, 8 lanes at a time) and the
// compiler may contract a * b + c into an FMA in one and not the other, so
// the two may differ by a few ulps per substep. The leak (tau_m = 200
// substeps) damps these differences; 1e-4 mV is ~25 ulps of a float near
// -60 mV and far below any real error (a one-substep timing error moves V by
// ~1e-3..1e-1 mV).
constexpr float kVoltageTolerance = 1e-4f;   // mV
constexpr float kOutputTolerance = 2e-5f;    // graded signal slope <= 0.15 / mV
// A spike decided this close to threshold could legitimately go either way
// under different rounding; comparisons stop after such an env step.
constexpr float kAmbiguousMargin = 1e-5f;  // mV

class LifEquivalence : public ::testing::TestWithParam<EquivalenceCase> {};

TEST_P(LifEquivalence, MatchesNaiveReference) {
  const EquivalenceCase& c = GetParam();
  constexpr int kInputs = 4, kOutputs = 3, kEnvSteps = 40;
  ModelOptions o;
  // "snn_rate": spiking outputs read by rate; "snn": output integrators read by potential.
  o.kind = c.kind == "snn_rate" ? "snn" : c.kind;
  o.readout.snn_readout = c.kind == "snn_rate" ? "rate" : "potential";
  o.min_delay_ms = c.min_delay_ms;
  o.max_delay_ms = c.max_delay_ms;
  o.substeps = c.substeps;
  o.evolve_noise = false;
  const LifDecoder decoder = LifPresetDecoder(o, kInputs, kOutputs);
  const NetworkInstance& topo = decoder.network();
  long total_compared_steps = 0;
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto genome = RandomGenome(decoder.layout().size(), seed);
    const LifNetwork net = decoder.Decode(genome);
    ASSERT_FALSE(net.has_noise);
    ASSERT_EQ(net.block, c.expected_block);
    const int d_min = std::max(1, static_cast<int>(std::lround(c.min_delay_ms / o.dt_ms)));
    const int d_max = std::max(d_min, static_cast<int>(std::lround(c.max_delay_ms / o.dt_ms)));
    for (int d : net.delay) {
      ASSERT_GE(d, d_min);
      ASSERT_LE(d, d_max);
    }
    LifState state(net);
    state.Reset(seed);
    ReferenceLif ref(net, topo);
    std::mt19937_64 rng(100 + seed);
    std::uniform_real_distribution<double> obs_dist(-2.0, 2.0);
    std::vector<double> obs(kInputs);
    std::vector<float> out(kOutputs), ref_out;
    double max_out = 0.0;
    for (int step = 0; step < kEnvSteps; ++step) {
      for (auto& x : obs) x = obs_dist(rng);
      state.Step(obs, out);
      ref.Step(obs, ref_out);
      SCOPED_TRACE("env step " + std::to_string(step));
      const auto v = state.potentials();
      ASSERT_EQ(v.size(), ref.potentials().size());
      for (size_t j = 0; j < v.size(); ++j)
        ASSERT_NEAR(v[j], ref.potentials()[j], kVoltageTolerance) << "neuron " << j;
      for (int k = 0; k < kOutputs; ++k) {
        ASSERT_NEAR(out[k], ref_out[k], kOutputTolerance) << "output " << k;
        max_out = std::max(max_out, static_cast<double>(out[k]));
      }
      ASSERT_TRUE(state.healthy());
      ++total_compared_steps;
      if (net.spiking && ref.min_margin() < kAmbiguousMargin) break;  // see kAmbiguousMargin
    }
    // The comparison must have exercised the network.
    EXPECT_GT(ref.max_conductance(), 0.f);
    EXPECT_GT(max_out, 0.0);
    if (!net.spiking)
      EXPECT_GT(ref.partial_signals(), kEnvSteps * c.substeps * (net.neurons - net.inputs) / 100)
          << "too few neurons in the graded range";
    if (net.spiking) {
      EXPECT_GT(ref.spikes(), 0);
      EXPECT_GT(ref.network_spikes(), 0) << "no E, I or output neuron spiked";
    }
  }
  EXPECT_GE(total_compared_steps, 3 * kEnvSteps);
}

INSTANTIATE_TEST_SUITE_P(
    Delays, LifEquivalence,
    ::testing::Values(
        // min delay 1 substep: block 1.
        EquivalenceCase{"bnn", 0.1, 0.5, 37, 1}, EquivalenceCase{"snn", 0.1, 0.5, 37, 1},
        // min delay 3 substeps: block 3; 37 and 100 are not multiples of 3.
        EquivalenceCase{"bnn", 0.3, 2.0, 37, 3}, EquivalenceCase{"snn", 0.3, 2.0, 100, 3},
        // default: min delay 10 substeps, block 8; 100 = 12 * 8 + 4.
        EquivalenceCase{"bnn", 1.0, 5.0, 100, 8}, EquivalenceCase{"snn", 1.0, 5.0, 100, 8},
        EquivalenceCase{"bnn", 1.0, 5.0, 37, 8}, EquivalenceCase{"snn", 1.0, 5.0, 37, 8},
        // fewer substeps per env step than the block.
        EquivalenceCase{"bnn", 1.5, 3.0, 5, 8}, EquivalenceCase{"snn", 1.5, 3.0, 5, 8},
        // all delays equal (no delay family), and the longest delay = ring - 1.
        EquivalenceCase{"bnn", 0.7, 0.7, 37, 7}, EquivalenceCase{"snn", 0.2, 9.0, 37, 2},
        // a minimum delay of 0 (or below half a substep) must still mean one substep.
        EquivalenceCase{"bnn", 0.0, 0.5, 37, 1}, EquivalenceCase{"snn", 0.0, 0.5, 37, 1},
        EquivalenceCase{"snn_rate", 1.0, 5.0, 100, 8}, EquivalenceCase{"snn_rate", 0.3, 2.0, 37, 3}),
    [](const auto& info) {
      const EquivalenceCase& c = info.param;
      return c.kind + "_min" + std::to_string(static_cast<int>(std::lround(c.min_delay_ms * 10))) +
             "_max" + std::to_string(static_cast<int>(std::lround(c.max_delay_ms * 10))) +
             "_sub" + std::to_string(c.substeps);
    });

// ---------------------------------------------------------------------------
// Small hand-built networks.

// 1 input, `e` E, `i` I, 1 output with the given connectivity; noise and
// offsets off unless asked; the genome is all `weight_gene` for the weights.
struct SmallNet {
  ModelOptions options;
  std::unique_ptr<LifDecoder> decoder;
  SmallNet(ModelOptions o, int e, int i, std::vector<std::string> connectivity, int outputs = 1)
      : options(std::move(o)) {
    options.excitatory = e;
    options.inhibitory = i;
    options.connectivity = std::move(connectivity);
    decoder = std::make_unique<LifDecoder>(LifPresetDecoder(options, 1, outputs));
  }
  std::vector<double> Genome(double weight_gene, double other_gene = 0.5) const {
    std::vector<double> g(decoder->layout().size(), other_gene);
    for (const char* name : {"ampa_weights", "gaba_weights"}) {
      const GeneFamily* w = decoder->layout().Find(name);
      for (int k = 0; k < w->size; ++k) g[w->offset + k] = weight_gene;
    }
    return g;
  }
};

ModelOptions Quiet(const std::string& kind, int substeps = 1) {
  ModelOptions o;
  o.kind = kind;
  o.substeps = substeps;
  o.evolve_noise = false;
  o.evolve_offsets = false;
  return o;
}

// The E neuron's potential is unaffected until exactly `delay` substeps after
// the input neuron's signal first becomes non-zero.
void CheckDelay(const std::string& kind, double min_ms, double max_ms, double delay_gene,
                int expected_delay) {
  SCOPED_TRACE(kind + " expected delay " + std::to_string(expected_delay));
  ModelOptions o = Quiet(kind);
  o.min_delay_ms = min_ms;
  o.max_delay_ms = max_ms;
  SmallNet sn(o, 1, 0, {"in->E"});
  ASSERT_EQ(sn.decoder->network().synapses.size(), 1u);
  auto genome_on = sn.Genome(1.0, delay_gene), genome_off = sn.Genome(0.0, delay_gene);
  const LifNetwork on = sn.decoder->Decode(genome_on), off = sn.decoder->Decode(genome_off);
  ASSERT_EQ(on.delay[0], expected_delay);
  ASSERT_EQ(on.substeps, 1);
  LifState a(on), b(off);
  std::vector<float> out(1);
  const int input = 0, e = 1;
  // Quiet input (negative current keeps V below the graded range) for 5
  // substeps, then a strong drive.
  int first_signal = -1;
  float prev_input_v = a.potentials()[input];
  for (int t = 0; t < 5 + expected_delay + 30; ++t) {
    const std::vector<double> obs = {t < 5 ? -10.0 : 200.0};
    a.Step(obs, out);
    b.Step(obs, out);
    const float vin = a.potentials()[input];
    if (first_signal < 0) {
      // Graded: non-zero once V > V_th - w. Spiking: the input spikes (reset).
      // (A fast input neuron can jump from below reset to above threshold
      // in one substep, so "was above reset" is not required.)
      const bool emitted = on.spiking ? (vin == on.v_reset && prev_input_v != on.v_reset)
                                      : (vin > on.graded_low);
      if (emitted) first_signal = t;
    }
    prev_input_v = vin;
    const float va = a.potentials()[e], vb = b.potentials()[e];
    if (first_signal < 0 || t < first_signal + expected_delay) {
      ASSERT_EQ(va, vb) << "E affected at substep " << t << " before the delay (signal at "
                        << first_signal << ")";
    } else if (t == first_signal + expected_delay) {
      ASSERT_GT(va, vb) << "E unaffected at substep " << t << " = signal + delay";
    }
  }
  ASSERT_GE(first_signal, 5);
}

TEST(LifDelay, GradedSignalArrivesExactlyAfterTheDelay) {
  for (int d : {1, 2, 3, 7, 8, 9, 10, 16, 40}) CheckDelay("bnn", d * 0.1, d * 0.1, 0.5, d);
  // Delays from genes: [0.1, 2.0] ms = [1, 20] substeps; gene u -> 1 + 19 u.
  CheckDelay("bnn", 0.1, 2.0, 0.0, 1);
  CheckDelay("bnn", 0.1, 2.0, 1.0, 20);
  CheckDelay("bnn", 0.1, 2.0, 6.0 / 19.0, 7);
  CheckDelay("bnn", 0.3, 2.0, 1.0, 20);  // block 3
}

TEST(LifDelay, SpikeArrivesExactlyAfterTheDelay) {
  for (int d : {1, 2, 3, 8, 9, 25}) CheckDelay("snn", d * 0.1, d * 0.1, 0.5, d);
  CheckDelay("snn", 1.0, 5.0, 1.0, 50);
}

TEST(LifDelay, ZeroMinimumDelayMeansOneSubstep) {
  // min_delay_ms = 0 still gives delays >= 1 substep (the block pass needs
  // it), both in the layout's range and in the decoded network.
  ModelOptions o = Quiet("bnn");
  o.min_delay_ms = 0.0;
  o.max_delay_ms = 0.5;
  SmallNet sn(o, 1, 0, {"in->E"});
  const GeneFamily* f = sn.decoder->layout().Find("delays");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->low, 1.0);
  EXPECT_EQ(f->high, 5.0);
  CheckDelay("bnn", 0.0, 0.5, 0.0, 1);
  CheckDelay("snn", 0.0, 0.5, 0.0, 1);
}

// ---------------------------------------------------------------------------
// Dale's law, behaviourally: an I presynaptic neuron lowers V (towards
// E_inh), an E or input presynaptic neuron raises it.
TEST(LifDale, InhibitoryPresynapticLowersPotential) {
  for (const std::string kind : {"bnn", "snn"}) {
    SCOPED_TRACE(kind);
    ModelOptions o = Quiet(kind, 10);
    // in -> I -> E and in -> E2 (E2 = an excitatory target of the input).
    SmallNet sn(o, 2, 1, {"in->I", "I->E"});
    // Neurons: in0, E0, E1, I0, out0. I0 projects to E0 and E1.
    ASSERT_EQ(sn.decoder->network().synapses.size(), 3u);  // in->I0, I0->E0, I0->E1
    const LifNetwork on = sn.decoder->Decode(sn.Genome(1.0)), off = sn.decoder->Decode(sn.Genome(0.0));
    LifState a(on), b(off);
    std::vector<float> out(1);
    float min_diff = 0.f;
    for (int t = 0; t < 50; ++t) {
      a.Step(std::vector<double>{10.0}, out);
      b.Step(std::vector<double>{10.0}, out);
      for (int e : {1, 2}) {
        const float diff = a.potentials()[e] - b.potentials()[e];
        EXPECT_LE(diff, 0.f) << "inhibition raised V at step " << t;
        min_diff = std::min(min_diff, diff);
        EXPECT_GE(a.potentials()[e], on.e_inh);
      }
    }
    EXPECT_LT(min_diff, -0.1f);
  }
}

TEST(LifDale, ExcitatoryAndInputPresynapticRaisePotential) {
  for (const std::string kind : {"bnn", "snn"}) {
    SCOPED_TRACE(kind);
    ModelOptions o = Quiet(kind, 10);
    SmallNet sn(o, 2, 0, {"in->E", "E->out"});
    // in0 -> E0, in0 -> E1, E0 -> out0, E1 -> out0; E0, E1 -> each other not connected.
    const LifNetwork on = sn.decoder->Decode(sn.Genome(1.0)), off = sn.decoder->Decode(sn.Genome(0.0));
    LifState a(on), b(off);
    std::vector<float> out(1);
    float max_diff_e = 0.f, max_diff_out = 0.f;
    for (int t = 0; t < 50; ++t) {
      a.Step(std::vector<double>{10.0}, out);
      b.Step(std::vector<double>{10.0}, out);
      if (!on.spiking) {  // spiking E neurons reset, so compare only graded pointwise
        EXPECT_GE(a.potentials()[1] - b.potentials()[1], 0.f);
        EXPECT_GE(a.potentials()[3] - b.potentials()[3], 0.f);
      }
      max_diff_e = std::max(max_diff_e, a.potentials()[1] - b.potentials()[1]);
      max_diff_out = std::max(max_diff_out, a.potentials()[3] - b.potentials()[3]);
    }
    EXPECT_GT(max_diff_e, 0.1f);
    EXPECT_GT(max_diff_out, 0.1f);
  }
}

// ---------------------------------------------------------------------------
// Steady state: a constant graded presynaptic activation of 1 gives the
// postsynaptic conductance weight_gene * weight_max_nS.
TEST(LifSteadyState, GradedConductanceIsWeightGeneTimesMax) {
  for (double gene : {0.25, 0.6, 1.0}) {
    SCOPED_TRACE(gene);
    ModelOptions o = Quiet("bnn", 100);
    SmallNet sn(o, 1, 0, {"in->E"});
    const LifNetwork net = sn.decoder->Decode(sn.Genome(gene));
    const double g_expected = gene * o.weight_max_nS;
    // Discrete recursion g <- g decay + w: fixed point w / (1 - decay).
    EXPECT_NEAR(net.weight[0] / (1.0 - net.syn_decay), g_expected, 1e-6 * g_expected + 1e-9);
    LifState state(net);
    std::vector<float> out(1);
    // Input current 0.5 + 0.25 * 20 = 5.5 pA: V_in -> -60 + 110 mV, far
    // above V_th + w, so its signal is 1 after the first few substeps.
    for (int t = 0; t < 60; ++t) state.Step(std::vector<double>{20.0}, out);  // 600 ms
    ASSERT_GT(state.potentials()[0], o.neuron.v_threshold_mV + o.neuron.graded_halfwidth_mV);
    // Forward Euler has the ODE's fixed point:
    // g_L (V_rest - V) + g (E_E - V) = 0  =>  g = g_L (V - V_rest) / (E_E - V).
    const double v = state.potentials()[1];
    const double g_leak = o.neuron.c_m_pF / o.neuron.tau_m_ms;
    const double g = g_leak * (v - o.neuron.v_rest_mV) / (o.neuron.e_exc_mV - v);
    EXPECT_NEAR(g, g_expected, 2e-3 * g_expected);
  }
}

TEST(LifSteadyState, SpikingWeightGivesMaxConductanceAtReferenceRate) {
  ModelOptions o = Quiet("snn", 100);
  SmallNet sn(o, 1, 0, {"in->E"});
  const LifNetwork net = sn.decoder->Decode(sn.Genome(0.8));
  // Mean conductance of a train at rate r per substep: w r / (1 - decay).
  const double r = o.neuron.spike_reference_hz * 1e-3 * o.dt_ms;
  EXPECT_NEAR(net.weight[0] * r / (1.0 - net.syn_decay), 0.8 * o.weight_max_nS,
              1e-6 * o.weight_max_nS);  // float weights
}

TEST(LifDecode, ConstantsFollowTheOptions) {
  ModelOptions o;
  SmallNet sn(o, 2, 2, o.connectivity);
  const LifNetwork net = sn.decoder->Decode(sn.Genome(0.5));
  EXPECT_FLOAT_EQ(net.syn_decay, std::exp(-0.1 / 5.0));
  EXPECT_FLOAT_EQ(net.g_leak, 1.0 / 20.0);
  EXPECT_FLOAT_EQ(net.dt_over_c, 0.1);
  EXPECT_EQ(net.refractory_substeps, 20);
  EXPECT_FLOAT_EQ(net.graded_low, -55.f);
  EXPECT_FLOAT_EQ(net.graded_inv_width, 0.1f);
  EXPECT_FLOAT_EQ(net.v_init, -55.f);
  EXPECT_FLOAT_EQ(net.trace_decay, std::exp(-0.1 / 5.0));  // tau_syn
  // A train at the reference rate (spikes per substep = rate * dt) gives a
  // mean trace of 1.
  const double per_substep = o.neuron.spike_reference_hz * 1e-3 * o.dt_ms;
  EXPECT_NEAR(net.trace_increment * per_substep / (1.0 - net.trace_decay), 1.0, 1e-5);
  EXPECT_EQ(net.block, 8);
  EXPECT_GT(net.ring, 50);  // R > max delay (lif_network.h)
}

// Input synapses of a network with more inputs than input_fan_in_reference
// scale by reference / inputs; every other synapse, and networks with fewer
// inputs, are unchanged.
TEST(LifDecode, ManyInputsShareTheReferenceDrive) {
  for (const int inputs : {10, 40}) {
    ModelOptions scaled;
    scaled.encoding.input_fan_in_reference = 20;
    ModelOptions unscaled = scaled;
    unscaled.encoding.input_fan_in_reference = 0;
    scaled.excitatory = scaled.inhibitory = unscaled.excitatory = unscaled.inhibitory = 4;
    const LifDecoder a = LifPresetDecoder(scaled, inputs, 2), b = LifPresetDecoder(unscaled, inputs, 2);
    const NetworkInstance& t = a.network();
    const auto genome = RandomGenome(a.layout().size(), 3, 0.0, 1.0);
    const LifNetwork na = a.Decode(genome), nb = b.Decode(genome);
    const double expected = inputs > 20 ? 20.0 / inputs : 1.0;
    int from_inputs = 0;
    for (size_t s = 0; s < t.synapses.size(); ++s) {
      const bool input = t.synapses[s].pre < inputs;
      from_inputs += input;
      EXPECT_FLOAT_EQ(na.weight[s], static_cast<float>(nb.weight[s] * (input ? expected : 1.0)))
          << "inputs " << inputs << ", synapse " << s;
    }
    EXPECT_EQ(from_inputs, inputs * 10);  // in->E, in->I, in->out
  }
}

// The reason for the scaling: with Ant's 105 observations, unscaled input
// synapses drive a random network's outputs into saturation (every action
// at its bound); scaled, they stay inside the range.
TEST(LifDecode, AntSizedInputsDoNotSaturateTheOutputs) {
  auto mean_output = [](double reference) {
    ModelOptions o;
    o.encoding.input_fan_in_reference = reference;
    o.evolve_noise = false;
    const LifDecoder dec = LifPresetDecoder(o, 105, 8);
    double sum = 0.0;
    int count = 0;
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      const LifNetwork net = dec.Decode(RandomGenome(dec.layout().size(), seed, 0.0, 1.0));
      LifState state(net);  // keeps a reference to net
      std::vector<float> out(8);
      const std::vector<double> observation(105, 0.0);
      for (int step = 0; step < 20; ++step) {
        state.Step(observation, out);
        if (step >= 10)
          for (float x : out) sum += x, ++count;
      }
    }
    return sum / count;
  };
  const double unscaled = mean_output(0.0), scaled = mean_output(20.0);
  EXPECT_GT(unscaled, 0.97);  // the failure mode the scaling removes
  EXPECT_LT(scaled, 0.85);
  EXPECT_GT(scaled, 0.15);
  std::printf("mean output over 5 random Ant-sized networks: unscaled %.3f, scaled %.3f\n", unscaled,
              scaled);
}

// ---------------------------------------------------------------------------
// Spiking: refractoriness and the LIF firing rate.

// A lone E neuron (no incoming synapses) driven by its offset current.
struct DrivenNeuron {
  std::vector<float> v;  // V of the E neuron after each substep
  std::vector<int> spikes;
  LifNetwork net;
};

DrivenNeuron DriveWithOffset(double current_pA, int substeps_total) {
  ModelOptions o = Quiet("snn");
  o.evolve_offsets = true;
  o.offset_max_pA = current_pA;
  SmallNet sn(o, 1, 0, {"in->out"});
  auto genome = sn.Genome(0.0);
  const GeneFamily* off = sn.decoder->layout().Find("offsets");
  // Offsets map to [rheobase - max, rheobase + max]: pick E0's gene for +current.
  genome[off->offset + 1] = (current_pA - off->low) / (off->high - off->low);
  DrivenNeuron r;
  r.net = sn.decoder->Decode(genome);
  EXPECT_NEAR(r.net.offset_current[1], current_pA, 1e-6 * current_pA);
  LifState state(r.net);
  std::vector<float> out(1);
  float prev = r.net.v_init;
  for (int t = 0; t < substeps_total; ++t) {
    state.Step(std::vector<double>{0.0}, out);
    const float v = state.potentials()[1];
    if (v == r.net.v_reset && prev > r.net.v_reset) r.spikes.push_back(t);
    r.v.push_back(v);
    prev = v;
  }
  return r;
}

TEST(LifSpiking, RefractoryHoldsResetForTauRef) {
  const DrivenNeuron r = DriveWithOffset(3.0, 2000);
  ASSERT_GE(r.spikes.size(), 3u);
  const int ref = r.net.refractory_substeps;
  ASSERT_EQ(ref, 20);  // 2 ms / 0.1 ms
  for (int s : r.spikes) {
    if (s + ref + 1 >= static_cast<int>(r.v.size())) break;
    for (int k = 0; k <= ref; ++k) EXPECT_EQ(r.v[s + k], r.net.v_reset) << "spike at " << s;
    EXPECT_GT(r.v[s + ref + 1], r.net.v_reset) << "still clamped after tau_ref";
  }
  // Before the spike V was above threshold's neighbourhood: it rose to V_th.
  EXPECT_GT(r.v[r.spikes[1] - 1], r.net.v_threshold - 1.f);
}

TEST(LifSpiking, InterspikeIntervalMatchesLifTheory) {
  ModelOptions o;
  for (double current : {0.7, 1.0, 2.0, 5.0}) {
    SCOPED_TRACE(current);
    const DrivenNeuron r = DriveWithOffset(current, 3000);
    ASSERT_GE(r.spikes.size(), 4u);
    const double ir = current * o.neuron.tau_m_ms / o.neuron.c_m_pF;  // I R, R = 1 / g_leak
    const double gap = o.neuron.v_threshold_mV - o.neuron.v_reset_mV;
    const double isi_ms = o.neuron.tau_ref_ms + o.neuron.tau_m_ms * std::log(ir / (ir - gap));
    const double isi_substeps = isi_ms / o.dt_ms;
    for (size_t k = 1; k + 1 < r.spikes.size(); ++k)
      EXPECT_NEAR(r.spikes[k + 1] - r.spikes[k], isi_substeps, 2.0) << "interval " << k;
  }
}

TEST(LifSpiking, SubthresholdCurrentNeverFires) {
  // I R = 0.45 * 20 = 9 mV < V_th - V_rest = 10 mV (V starts at -55, decays).
  const DrivenNeuron r = DriveWithOffset(0.45, 3000);
  EXPECT_TRUE(r.spikes.empty());
  EXPECT_NEAR(r.v.back(), -60.0 + 9.0, 1e-3);
}

TEST(LifSpiking, TraceReadoutGivesRateOverReferenceRate) {
  // An output neuron firing regularly at f Hz reads out ~ f / 100 Hz.
  ModelOptions o = Quiet("snn", 100);
  o.readout.snn_readout = "rate";
  o.evolve_offsets = true;
  o.offset_max_pA = 1.0;
  SmallNet sn(o, 0, 0, {"in->out"});
  auto genome = sn.Genome(0.0);
  const GeneFamily* off = sn.decoder->layout().Find("offsets");
  genome[off->offset + 1] = (1.0 - off->low) / (off->high - off->low);  // output neuron: 1 pA
  const LifNetwork net = sn.decoder->Decode(genome);
  ASSERT_NEAR(net.offset_current[1], 1.0, 1e-6);
  LifState state(net);
  std::vector<float> out(1);
  double sum = 0.0;
  const int warmup = 10, steps = 200;
  for (int t = 0; t < warmup + steps; ++t) {
    state.Step(std::vector<double>{0.0}, out);
    if (t >= warmup) sum += out[0];
  }
  // Euler ISI: 20 + ceil(ln(0.5) / ln(1 - 0.005)) substeps (see above).
  const double isi = 20 + std::ceil(std::log(0.5) / std::log(1.0 - 0.005));
  const double rate_hz = 1000.0 / (isi * o.dt_ms);
  EXPECT_NEAR(sum / steps, rate_hz / o.neuron.spike_reference_hz, 0.01);
}

// ---------------------------------------------------------------------------
// Reset and noise determinism, through the Model / Policy interface.

std::vector<double> Rollout(Policy& p, uint64_t key, int steps) {
  p.Reset(key);
  std::vector<double> actions;
  std::vector<double> obs(3), action(2);
  for (int t = 0; t < steps; ++t) {
    for (int i = 0; i < 3; ++i) obs[i] = std::sin(0.3 * t + i);
    p.Act(obs, action);
    actions.insert(actions.end(), action.begin(), action.end());
  }
  return actions;
}

TEST(LifPolicy, ResetAndNoiseKeys) {
  const Space obs = Space::Box({-1, -1, -1}, {1, 1, 1});
  const Space act = Space::Box({-2, -2}, {2, 2});
  for (const std::string kind : {"bnn", "snn"}) {
    SCOPED_TRACE(kind);
    ModelOptions o;
    o.kind = kind;
    o.substeps = 20;
    o.noise_max_pA = 2.0;  // strong enough to make some output neuron fire differently
    const auto model = MakeModel(o, obs, act);
    auto genome = RandomGenome(model->layout().size(), 7);
    const GeneFamily* noise = model->layout().Find("noise");
    ASSERT_NE(noise, nullptr);
    for (int i = 0; i < noise->size; ++i) genome[noise->offset + i] = 1.0;  // strong noise
    const auto policy = model->Decode(genome);
    const auto a1 = Rollout(*policy, 11, 30);
    const auto a2 = Rollout(*policy, 11, 30);  // same key after Reset: identical
    EXPECT_EQ(a1, a2);
    EXPECT_NE(a1, Rollout(*policy, 12, 30));   // different key: different
    EXPECT_TRUE(policy->healthy());

    // Noise genes at 0: the key is irrelevant.
    for (int i = 0; i < noise->size; ++i) genome[noise->offset + i] = 0.0;
    const auto quiet = model->Decode(genome);
    EXPECT_EQ(Rollout(*quiet, 11, 30), Rollout(*quiet, 12, 30));

    // Noise family switched off: the key is irrelevant.
    o.evolve_noise = false;
    const auto model_off = MakeModel(o, obs, act);
    const auto p_off = model_off->Decode(RandomGenome(model_off->layout().size(), 7));
    const auto b1 = Rollout(*p_off, 1, 30);
    EXPECT_EQ(b1, Rollout(*p_off, 2, 30));
    // Reset really resets: a second rollout of the same policy repeats.
    EXPECT_EQ(b1, Rollout(*p_off, 1, 30));
    // And the actions are in the action range.
    for (double a : b1) {
      EXPECT_GE(a, -2.0);
      EXPECT_LE(a, 2.0);
    }
  }
}

// ---------------------------------------------------------------------------
// Genome layout of the LIF models.

// Warm-up: the first action of an episode is the one the network gives after
// warmup_steps extra steps on the first observation, and after that the
// policy steps as usual; a reset warms it up again.
TEST(LifPolicy, WarmupStepsRunOnTheFirstObservation) {
  const Space obs = Space::Box({-1, -1, -1}, {1, 1, 1}), act = Space::Box({-2}, {2});
  for (const char* kind : {"bnn", "snn"}) {
    SCOPED_TRACE(kind);
    ModelOptions o;
    o.kind = kind;
    const auto plain = MakeModel(o, obs, act);
    o.warmup_steps = 3;
    const auto warm = MakeModel(o, obs, act);
    std::vector<double> genome(plain->layout().size());
    std::mt19937_64 rng(5);
    for (double& g : genome) g = std::uniform_real_distribution<double>(0, 1)(rng);
    const auto p = plain->Decode(genome), w = warm->Decode(genome);
    const std::vector<std::vector<double>> observations = {{0.3, -0.2, 0.9}, {-0.5, 0.1, 0.0}, {0.7, 0.7, -0.7}};
    for (int episode = 0; episode < 2; ++episode) {
      p->Reset(11);
      w->Reset(11);
      std::vector<double> a(1), b(1);
      for (int k = 0; k < 4; ++k) p->Act(observations[0], a);  // 3 warm-up steps and the first action
      w->Act(observations[0], b);
      EXPECT_EQ(a[0], b[0]);
      for (size_t t = 1; t < observations.size(); ++t) {
        p->Act(observations[t], a);
        w->Act(observations[t], b);
        EXPECT_EQ(a[0], b[0]) << "step " << t;
      }
    }
  }
}

TEST(LifLayout, FamilySizes) {
  const Space obs = Space::Box(std::vector<double>(11, -1), std::vector<double>(11, 1));
  const Space act = Space::Discrete(3);
  ModelOptions o;
  const auto model = MakeModel(o, obs, act);
  const GenomeLayout& l = model->layout();
  const int synapses = 759, neurons = 11 + 10 + 10 + 3;
  ASSERT_EQ(model->synapses(), synapses);
  ASSERT_EQ(l.families().size(), 5u);
  EXPECT_EQ(l.families()[0].name, "ampa_weights");
  EXPECT_EQ(l.families()[1].name, "gaba_weights");
  // GABA synapses: from the 10 I neurons to the 23 other non-input neurons.
  EXPECT_EQ(l.Find("gaba_weights")->size, 10 * 22);
  EXPECT_EQ(l.Find("ampa_weights")->size + l.Find("gaba_weights")->size, synapses);
  EXPECT_EQ(l.Find("delays")->size, synapses);
  EXPECT_EQ(l.Find("offsets")->size, neurons);
  EXPECT_EQ(l.Find("noise")->size, neurons);
  EXPECT_EQ(l.size(), 2 * synapses + 2 * neurons);
  // Families tile the genome.
  int at = 0;
  for (const auto& f : l.families()) {
    EXPECT_EQ(f.offset, at);
    at += f.size;
  }
  EXPECT_EQ(at, l.size());
  // Ranges.
  EXPECT_DOUBLE_EQ(l.Find("ampa_weights")->high, o.weight_max_nS);
  EXPECT_DOUBLE_EQ(l.Find("gaba_weights")->high, o.weight_max_nS * o.inhibitory_weight_scale);
  EXPECT_DOUBLE_EQ(l.Find("delays")->low, 10.0);
  EXPECT_DOUBLE_EQ(l.Find("delays")->high, 50.0);
  const double rheobase = o.neuron.c_m_pF / o.neuron.tau_m_ms * (o.neuron.v_threshold_mV - o.neuron.v_rest_mV);
  EXPECT_DOUBLE_EQ(l.Find("offsets")->low, rheobase - o.offset_max_pA);
  EXPECT_DOUBLE_EQ(l.Find("noise")->high, o.noise_max_pA);
  EXPECT_EQ(l.Find("ampa_weights")->labels[0], "in->E.weight[0]");  // first synapse: lowest post, then pre
  EXPECT_EQ(l.Find("gaba_weights")->labels[0], "I->E.weight[0]");
}

TEST(LifLayout, FamiliesSwitchOff) {
  const Space obs = Space::Box(std::vector<double>(11, -1), std::vector<double>(11, 1));
  const Space act = Space::Discrete(3);
  ModelOptions o;
  o.evolve_delays = false;
  o.evolve_offsets = false;
  o.evolve_noise = false;
  auto model = MakeModel(o, obs, act);
  EXPECT_EQ(model->layout().families().size(), 2u);  // AMPA and GABA weights
  EXPECT_EQ(model->layout().size(), 759);
  o.evolve_delays = true;
  o.min_delay_ms = o.max_delay_ms = 2.0;  // a single possible delay: no family
  model = MakeModel(o, obs, act);
  EXPECT_EQ(model->layout().Find("delays"), nullptr);
  o.evolve_noise = true;
  model = MakeModel(o, obs, act);
  EXPECT_EQ(model->layout().size(), 759 + 34);
  EXPECT_NE(model->layout().Find("noise"), nullptr);
  EXPECT_EQ(model->layout().Find("offsets"), nullptr);
}

// Validation sizes networks with CountGenes, which must agree with the
// layout a built model has, for every model kind and option that shapes it.
TEST(LifLayout, CountGenesMatchesTheBuiltLayout) {
  const Space box3 = Space::Box({-1, -1, -1}, {1, 1, 1});
  const Space box11 = Space::Box(std::vector<double>(11, -1), std::vector<double>(11, 1));
  const Space act2 = Space::Box({-2, -2}, {2, 2});
  const std::vector<std::vector<std::string>> connectivities = {
      ModelOptions{}.connectivity,
      {"in->E", "E->out"},
      {"in->E", "E->E", "I->I", "E->I", "I->E", "I->out", "E->out", "in->out", "out->out", "out->E"},
      {"in->I", "I->out"}};
  int cases = 0;
  for (const std::string kind : {"bnn", "snn", "rnn", "mlp"})
    for (const auto& [obs, act] : {std::pair{box3, Space::Discrete(2)}, std::pair{box11, act2}})
      for (const auto& connectivity : connectivities)
        for (int variant = 0; variant < 6; ++variant) {
          ModelOptions o;
          o.kind = kind;
          o.connectivity = connectivity;
          o.excitatory = variant == 3 ? 0 : 4 + variant;
          o.inhibitory = variant == 4 ? 0 : 3;
          o.evolve_delays = variant % 2 == 0;
          o.evolve_offsets = variant != 1;
          o.evolve_noise = variant % 3 != 0;
          if (variant == 2) o.min_delay_ms = o.max_delay_ms = 2.0;  // one possible delay
          if (variant == 5) o.encoding.input_encoding = "pair";
          if (variant >= 4) o.readout.continuous_readout = "push_pull";
          if (variant == 1 || variant == 4) o.readout.source = "linear";
          if (variant == 0 || variant == 4) o.encoding.input_encoding = "current";
          if (kind == "mlp" && (o.excitatory == 0 || o.inhibitory == 0)) continue;
          SCOPED_TRACE(fmt::format("{} variant {} connectivity {}", kind, variant, fmt::join(connectivity, ",")));
          EXPECT_EQ(CountGenes(o, obs, act), MakeModel(o, obs, act)->layout().size());
          ++cases;
        }
  EXPECT_GT(cases, 150);
  // It refuses what MakeModel refuses, with the same message.
  const auto error_of = [&](const auto& build, const ModelOptions& o) -> std::string {
    try {
      build(o);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  };
  const auto count = [&](const ModelOptions& o) { CountGenes(o, box3, act2); };
  const auto make = [&](const ModelOptions& o) { MakeModel(o, box3, act2); };
  ModelOptions bad;
  bad.connectivity = {"E->in"};
  EXPECT_NE(error_of(count, bad), "");
  EXPECT_EQ(error_of(count, bad), error_of(make, bad));
  bad = ModelOptions{};
  bad.kind = "lstm";
  EXPECT_NE(error_of(count, bad), "");
  EXPECT_EQ(error_of(count, bad), error_of(make, bad));
  bad = ModelOptions{};
  bad.readout.binary_readout = "softmax";
  EXPECT_NE(error_of(count, bad), "");
  EXPECT_EQ(error_of(count, bad), error_of(make, bad));
  bad = ModelOptions{};
  bad.encoding.input_encoding = "spikes";
  EXPECT_NE(error_of(count, bad).find("model.input_encoding"), std::string::npos);
  EXPECT_EQ(error_of(count, bad), error_of(make, bad));
  bad = ModelOptions{};
  bad.readout.source = "softmax";
  EXPECT_NE(error_of(count, bad).find("model.readout"), std::string::npos);
  EXPECT_EQ(error_of(count, bad), error_of(make, bad));
}

// Linear readout: no output group; each action is the clipped signed sum of
// the E and I neurons' activity over the step, weighted by the
// `readout_weights` genes, plus a `readout_bias` gene. The activity comes
// from the naive reference simulator, which reads the same neurons.
TEST(LifReadout, LinearReadoutIsASignedMapOfTheEAndINeurons) {
  const Space obs = Space::Box({-1, -1, -1}, {1, 1, 1});
  const Space act = Space::Box({-2, -2}, {2, 2});
  for (const std::string kind : {"bnn", "snn"}) {
    SCOPED_TRACE(kind);
    ModelOptions o;
    o.kind = kind;
    o.readout.source = "linear";
    o.substeps = 40;
    o.evolve_noise = false;
    const auto model = MakeModel(o, obs, act);
    const auto& lif = dynamic_cast<const LifModel&>(*model);
    const GenomeLayout& layout = model->layout();
    const GeneFamily* w = layout.Find("readout_weights");
    const GeneFamily* b = layout.Find("readout_bias");
    ASSERT_NE(w, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(w->size, 2 * 20);
    EXPECT_EQ(b->size, 2);
    EXPECT_EQ(w->labels[0], "E0->a0");
    EXPECT_EQ(w->labels[39], "I9->a1");
    EXPECT_DOUBLE_EQ(w->high, 2.0 / std::sqrt(20.0));
    EXPECT_DOUBLE_EQ(w->low, -w->high);
    EXPECT_EQ(lif.decoder().network().populations[3].size, 0);  // no output neurons
    EXPECT_EQ(model->synapses(), PresetSynapseCount(o, 3, 0));
    // Input synapses strong enough that the observation matters.
    auto genome = RandomGenome(layout.size(), 3);

    const LifNetwork net = lif.decoder().Decode(genome);
    ASSERT_EQ(net.outputs, 20);
    ReferenceLif reference(net, lif.decoder().network());
    const auto policy = model->Decode(genome);
    policy->Reset(0);
    const std::vector<std::vector<double>> observations = {
        {0.3, -0.2, 0.9}, {-0.5, 0.1, 0.0}, {0.7, 0.7, -0.7}, {-1, -1, 1}, {0, 0, 0}};
    int interior = 0;
    for (const auto& x : observations) {
      std::vector<float> activity;
      reference.Step(x, activity);
      std::vector<double> action(2);
      policy->Act(x, action);
      for (int k = 0; k < 2; ++k) {
        double y = b->low + GenomeLayout::Fold(genome[b->offset + k]) * (b->high - b->low);
        for (int j = 0; j < 20; ++j)
          y += (w->low + GenomeLayout::Fold(genome[w->offset + k * 20 + j]) * (w->high - w->low)) * activity[j];
        const double expected = -2.0 + 4.0 * (0.5 + 0.5 * std::clamp(y, -1.0, 1.0));
        EXPECT_NEAR(action[k], expected, 1e-4);
        interior += std::abs(expected) < 1.99;
      }
    }
    EXPECT_GT(interior, 0);  // not every action on a rail

    // Signs: every weight at its lowest (negative) and no bias give an
    // action at or below the middle of the range; highest, at or above.
    for (const double gene : {0.0, 1.0}) {
      for (int i = 0; i < w->size; ++i) genome[w->offset + i] = gene;
      for (int i = 0; i < b->size; ++i) genome[b->offset + i] = 0.5;
      const auto p = model->Decode(genome);
      p->Reset(0);
      std::vector<double> action(2);
      double total = 0;
      for (const auto& x : observations) {
        p->Act(x, action);
        for (double a : action) {
          EXPECT_TRUE(gene == 0.0 ? a <= 0.0 : a >= 0.0) << a;
          total += a;
        }
      }
      EXPECT_NE(total, 0.0);  // some activity reached the readout
    }
  }
}

TEST(LifLayout, FoldReflectsIntoTheUnitBox) {
  EXPECT_EQ(GenomeLayout::Fold(0.3), 0.3);
  EXPECT_DOUBLE_EQ(GenomeLayout::Fold(1.25), 0.75);
  EXPECT_DOUBLE_EQ(GenomeLayout::Fold(-0.25), 0.25);
  EXPECT_DOUBLE_EQ(GenomeLayout::Fold(2.25), 0.25);
  EXPECT_DOUBLE_EQ(GenomeLayout::Fold(-1.5), 0.5);
  EXPECT_EQ(GenomeLayout::Fold(std::numeric_limits<double>::infinity()), 0.5);
  // Never flat: moving a gene outside the box still changes its value.
  EXPECT_NE(GenomeLayout::Fold(1.1), GenomeLayout::Fold(1.2));
  // FoldSlope is Fold's derivative away from the corners (gradient training).
  for (const double u : {-3.7, -1.5, -0.25, 0.3, 0.9, 1.25, 2.25, 3.6, 5.1}) {
    const double h = 1e-6;
    EXPECT_NEAR(GenomeLayout::FoldSlope(u), (GenomeLayout::Fold(u + h) - GenomeLayout::Fold(u - h)) / (2 * h), 1e-6)
        << u;
  }
  EXPECT_EQ(GenomeLayout::FoldSlope(std::numeric_limits<double>::quiet_NaN()), 0.0);
}

TEST(LifLayout, GenesOutsideTheUnitBoxAreFolded) {
  ModelOptions o;
  o.excitatory = o.inhibitory = 4;
  const LifDecoder dec = LifPresetDecoder(o, 3, 2);
  auto genome = RandomGenome(dec.layout().size(), 5, -1.5, 2.5);
  auto clipped = genome;
  for (auto& g : clipped) g = GenomeLayout::Fold(g);
  genome[3] = std::numeric_limits<double>::quiet_NaN();
  clipped[3] = 0.5;  // non-finite genes read as the middle of the box
  const LifNetwork a = dec.Decode(genome), b = dec.Decode(clipped);
  EXPECT_EQ(a.weight, b.weight);
  EXPECT_EQ(a.delay, b.delay);
  EXPECT_EQ(a.offset_current, b.offset_current);
  EXPECT_EQ(a.noise_std, b.noise_std);
  for (float w : a.weight) {
    EXPECT_GE(w, 0.f);
    EXPECT_LE(w, o.weight_max_nS * o.inhibitory_weight_scale * (1.0 - a.syn_decay) * 1.0001);
  }
  const double rheobase = o.neuron.c_m_pF / o.neuron.tau_m_ms * (o.neuron.v_threshold_mV - o.neuron.v_rest_mV);
  for (float x : a.offset_current) EXPECT_LE(std::abs(x - rheobase), o.offset_max_pA * 1.0001);
}

TEST(LifLayout, GenomeToJsonRoundTrips) {
  ModelOptions o;
  o.excitatory = 3;
  o.inhibitory = 2;
  const LifDecoder dec = LifPresetDecoder(o, 2, 1);
  const GenomeLayout& l = dec.layout();
  const auto genome = RandomGenome(l.size(), 9, -0.2, 1.2);
  const auto j = nlohmann::json::parse(l.GenomeToJson(genome).dump());
  EXPECT_EQ(j["size"].get<int>(), l.size());
  EXPECT_EQ(j["genes"].get<std::vector<double>>(), genome);
  ASSERT_EQ(j["families"].size(), l.families().size());
  std::vector<double> rebuilt(l.size(), -1.0);
  for (size_t i = 0; i < l.families().size(); ++i) {
    const GeneFamily& f = l.families()[i];
    const auto& jf = j["families"][i];
    EXPECT_EQ(jf["name"].get<std::string>(), f.name);
    EXPECT_EQ(jf["unit"].get<std::string>(), f.unit);
    EXPECT_EQ(jf["offset"].get<int>(), f.offset);
    EXPECT_EQ(jf["size"].get<int>(), f.size);
    EXPECT_EQ(jf["labels"].get<std::vector<std::string>>(), f.labels);
    const auto genes = jf["genes"].get<std::vector<double>>();
    const auto values = jf["values"].get<std::vector<double>>();
    ASSERT_EQ(static_cast<int>(genes.size()), f.size);
    ASSERT_EQ(static_cast<int>(values.size()), f.size);
    for (int k = 0; k < f.size; ++k) {
      rebuilt[f.offset + k] = genes[k];
      EXPECT_DOUBLE_EQ(values[k], GenomeLayout::Value(f, genome, k));
      EXPECT_GE(values[k], std::min(f.low, f.high));
      EXPECT_LE(values[k], std::max(f.low, f.high));
    }
  }
  EXPECT_EQ(rebuilt, genome);
  // The layout JSON names the same families.
  const auto lj = l.ToJson();
  ASSERT_EQ(lj["families"].size(), l.families().size());
  for (size_t i = 0; i < l.families().size(); ++i)
    EXPECT_EQ(lj["families"][i]["name"].get<std::string>(), l.families()[i].name);
}

// best_genome.json lists each delay as the whole number of substeps the
// simulation uses, not the unrounded mapped gene.
TEST(LifLayout, GenomeFileListsTheDelaysTheNetworkUses) {
  ModelOptions o;  // delays 1 - 5 ms: 10 - 50 substeps
  const LifDecoder dec = LifPresetDecoder(o, 4, 2);
  const GeneFamily* delays = dec.layout().Find("delays");
  ASSERT_NE(delays, nullptr);
  EXPECT_TRUE(delays->whole);
  for (uint32_t seed : {3u, 4u}) {
    const auto genome = RandomGenome(dec.layout().size(), seed, -0.5, 1.5);
    const LifNetwork net = dec.Decode(genome);
    const auto j = dec.layout().GenomeToJson(genome);
    const auto& families = j["families"];
    const auto it = std::find_if(families.begin(), families.end(), [](const auto& f) { return f["name"] == "delays"; });
    ASSERT_NE(it, families.end());
    const auto values = (*it)["values"].get<std::vector<double>>();
    ASSERT_EQ(values.size(), net.delay.size());
    int unrounded = 0;
    for (size_t k = 0; k < values.size(); ++k) {
      EXPECT_EQ(values[k], static_cast<double>(net.delay[k])) << k;
      unrounded += GenomeLayout::Map(*delays, genome, static_cast<int>(k)) != values[k];
    }
    EXPECT_GT(unrounded, 0);  // the mapped genes were not whole already
  }
}

}  // namespace
}  // namespace neurevo

namespace neurevo {
namespace {

// Current encoding: no input neurons; each neuron of a group that `in`
// projects to receives input_bias + sum_i w_i x_i as injected current, with
// signed `input_weights` genes. A neuron with no synapses and offset current
// I_0 settles at V_rest + (I_0 + w x) / g_L, so the weight's sign and size
// show in the steady potential.
TEST(LifInputCurrents, SignedWeightsShiftTheSteadyPotential) {
  const Space obs = Space::Box({-1, -1, -1}, {1, 1, 1});
  const Space act = Space::Box({-1}, {1});
  ModelOptions o;
  o.encoding.input_encoding = "current";
  o.evolve_noise = false;
  const auto model = MakeModel(o, obs, act);
  const auto& lif = dynamic_cast<const LifModel&>(*model);
  EXPECT_EQ(lif.decoder().network().populations[0].size, 0);  // no input neurons
  const GenomeLayout& layout = model->layout();
  const GeneFamily* in = layout.Find("input_weights");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->size, (10 + 10 + 1) * 3);  // E, I and the output, 3 observations each
  EXPECT_EQ(in->labels[0], "x0->E0");
  EXPECT_EQ(in->labels[3 * 20], "x0->out0");
  const double w_max = 2.0 * o.encoding.input_gain_pA / std::sqrt(3.0);
  EXPECT_DOUBLE_EQ(in->high, w_max);
  EXPECT_DOUBLE_EQ(in->low, -w_max);

  // Every synapse silent (weight genes 0), offsets at the rheobase, input
  // weights 0 (gene 0.5) except x0 -> E0 at +max and x0 -> E1 at -max.
  std::vector<double> genome(layout.size(), 0.0);
  for (const auto& f : layout.families())
    if (f.name == "offsets" || f.name == "input_weights" || f.name == "delays")
      for (int i = 0; i < f.size; ++i) genome[f.offset + i] = 0.5;
  genome[in->offset + 0] = 1.0;      // x0 -> E0
  genome[in->offset + 3 + 0] = 0.0;  // x0 -> E1
  const LifNetwork net = lif.decoder().Decode(genome);
  const auto steady = [&](double x0) {
    LifState state(net);
    std::vector<float> out(net.outputs);
    for (int k = 0; k < 30; ++k) state.Step(std::vector<double>{x0, 0.7, -0.3}, out);  // 300 ms = 15 tau_m
    return std::vector<double>(state.potentials().begin(), state.potentials().end());
  };
  const auto zero = steady(0.0), plus = steady(1.0), minus = steady(-1.0);
  const double shift = w_max * o.neuron.tau_m_ms / o.neuron.c_m_pF;  // mV per unit x0 (1 / g_L = tau_m / C)
  EXPECT_NEAR(zero[0], o.neuron.v_threshold_mV, 1e-3);  // rheobase offset, no net input
  EXPECT_NEAR(plus[0] - zero[0], shift, 1e-3);
  EXPECT_NEAR(minus[0] - zero[0], -shift, 1e-3);
  EXPECT_NEAR(plus[1] - zero[1], -shift, 1e-3);
  EXPECT_NEAR(plus[2] - zero[2], 0.0, 1e-6);  // E2's weights are 0

  // Only the groups `in` projects to receive currents.
  o.connectivity = {"in->E", "E->out"};
  const auto e_only = MakeModel(o, obs, act);
  EXPECT_EQ(e_only->layout().Find("input_weights")->size, 10 * 3);
  o.connectivity = {"E->out"};
  EXPECT_EQ(MakeModel(o, obs, act)->layout().Find("input_weights"), nullptr);  // nothing receives input
}

}  // namespace
}  // namespace neurevo

namespace neurevo {
namespace {

// A sparse spiking network firing at a few Hz, the kind the scatter pass is for.
NetworkInstance SparseSpikingInstance(int n, uint64_t seed) {
  RandomSpikingNetwork r;
  r.neurons = n;
  r.in_degree = 20;
  r.w_exc = 0.01;
  r.g = 10;
  r.offset_low = 0.45;
  r.delay_low_ms = 1.0;
  ModelOptions o;
  o.kind = "snn";
  return Instantiate(RandomSpikingSpec(r), LifInstanceOptions(o, seed));
}

// Every potential and output of `steps` steps, bit for bit.
std::vector<float> Trace(const LifNetwork& net, int steps, std::span<const double> observation, long long* scattered) {
  LifState state(net);
  state.Reset(9);
  std::vector<float> out(net.outputs), trace;
  for (int t = 0; t < steps; ++t) {
    state.Step(observation, out);
    trace.insert(trace.end(), state.potentials().begin(), state.potentials().end());
    trace.insert(trace.end(), out.begin(), out.end());
  }
  if (scattered) *scattered = state.scatter_blocks();
  return trace;
}

// The scatter pass (synapse_pass.h) gives the gather pass's bits: forced on
// every block, never, or chosen block by block, on a sparse spiking network
// and on the presets (where most neurons signal, so forcing it is the test).
TEST(LifScatter, ScatterPassGivesTheGathersBits) {
  ModelOptions o;
  o.kind = "snn";
  o.substeps = 100;
  std::vector<std::pair<std::string, LifNetwork>> nets;
  nets.emplace_back("sparse", LifDecoder(o, SparseSpikingInstance(300, 4)).Decode({}));
  {
    // Two projections E->E: some neurons make two synapses onto one target
    // (whose products must keep the gather's order).
    RandomSpikingNetwork r;
    r.neurons = 300;
    r.in_degree = 20;
    r.g = 10;
    r.offset_low = 0.45;
    r.delay_low_ms = 1.0;
    NetworkSpec spec = RandomSpikingSpec(r);
    spec.projections.push_back(spec.projections[0]);
    spec.projections.back().connector.probability = 0.5;
    spec.projections.back().name = "E->E again";
    nets.emplace_back("multapses", LifDecoder(o, Instantiate(spec, LifInstanceOptions(o, 5))).Decode({}));
  }
  for (const char* kind : {"bnn", "snn"}) {
    ModelOptions p;
    p.kind = kind;
    const LifDecoder d = LifPresetDecoder(p, 4, 2);
    nets.emplace_back(kind, d.Decode(RandomGenome(d.layout().size(), 6)));
  }
  const std::vector<double> observation = {0.3, -1.2, 0.8, 0.1};
  for (auto& [name, net] : nets) {
    SCOPED_TRACE(name);
    const std::span<const double> obs = net.inputs > 0 ? std::span<const double>(observation) : std::span<const double>();
    long long scattered = 0;
    net.scatter_cost = -1;
    const std::vector<float> gathered = Trace(net, 60, obs, &scattered);
    EXPECT_EQ(scattered, 0);
    net.scatter_cost = 0;
    EXPECT_EQ(Trace(net, 60, obs, &scattered), gathered);
    EXPECT_EQ(scattered, 60 * ((100 + net.block - 1) / net.block));
    net.scatter_cost = 10;
    EXPECT_EQ(Trace(net, 60, obs, &scattered), gathered);
    if (name == "sparse") EXPECT_GT(scattered, 0) << "the sparse network never chose the scatter pass";
    if (name == "multapses") EXPECT_GT(Trace(net, 1, obs, nullptr).size(), 0u);
  }
}

}  // namespace
}  // namespace neurevo
