// IPOP (Auger & Hansen 2005) and BIPOP (Hansen 2009) restarts for CMA-ES.
// See cma_restarts.h.
#include "optim/cma_restarts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "neurevo/error.h"
#include "optim/state_json.h"
#include "neurevo/random.h"
#include "optim/cma_es.h"
#include "optim/sep_cma_es.h"
#include "optim/state_invariants.h"

namespace neurevo {
namespace {

constexpr int kMaxPopulation = 1000000;  // the config's cap on optimizer.population
// Evaluations a saved state may count: 2^53 (exact as a double).
constexpr long long kMaxSavedEvaluations = 1LL << 53;

}  // namespace

CmaRestarts::CmaRestarts(const OptimizerOptions& options, int dimension, uint64_t seed,
                         std::vector<double> initial_mean, bool redraw_uniform_mean)
    : Strategy("cma_restarts", dimension, seed),
      options_(options),
      kind_(options.kind),
      mode_(options.restarts),
      initial_mean_(std::move(initial_mean)),
      redraw_uniform_mean_(redraw_uniform_mean),
      lambda0_(options.population),
      mu0_(std::max(1, options.parents > 0 ? options.parents : options.population / 2)),
      termination_(dimension, options.population) {
  if (kind_ != "cma_es" && kind_ != "sep_cma_es")
    throw std::invalid_argument("CmaRestarts: kind must be cma_es or sep_cma_es");
  if (mode_ != "ipop" && mode_ != "bipop")
    throw std::invalid_argument("CmaRestarts: restarts must be ipop or bipop");
  lambda_ = lambda0_;
  mu_ = mu0_;
  run_sigma0_ = options.sigma0;
  run_seed_ = seed_;
  inner_ = MakeInner(lambda_, mu_, run_sigma0_, run_seed_, initial_mean_);
}

std::unique_ptr<Optimizer> CmaRestarts::MakeInner(int lambda, int mu, double sigma0,
                                                  uint64_t run_seed,
                                                  const std::vector<double>& mean) const {
  OptimizerOptions o = options_;
  o.population = lambda;
  o.parents = mu;
  o.sigma0 = sigma0;
  o.restarts = "none";
  std::unique_ptr<Optimizer> inner;
  if (kind_ == "sep_cma_es")
    inner = std::make_unique<SepCmaEs>(o, n_, run_seed, mean);
  else
    inner = std::make_unique<CmaEs>(o, n_, run_seed, mean);
  inner->SetParallelFor(parallel_for_);
  return inner;
}

CmaSnapshot CmaRestarts::Snapshot() const {
  CmaSnapshot s;
  s.generation = inner_->generation();
  if (const auto* cma = dynamic_cast<const CmaEs*>(inner_.get())) {
    s.sigma = cma->sigma();
    s.sigma0 = cma->sigma0();
    s.mean = cma->mean_vector();
    s.pc = cma->pc();
    s.cov_diagonal = cma->covariance().diagonal();
    s.axis_lengths = cma->axis_lengths();
    s.axes = cma->eigenvectors();
    s.resets = cma->resets();
  } else {
    const auto& sep = dynamic_cast<const SepCmaEs&>(*inner_);
    s.sigma = sep.sigma();
    s.sigma0 = sep.sigma0();
    s.mean = sep.mean_vector();
    s.pc = sep.pc();
    s.cov_diagonal = sep.diagonal();
    s.axis_lengths = sep.diagonal().cwiseSqrt();
    s.resets = sep.resets();
  }
  return s;
}

void CmaRestarts::Tell(std::span<const double> fitness) {
  inner_->Tell(fitness);  // checks the size
  ++generation_;
  (small_ ? evals_small_ : evals_large_) += static_cast<long long>(fitness.size());
  termination_.Record(fitness);
  const std::string reason = termination_.Check(Snapshot());
  if (!reason.empty()) {
    last_reason_ = reason;
    Restart();
  }
}

void CmaRestarts::Restart() {
  ++restarts_;
  RandomStream draws(seed_, static_cast<uint64_t>(restarts_), 0, kRestartDrawChannel,
                     StreamPurpose::kOptimizer);
  if (mode_ == "ipop" || evals_small_ >= evals_large_) {
    // IPOP, or BIPOP's large regime: double the large population.
    ++large_runs_;
    const double lambda = std::min<double>(kMaxPopulation, lambda0_ * std::pow(2.0, large_runs_));
    lambda_ = static_cast<int>(lambda);
    run_sigma0_ = options_.sigma0;
    small_ = false;
  } else {
    const double u = draws.Uniform();
    const double u_sigma = draws.Uniform();
    const double lambda_large = lambda0_ * std::pow(2.0, large_runs_);
    lambda_ = std::max(2, static_cast<int>(std::floor(
                              lambda0_ * std::pow(0.5 * lambda_large / lambda0_, u * u))));
    run_sigma0_ = options_.sigma0 * std::pow(10.0, -2.0 * u_sigma);
    small_ = true;
  }
  // Keep the configured mu / lambda ratio.
  mu_ = std::clamp(static_cast<int>(std::floor(static_cast<double>(lambda_) * mu0_ / lambda0_)), 1,
                   lambda_);
  run_seed_ = HashKey({seed_, static_cast<uint64_t>(restarts_), kRestartSeedSalt});
  std::vector<double> mean = initial_mean_;
  if (redraw_uniform_mean_) {
    RandomStream rng(seed_, static_cast<uint64_t>(restarts_), 0, kRestartMeanChannel,
                     StreamPurpose::kOptimizer);
    for (double& v : mean) v = rng.Uniform();
  }
  inner_ = MakeInner(lambda_, mu_, run_sigma0_, run_seed_, mean);
  termination_ = CmaTermination(n_, lambda_);
}

nlohmann::json CmaRestarts::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["inner_kind"] = kind_;
  j["restarts_mode"] = mode_;
  j["population0"] = lambda0_;
  j["parents0"] = mu0_;
  j["initial_mean"] = initial_mean_;
  j["redraw_uniform_mean"] = redraw_uniform_mean_;
  j["restarts"] = restarts_;
  j["large_runs"] = large_runs_;
  j["evals_small"] = evals_small_;
  j["evals_large"] = evals_large_;
  j["small"] = small_;
  j["population"] = lambda_;
  j["parents"] = mu_;
  j["run_sigma0"] = run_sigma0_;
  j["run_seed"] = run_seed_;
  j["last_reason"] = last_reason_;
  j["termination"] = termination_.SaveState();
  j["inner"] = inner_->SaveState();
  return j;
}

