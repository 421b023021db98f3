// Explicit synapse lists: the CSV files a `list` connector reads (a
// connectome's chemical synapses and gap junctions, or any network built
// elsewhere).
//
// Format: a header naming the columns, then one synapse per row.
//
//   pre,post,weight,delay,kind      (pre and post required; the rest optional, any order)
//   AVAL,AVBL,3,1.0,chemical
//   0,4,-0.5,,chemical              (an empty cell: the projection's own value)
//
// pre and post are a neuron's index in its population or its label. weight
// is signed by Dale's law for chemical synapses (>= 0 from excitatory, <= 0
// from inhibitory neurons; the magnitude is the conductance in nS) and a
// conductance >= 0 for electrical ones; delay is in ms (>= 0). kind is
// `chemical` or `electrical`: a projection takes the rows of its own kind, so
// one table can hold both. Blank lines and lines starting with `#` are
// skipped. Every error names `file:line`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "neurevo/network_spec.h"

namespace neurevo {

struct ListedSynapse {
  int pre = 0, post = 0;
  std::optional<double> weight;  // magnitude (nS); the sign was checked against Dale's law
  std::optional<double> delay_ms;
  int line = 0;  // 1-based, for messages
};

// Parses `text` (read from `path`, which messages name) for a projection of
// `kind` from population `pre` to `post`. Throws ConfigError.
std::vector<ListedSynapse> ParseSynapseList(const std::string& text, const std::string& path,
                                            const PopulationSpec& pre, const PopulationSpec& post,
                                            SynapseKind kind);

}  // namespace neurevo
