// Ask/tell optimizers.
//
// An optimizer never evaluates anything (as in evosax and libcmaes): Ask()
// returns a population of candidate vectors, the caller evaluates them, and
// Tell() passes back one fitness per candidate, in the same order.
// neurevo MAXIMISES fitness (episode return); callers minimising a cost pass
// its negative.
//
// The whole state (distribution parameters, evolution paths, generation
// counter, random stream position) is a value that SaveState() writes as
// JSON and LoadState() restores exactly, so a restored optimizer asks for the
// same candidates as the original. Matrices are JSON binary values (CBOR
// keeps them as raw bytes; dump() writes {"bytes": [...], "subtype": 101},
// which LoadState reads as well).
//
// Thread safety: none; one optimizer is driven by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace neurevo {

// Options shared by the strategies; each states its default. Keys in the
// config file are `optimizer.<field>`.
struct OptimizerOptions {
  // cma_es | sep_cma_es | openai_es | xnes | snes | pgpe | ga | mads | enomad | bptt
  std::string kind = "cma_es";
  int population = 10;          // lambda: candidates per generation
  int parents = 5;              // mu (CMA-ES); <= 0 means lambda / 2
  // Initial step size (CMA-ES) / noise std (OpenAI-ES), in unit-box genes.
  // The seed paper uses 0.5, which also solves CartPole here but spends
  // ~2600 generations as a near-random search (lambda = 10 in ~1100
  // dimensions); 0.1 converges in ~150 (BENCHMARKS.md has both).
  double sigma0 = 0.1;
  std::string init_mean = "uniform";  // uniform: U[0,1]^n; center: 0.5 each
  // OpenAI-ES (Salimans et al. 2017) with Adam.
  double learning_rate = 0.05;
  double weight_decay = 0.005;
  double adam_beta1 = 0.9;
  double adam_beta2 = 0.999;
  // openai_es: how the centre moves. adam (the reference code's, with
  // weight_decay); momentum (the ENU paper's, Bertens & Lee 2019): with
  // utilities u_i (summing to 0), v = momentum v + learning_rate
  // sum_i u_i (x_i - theta), theta += v; no weight decay.
  std::string es_update = "adam";
  double momentum = 0.9;

  // CMA-ES family (cma_es, sep_cma_es).
  // Active covariance update with negative weights for the worst lambda - mu
  // (Jastrebski & Arnold 2006; Hansen's tutorial, arXiv:1604.00772).
  bool active = false;
  // none | ipop | bipop: restart on Hansen's termination criteria with a
  // doubled population (IPOP, Auger & Hansen 2005) or BIPOP's interleaved
  // small/large regimes (Hansen 2009). Ask().size() then varies.
  std::string restarts = "none";

  // NES family (openai_es, xnes, snes, pgpe): auto | raw | zscore |
  // centered_rank | rank5 | nes (see src/optim/fitness_shaping.h). auto:
  // centered_rank for openai_es and pgpe, nes utilities for xnes and snes.
  std::string fitness_shaping = "auto";
  // pgpe: update of the centre, clipup (Toklu et al. 2020) | adam | sgd; the
  // centre's step size is learning_rate; sigma's learning rate below.
  std::string pgpe_optimizer = "clipup";
  double pgpe_sigma_lr = 0.1;

  // bptt (gradient training of a differentiable model, model.kind =
  // "rsnn"): Adam on the genome with learning_rate and the adam_betas; the
  // minibatch's gradient is rescaled to this global L2 norm when longer
  // (0: never clipped); REINFORCE's discount on tasks without a teacher.
  double gradient_clip = 1.0;
  double reinforce_gamma = 0.99;

  // ga and enomad: elites carried unmutated; uniform crossover probability
  // (-1: strategy default, ga 0 as in Such et al. 2018, enomad 0.5).
  int elites = 1;
  double crossover = -1.0;

  // mads: complete (the whole 2n poll per Ask) | opportunistic (batches of
  // `population` poll points, stopping at the first batch that improves).
  std::string mads_poll = "complete";

