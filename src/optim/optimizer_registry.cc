// Optimizer factory: validates OptimizerOptions and builds CMA-ES (Hansen,
// arXiv:1604.00772) or OpenAI-ES (Salimans et al. 2017, arXiv:1703.03864).
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "optim/cma_es.h"
#include "optim/initial_mean.h"
#include "optim/openai_es.h"

namespace neurevo {
namespace {

void ValidateCommon(const OptimizerOptions& o, int dimension) {
  if (dimension < 1) {
    throw ConfigError("optimizer dimension: must be >= 1, got " + std::to_string(dimension));
  }
  if (!(o.sigma0 > 0.0) || !std::isfinite(o.sigma0)) {
    throw ConfigError("optimizer.sigma0: must be finite and > 0, got " +
                      std::to_string(o.sigma0));
  }
}

void ValidateCmaEs(const OptimizerOptions& o) {
  if (o.population < 2) {
    throw ConfigError("optimizer.population: cma_es needs >= 2, got " +
                      std::to_string(o.population));
  }
  const int mu = o.parents > 0 ? o.parents : o.population / 2;
  if (mu < 1 || mu > o.population) {
    throw ConfigError("optimizer.parents: must be in [1, optimizer.population = " +
                      std::to_string(o.population) + "] (or <= 0 for population / 2), got " +
                      std::to_string(o.parents));
  }
}

void ValidateOpenAiEs(const OptimizerOptions& o) {
  if (o.population < 2 || o.population % 2 != 0) {
    throw ConfigError(
        "optimizer.population: openai_es uses mirrored pairs and needs an even number >= 2, "
        "got " + std::to_string(o.population));
  }
  if (!(o.learning_rate > 0.0) || !std::isfinite(o.learning_rate)) {
    throw ConfigError("optimizer.learning_rate: must be finite and > 0, got " +
                      std::to_string(o.learning_rate));
  }
  if (!(o.weight_decay >= 0.0) || !std::isfinite(o.weight_decay)) {
    throw ConfigError("optimizer.weight_decay: must be finite and >= 0, got " +
                      std::to_string(o.weight_decay));
  }
  if (!(o.adam_beta1 >= 0.0 && o.adam_beta1 < 1.0)) {
    throw ConfigError("optimizer.adam_beta1: must be in [0, 1), got " +
                      std::to_string(o.adam_beta1));
  }
  if (!(o.adam_beta2 >= 0.0 && o.adam_beta2 < 1.0)) {
    throw ConfigError("optimizer.adam_beta2: must be in [0, 1), got " +
                      std::to_string(o.adam_beta2));
  }
}

}  // namespace

std::unique_ptr<Optimizer> MakeOptimizer(const OptimizerOptions& options, int dimension,
                                         uint64_t seed, std::span<const double> initial_mean) {
  if (options.kind == "cma_es") {
    ValidateCommon(options, dimension);
    ValidateCmaEs(options);
    return std::make_unique<CmaEs>(options, dimension, seed,
                                   InitialMean(options, dimension, seed, initial_mean));
  }
  if (options.kind == "openai_es") {
    ValidateCommon(options, dimension);
    ValidateOpenAiEs(options);
    return std::make_unique<OpenAiEs>(options, dimension, seed,
                                      InitialMean(options, dimension, seed, initial_mean));
  }
  throw ConfigError("optimizer.kind: unknown optimizer '" + options.kind +
                    "'; allowed: cma_es, openai_es");
}

std::vector<std::string> OptimizerKinds() { return {"cma_es", "openai_es"}; }

}  // namespace neurevo
