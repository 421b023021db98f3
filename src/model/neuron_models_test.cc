// Networks that only the description can express, checked against theory:
// the current-based LIF's steady state and time constant, synaptic currents
// that do not depend on the potential, per-neuron parameters, and gap
// junctions against the analytic steady state of two coupled neurons.
#include "model/neuron_models.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/lif_network.h"
#include "model/lif_preset.h"
#include "model/network_instance.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

PopulationSpec Pop(const char* name, int size, const char* model = "lif_cond") {
  PopulationSpec p;
  p.name = name;
  p.size = size;
  p.model = model;
  return p;
}

// Runs `steps` environment steps of one substep each and returns the potentials.
std::vector<float> Simulate(const NetworkSpec& spec, ModelOptions o, int steps, uint64_t seed = 1) {
  o.substeps = 1;
  const LifDecoder decoder(o, Instantiate(spec, LifInstanceOptions(o, seed)));
  const LifNetwork net = decoder.Decode(std::vector<double>(decoder.layout().size(), 0.5));
  LifState state(net);
  state.Reset(0);
  std::vector<float> out(net.outputs);
  for (int t = 0; t < steps; ++t) state.Step({}, out);
  return {state.potentials().begin(), state.potentials().end()};
}

TEST(NeuronModels, RegistryListsEachModelsParameters) {
  ModelOptions o;
  EXPECT_EQ(NeuronParameterDefault(o, "lif_cond", "c_m_pF"), 1.0);
  EXPECT_FALSE(NeuronParameterDefault(o, "lif_cond", "resistance_GOhm").has_value());
  EXPECT_EQ(NeuronParameterDefault(o, "lif_curr", "resistance_GOhm"), 20.0);  // tau_m / C_m
  EXPECT_FALSE(NeuronParameterDefault(o, "lif_curr", "c_m_pF").has_value());
  EXPECT_THROW(NeuronParameterDefault(o, "hodgkin_huxley", "c_m_pF"), ConfigError);
  const auto all = AllNeuronParameters();
  ASSERT_GE(all.size(), 3u);
  EXPECT_EQ(all[0], "offset_pA");
  EXPECT_EQ(all[1], "noise_pA");
  // A parameter the population's model does not have is refused by name.
  NetworkSpec spec;
  spec.populations = {Pop("h", 2, "lif_curr")};
  spec.populations[0].params.emplace_back("c_m_pF", ValueSpec::Constant(2.0));
  try {
    Instantiate(spec, LifInstanceOptions(o, 1));
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("population 'h': neuron model lif_curr has no parameter 'c_m_pF'"),
              std::string::npos)
        << e.what();
  }
}

// tau_m dV/dt = (V_rest - V) + R I: with a constant current the potential
// settles at V_rest + R I, approaching it with time constant tau_m.
TEST(NeuronModels, CurrentBasedLifSettlesAtRestPlusRTimesI) {
  ModelOptions o;  // dt 0.1 ms
  NetworkSpec spec;
  spec.populations = {Pop("h", 3, "lif_curr")};
  auto& params = spec.populations[0].params;
  params.emplace_back("resistance_GOhm", ValueSpec::Constant(40.0));
  params.emplace_back("tau_m_ms", ValueSpec::Constant(10.0));
  ValueSpec offsets;
  offsets.kind = ValueSpec::Kind::kList;
  offsets.list = {0.05, 0.1, -0.2};  // pA: R I = 2, 4, -8 mV
  params.emplace_back("offset_pA", offsets);
  params.emplace_back("v_init_mV", ValueSpec::Constant(-60.0));
  params.emplace_back("v_threshold_mV", ValueSpec::Constant(0.0));  // never reached
  const auto settled = Simulate(spec, o, 2000);                        // 200 ms = 20 tau_m
  EXPECT_NEAR(settled[0], -58.0, 1e-3);
  EXPECT_NEAR(settled[1], -56.0, 1e-3);
  EXPECT_NEAR(settled[2], -68.0, 1e-3);
  // After one tau_m, 1 - 1/e of the way (forward Euler: (1 - dt/tau)^100).
  const auto early = Simulate(spec, o, 100);
  const double expected = -60.0 + 4.0 * (1.0 - std::pow(1.0 - 0.1 / 10.0, 100));
  EXPECT_NEAR(early[1], expected, 1e-3);
  EXPECT_NEAR(early[1], -60.0 + 4.0 * (1.0 - std::exp(-1.0)), 0.02);
}

