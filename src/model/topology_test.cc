// Tests of the network topology (topology.h): group layout, the synapse list
// of the default dense connectivity, Dale's law in the synapse types, the
// synapse order, and connectivity errors.
#include "model/topology.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/lif_network.h"
#include "model/lif_preset.h"
#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {
namespace {

const std::vector<std::string> kDense = ModelOptions{}.connectivity;

TEST(Topology, GroupsAndLabels) {
  const Topology t = BuildTopology(11, 10, 10, 3, kDense);
  EXPECT_EQ(t.neurons(), 34);
  EXPECT_EQ(t.group_begin[0], 0);
  EXPECT_EQ(t.group_begin[1], 11);
  EXPECT_EQ(t.group_begin[2], 21);
  EXPECT_EQ(t.group_begin[3], 31);
  EXPECT_EQ(t.GroupOf(0), Group::kInput);
  EXPECT_EQ(t.GroupOf(10), Group::kInput);
  EXPECT_EQ(t.GroupOf(11), Group::kExcitatory);
  EXPECT_EQ(t.GroupOf(20), Group::kExcitatory);
  EXPECT_EQ(t.GroupOf(21), Group::kInhibitory);
  EXPECT_EQ(t.GroupOf(30), Group::kInhibitory);
  EXPECT_EQ(t.GroupOf(31), Group::kOutput);
  EXPECT_EQ(t.GroupOf(33), Group::kOutput);
  EXPECT_EQ(t.Label(0), "in0");
  EXPECT_EQ(t.Label(13), "E2");
  EXPECT_EQ(t.Label(30), "I9");
  EXPECT_EQ(t.Label(32), "out1");
}

TEST(Topology, EmptyGroups) {
  // No E and no I neurons: the output follows the inputs directly.
  const Topology t = BuildTopology(2, 0, 0, 2, kDense);
  EXPECT_EQ(t.neurons(), 4);
  EXPECT_EQ(t.GroupOf(1), Group::kInput);
  EXPECT_EQ(t.GroupOf(2), Group::kOutput);
  EXPECT_EQ(t.Label(3), "out1");
  // in->out (2 x 2) + out->out (2 x 1).
  EXPECT_EQ(t.synapses.size(), 6u);
  // No I neurons, so no GABA synapses.
  for (const auto& s : t.synapses) EXPECT_FALSE(s.inhibitory);
  // Only inhibitory neurons between input and output.
  const Topology u = BuildTopology(1, 0, 3, 1, kDense);
  EXPECT_EQ(u.GroupOf(1), Group::kInhibitory);
  EXPECT_EQ(u.GroupOf(3), Group::kInhibitory);
  EXPECT_EQ(u.GroupOf(4), Group::kOutput);
}

TEST(Topology, DefaultDenseConnectivityCount) {
  const Topology t = BuildTopology(11, 10, 10, 3, kDense);
  // Into E: 11 + 9 + 10 + 3; into I: 11 + 10 + 9 + 3; into out: 11 + 10 + 10 + 2.
  EXPECT_EQ(t.synapses.size(), 759u);
  // Equivalently: every (pre, post) pair with post not an input, pre != post.
  EXPECT_EQ(t.synapses.size(), static_cast<size_t>(34 * (34 - 11) - (34 - 11)));
}

TEST(Topology, NoSelfSynapsesNothingIntoInputsNoDuplicates) {
  const Topology t = BuildTopology(11, 10, 10, 3, kDense);
  std::set<std::pair<int, int>> seen;
  for (const auto& s : t.synapses) {
    EXPECT_NE(s.pre, s.post);
    EXPECT_NE(t.GroupOf(s.post), Group::kInput);
    EXPECT_GE(s.pre, 0);
    EXPECT_LT(s.pre, t.neurons());
    EXPECT_LT(s.post, t.neurons());
    EXPECT_TRUE(seen.insert({s.pre, s.post}).second) << "duplicate " << s.pre << "->" << s.post;
  }
}

TEST(Topology, DaleLawSynapseTypesFollowThePresynapticNeuron) {
  const Topology t = BuildTopology(4, 5, 6, 2, kDense);
  int gaba = 0;
  for (const auto& s : t.synapses) {
    EXPECT_EQ(s.inhibitory, t.GroupOf(s.pre) == Group::kInhibitory)
        << t.Label(s.pre) << "->" << t.Label(s.post);
    EXPECT_EQ(s.inhibitory, t.Inhibitory(s.pre));
    gaba += s.inhibitory;
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
      EXPECT_FALSE(t.Inhibitory(t.synapses[k].pre));
    }
    for (int k = net.gaba_begin[post]; k < net.syn_end[post]; ++k) {
      EXPECT_EQ(t.synapses[k].post, post);
      EXPECT_TRUE(t.Inhibitory(t.synapses[k].pre));
    }
    if (post + 1 < net.neurons) {
      EXPECT_EQ(net.syn_end[post], net.ampa_begin[post + 1]);
    }
  }
  EXPECT_EQ(net.syn_end.back(), static_cast<int>(t.synapses.size()));
  // Weights are magnitudes: never negative, the sign comes from the type.
  for (float w : net.weight) EXPECT_GE(w, 0.f);
}

TEST(Topology, SynapseOrderPostThenTypeThenPre) {
  const Topology t = BuildTopology(3, 4, 4, 2, kDense);
  for (size_t k = 1; k < t.synapses.size(); ++k) {
    const auto& a = t.synapses[k - 1];
    const auto& b = t.synapses[k];
    EXPECT_LT(std::make_tuple(a.post, a.inhibitory, a.pre), std::make_tuple(b.post, b.inhibitory, b.pre))
        << k;
  }
}

TEST(Topology, PartialConnectivity) {
  const Topology t = BuildTopology(2, 3, 1, 1, {"in->E", "E->out", "I->E"});
  int in_e = 0, e_out = 0, i_e = 0;
  for (const auto& s : t.synapses) {
    const Group from = t.GroupOf(s.pre), to = t.GroupOf(s.post);
    if (from == Group::kInput && to == Group::kExcitatory) ++in_e;
    else if (from == Group::kExcitatory && to == Group::kOutput) ++e_out;
    else if (from == Group::kInhibitory && to == Group::kExcitatory) ++i_e;
    else ADD_FAILURE() << "unexpected " << t.Label(s.pre) << "->" << t.Label(s.post);
  }
  EXPECT_EQ(in_e, 6);
  EXPECT_EQ(e_out, 3);
  EXPECT_EQ(i_e, 3);
  // Repeated pairs do not duplicate synapses; an empty list gives none.
  EXPECT_EQ(BuildTopology(2, 3, 1, 1, {"in->E", "in->E"}).synapses.size(), 6u);
  EXPECT_TRUE(BuildTopology(2, 3, 1, 1, {}).synapses.empty());
}

TEST(Topology, BadConnectivityThrowsConfigErrorNamingTheKey) {
  for (const std::string bad : {"in->in", "E->in", "E-I", "E", "X->E", "E->Q", "->E", "E->",
                                "e->E", " in->E"}) {
    SCOPED_TRACE(bad);
    try {
      BuildTopology(2, 2, 2, 1, {"in->E", bad});
      ADD_FAILURE() << "no ConfigError";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("model.connectivity"), std::string::npos) << e.what();
    }
  }
  // Through MakeModel as well.
  ModelOptions o;
  o.connectivity = {"out->in"};
  const Space obs = Space::Box({-1, -1}, {1, 1});
  EXPECT_THROW(MakeModel(o, obs, Space::Discrete(2)), ConfigError);
}

}  // namespace
}  // namespace neurevo
