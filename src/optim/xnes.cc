// xNES after Glasmachers et al. 2010, "Exponential Natural Evolution
// Strategies" (GECCO). See xnes.h.
#include "optim/xnes.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/fitness_shaping.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {

Xnes::Xnes(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean)
    : Strategy("xnes", dimension, seed),
      lambda_(options.population),
      sigma0_(options.sigma0),
      shaping_(ResolveFitnessShaping(options.fitness_shaping, "xnes")) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Xnes: initial mean has the wrong size");
  const double n = n_;
  eta_mu_ = 1.0;
  eta_sigma_ = eta_b_ = (9.0 + 3.0 * std::log(n)) / (5.0 * n * std::sqrt(n));
  mu_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  sigma_ = sigma0_;
  b_ = Eigen::MatrixXd::Identity(n_, n_);
}

void Xnes::Sample() {
  z_.resize(n_, lambda_);
  for (int k = 0; k < lambda_; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) z_(i, k) = rng.Normal();
  }
  has_population_ = true;
}

std::vector<std::vector<double>> Xnes::Ask() {
  if (!has_population_) Sample();
  const Eigen::MatrixXd x = (sigma_ * (b_ * z_)).colwise() + mu_;
  std::vector<std::vector<double>> out(static_cast<size_t>(lambda_));
  for (int k = 0; k < lambda_; ++k) out[static_cast<size_t>(k)].assign(x.col(k).data(), x.col(k).data() + n_);
  return out;
}

void Xnes::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= lambda_ || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Xnes::ReplaceCandidate: bad index or dimension");
  if (!has_population_) Sample();
  const Eigen::VectorXd d = (Eigen::Map<const Eigen::VectorXd>(x.data(), n_) - mu_) / sigma_;
  z_.col(index) = b_.partialPivLu().solve(d);
}

void Xnes::Tell(std::span<const double> fitness) {
  if (static_cast<int>(fitness.size()) != lambda_) {
    throw std::invalid_argument("Xnes::Tell: expected " + std::to_string(lambda_) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_population_) Sample();
  const std::vector<double> u = ShapeFitness(fitness, shaping_);
  // A copy, not a Map: Eigen's vectorised reductions (sum) peel elements up
  // to an aligned address, so on unaligned std::vector storage the summation
  // order (and the last bit) would depend on where the heap put it.
  const Eigen::VectorXd uv = Eigen::Map<const Eigen::VectorXd>(u.data(), lambda_);
  const Eigen::VectorXd g_delta = z_ * uv;
  Eigen::MatrixXd g_m = z_ * uv.asDiagonal() * z_.transpose() -
                        uv.sum() * Eigen::MatrixXd::Identity(n_, n_);
  const double g_sigma = g_m.trace() / n_;
  const Eigen::MatrixXd g_b = g_m - g_sigma * Eigen::MatrixXd::Identity(n_, n_);

  const Eigen::VectorXd new_mu = mu_ + eta_mu_ * sigma_ * (b_ * g_delta);
  const double new_sigma = sigma_ * std::exp(0.5 * eta_sigma_ * g_sigma);
  // expm of a symmetric matrix: V exp(L) V^T.
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(0.5 * eta_b_ * g_b);
  Eigen::MatrixXd new_b = b_;
  bool ok = solver.info() == Eigen::Success;
  if (ok) {
    const Eigen::MatrixXd expm = solver.eigenvectors() *
                                 solver.eigenvalues().array().exp().matrix().asDiagonal() *
                                 solver.eigenvectors().transpose();
    new_b = b_ * expm;
  }
  ++generation_;
  has_population_ = false;
  if (!ok || !new_mu.allFinite() || !std::isfinite(new_sigma) || !(new_sigma > 0.0) ||
      !new_b.allFinite()) {
    b_.setIdentity();
    sigma_ = sigma0_;
    if (new_mu.allFinite()) mu_ = new_mu;
    ++resets_;
    return;
  }
  mu_ = new_mu;
  sigma_ = new_sigma;
  b_ = new_b;
}

std::vector<double> Xnes::Mean() const { return {mu_.data(), mu_.data() + n_}; }

nlohmann::json Xnes::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = lambda_;
  j["sigma0"] = sigma0_;
  j["fitness_shaping"] = shaping_;
  j["resets"] = resets_;
  j["sigma"] = sigma_;
  j["mean"] = state_json::FromVector(mu_);
  j["B"] = state_json::FromMatrix(b_);
  return j;
}

void Xnes::LoadState(const nlohmann::json& state) {
  const std::string what = "xnes";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "xnes state") != n_ || state_json::Integer<int>(state, "population", "xnes state") != lambda_)
      throw ConfigError("xnes state: dimension/population do not match this optimizer");
    const auto [seed, generation] = ReadBookkeeping(state, "xnes");
    const double sigma0 = state.at("sigma0").get<double>();
    const std::string shaping = state.at("fitness_shaping").get<std::string>();
    CheckResolvedFitnessShaping(shaping, "xnes state");
    const int resets = state_json::Integer<int>(state, "resets", "xnes state");
    const double sigma = state.at("sigma").get<double>();
    Eigen::VectorXd mean = state_json::ToVector(state, n_, what, "mean");
    Eigen::MatrixXd b = state_json::ToMatrix(state, n_, n_, what, "B");
    namespace inv = state_invariants;
    inv::StepSize(sigma0, what, "sigma0");
    inv::StepSize(sigma, what, "sigma");
    inv::Counter(resets, generation, what, "resets");
    inv::Finite(mean, what, "mean");
    inv::Invertible(b, what, "B");  // the covariance is sigma^2 B B^T
    seed_ = seed;
    sigma0_ = sigma0;
    shaping_ = shaping;
    generation_ = generation;
    resets_ = resets;
    sigma_ = sigma;
    mu_ = std::move(mean);
    b_ = std::move(b);
    has_population_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
