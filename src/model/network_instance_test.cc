#include "model/network_instance.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/lif_network.h"
#include "model/lif_preset.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

struct PresetCase {
  const char* name;
  int inputs, outputs;
  ModelOptions options;
};

std::vector<PresetCase> PresetCases() {
  std::vector<PresetCase> cases;
  ModelOptions o;
  cases.push_back({"default", 4, 2, o});
  cases.push_back({"hopper", 11, 3, o});
  o.connectivity = {"out->E", "I->out", "in->E", "E->I", "I->E", "E->out"};  // any order
  cases.push_back({"sparse", 4, 2, o});
  o = {};
  o.evolve_delays = false;
  o.evolve_noise = false;
  cases.push_back({"frozen", 3, 1, o});
  o = {};
  o.evolve_offsets = false;
  o.min_delay_ms = 0.3;
  o.max_delay_ms = 12.0;
  o.neuron.tau_m_ms = 5.0;
  o.neuron.input_tau_m_ms = 1.0;
  o.excitatory = 7;
  o.inhibitory = 0;
  cases.push_back({"no-I", 8, 2, o});
  o = {};
  o.max_delay_ms = o.min_delay_ms;  // delays cannot vary: no family
  o.excitatory = 0;
  cases.push_back({"no-E", 2, 1, o});
  o = {};
  o.inhibitory_weight_scale = 2.5;
  o.weight_max_nS = 0.2;
  o.neuron.v_threshold_mV = -45.0;
  cases.push_back({"ranges", 5, 4, o});
  return cases;
}

// The four-group network as the landed code built it (its Topology, since
// removed), restated as the independent reference: neurons numbered
// [in | E | I | out], labelled <group><index>; every connected group pair
// all-to-all without self-synapses, sorted by postsynaptic neuron, AMPA
// before GABA, then presynaptic neuron.
struct LegacySynapse {
  int pre, post;
  bool inhibitory;
};
struct LegacyNetwork {
  int begin[4], size[4];
  std::vector<LegacySynapse> synapses;
  int neurons() const { return begin[3] + size[3]; }
  int GroupOf(int neuron) const {
    for (int g = 3; g >= 0; --g)
      if (neuron >= begin[g] && size[g] > 0) return g;
    return 0;
  }
  std::string Label(int neuron) const {
    const int g = GroupOf(neuron);
    return std::string(kPresetGroups[g]) + std::to_string(neuron - begin[g]);
  }
};
LegacyNetwork BuildLegacy(int inputs, const ModelOptions& o, int outputs) {
  LegacyNetwork t{};
  const int sizes[4] = {inputs, o.excitatory, o.inhibitory, outputs};
  for (int g = 0, b = 0; g < 4; b += sizes[g], ++g) {
    t.begin[g] = b;
    t.size[g] = sizes[g];
  }
  const PresetPairs connected = PresetConnectivity(o.connectivity);
  for (int post = 0; post < t.neurons(); ++post)
    for (int pass = 0; pass < 2; ++pass)
      for (int pre = 0; pre < t.neurons(); ++pre) {
        const bool inh = t.GroupOf(pre) == 2;
        if (pre != post && inh == (pass == 1) && connected[t.GroupOf(pre)][t.GroupOf(post)])
          t.synapses.push_back({pre, post, inh});
      }
  return t;
}

// The four-group network's genome, restated from its documentation (README,
// "Genome"): AMPA and GABA weights, then delays, offsets and noise where
// they evolve, each family with one range.
struct LegacyFamily {
  std::string name;
  int size;
  double low, high;
};
std::vector<LegacyFamily> LegacyLayout(const ModelOptions& o, const LegacyNetwork& t) {
  int ampa = 0, gaba = 0;
  for (const auto& s : t.synapses) (s.inhibitory ? gaba : ampa)++;
  std::vector<LegacyFamily> f = {{"ampa_weights", ampa, 0.0, o.weight_max_nS},
                                 {"gaba_weights", gaba, 0.0, o.weight_max_nS * o.inhibitory_weight_scale}};
  const int d_min = std::max(static_cast<int>(std::lround(o.min_delay_ms / o.dt_ms)), 1);
  const int d_max = std::max(static_cast<int>(std::lround(o.max_delay_ms / o.dt_ms)), d_min);
  if (o.evolve_delays && d_max > d_min) f.push_back({"delays", ampa + gaba, double(d_min), double(d_max)});
  const double rheobase = o.neuron.c_m_pF / o.neuron.tau_m_ms * (o.neuron.v_threshold_mV - o.neuron.v_rest_mV);
  if (o.evolve_offsets)
    f.push_back({"offsets", t.neurons(), rheobase - o.offset_max_pA, rheobase + o.offset_max_pA});
  if (o.evolve_noise) f.push_back({"noise", t.neurons(), 0.0, o.noise_max_pA});
  return f;
}

