// Truncation-selection GA with elitism after Such et al. 2018
// (arXiv:1712.06567), with optional uniform crossover. See ga.h.
#include "optim/ga.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {

Ga::Ga(const OptimizerOptions& options, int dimension, uint64_t seed,
       std::vector<double> initial_mean)
    : Strategy("ga", dimension, seed),
      lambda_(options.population),
      truncation_(options.parents > 0 ? options.parents : std::max(1, options.population / 5)),
      elites_(options.elites),
      crossover_(options.crossover < 0.0 ? 0.0 : options.crossover),
      sigma_(options.sigma0) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Ga: initial mean has the wrong size");
  best_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  population_.resize(n_, lambda_);
  population_.col(0) = best_;
  for (int k = 1; k < lambda_; ++k) {
    RandomStream rng(seed_, 0, static_cast<uint64_t>(k), 0, StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) population_(i, k) = best_(i) + sigma_ * rng.Normal();
  }
}

std::vector<std::vector<double>> Ga::Ask() {
  std::vector<std::vector<double>> out(static_cast<size_t>(lambda_));
  for (int k = 0; k < lambda_; ++k)
    out[static_cast<size_t>(k)].assign(population_.col(k).data(), population_.col(k).data() + n_);
  return out;
}

void Ga::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= lambda_ || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Ga::ReplaceCandidate: bad index or dimension");
  population_.col(index) = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
}

void Ga::Tell(std::span<const double> fitness) {
  if (static_cast<int>(fitness.size()) != lambda_) {
    throw std::invalid_argument("Ga::Tell: expected " + std::to_string(lambda_) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  auto value = [&](int i) {
    const double f = fitness[static_cast<size_t>(i)];
    return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f;
  };
  std::vector<int> order(static_cast<size_t>(lambda_));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return value(a) > value(b); });

  best_ = population_.col(order[0]);
  ++generation_;
  Eigen::MatrixXd next(n_, lambda_);
  for (int k = 0; k < elites_; ++k) next.col(k) = population_.col(order[static_cast<size_t>(k)]);
  for (int k = elites_; k < lambda_; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    const int a = order[rng.Below(static_cast<uint64_t>(truncation_))];
    Eigen::VectorXd child = population_.col(a);
    if (crossover_ > 0.0 && rng.Uniform() < crossover_) {
      const int b = order[rng.Below(static_cast<uint64_t>(truncation_))];
      for (int i = 0; i < n_; ++i) {
        if (rng.Uniform() < 0.5) child(i) = population_(i, b);
      }
    }
    for (int i = 0; i < n_; ++i) child(i) += sigma_ * rng.Normal();
    next.col(k) = child;
  }
  population_ = std::move(next);
}

std::vector<double> Ga::Mean() const { return {best_.data(), best_.data() + n_}; }

nlohmann::json Ga::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = lambda_;
  j["truncation"] = truncation_;
  j["elites"] = elites_;
  j["crossover"] = crossover_;
  j["sigma"] = sigma_;
  j["best"] = state_json::FromVector(best_);
  j["candidates"] = state_json::FromMatrix(population_);
  return j;
}

void Ga::LoadState(const nlohmann::json& state) {
  const std::string what = "ga";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "ga state") != n_ || state_json::Integer<int>(state, "population", "ga state") != lambda_ ||
        state_json::Integer<int>(state, "truncation", "ga state") != truncation_ || state_json::Integer<int>(state, "elites", "ga state") != elites_)
      throw ConfigError("ga state: dimension/population/parents/elites do not match this optimizer");
    const double crossover = state.at("crossover").get<double>();
    const double sigma = state.at("sigma").get<double>();
    const auto [seed, generation] = ReadBookkeeping(state, "ga");
    Eigen::VectorXd best = state_json::ToVector(state, n_, what, "best");
    Eigen::MatrixXd candidates = state_json::ToMatrix(state, n_, lambda_, what, "candidates");
    namespace inv = state_invariants;
    inv::Probability(crossover, what, "crossover");
    inv::StepSize(sigma, what, "sigma");
    inv::Finite(best, what, "best");
    inv::Finite(candidates, what, "candidates");
    crossover_ = crossover;
    sigma_ = sigma;
    seed_ = seed;
    generation_ = generation;
    best_ = std::move(best);
    population_ = std::move(candidates);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
