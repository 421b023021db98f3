// The network description in a run config: `[[network.populations]]` and
// `[[network.projections]]` tables (README, "Networks as populations and
// projections"), read into a NetworkSpec and written back.
//
//   [[network.populations]]
//   name = "E"
//   size = 80                       # input and output roles: omit for the task's size
//   model = "lif_cond"              # or "lif_curr"
//   role = "hidden"                 # input | hidden | output
//   dale = "excitatory"             # inhibitory, or one per neuron: ["E", "I", ...]
//   transmission = "graded"         # or "spiking"
//   reset = "v_reset"               # or "rest": after a spike to the neuron's own V_rest
//   tau_m_ms = { evolve = [5.0, 50.0] }                            # any neuron parameter:
//   v_threshold_mV = { normal = [-50.0, 2.0], low = -55.0, high = -45.0 }  # a constant, a list,
//   c_m_pF = 1.0                                                   # a draw, or a gene
//
//   [[network.projections]]
//   pre = "E"
//   post = "I"
//   connector = "fixed_probability" # all_to_all | one_to_one | fixed_probability | fixed_in_degree | list
//   probability = 0.1               # (in_degree = K; file = "synapses.csv")
//   allow_self = false
//   synapse = "chemical"            # or "electrical" (gap junctions)
//   weight = { evolve = [0.0, 0.05] }   # nS (pA into lif_curr), the same forms as a neuron parameter
//   delay = 1.0                     # ms
//   receptor = "NMDA"               # optional: AMPA, GABA (by Dale type if unset) or one below
//
//   [[network.receptors]]           # beyond AMPA and GABA (at most 6)
//   name = "NMDA"
//   tau_syn_ms = 100.0
//   e_rev_mV = 0.0
//   excitatory = true               # Dale's law: which neurons may release onto it
//
// A population may also read `table = "neurons.csv"` (columns label[, dale]):
// its labels, its Dale types and, if `size` is omitted, its size.
#pragma once

#include <functional>
#include <string>
#include <toml++/toml.h>

#include "neurevo/network_spec.h"

namespace neurevo {

// Keys of a population table that are not neuron parameters.
inline constexpr const char* kPopulationKeys[] = {"name",   "size",         "model", "role", "dale",
                                                  "labels", "transmission", "table", "reset"};

// "a string", "an integer", ... for messages about a value's TOML type.
std::string TomlTypeName(const toml::node& node);

// Reads `network` (the [network] table; `prefix` names it in messages, e.g.
// "network"). `read_file` reads a population's table file. Throws
// ConfigError naming the key (network.populations[1].size) or file:line.
NetworkSpec ParseNetworkSpec(const toml::table& network, const std::string& prefix,
                             const std::function<std::string(const std::string&)>& read_file);

// The description as a [network] table (every key), for config.toml and
// `neurevo config`.
toml::table NetworkSpecToToml(const NetworkSpec& spec);

}  // namespace neurevo
