// PGPE after Sehnke et al. 2010 (symmetric sampling), with ClipUp (Toklu et
// al. 2020) or Adam for the centre. See pgpe.h.
#include "optim/pgpe.h"

#include <algorithm>
#include <limits>
#include <cmath>
#include <stdexcept>

#include "neurevo/error.h"
#include "optim/adam_step.h"
#include "neurevo/random.h"
#include "optim/fitness_shaping.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {

Pgpe::Pgpe(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean)
    : Strategy("pgpe", dimension, seed),
      lambda_(options.population),
      shaping_(ResolveFitnessShaping(options.fitness_shaping, "pgpe")),
      center_optimizer_(options.pgpe_optimizer),
      learning_rate_(options.learning_rate),
      sigma_lr_(options.pgpe_sigma_lr),
      beta1_(options.adam_beta1),
      beta2_(options.adam_beta2) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Pgpe: initial mean has the wrong size");
  mu_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  sigma_ = Eigen::VectorXd::Constant(n_, options.sigma0);
  velocity_ = Eigen::VectorXd::Zero(n_);
  adam_m_ = Eigen::VectorXd::Zero(n_);
  adam_v_ = Eigen::VectorXd::Zero(n_);
}

void Pgpe::Sample() {
  eps_.resize(n_, lambda_ / 2);
  for (int k = 0; k < lambda_ / 2; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) eps_(i, k) = sigma_(i) * rng.Normal();
  }
  replaced_.clear();
  has_noise_ = true;
}

std::vector<std::vector<double>> Pgpe::Ask() {
  if (!has_noise_) Sample();
  std::vector<std::vector<double>> out(static_cast<size_t>(lambda_), std::vector<double>(n_));
  for (int k = 0; k < lambda_ / 2; ++k) {
    for (int i = 0; i < n_; ++i) {
      out[static_cast<size_t>(2 * k)][static_cast<size_t>(i)] = mu_(i) + eps_(i, k);
      out[static_cast<size_t>(2 * k + 1)][static_cast<size_t>(i)] = mu_(i) - eps_(i, k);
    }
  }
  for (const auto& [index, x] : replaced_) out[static_cast<size_t>(index)].assign(x.data(), x.data() + n_);
  return out;
}

void Pgpe::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= lambda_ || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Pgpe::ReplaceCandidate: bad index or dimension");
  if (!has_noise_) Sample();
  replaced_[index] = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
}

void Pgpe::Tell(std::span<const double> fitness) {
  if (static_cast<int>(fitness.size()) != lambda_) {
    throw std::invalid_argument("Pgpe::Tell: expected " + std::to_string(lambda_) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_noise_) Sample();
  const std::vector<double> u = ShapeFitness(fitness, shaping_);
  double baseline = 0.0;
  for (double v : u) baseline += v;
  baseline /= lambda_;
  const double pairs = lambda_ / 2;
  Eigen::VectorXd grad_mu = Eigen::VectorXd::Zero(n_);
  Eigen::VectorXd grad_sigma = Eigen::VectorXd::Zero(n_);
  const Eigen::VectorXd sigma2 = sigma_.cwiseAbs2();
  for (int i = 0; i < lambda_; ++i) {
    Eigen::VectorXd e;
    if (auto it = replaced_.find(i); it != replaced_.end()) {
      e = it->second - mu_;
    } else {
      e = (i % 2 == 0 ? 1.0 : -1.0) * eps_.col(i / 2);
    }
    const double ui = u[static_cast<size_t>(i)];
    grad_mu += (0.5 * ui) * e;
    grad_sigma += (0.5 * (ui - baseline)) * (e.cwiseAbs2() - sigma2).cwiseQuotient(sigma_);
  }
  grad_mu /= pairs;
  grad_sigma /= pairs;

  if (center_optimizer_ == "clipup") {
    const double norm = grad_mu.norm();
    velocity_ *= kMomentum;
    if (norm > 0.0) velocity_ += (learning_rate_ / norm) * grad_mu;
    const double speed = velocity_.norm(), max_speed = 2.0 * learning_rate_;
    if (speed > max_speed) velocity_ *= max_speed / speed;
    mu_ += velocity_;
  } else if (center_optimizer_ == "adam") {
    AdamStep(-grad_mu, learning_rate_, beta1_, beta2_, adam_m_, adam_v_, adam_t_, mu_);  // Adam minimises
  } else {
    mu_ += learning_rate_ * grad_mu;
  }
  for (int i = 0; i < n_; ++i) {
    const double proposed = sigma_(i) + sigma_lr_ * grad_sigma(i);
    const double lo = (1.0 - kMaxSigmaChange) * sigma_(i), hi = (1.0 + kMaxSigmaChange) * sigma_(i);
    // A non-finite proposal (non-finite fitness under raw shaping) keeps sigma.
    sigma_(i) = std::isfinite(proposed) ? std::clamp(proposed, lo, hi) : sigma_(i);
  }
  ++generation_;
  has_noise_ = false;
  replaced_.clear();
}

std::vector<double> Pgpe::Mean() const { return {mu_.data(), mu_.data() + n_}; }

nlohmann::json Pgpe::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = lambda_;
  j["fitness_shaping"] = shaping_;
  j["pgpe_optimizer"] = center_optimizer_;
  j["adam_t"] = adam_t_;
  j["mean"] = state_json::FromVector(mu_);
  j["sigma"] = state_json::FromVector(sigma_);
  j["velocity"] = state_json::FromVector(velocity_);
  j["adam_m"] = state_json::FromVector(adam_m_);
  j["adam_v"] = state_json::FromVector(adam_v_);
  return j;
}

void Pgpe::LoadState(const nlohmann::json& state) {
  const std::string what = "pgpe";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "pgpe state") != n_ || state_json::Integer<int>(state, "population", "pgpe state") != lambda_ ||
        state.at("pgpe_optimizer").get<std::string>() != center_optimizer_)
      throw ConfigError("pgpe state: dimension/population/pgpe_optimizer do not match this optimizer");
    const auto [seed, generation] = ReadBookkeeping(state, "pgpe");
    const std::string shaping = state.at("fitness_shaping").get<std::string>();
    CheckResolvedFitnessShaping(shaping, "pgpe state");
    const int adam_t = state_json::Integer<int>(state, "adam_t", "pgpe state");
    Eigen::VectorXd mean = state_json::ToVector(state, n_, what, "mean");
    Eigen::VectorXd sigma = state_json::ToVector(state, n_, what, "sigma");
    Eigen::VectorXd velocity = state_json::ToVector(state, n_, what, "velocity");
    Eigen::VectorXd m = state_json::ToVector(state, n_, what, "adam_m");
    Eigen::VectorXd v = state_json::ToVector(state, n_, what, "adam_v");
    namespace inv = state_invariants;
    inv::Counter(adam_t, generation, what, "adam_t");
    inv::Finite(mean, what, "mean");
    inv::StepSizes(sigma, what, "sigma");
    inv::Finite(velocity, what, "velocity");
    inv::Finite(m, what, "adam_m");
    inv::NonNegative(v, what, "adam_v");
    seed_ = seed;
    shaping_ = shaping;
    generation_ = generation;
    adam_t_ = adam_t;
    mu_ = std::move(mean);
    sigma_ = std::move(sigma);
    velocity_ = std::move(velocity);
    adam_m_ = std::move(m);
    adam_v_ = std::move(v);
    has_noise_ = false;
    replaced_.clear();
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
