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
// same candidates as the original.
//
// Thread safety: none; one optimizer is driven by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace neurevo {

// Options shared by the strategies; each states its default. Keys in the
// config file are `optimizer.<field>`.
struct OptimizerOptions {
  std::string kind = "cma_es";  // cma_es | openai_es
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
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  virtual std::string_view name() const = 0;
  virtual int dimension() const = 0;
  // Generations told so far.
  virtual int generation() const = 0;

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

  virtual nlohmann::json SaveState() const = 0;
  virtual void LoadState(const nlohmann::json& state) = 0;
};

// Creates an optimizer. `initial_mean`, when given, overrides
// options.init_mean. Throws ConfigError for unknown kinds or bad options.
std::unique_ptr<Optimizer> MakeOptimizer(const OptimizerOptions& options,
                                         int dimension, uint64_t seed,
                                         std::span<const double> initial_mean = {});
std::vector<std::string> OptimizerKinds();

}  // namespace neurevo
