// Network topology: neuron groups and the synapse list, before any genome.
//
// Neurons are numbered [input | excitatory | inhibitory | output]. A synapse's
// type follows its presynaptic neuron (Dale's law): inhibitory neurons make
// GABA synapses, every other group makes AMPA synapses. Synapses are sorted by
// postsynaptic neuron, AMPA before GABA, then by presynaptic neuron, which is
// the order the simulation loop reads them in.
#pragma once

#include <string>
#include <vector>

namespace neurevo {

enum class Group { kInput = 0, kExcitatory = 1, kInhibitory = 2, kOutput = 3 };

struct Synapse {
  int pre = 0;
  int post = 0;
  bool inhibitory = false;
};

struct Topology {
  int group_size[4] = {0, 0, 0, 0};
  int group_begin[4] = {0, 0, 0, 0};
  std::vector<Synapse> synapses;

  int neurons() const { return group_begin[3] + group_size[3]; }
  Group GroupOf(int neuron) const;
  bool Inhibitory(int neuron) const { return GroupOf(neuron) == Group::kInhibitory; }
  // "in0", "E3", "I9", "out1".
  std::string Label(int neuron) const;
};

// Builds the topology from group sizes and "FROM->TO" connectivity pairs
// (group names in, E, I, out). Throws ConfigError naming
// `model.connectivity` for malformed pairs or projections into `in`.
Topology BuildTopology(int inputs, int excitatory, int inhibitory, int outputs,
                       const std::vector<std::string>& connectivity);

// The number of synapses BuildTopology would make, without building them
// (config validation sizes networks of millions of synapses this way). Throws
// as BuildTopology does.
long long CountSynapses(int inputs, int excitatory, int inhibitory, int outputs,
                        const std::vector<std::string>& connectivity);

// Whether the connectivity pairs include "in->" `group` (for input currents,
// which stand in for the input group's projections). Throws as BuildTopology.
bool InputProjectsTo(const std::vector<std::string>& connectivity, Group group);

}  // namespace neurevo
