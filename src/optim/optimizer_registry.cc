// Optimizer factory: validates OptimizerOptions and builds the strategy named
// by options.kind (each strategy's header cites its paper):
//   cma_es      Hansen, arXiv:1604.00772 (active: Jastrebski & Arnold 2006)
//   sep_cma_es  Ros & Hansen 2008
//   (restarts)  IPOP, Auger & Hansen 2005; BIPOP, Hansen 2009
//   openai_es   Salimans et al. 2017, arXiv:1703.03864
//   xnes        Glasmachers et al. 2010
//   snes        Schaul et al. 2011
//   pgpe        Sehnke et al. 2010 (ClipUp: Toklu et al. 2020)
//   ga          Such et al. 2018, arXiv:1712.06567
//   mads        Audet & Dennis 2006; Abramson et al. 2009 (OrthoMADS)
//   enomad      GA + sign-preserving MADS refinement (Li et al.)
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "optim/cma_es.h"
#include "optim/cma_restarts.h"
#include "optim/enomad.h"
#include "optim/fitness_shaping.h"
#include "optim/ga.h"
#include "optim/initial_mean.h"
#include "optim/mads.h"
#include "optim/bptt.h"
#include "optim/openai_es.h"
#include "optim/pgpe.h"
#include "optim/sep_cma_es.h"
#include "optim/snes.h"
#include "optim/xnes.h"

