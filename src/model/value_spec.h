// Realising a ValueSpec (network_spec.h) that is not a gene: one value per
// element (neuron or synapse), drawn once per run.
#pragma once

#include <string>
#include <vector>

#include "neurevo/network_spec.h"
#include "neurevo/random.h"

namespace neurevo {

// `n` values of `spec` (not kEvolved): a constant repeated, a list (of exactly
// n values, each in [low, high]), or draws from `rng` clipped to [low, high].
// Throws ConfigError naming `what` (e.g. "population E: tau_m_ms").
std::vector<double> RealizeValues(const ValueSpec& spec, int n, RandomStream& rng, const std::string& what);

// Checks the spec itself: finite numbers, low <= high, a constant inside
// [low, high], std and sigma >= 0, a uniform's a <= b. Throws ConfigError
// naming `what`.
void CheckValueSpec(const ValueSpec& spec, const std::string& what);

}  // namespace neurevo
