// Initial distribution centre shared by the ask/tell optimizers (see
// initial_mean.h; no paper, a neurevo convention).
#include "optim/initial_mean.h"

#include <cmath>
#include <string>

#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {

std::vector<double> InitialMean(const OptimizerOptions& options, int dimension,
                                uint64_t seed, std::span<const double> explicit_mean) {
  if (!explicit_mean.empty()) {
    if (static_cast<int>(explicit_mean.size()) != dimension) {
      throw ConfigError("optimizer initial mean: has " +
                        std::to_string(explicit_mean.size()) + " entries, expected " +
                        std::to_string(dimension));
    }
    for (double v : explicit_mean) {
      if (!std::isfinite(v)) {
        throw ConfigError("optimizer initial mean: entries must be finite");
      }
    }
    return {explicit_mean.begin(), explicit_mean.end()};
  }
  std::vector<double> mean(static_cast<size_t>(dimension));
  if (options.init_mean == "uniform") {
    RandomStream rng(seed, 0, 0, kInitMeanChannel, StreamPurpose::kOptimizer);
    for (double& v : mean) v = rng.Uniform();
  } else if (options.init_mean == "center") {
    for (double& v : mean) v = 0.5;
  } else {
    throw ConfigError("optimizer.init_mean: unknown mode '" + options.init_mean +
                      "'; allowed: uniform, center");
  }
  return mean;
}

}  // namespace neurevo