namespace neurevo {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool OneOf(const std::string& value, const std::vector<std::string>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

[[noreturn]] void Fail(const std::string& key, const std::string& message) {
  throw ConfigError(key + ": " + message);
}

void CheckChoice(const std::string& key, const std::string& value,
                 const std::vector<std::string>& allowed) {
  if (!OneOf(value, allowed)) Fail(key, "unknown value '" + value + "'; allowed: " + Join(allowed));
}

void CheckPositiveFinite(const std::string& key, double v) {
  if (!(v > 0.0) || !std::isfinite(v)) Fail(key, "must be finite and > 0, got " + std::to_string(v));
}

void ValidateCommon(const OptimizerOptions& o) {
  CheckPositiveFinite("optimizer.sigma0", o.sigma0);
  CheckChoice("optimizer.kind", o.kind, OptimizerKinds());
  const bool cma = o.kind == "cma_es" || o.kind == "sep_cma_es";
  const bool shaped = o.kind == "openai_es" || o.kind == "xnes" || o.kind == "snes" || o.kind == "pgpe";
  CheckChoice("optimizer.fitness_shaping", o.fitness_shaping, FitnessShapingModes());
  if (!shaped && o.fitness_shaping != "auto") {
    Fail("optimizer.fitness_shaping",
         "'" + o.fitness_shaping + "' has no effect on " + o.kind +
             " (it selects by rank); only openai_es, xnes, snes and pgpe shape fitness, so leave "
             "it at auto");
  }
  if (o.active && !cma) Fail("optimizer.active", "only cma_es and sep_cma_es have an active update");
  CheckChoice("optimizer.restarts", o.restarts, {"none", "ipop", "bipop"});
  if (o.restarts != "none" && !cma) {
    Fail("optimizer.restarts", "'" + o.restarts + "' applies to cma_es and sep_cma_es only, not " +
                                   o.kind + "; allowed here: none");
  }
}

void ValidatePopulation(const OptimizerOptions& o, int min) {
  if (o.population < min) {
    Fail("optimizer.population", o.kind + " needs >= " + std::to_string(min) + ", got " +
                                     std::to_string(o.population));
  }
}

void ValidateParents(const OptimizerOptions& o, int fallback) {
  const int mu = o.parents > 0 ? o.parents : fallback;
  if (mu < 1 || mu > o.population) {
    Fail("optimizer.parents", "must be in [1, optimizer.population = " +
                                  std::to_string(o.population) + "] (or <= 0 for the default), got " +
                                  std::to_string(o.parents));
  }
}

void ValidateAdam(const OptimizerOptions& o) {
  if (!(o.adam_beta1 >= 0.0 && o.adam_beta1 < 1.0))
    Fail("optimizer.adam_beta1", "must be in [0, 1), got " + std::to_string(o.adam_beta1));
  if (!(o.adam_beta2 >= 0.0 && o.adam_beta2 < 1.0))
    Fail("optimizer.adam_beta2", "must be in [0, 1), got " + std::to_string(o.adam_beta2));
}

void ValidateEvenPopulation(const OptimizerOptions& o) {
  if (o.population < 2 || o.population % 2 != 0) {
    Fail("optimizer.population", o.kind + " uses mirrored pairs and needs an even number >= 2, got " +
                                     std::to_string(o.population));
  }
}

void ValidateSelection(const OptimizerOptions& o, int default_parents) {
  ValidatePopulation(o, 2);
  ValidateParents(o, default_parents);
  if (o.elites < 0 || o.elites >= o.population) {
    Fail("optimizer.elites", "must be in [0, optimizer.population - 1 = " +
                                 std::to_string(o.population - 1) + "], got " + std::to_string(o.elites));
  }
  if (!(o.crossover == -1.0 || (o.crossover >= 0.0 && o.crossover <= 1.0))) {
    Fail("optimizer.crossover", "must be -1 (the strategy's default) or in [0, 1], got " +
                                    std::to_string(o.crossover));
  }
}

}  // namespace

void ValidateOptimizerOptions(const OptimizerOptions& o) {
  ValidateCommon(o);
  const std::string& k = o.kind;
  if (k == "cma_es" || k == "sep_cma_es") {
    if (o.population < 2) {
      Fail("optimizer.population", k + " needs >= 2, got " + std::to_string(o.population));
    }
    ValidateParents(o, o.population / 2);
  } else if (k == "openai_es") {
    ValidateEvenPopulation(o);
    CheckPositiveFinite("optimizer.learning_rate", o.learning_rate);
    if (!(o.weight_decay >= 0.0) || !std::isfinite(o.weight_decay))
      Fail("optimizer.weight_decay", "must be finite and >= 0, got " + std::to_string(o.weight_decay));
    ValidateAdam(o);
    CheckChoice("optimizer.es_update", o.es_update, {"adam", "momentum"});
    if (!(o.momentum >= 0.0 && o.momentum < 1.0))
      Fail("optimizer.momentum", "must be in [0, 1), got " + std::to_string(o.momentum));
  } else if (k == "xnes" || k == "snes") {
    ValidatePopulation(o, 2);
  } else if (k == "pgpe") {
    ValidateEvenPopulation(o);
    CheckPositiveFinite("optimizer.learning_rate", o.learning_rate);
    CheckChoice("optimizer.pgpe_optimizer", o.pgpe_optimizer, {"clipup", "adam", "sgd"});
    if (!(o.pgpe_sigma_lr >= 0.0) || !std::isfinite(o.pgpe_sigma_lr))
      Fail("optimizer.pgpe_sigma_lr", "must be finite and >= 0, got " + std::to_string(o.pgpe_sigma_lr));
    ValidateAdam(o);
  } else if (k == "bptt") {
    if (o.population != 1 && o.population != OptimizerOptions{}.population)
      Fail("optimizer.population", "bptt follows one genome (its minibatch is train.episodes); allowed: 1, or leave "
                                   "it out");
    CheckPositiveFinite("optimizer.learning_rate", o.learning_rate);
    ValidateAdam(o);
    if (!(o.gradient_clip >= 0.0) || !std::isfinite(o.gradient_clip))
      Fail("optimizer.gradient_clip", "must be finite and >= 0 (0: no clipping), got " + std::to_string(o.gradient_clip));
    if (!(o.reinforce_gamma >= 0.0 && o.reinforce_gamma <= 1.0))
      Fail("optimizer.reinforce_gamma", "must be in [0, 1], got " + std::to_string(o.reinforce_gamma));
  } else if (k == "ga") {
    ValidateSelection(o, std::max(1, o.population / 5));
  } else if (k == "mads") {
    ValidatePopulation(o, 1);
    CheckChoice("optimizer.mads_poll", o.mads_poll, {"complete", "opportunistic"});
  } else if (k == "enomad") {
    ValidateSelection(o, std::max(1, o.population / 2));
    CheckChoice("optimizer.enomad_variant", o.enomad_variant, {"many_small", "few_large"});
    if (o.enomad_refine < 0 || o.enomad_refine > o.population) {
      Fail("optimizer.enomad_refine", "must be in [0, optimizer.population = " +
                                          std::to_string(o.population) + "], got " +
                                          std::to_string(o.enomad_refine));
    }
    if (o.mads_iterations < 0) Fail("optimizer.mads_iterations", "must be >= 0, got " + std::to_string(o.mads_iterations));
    if (o.enomad_subset < 0) Fail("optimizer.enomad_subset", "must be >= 0, got " + std::to_string(o.enomad_subset));
    CheckChoice("optimizer.enomad_parents", o.enomad_parents, {"uniform", "fitness"});
    CheckChoice("optimizer.enomad_subset_mode", o.enomad_subset_mode, {"random", "changed"});
    if (!(o.enomad_mutation == -1.0 || o.enomad_mutation >= 0.0) || !std::isfinite(o.enomad_mutation))
      Fail("optimizer.enomad_mutation", "must be -1 (sigma0) or a finite std >= 0");
    if (o.enomad_reset_genes < 0) Fail("optimizer.enomad_reset_genes", "must be >= 0");
    if (!(o.mads_poll0 >= 0.0) || !std::isfinite(o.mads_poll0)) Fail("optimizer.mads_poll0", "must be finite and >= 0");
    if (!(o.enomad_penalty >= 0.0) || !std::isfinite(o.enomad_penalty)) Fail("optimizer.enomad_penalty", "must be finite and >= 0");
    if (!(o.enomad_penalty_power >= 0.0) || !(o.enomad_penalty_power <= 10.0))
      Fail("optimizer.enomad_penalty_power", "must be in [0, 10] (a count to a larger power overflows)");
    if (o.enomad_subset_mode == "changed" && o.enomad_mutation != 0.0)
      Fail("optimizer.enomad_subset_mode", "\"changed\" refines individuals that changed a few genes, and Gaussian "
                                           "mutation changes them all; allowed with it: enomad_mutation = 0");
  }
}

std::unique_ptr<Optimizer> MakeOptimizer(const OptimizerOptions& options, int dimension,
                                         uint64_t seed, std::span<const double> initial_mean) {
  if (!OneOf(options.kind, OptimizerKinds())) {
    throw ConfigError("optimizer.kind: unknown optimizer '" + options.kind +
                      "'; allowed: " + Join(OptimizerKinds()));
  }
  if (dimension < 1) {
    throw ConfigError("optimizer dimension: must be >= 1, got " + std::to_string(dimension));
  }
  ValidateOptimizerOptions(options);
  std::vector<double> mean = InitialMean(options, dimension, seed, initial_mean);
  const std::string& k = options.kind;
  if ((k == "cma_es" || k == "sep_cma_es") && options.restarts != "none") {
    const bool redraw = options.init_mean == "uniform" && initial_mean.empty();
    return std::make_unique<CmaRestarts>(options, dimension, seed, std::move(mean), redraw);
  }
  if (k == "cma_es") return std::make_unique<CmaEs>(options, dimension, seed, std::move(mean));
  if (k == "sep_cma_es") return std::make_unique<SepCmaEs>(options, dimension, seed, std::move(mean));
  if (k == "openai_es") return std::make_unique<OpenAiEs>(options, dimension, seed, std::move(mean));
  if (k == "xnes") return std::make_unique<Xnes>(options, dimension, seed, std::move(mean));
  if (k == "snes") return std::make_unique<Snes>(options, dimension, seed, std::move(mean));
  if (k == "pgpe") return std::make_unique<Pgpe>(options, dimension, seed, std::move(mean));
  if (k == "bptt") return std::make_unique<Bptt>(options, dimension, seed, std::move(mean));
  if (k == "ga") return std::make_unique<Ga>(options, dimension, seed, std::move(mean));
  if (k == "mads") return std::make_unique<Mads>(options, dimension, seed, std::move(mean));
  return std::make_unique<Enomad>(options, dimension, seed, std::move(mean));
}

std::vector<std::string> OptimizerKinds() {
  return {"cma_es", "sep_cma_es", "openai_es", "xnes", "snes", "pgpe", "ga", "mads", "enomad", "bptt"};
}

}  // namespace neurevo
