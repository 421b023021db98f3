// SNES after Schaul, Glasmachers & Schmidhuber 2011, "High Dimensions and
// Heavy Tails for Natural Evolution Strategies" (GECCO). See snes.h.
#include "optim/snes.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/fitness_shaping.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {

Snes::Snes(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean)
    : Strategy("snes", dimension, seed),
      lambda_(options.population),
      sigma0_(options.sigma0),
      shaping_(ResolveFitnessShaping(options.fitness_shaping, "snes")) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Snes: initial mean has the wrong size");
  eta_mu_ = 1.0;
  eta_sigma_ = (3.0 + std::log(static_cast<double>(n_))) / (5.0 * std::sqrt(static_cast<double>(n_)));
  mu_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  sigma_ = Eigen::VectorXd::Constant(n_, sigma0_);
}

void Snes::Sample() {
  z_.resize(n_, lambda_);
  for (int k = 0; k < lambda_; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) z_(i, k) = rng.Normal();
  }
  has_population_ = true;
}

std::vector<std::vector<double>> Snes::Ask() {
  if (!has_population_) Sample();
  std::vector<std::vector<double>> out(static_cast<size_t>(lambda_), std::vector<double>(n_));
  for (int k = 0; k < lambda_; ++k)
    for (int i = 0; i < n_; ++i) out[static_cast<size_t>(k)][static_cast<size_t>(i)] = mu_(i) + sigma_(i) * z_(i, k);
  return out;
}

void Snes::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= lambda_ || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Snes::ReplaceCandidate: bad index or dimension");
  if (!has_population_) Sample();
  z_.col(index) = (Eigen::Map<const Eigen::VectorXd>(x.data(), n_) - mu_).cwiseQuotient(sigma_);
}

void Snes::Tell(std::span<const double> fitness) {
  if (static_cast<int>(fitness.size()) != lambda_) {
    throw std::invalid_argument("Snes::Tell: expected " + std::to_string(lambda_) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_population_) Sample();
  const std::vector<double> u = ShapeFitness(fitness, shaping_);
  // A copy, not a Map: Eigen's vectorised reductions (sum) peel elements up
  // to an aligned address, so on unaligned std::vector storage the summation
  // order (and the last bit) would depend on where the heap put it.
  const Eigen::VectorXd uv = Eigen::Map<const Eigen::VectorXd>(u.data(), lambda_);
  const Eigen::VectorXd grad_mu = z_ * uv;
  const Eigen::VectorXd grad_sigma = z_.cwiseAbs2() * uv - uv.sum() * Eigen::VectorXd::Ones(n_);
  const Eigen::VectorXd new_mu = mu_ + eta_mu_ * sigma_.cwiseProduct(grad_mu);
  const Eigen::VectorXd new_sigma =
      sigma_.cwiseProduct((0.5 * eta_sigma_ * grad_sigma).array().exp().matrix());
  ++generation_;
  has_population_ = false;
  if (!new_mu.allFinite() || !new_sigma.allFinite() || !(new_sigma.minCoeff() > 0.0)) {
    if (new_mu.allFinite()) mu_ = new_mu;
    sigma_.setConstant(sigma0_);
    ++resets_;
    return;
  }
  mu_ = new_mu;
  sigma_ = new_sigma;
}

std::vector<double> Snes::Mean() const { return {mu_.data(), mu_.data() + n_}; }

nlohmann::json Snes::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = lambda_;
  j["sigma0"] = sigma0_;
  j["fitness_shaping"] = shaping_;
  j["resets"] = resets_;
  j["mean"] = state_json::FromVector(mu_);
  j["sigma"] = state_json::FromVector(sigma_);
  return j;
}

void Snes::LoadState(const nlohmann::json& state) {
  const std::string what = "snes";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "snes state") != n_ || state_json::Integer<int>(state, "population", "snes state") != lambda_)
      throw ConfigError("snes state: dimension/population do not match this optimizer");
    const auto [seed, generation] = ReadBookkeeping(state, "snes");
    const double sigma0 = state.at("sigma0").get<double>();
    const std::string shaping = state.at("fitness_shaping").get<std::string>();
    CheckResolvedFitnessShaping(shaping, "snes state");
    const int resets = state_json::Integer<int>(state, "resets", "snes state");
    Eigen::VectorXd mean = state_json::ToVector(state, n_, what, "mean");
    Eigen::VectorXd sigma = state_json::ToVector(state, n_, what, "sigma");
    namespace inv = state_invariants;
    inv::StepSize(sigma0, what, "sigma0");
    inv::StepSizes(sigma, what, "sigma");
    inv::Counter(resets, generation, what, "resets");
    inv::Finite(mean, what, "mean");
    seed_ = seed;
    sigma0_ = sigma0;
    shaping_ = shaping;
    generation_ = generation;
    resets_ = resets;
    mu_ = std::move(mean);
    sigma_ = std::move(sigma);
    has_population_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
