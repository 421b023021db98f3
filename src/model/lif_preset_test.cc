// Tests of the bnn/snn presets as descriptions (lif_preset.h): the four
// groups and their labels, the dense default connectivity, Dale's law in the
// synapse types, the synapse order the simulation reads, partial
// connectivity and its errors.
#include "model/lif_preset.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/lif_network.h"
#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {
namespace {

NetworkInstance Preset(int inputs, int e, int i, int outputs,
                       std::vector<std::string> connectivity = ModelOptions{}.connectivity) {
  ModelOptions o;
  o.excitatory = e;
  o.inhibitory = i;
  o.connectivity = std::move(connectivity);
  return Instantiate(LifPresetSpec(o, inputs, outputs), LifInstanceOptions(o, 1));
}

// The group a neuron of a preset belongs to, by its population's name.
std::string GroupOf(const NetworkInstance& net, int neuron) { return net.PopulationOf(neuron).name; }

TEST(LifPreset, GroupsAndLabels) {
  const NetworkInstance t = Preset(11, 10, 10, 3);
  EXPECT_EQ(t.neurons, 34);
  ASSERT_EQ(t.populations.size(), 4u);
  const int begins[] = {0, 11, 21, 31};
  for (int g = 0; g < 4; ++g) {
    EXPECT_EQ(t.populations[g].name, kPresetGroups[g]);
    EXPECT_EQ(t.populations[g].begin, begins[g]);
  }
  EXPECT_EQ(t.NeuronLabel(0), "in0");
  EXPECT_EQ(t.NeuronLabel(13), "E2");
  EXPECT_EQ(t.NeuronLabel(30), "I9");
  EXPECT_EQ(t.NeuronLabel(32), "out1");
}

TEST(LifPreset, EmptyGroups) {
  // No E and no I neurons: the output follows the inputs directly;
  // in->out (2 x 2) + out->out (2 x 1), no GABA synapse.
  const NetworkInstance t = Preset(2, 0, 0, 2);
  EXPECT_EQ(t.neurons, 4);
  EXPECT_EQ(t.NeuronLabel(3), "out1");
  EXPECT_EQ(t.synapses.size(), 6u);
  for (const auto& s : t.synapses) EXPECT_EQ(s.receptor, kAmpa);
  const NetworkInstance u = Preset(1, 0, 3, 1);
  EXPECT_EQ(GroupOf(u, 1), "I");
  EXPECT_EQ(GroupOf(u, 4), "out");
}

TEST(LifPreset, DefaultDenseConnectivityCount) {
  const NetworkInstance t = Preset(11, 10, 10, 3);
  // Into E: 11 + 9 + 10 + 3; into I: 11 + 10 + 9 + 3; into out: 11 + 10 + 10 + 2.
  EXPECT_EQ(t.synapses.size(), 759u);
  // Every (pre, post) pair with post not an input, pre != post.
  EXPECT_EQ(t.synapses.size(), static_cast<size_t>(34 * (34 - 11) - (34 - 11)));
  ModelOptions o;
  EXPECT_EQ(PresetSynapseCount(o, 11, 3), 759);
  o.connectivity = {"in->E", "E->out", "I->E"};
  EXPECT_EQ(PresetSynapseCount(o, 2, 1), 2 * 10 + 10 * 1 + 10 * 10);
}

TEST(LifPreset, NoSelfSynapsesNothingIntoInputsNoDuplicates) {
  const NetworkInstance t = Preset(11, 10, 10, 3);
  std::set<std::pair<int, int>> seen;
  for (const auto& s : t.synapses) {
    EXPECT_NE(s.pre, s.post);
    EXPECT_NE(GroupOf(t, s.post), "in");
    EXPECT_TRUE(seen.insert({s.pre, s.post}).second) << "duplicate " << s.pre << "->" << s.post;
  }
}

TEST(LifPreset, DaleLawSynapseTypesFollowThePresynapticNeuron) {
  const NetworkInstance t = Preset(4, 5, 6, 2);
  int gaba = 0;
  for (const auto& s : t.synapses) {
    EXPECT_EQ(s.receptor == kGaba, GroupOf(t, s.pre) == "I") << t.NeuronLabel(s.pre) << "->" << t.NeuronLabel(s.post);
    gaba += s.receptor == kGaba;
  }
  // Every I neuron projects to every non-input neuron but itself.
  EXPECT_EQ(gaba, 6 * (5 + 6 + 2 - 1));
  // In the decoded network, the AMPA ranges hold exactly the synapses from
  // non-inhibitory neurons and the GABA ranges those from I neurons.
  ModelOptions o;
  o.excitatory = 5;
  o.inhibitory = 6;
  const LifDecoder decoder = LifPresetDecoder(o, 4, 2);
  const LifNetwork net = decoder.Decode(std::vector<double>(decoder.layout().size(), 0.5));
  for (int post = 0; post < net.neurons; ++post) {
    for (int k = net.ampa_begin[post]; k < net.gaba_begin[post]; ++k) {
      EXPECT_EQ(t.synapses[k].post, post);
      EXPECT_NE(GroupOf(t, t.synapses[k].pre), "I");
    }
    for (int k = net.gaba_begin[post]; k < net.syn_end[post]; ++k) {
      EXPECT_EQ(t.synapses[k].post, post);
      EXPECT_EQ(GroupOf(t, t.synapses[k].pre), "I");
    }
    if (post + 1 < net.neurons) EXPECT_EQ(net.syn_end[post], net.ampa_begin[post + 1]);
  }
  EXPECT_EQ(net.syn_end.back(), static_cast<int>(t.synapses.size()));
  // Weights are magnitudes: never negative, the sign comes from the type.
  for (float w : net.weight) EXPECT_GE(w, 0.f);
}

TEST(LifPreset, SynapseOrderPostThenTypeThenPre) {
  const NetworkInstance t = Preset(3, 4, 4, 2);
  for (size_t k = 1; k < t.synapses.size(); ++k) {
    const auto& a = t.synapses[k - 1];
    const auto& b = t.synapses[k];
    EXPECT_LT(std::make_tuple(a.post, a.receptor, a.pre), std::make_tuple(b.post, b.receptor, b.pre)) << k;
  }
}

TEST(LifPreset, PartialConnectivity) {
  const NetworkInstance t = Preset(2, 3, 1, 1, {"in->E", "E->out", "I->E"});
  int in_e = 0, e_out = 0, i_e = 0;
  for (const auto& s : t.synapses) {
    const std::string pair = GroupOf(t, s.pre) + "->" + GroupOf(t, s.post);
    if (pair == "in->E") ++in_e;
    else if (pair == "E->out") ++e_out;
    else if (pair == "I->E") ++i_e;
    else ADD_FAILURE() << "unexpected " << t.NeuronLabel(s.pre) << "->" << t.NeuronLabel(s.post);
  }
  EXPECT_EQ(in_e, 6);
  EXPECT_EQ(e_out, 3);
  EXPECT_EQ(i_e, 3);
  // Repeated pairs do not duplicate synapses; an empty list gives none.
  EXPECT_EQ(Preset(2, 3, 1, 1, {"in->E", "in->E"}).synapses.size(), 6u);
  EXPECT_TRUE(Preset(2, 3, 1, 1, {}).synapses.empty());
}

TEST(LifPreset, BadConnectivityThrowsConfigErrorNamingTheKey) {
  for (const std::string bad : {"in->in", "E->in", "E-I", "E", "X->E", "E->Q", "->E", "E->", "e->E", " in->E"}) {
    SCOPED_TRACE(bad);
    try {
      Preset(2, 2, 2, 1, {"in->E", bad});
      ADD_FAILURE() << "no ConfigError";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("model.connectivity"), std::string::npos) << e.what();
    }
    ModelOptions o;
    o.connectivity = {bad};
    EXPECT_THROW(PresetSynapseCount(o, 2, 1), ConfigError);
  }
  // Through MakeModel as well.
  ModelOptions o;
  o.connectivity = {"out->in"};
  const Space obs = Space::Box({-1, -1}, {1, 1});
  EXPECT_THROW(MakeModel(o, obs, Space::Discrete(2)), ConfigError);
}

}  // namespace
}  // namespace neurevo