// The presets lay out exactly the synapses and genes of the four-group network.
TEST(NetworkInstance, PresetsReproduceTheFourGroupNetwork) {
  for (const PresetCase& c : PresetCases()) {
    SCOPED_TRACE(c.name);
    const LegacyNetwork topology = BuildLegacy(c.inputs, c.options, c.outputs);
    const NetworkInstance net =
        Instantiate(LifPresetSpec(c.options, c.inputs, c.outputs), LifInstanceOptions(c.options, 1));
    ASSERT_EQ(net.neurons, topology.neurons());
    ASSERT_EQ(net.synapses.size(), topology.synapses.size());
    for (size_t k = 0; k < net.synapses.size(); ++k) {
      EXPECT_EQ(net.synapses[k].pre, topology.synapses[k].pre) << k;
      EXPECT_EQ(net.synapses[k].post, topology.synapses[k].post) << k;
      EXPECT_EQ(net.synapses[k].receptor == kGaba, topology.synapses[k].inhibitory) << k;
    }
    for (int i = 0; i < net.neurons; ++i) EXPECT_EQ(net.NeuronLabel(i), topology.Label(i));
    const std::vector<LegacyFamily> families = LegacyLayout(c.options, topology);
    ASSERT_EQ(net.families.size(), families.size());
    int offset = 0;
    for (size_t f = 0; f < families.size(); ++f) {
      SCOPED_TRACE(families[f].name);
      EXPECT_EQ(net.families[f].name, families[f].name);
      EXPECT_EQ(net.families[f].offset, offset);
      ASSERT_EQ(net.families[f].size(), families[f].size);
      offset += families[f].size;
      for (int k = 0; k < families[f].size; ++k) {
        EXPECT_EQ(net.families[f].low[k], families[f].low);
        EXPECT_EQ(net.families[f].high[k], families[f].high);
      }
    }
    EXPECT_EQ(net.genes, offset);
    EXPECT_EQ(net.genes, LifGeneCount(c.options, topology.neurons(), static_cast<long long>(topology.synapses.size()), 0));
    // Every evolved quantity has its gene, and the genes are numbered in order.
    int ampa = 0, gaba = 0;
    for (const auto& s : net.synapses) {
      const auto& family = net.families[s.receptor == kGaba ? 1 : 0];
      EXPECT_EQ(s.weight_gene, family.offset + (s.receptor == kGaba ? gaba++ : ampa++));
    }
  }
}

TEST(NetworkInstance, GeneLabelsNameTheProjectionOrPopulation) {
  ModelOptions o;
  o.excitatory = 2;
  o.inhibitory = 1;
  const NetworkInstance net = Instantiate(LifPresetSpec(o, 1, 1), LifInstanceOptions(o, 1));
  // E0's first AMPA synapse comes from in0: connection 0 of in->E.
  EXPECT_EQ(net.families[0].labels[0], "in->E.weight[0]");
  EXPECT_EQ(net.families[1].labels[0], "I->E.weight[0]");
  const InstanceFamily* offsets = nullptr;
  for (const auto& f : net.families)
    if (f.name == "offsets") offsets = &f;
  ASSERT_NE(offsets, nullptr);
  EXPECT_EQ(offsets->labels[2], "E.offset[1]");
  EXPECT_EQ(offsets->unit, "pA");
}

PopulationSpec Pop(const char* name, int size, DaleType dale = DaleType::kExcitatory) {
  PopulationSpec p;
  p.name = name;
  p.size = size;
  p.dale = {dale};
  return p;
}