  // enomad: many_small | few_large refinement; individuals refined by MADS
  // per generation, MADS iterations per refinement, coordinates per subset
  // (0: the variant's default).
  std::string enomad_variant = "many_small";
  int enomad_refine = 2;
  int mads_iterations = 3;
  int enomad_subset = 0;
  // enomad, the reference code's knobs (README, "ENOMAD as in the paper"):
  // Gaussian mutation std of children and of the first generation's spread
  // (-1: sigma0; 0: none: the first generation is copies of the initial
  // mean); genes per child redrawn uniformly in [0, 1] (independent draws:
  // a gene drawn twice is redrawn once more); the initial MADS
  // poll size (0: the variant's); parents drawn uniformly or in proportion
  // to fitness (then a gene comes from the first parent with probability
  // (f1 / (f1 + f2))^1.2); MADS subsets of random genes or of the genes that
  // differ from the initial mean (individuals with 1 .. enomad_subset of
  // them); fitness minus penalty * (genes that differ from the initial
  // mean)^penalty_power.
  double enomad_mutation = -1.0;
  int enomad_reset_genes = 0;
  double mads_poll0 = 0.0;
  std::string enomad_parents = "uniform";
  std::string enomad_subset_mode = "random";
  double enomad_penalty = 0.0;
  double enomad_penalty_power = 1.3;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  virtual std::string_view name() const = 0;
  virtual int dimension() const = 0;
  // Generations told so far.
  virtual int generation() const = 0;

  // Number of candidates the next (or current, if asked and not yet told)
  // Ask returns. Fixed for most strategies; it changes between generations
  // with restarts (ipop, bipop), mads (opportunistic batches) and enomad
  // (evolution and refinement phases). Callers checking an evaluation budget
  // should use this (or Ask().size()) every generation.
  virtual int population() const = 0;

  // Candidates for this generation (population() vectors of dimension()).
  // Calling Ask twice without Tell returns the same candidates.
  virtual std::vector<std::vector<double>> Ask() = 0;
  // One fitness per candidate from the last Ask, to be maximised.
  virtual void Tell(std::span<const double> fitness) = 0;
  // Replaces candidate `index` of the last Ask by `x` before Tell (island
  // migration, injected solutions); Tell then treats x as if sampled.
  virtual void ReplaceCandidate(int index, std::span<const double> x) = 0;

  // The distribution's centre (the current best estimate of the optimum).
  virtual std::vector<double> Mean() const = 0;

  // A parallel loop the optimizer may use for its own update (CMA-ES splits
  // its matrix work into blocks fixed by n, so results never depend on the
  // thread count): parallel_for(count, body) calls body(i) for i in [0,
  // count) and returns when all are done. Ignored by default.
  using ParallelForFn = std::function<void(int count, const std::function<void(int)>& body)>;
  virtual void SetParallelFor(ParallelForFn /*parallel_for*/) {}

  // Work the optimizer can do while its candidates are evaluated (CMA-ES's
  // eigendecomposition): a callable that touches only the optimizer's own
  // pending buffers, to be run at most once, on any thread, before the next
  // Tell; if nobody runs it, that Tell does the work itself. Results never
  // depend on whether, where or when it ran. Empty when there is none.
  virtual std::function<void()> BackgroundWork() { return {}; }

  // Gradient optimizers (bptt) ask for one candidate, their current point,
  // and are told the gradient of the fitness there (to be maximised) with
  // the fitness itself, instead of Tell(); the others never are.
  virtual bool uses_gradient() const { return false; }
  virtual void TellGradient(double /*fitness*/, std::span<const double> /*gradient*/) {
    throw std::logic_error("TellGradient: this optimizer takes fitness values (Tell), not gradients");
  }

  virtual nlohmann::json SaveState() const = 0;
  virtual void LoadState(const nlohmann::json& state) = 0;
};

// Creates an optimizer. `initial_mean`, when given, overrides
// options.init_mean. Throws ConfigError for unknown kinds or bad options.
std::unique_ptr<Optimizer> MakeOptimizer(const OptimizerOptions& options,
                                         int dimension, uint64_t seed,
                                         std::span<const double> initial_mean = {});
std::vector<std::string> OptimizerKinds();

// Checks the options for options.kind (also the cross-key constraints, e.g.
// restarts only for the CMA-ES family); throws ConfigError naming the key.
// MakeOptimizer calls it; the config parser calls it as well, so a bad
// config fails before any work.
void ValidateOptimizerOptions(const OptimizerOptions& options);

}  // namespace neurevo
