// Initial distribution centre shared by the ask/tell optimizers.
//
// The mean is either given explicitly, drawn from U[0,1]^n ("uniform") or set
// to 0.5 in every coordinate ("center"). The uniform draw uses its own
// counter-based stream RandomStream(seed, 0, 0, kInitMeanChannel,
// kOptimizer), distinct from the per-generation sampling streams
// RandomStream(seed, generation, individual, 0, kOptimizer), so the initial
// mean never aliases a sample.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "neurevo/optimizer.h"

namespace neurevo {

// Third stream counter reserved for the initial mean.
inline constexpr uint64_t kInitMeanChannel = 1;

// Throws ConfigError naming `optimizer.init_mean` for an unknown mode, and
// for an explicit mean of the wrong size or with non-finite entries.
std::vector<double> InitialMean(const OptimizerOptions& options, int dimension,
                                uint64_t seed, std::span<const double> explicit_mean);

}  // namespace neurevo