// A current-based synapse drives with the same current whatever the
// postsynaptic potential; a conductance-based one with g (E - V).
TEST(NeuronModels, CurrentBasedSynapsesIgnoreTheDrivingForce) {
  ModelOptions o;
  for (const char* model : {"lif_curr", "lif_cond"}) {
    SCOPED_TRACE(model);
    std::vector<double> shifts;
    for (const double v_rest : {-70.0, -40.0}) {
      NetworkSpec spec;
      PopulationSpec source = Pop("I", 1);
      source.dale = {DaleType::kInhibitory};
      source.params.emplace_back("offset_pA", ValueSpec::Constant(5.0));  // saturated graded signal
      PopulationSpec target = Pop("h", 1, model);
      target.params.emplace_back("v_rest_mV", ValueSpec::Constant(v_rest));
      target.params.emplace_back("v_init_mV", ValueSpec::Constant(v_rest));
      target.params.emplace_back("v_threshold_mV", ValueSpec::Constant(50.0));
      spec.populations = {source, target};
      ProjectionSpec p;
      p.pre = "I";
      p.post = "h";
      p.weight = ValueSpec::Constant(0.02);
      spec.projections = {p};
      const auto v = Simulate(spec, o, 3000);
      shifts.push_back(v[1] - v_rest);
    }
    EXPECT_LT(shifts[0], 0.0);
    EXPECT_LT(shifts[1], 0.0);
    if (std::string(model) == "lif_curr") {
      // Steady current -0.02 pA through R = 20 GOhm: -0.4 mV at any potential.
      EXPECT_NEAR(shifts[0], -0.4, 1e-3);
      EXPECT_NEAR(shifts[1], -0.4, 1e-3);
    } else {
      // GABA reverses at -80 mV: a weaker pull from -70 than from -40.
      EXPECT_GT(std::abs(shifts[1]), 2.0 * std::abs(shifts[0]));
    }
  }
}

// Two passive neurons joined by a gap junction g, with currents I1 and I2:
//   (g_L + g) u1 - g u2 = I1,  -g u1 + (g_L + g) u2 = I2,  u = V - V_rest.
TEST(NeuronModels, GapJunctionsReachTheAnalyticSteadyState) {
  ModelOptions o;  // g_L = C_m / tau_m = 0.05 nS
  for (const double g : {0.0, 0.02, 0.2}) {
    SCOPED_TRACE(g);
    NetworkSpec spec;
    PopulationSpec pair = Pop("p", 2);
    ValueSpec currents;
    currents.kind = ValueSpec::Kind::kList;
    currents.list = {0.3, -0.1};
    pair.params.emplace_back("offset_pA", currents);
    pair.params.emplace_back("v_init_mV", ValueSpec::Constant(-60.0));
    pair.params.emplace_back("v_threshold_mV", ValueSpec::Constant(50.0));
    spec.populations = {pair};
    ProjectionSpec gap;
    gap.pre = gap.post = "p";
    gap.kind = SynapseKind::kElectrical;
    // One junction, between neurons 0 and 1.
    gap.connector.kind = ConnectorSpec::Kind::kList;
    gap.connector.file = "gap.csv";
    gap.weight = ValueSpec::Constant(g);
    spec.projections = {gap};
    InstanceOptions io = LifInstanceOptions(o, 1);
    io.read_list = [](const std::string&) { return std::string("pre,post\n0,1\n"); };
    ModelOptions one = o;
    one.substeps = 1;
    const LifDecoder decoder(one, Instantiate(spec, io));
    ASSERT_EQ(decoder.network().gaps.size(), 1u);
    const LifNetwork net = decoder.Decode({});
    LifState state(net);
    state.Reset(0);
    std::vector<float> out;
    for (int t = 0; t < 5000; ++t) state.Step({}, out);  // 500 ms = 25 tau_m
    const double gl = 0.05, i1 = 0.3, i2 = -0.1, det = (gl + g) * (gl + g) - g * g;
    const double u1 = ((gl + g) * i1 + g * i2) / det, u2 = (g * i1 + (gl + g) * i2) / det;
    EXPECT_NEAR(state.potentials()[0], -60.0 + u1, 2e-3);
    EXPECT_NEAR(state.potentials()[1], -60.0 + u2, 2e-3);
  }
}