TEST(NetworkInstance, FrozenRandomWeightsAndEvolvedNeuronParameters) {
  // Feed-forward current-LIF-like layers: frozen random weights, evolved
  // tau_m and V_th per neuron (the heterogeneity seed's "neurons" variant).
  NetworkSpec spec;
  spec.populations = {Pop("in", 3), Pop("h", 5), Pop("out", 2)};
  spec.populations[0].role = Role::kInput;
  spec.populations[2].role = Role::kOutput;
  for (int p : {1, 2}) {
    spec.populations[p].params.emplace_back("tau_m_ms", ValueSpec::Evolved(2.0, 50.0));
    spec.populations[p].params.emplace_back("v_threshold_mV", ValueSpec::Evolved(-55.0, -45.0));
  }
  ValueSpec draw;
  draw.kind = ValueSpec::Kind::kUniform;
  draw.a = 0.0;
  draw.b = 0.1;
  draw.low = 0.0;
  for (auto [pre, post] : {std::pair{"in", "h"}, std::pair{"h", "out"}}) {
    ProjectionSpec p;
    p.pre = pre;
    p.post = post;
    p.weight = draw;
    spec.projections.push_back(p);
  }
  InstanceOptions options;
  options.seed = 7;
  options.parameters = {"tau_m_ms", "v_threshold_mV"};
  options.parameter_default = [](const std::string&, const std::string& name) -> std::optional<double> {
    return name == "tau_m_ms" ? 20.0 : -50.0;
  };
  const NetworkInstance a = Instantiate(spec, options);
  ASSERT_EQ(a.synapses.size(), 15u + 10u);
  // Two weight families (empty), then tau_m and V_th of the 7 non-input neurons.
  ASSERT_EQ(a.families.size(), 4u);
  EXPECT_EQ(a.families[0].size() + a.families[1].size(), 0);
  EXPECT_EQ(a.families[2].name, "tau_m_ms");
  EXPECT_EQ(a.families[2].size(), 7);
  EXPECT_EQ(a.families[2].labels[0], "h.tau_m_ms[0]");
  EXPECT_EQ(a.families[3].labels[6], "out.v_threshold_mV[1]");
  EXPECT_EQ(a.genes, 14);
  const NeuronParameter* tau = a.Parameter("tau_m_ms");
  ASSERT_NE(tau, nullptr);
  EXPECT_EQ(tau->value[0], 20.0);  // the input neurons keep the default
  EXPECT_EQ(tau->gene[0], -1);
  EXPECT_EQ(tau->gene[3], 0);
  for (const auto& s : a.synapses) {
    EXPECT_EQ(s.weight_gene, -1);
    EXPECT_GE(s.weight, 0.0);
    EXPECT_LT(s.weight, 0.1);
  }
  // Frozen draws come from the run seed: the same seed draws the same
  // weights, another seed others.
  const NetworkInstance b = Instantiate(spec, options);
  options.seed = 8;
  const NetworkInstance c = Instantiate(spec, options);
  int same = 0, differ = 0;
  for (size_t k = 0; k < a.synapses.size(); ++k) {
    same += a.synapses[k].weight == b.synapses[k].weight;
    differ += a.synapses[k].weight != c.synapses[k].weight;
  }
  EXPECT_EQ(same, 25);
  EXPECT_EQ(differ, 25);
}

// A weight into a current-based neuron is a current (pA), into a
// conductance-based one a conductance (nS); a family reaching both says so.
TEST(NetworkInstance, WeightUnitsFollowTheTargetNeuronModel) {
  NetworkSpec spec;
  spec.populations = {Pop("in", 2), Pop("curr", 2), Pop("cond", 2), Pop("out", 1)};
  spec.populations[0].role = Role::kInput;
  spec.populations[3].role = Role::kOutput;
  spec.populations[1].model = "lif_curr";
  spec.populations[2].model = "lif_cond";
  spec.populations[3].model = "lif_curr";
  const auto project = [](const char* pre, const char* post) {
    ProjectionSpec p;
    p.pre = pre;
    p.post = post;
    p.weight = ValueSpec::Evolved(0.0, 1.0);
    return p;
  };
  spec.projections = {project("in", "curr"), project("in", "cond")};
  EXPECT_EQ(WeightUnit(spec, spec.projections[0]), "pA");
  EXPECT_EQ(WeightUnit(spec, spec.projections[1]), "nS");
  ProjectionSpec gap = project("curr", "curr");
  gap.kind = SynapseKind::kElectrical;
  EXPECT_EQ(WeightUnit(spec, gap), "nS");  // a gap junction is a conductance whatever the model
  InstanceOptions options;
  const auto ampa_unit = [&](const NetworkSpec& s) { return Instantiate(s, options).families[0].unit; };
  EXPECT_EQ(ampa_unit(spec), "nS or pA");
  spec.projections = {project("in", "curr"), project("curr", "out")};
  EXPECT_EQ(ampa_unit(spec), "pA");
  spec.projections = {project("in", "cond")};
  EXPECT_EQ(ampa_unit(spec), "nS");
}

