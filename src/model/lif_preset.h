// The bnn and snn models as network descriptions: four populations (in, E,
// I, out) joined all-to-all, without self-synapses, along the listed
// `model.connectivity` pairs, every neuron with the `model.*` neuron
// constants. Instantiated, a preset lays out exactly the genome the
// four-group network always had (network_instance.h).
#pragma once

#include "model/lif_network.h"
#include "model/network_instance.h"
#include "neurevo/network_spec.h"
#include "neurevo/model.h"

#include <array>
#include <string>
#include <vector>

namespace neurevo {

// The presets' groups, in neuron order, and which pairs model.connectivity
// ("FROM->TO" over these names) connects: [from][to]. Throws ConfigError
// naming model.connectivity for a malformed pair, an unknown group or a
// projection into `in`.
inline constexpr std::array<const char*, 4> kPresetGroups = {"in", "E", "I", "out"};
using PresetPairs = std::array<std::array<bool, 4>, 4>;
PresetPairs PresetConnectivity(const std::vector<std::string>& connectivity);

// The synapses of a preset (all-to-all between connected groups, no
// self-synapses), counted without building them: config validation sizes
// networks of millions of synapses this way.
long long PresetSynapseCount(const ModelOptions& options, int inputs, int outputs);

// inputs: input neurons (LifInputs); outputs: output neurons (LifOutputNeurons).
NetworkSpec LifPresetSpec(const ModelOptions& options, int inputs, int outputs);

// The neurons that receive the observations as currents (input_encoding
// "current"): those of the populations that `in` projects to; none for the
// other encodings.
std::vector<int> LifPresetCurrentTargets(const ModelOptions& options, const NetworkInstance& network);

// The preset's decoder: the four-group network for these group sizes.
// readout_outputs, observations: as LifDecoder's.
LifDecoder LifPresetDecoder(const ModelOptions& options, int inputs, int outputs, int readout_outputs = 0,
                            int observations = 0);

// Every neuron model's parameters (neuron_models.h), in gene-family order
// (offsets, noise, then the rest), with `options`' values as defaults.
InstanceOptions LifInstanceOptions(const ModelOptions& options, uint64_t seed);

}  // namespace neurevo