void CmaRestarts::LoadState(const nlohmann::json& state) {
  try {
    if (state.at("kind").get<std::string>() != "cma_restarts" ||
        state.at("inner_kind").get<std::string>() != kind_ ||
        state.at("restarts_mode").get<std::string>() != mode_) {
      throw ConfigError("cma restarts state: kind, inner kind or restart mode do not match (" +
                        kind_ + ", " + mode_ + ")");
    }
    if (state_json::Integer<int>(state, "dimension", "cma restarts state") != n_ || state_json::Integer<int>(state, "population0", "cma restarts state") != lambda0_ ||
        state_json::Integer<int>(state, "parents0", "cma restarts state") != mu0_) {
      throw ConfigError("cma restarts state: dimension/population/parents do not match");
    }
    const int lambda = state_json::Integer<int>(state, "population", "cma restarts state");
    const int mu = state_json::Integer<int>(state, "parents", "cma restarts state");
    const double run_sigma0 = state.at("run_sigma0").get<double>();
    const uint64_t run_seed = state_json::Integer<uint64_t>(state, "run_seed", "cma restarts state");
    auto initial_mean = state.at("initial_mean").get<std::vector<double>>();
    if (static_cast<int>(initial_mean.size()) != n_)
      throw ConfigError("cma restarts state: 'initial_mean' has the wrong size");
    // Checked before the inner strategy is built (its population is sized
    // from them): the population grows by restarts up to kMaxPopulation.
    namespace inv = state_invariants;
    const std::string what = "cma restarts";
    const auto [seed, generation] = ReadBookkeeping(state, "cma restarts");
    const int restarts = state_json::Integer<int>(state, "restarts", "cma restarts state");
    const int large_runs = state_json::Integer<int>(state, "large_runs", "cma restarts state");
    inv::Counter(restarts, generation, what, "restarts");
    inv::Counter(large_runs, restarts, what, "large_runs");
    inv::Counter(state_json::Integer<long long>(state, "evals_small", "cma restarts state"), kMaxSavedEvaluations, what, "evals_small");
    inv::Counter(state_json::Integer<long long>(state, "evals_large", "cma restarts state"), kMaxSavedEvaluations, what, "evals_large");
    if (lambda < 2 || lambda > std::max(kMaxPopulation, lambda0_))
      inv::Fail(what, "population", "is " + std::to_string(lambda) + "; allowed: 2 .. the population cap");
    inv::Counter(mu - 1, lambda - 1, what, "parents");
    inv::StepSize(run_sigma0, what, "run_sigma0");
    for (double x : initial_mean)
      if (!std::isfinite(x)) inv::Fail(what, "initial_mean", "holds a non-finite number");
    auto inner = MakeInner(lambda, mu, run_sigma0, run_seed, initial_mean);
    inner->LoadState(state.at("inner"));
    if (inner->generation() > generation) inv::Fail(what, "inner", "has told more generations than the restarts");
    CmaTermination termination(n_, lambda);
    termination.LoadState(state.at("termination"));
    seed_ = seed;
    initial_mean_ = std::move(initial_mean);
    redraw_uniform_mean_ = state.at("redraw_uniform_mean").get<bool>();
    generation_ = generation;
    restarts_ = restarts;
    large_runs_ = large_runs;
    evals_small_ = state_json::Integer<long long>(state, "evals_small", "cma restarts state");
    evals_large_ = state_json::Integer<long long>(state, "evals_large", "cma restarts state");
    small_ = state.at("small").get<bool>();
    lambda_ = lambda;
    mu_ = mu;
    run_sigma0_ = run_sigma0;
    run_seed_ = run_seed;
    last_reason_ = state.at("last_reason").get<std::string>();
    inner_ = std::move(inner);
    termination_ = std::move(termination);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("cma restarts state: ") + e.what());
  }
}

}  // namespace neurevo