TEST(NetworkInstance, DaleTypesPerNeuronAndGapJunctions) {
  NetworkSpec spec;
  PopulationSpec worm = Pop("worm", 3);
  worm.labels = {"AVAL", "AVBL", "RIML"};
  worm.dale = {DaleType::kExcitatory, DaleType::kInhibitory, DaleType::kExcitatory};
  spec.populations = {worm};
  ProjectionSpec chem;
  chem.pre = chem.post = "worm";
  chem.connector.kind = ConnectorSpec::Kind::kList;
  chem.connector.file = "c.csv";
  chem.weight = ValueSpec::Constant(1.0);
  ProjectionSpec gap = chem;
  gap.kind = SynapseKind::kElectrical;
  gap.weight = ValueSpec::Evolved(0.0, 2.0);
  spec.projections = {chem, gap};
  InstanceOptions options;
  options.read_list = [](const std::string&) {
    return std::string("pre,post,weight,kind\nAVAL,AVBL,3,chemical\nAVBL,RIML,-2,chemical\n"
                       "RIML,AVAL,,chemical\nAVAL,RIML,0.5,electrical\n");
  };
  const NetworkInstance net = Instantiate(spec, options);
  ASSERT_EQ(net.synapses.size(), 3u);
  // Sorted by postsynaptic neuron: AVAL (from RIML, the projection's 1.0), AVBL, RIML (GABA from AVBL).
  EXPECT_EQ(net.synapses[0].pre, 2);
  EXPECT_EQ(net.synapses[0].weight, 1.0);
  EXPECT_EQ(net.synapses[1].weight, 3.0);
  EXPECT_EQ(net.synapses[2].receptor, kGaba);
  EXPECT_EQ(net.synapses[2].weight, 2.0);
  ASSERT_EQ(net.gaps.size(), 1u);
  EXPECT_EQ(net.gaps[0].a, 0);
  EXPECT_EQ(net.gaps[0].b, 2);
  EXPECT_EQ(net.gaps[0].weight_gene, 0);
  ASSERT_EQ(net.families.size(), 3u);
  EXPECT_EQ(net.families[2].name, "gap_weights");
  EXPECT_EQ(net.families[2].labels[0], "worm->worm.weight[0]");
  EXPECT_EQ(net.NeuronLabel(1), "AVBL");  // the population's own label
}

TEST(NetworkInstance, BadDescriptionsNameWhatIsWrong) {
  const auto base = [] {
    NetworkSpec spec;
    spec.populations = {Pop("in", 2), Pop("E", 3)};
    spec.populations[0].role = Role::kInput;
    ProjectionSpec p;
    p.pre = "in";
    p.post = "E";
    spec.projections = {p};
    return spec;
  };
  const auto error = [&](const std::function<void(NetworkSpec&)>& edit) {
    NetworkSpec spec = base();
    edit(spec);
    return ErrorOf([&] { Instantiate(spec, {}); });
  };
  const std::pair<std::string, std::string> cases[] = {
      {error([](NetworkSpec& s) { s.projections[0].post = "X"; }), "projection in->X: unknown population 'X'"},
      {error([](NetworkSpec& s) { s.projections[0].pre = "E", s.projections[0].post = "in"; }),
       "projection E->in: population 'in' is an input population"},
      {error([](NetworkSpec& s) { s.populations[1].name = "in"; }), "population 'in': the name appears twice"},
      {error([](NetworkSpec& s) { s.populations[1].name = "E->I"; }), "population 'E->I': name 'E->I' must be"},
      {error([](NetworkSpec& s) { s.populations[1].size = -1; }), "population 'E': size -1 is outside"},
      {error([](NetworkSpec& s) { s.populations[1].dale.assign(2, DaleType::kInhibitory); }),
       "population 'E': 2 Dale types for 3 neurons"},
      {error([](NetworkSpec& s) { s.populations[1].labels = {"a", "b", "a"}; }), "label 'a' appears twice"},
      {error([](NetworkSpec& s) { s.projections[0].weight = ValueSpec::Evolved(-1.0, 1.0); }),
       "projection in->E: weight: an evolved range must lie in [0, inf)"},
      {error([](NetworkSpec& s) { s.projections[0].weight = ValueSpec::Constant(-0.5); }),
       "projection in->E: weight -0.5 is negative"},
      {error([](NetworkSpec& s) { s.projections[0].delay = ValueSpec::Constant(-1.0); }),
       "projection in->E: delay -1 ms is negative"},
      {error([](NetworkSpec& s) { s.projections[0].weight = ValueSpec::Constant(std::nan("")); }),
       "projection in->E: weight: the value must be a finite number"},
      {error([](NetworkSpec& s) {
         s.projections[0].connector.kind = ConnectorSpec::Kind::kFixedProbability;
         s.projections[0].connector.probability = -0.1;
       }),
       "projection in->E: probability -0.1 is outside [0, 1]"},
      {error([](NetworkSpec& s) {
         s.populations[1].params.emplace_back("tau_m_ms", ValueSpec::Constant(1.0));
         s.populations[1].params.emplace_back("tau_m_ms", ValueSpec::Constant(2.0));
       }),
       "population 'E': parameter tau_m_ms is given twice"},
  };
  for (const auto& [got, want] : cases) EXPECT_NE(got.find(want), std::string::npos) << got << "\n  wanted: " << want;
  // A parameter the neuron model does not have.
  NetworkSpec spec = base();
  spec.populations[1].params.emplace_back("colour", ValueSpec::Constant(1.0));
  ModelOptions o;
  EXPECT_NE(ErrorOf([&] { Instantiate(spec, LifInstanceOptions(o, 1)); }).find("population 'E': neuron model lif_cond has no parameter 'colour'"),
            std::string::npos);
}

}  // namespace
}  // namespace neurevo
