// Connectors pair the neurons of two populations (PyNN's connectors): the
// rule of a projection, drawn once per run from the run seed.
//
// Rule-based connectors return connections sorted by (post, pre); a list
// keeps its file's order. Random rules draw from a stream keyed by (seed,
// projection index), so a network never depends on thread count and one
// projection's draws do not move when another projection changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "neurevo/network_spec.h"

namespace neurevo {

struct Connection {
  int pre = 0, post = 0;
  std::optional<double> weight, delay_ms;  // a list's own values (weight: magnitude, nS)
};

// The connections of projection `p` (index `projection_index` in its network)
// from `pre` to `post`. `list_text`: the contents of p.connector.file for a
// list connector (read by the caller, which checks the file). Throws
// ConfigError naming the projection (or the list's file:line).
std::vector<Connection> Connect(const ProjectionSpec& p, int projection_index, const PopulationSpec& pre,
                                const PopulationSpec& post, uint64_t seed, const std::string& list_text = "");

// The number of connections a rule-based connector makes (fixed probability:
// the expected number, rounded up), without drawing them: validation sizes
// networks this way. -1 for a list (known only once read).
long long ExpectedConnections(const ConnectorSpec& c, int pre_size, int post_size, bool same_population);

}  // namespace neurevo