// Per-neuron parameters are per neuron: a list of thresholds gives each
// neuron its own firing rate (lower threshold, faster).
TEST(NeuronModels, PerNeuronThresholdsGiveEachNeuronItsRate) {
  ModelOptions o;
  NetworkSpec spec;
  PopulationSpec p = Pop("h", 3);
  p.spiking = true;
  ValueSpec thresholds;
  thresholds.kind = ValueSpec::Kind::kList;
  thresholds.list = {-55.0, -52.0, -49.0};
  p.params.emplace_back("v_threshold_mV", thresholds);
  p.params.emplace_back("offset_pA", ValueSpec::Constant(0.6));  // steady state -48 mV
  spec.populations = {p};
  ModelOptions one = o;
  one.substeps = 1;
  const LifDecoder decoder(one, Instantiate(spec, LifInstanceOptions(o, 1)));
  const LifNetwork net = decoder.Decode({});
  LifState state(net);
  state.Reset(0);
  std::vector<float> out;
  std::vector<int> spikes(3, 0);
  std::vector<float> last(3, -55.f);
  for (int t = 0; t < 10000; ++t) {
    state.Step({}, out);
    for (int j = 0; j < 3; ++j) {
      const float v = state.potentials()[j];
      if (v == net.v_reset && last[j] != net.v_reset) ++spikes[j];
      last[j] = v;
    }
  }
  EXPECT_GT(spikes[0], spikes[1]);
  EXPECT_GT(spikes[1], spikes[2]);
  EXPECT_GT(spikes[2], 0);
}

// reset = "rest" (the heterogeneity paper's V_reset = V_rest): after a
// spike each neuron's potential goes to its own V_rest, an evolved one
// included, not to v_reset_mV. Without it, to v_reset_mV.
TEST(NeuronModels, ResetToRestFollowsEachNeuronsOwnRestingPotential) {
  ModelOptions o;
  o.substeps = 1;
  for (const bool to_rest : {true, false}) {
    SCOPED_TRACE(to_rest);
    NetworkSpec spec;
    PopulationSpec p = Pop("h", 2, "lif_curr");
    p.spiking = true;
    p.reset_to_rest = to_rest;
    p.params.emplace_back("v_rest_mV", ValueSpec::Evolved(-70.0, -56.0));
    p.params.emplace_back("v_threshold_mV", ValueSpec::Constant(-50.0));
    p.params.emplace_back("offset_pA", ValueSpec::Constant(1.5));  // R I = 30 mV: fires
    p.params.emplace_back("tau_ref_ms", ValueSpec::Constant(0.0));
    spec.populations = {p};
    const LifDecoder decoder(o, Instantiate(spec, LifInstanceOptions(o, 1)));
    ASSERT_EQ(decoder.layout().size(), 2u);
    const LifNetwork net = decoder.Decode(std::vector<double>{0.0, 1.0});  // V_rest -70 and -56 mV
    LifState state(net);
    state.Reset(0);
    std::vector<float> out;
    std::vector<float> previous(2, -1e9f), lowest(2, 1e9f);
    for (int t = 0; t < 3000; ++t) {
      state.Step({}, out);
      for (int j = 0; j < 2; ++j) {
        // A spike is the only way down: the first potential after a rise.
        const float v = state.potentials()[j];
        if (t > 10 && v < previous[j]) lowest[j] = std::min(lowest[j], v);
        previous[j] = v;
      }
    }
    if (to_rest) {
      EXPECT_EQ(lowest[0], -70.f);
      EXPECT_EQ(lowest[1], -56.f);
    } else {
      EXPECT_EQ(lowest[0], static_cast<float>(o.neuron.v_reset_mV));
      EXPECT_EQ(lowest[1], static_cast<float>(o.neuron.v_reset_mV));
    }
  }
  // Both at once is a contradiction, refused by name.
  NetworkSpec spec;
  PopulationSpec p = Pop("h", 1, "lif_curr");
  p.reset_to_rest = true;
  p.params.emplace_back("v_reset_mV", ValueSpec::Constant(-65.0));
  spec.populations = {p};
  try {
    Instantiate(spec, LifInstanceOptions(o, 1));
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("population 'h': v_reset_mV is given, but reset = \"rest\""),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace neurevo
