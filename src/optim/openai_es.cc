// OpenAI-ES after Salimans et al. 2017, "Evolution Strategies as a Scalable
// Alternative to Reinforcement Learning" (arXiv:1703.03864). See openai_es.h.
#include "optim/openai_es.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "neurevo/error.h"
#include "optim/adam_step.h"
#include "optim/state_json.h"
#include "neurevo/random.h"
#include "optim/fitness_shaping.h"
#include "optim/state_invariants.h"

namespace neurevo {
namespace {

nlohmann::json VectorToJson(const Eigen::VectorXd& v) {
  return nlohmann::json(std::vector<double>(v.data(), v.data() + v.size()));
}

Eigen::VectorXd VectorFromJson(const nlohmann::json& j, int n, const char* key) {
  const auto values = j.at(key).get<std::vector<double>>();
  if (static_cast<int>(values.size()) != n) {
    throw ConfigError(std::string("openai_es state: '") + key + "' has the wrong size");
  }
  return Eigen::Map<const Eigen::VectorXd>(values.data(), n);
}

}  // namespace

OpenAiEs::OpenAiEs(const OptimizerOptions& options, int dimension, uint64_t seed,
                   std::vector<double> initial_mean)
    : Strategy("openai_es", dimension, seed),
      population_(options.population),
      shaping_(ResolveFitnessShaping(options.fitness_shaping, "openai_es")),
      sigma_(options.sigma0),
      learning_rate_(options.learning_rate),
      weight_decay_(options.weight_decay),
      beta1_(options.adam_beta1),
      beta2_(options.adam_beta2),
      update_(options.es_update),
      momentum_(options.momentum) {
  if (static_cast<int>(initial_mean.size()) != n_) {
    throw std::invalid_argument("OpenAiEs: initial mean has the wrong size");
  }
  theta_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  adam_m_ = Eigen::VectorXd::Zero(n_);
  adam_v_ = Eigen::VectorXd::Zero(n_);
  velocity_ = Eigen::VectorXd::Zero(n_);
}

void OpenAiEs::SampleNoise() {
  const int half = population_ / 2;
  noise_.resize(n_, half);
  for (int k = 0; k < half; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) noise_(i, k) = rng.Normal();
  }
  has_noise_ = true;
}

std::vector<std::vector<double>> OpenAiEs::Ask() {
  if (!has_noise_) SampleNoise();
  std::vector<std::vector<double>> out(static_cast<size_t>(population_));
  for (int k = 0; k < population_ / 2; ++k) {
    auto& plus = out[static_cast<size_t>(2 * k)];
    auto& minus = out[static_cast<size_t>(2 * k + 1)];
    plus.resize(static_cast<size_t>(n_));
    minus.resize(static_cast<size_t>(n_));
    for (int i = 0; i < n_; ++i) {
      const double step = sigma_ * noise_(i, k);
      plus[static_cast<size_t>(i)] = theta_(i) + step;
      minus[static_cast<size_t>(i)] = theta_(i) - step;
    }
  }
  for (const auto& [index, x] : replaced_) out[static_cast<size_t>(index)].assign(x.data(), x.data() + n_);
  return out;
}

std::vector<double> OpenAiEs::CentredRanks(std::span<const double> fitness) {
  return ShapeFitness(fitness, "centered_rank");
}

void OpenAiEs::Tell(std::span<const double> fitness) {
  if (static_cast<int>(fitness.size()) != population_) {
    throw std::invalid_argument("OpenAiEs::Tell: expected " + std::to_string(population_) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_noise_) SampleNoise();
  const std::vector<double> shaped = ShapeFitness(fitness, shaping_);

  // g = 1/(lambda sigma) sum_i shaped_i eps_i; mirrored pairs contribute
  // (shaped_+ - shaped_-) eps_k.
  Eigen::VectorXd g = Eigen::VectorXd::Zero(n_);
  for (int k = 0; k < population_ / 2; ++k) {
    const double diff = shaped[static_cast<size_t>(2 * k)] - shaped[static_cast<size_t>(2 * k + 1)];
    g += diff * noise_.col(k);
  }
  // A replaced candidate contributes its own perturbation (x - theta) / sigma
  // instead of +-eps_k.
  for (const auto& [index, x] : replaced_) {
    const Eigen::VectorXd sampled = (index % 2 == 0 ? 1.0 : -1.0) * noise_.col(index / 2);
    g += shaped[static_cast<size_t>(index)] * ((x - theta_) / sigma_ - sampled);
  }
  replaced_.clear();
  g /= static_cast<double>(population_) * sigma_;

  if (update_ == "momentum") {
    // sum_i u_i (x_i - theta) = sigma sum_i u_i eps_i = lambda sigma^2 g.
    velocity_ = momentum_ * velocity_ + learning_rate_ * static_cast<double>(population_) * sigma_ * sigma_ * g;
    theta_ += velocity_;
  } else {
    // Adam minimising -g + l2 theta (as in the reference code).
    AdamStep(-g + weight_decay_ * theta_, learning_rate_, beta1_, beta2_, adam_m_, adam_v_, adam_t_, theta_);
  }

  ++generation_;
  has_noise_ = false;
}

void OpenAiEs::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= population_ || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("OpenAiEs::ReplaceCandidate: bad index or dimension");
  if (!has_noise_) SampleNoise();
  replaced_[index] = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
}

std::vector<double> OpenAiEs::Mean() const { return {theta_.data(), theta_.data() + n_}; }

nlohmann::json OpenAiEs::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = population_;
  j["fitness_shaping"] = shaping_;
  j["adam_t"] = adam_t_;
  j["theta"] = VectorToJson(theta_);
  j["adam_m"] = VectorToJson(adam_m_);
  j["adam_v"] = VectorToJson(adam_v_);
  if (update_ == "momentum") {
    j["update"] = update_;
    j["velocity"] = VectorToJson(velocity_);
  }
  return j;
}

void OpenAiEs::LoadState(const nlohmann::json& state) {
  try {
    if (state.at("kind").get<std::string>() != "openai_es") {
      throw ConfigError("openai_es state: kind is '" + state.at("kind").get<std::string>() +
                        "'");
    }
    if (state_json::Integer<int>(state, "dimension", "openai_es state") != n_ ||
        state_json::Integer<int>(state, "population", "openai_es state") != population_) {
      throw ConfigError("openai_es state: dimension/population do not match this optimizer");
    }
    const auto [seed, generation] = ReadBookkeeping(state, "openai_es");
    // States written before fitness shaping was configurable used centred ranks.
    const std::string shaping = state.value("fitness_shaping", std::string("centered_rank"));
    CheckResolvedFitnessShaping(shaping, "openai_es state");
    const int adam_t = state_json::Integer<int>(state, "adam_t", "openai_es state");
    Eigen::VectorXd theta = VectorFromJson(state, n_, "theta");
    Eigen::VectorXd m = VectorFromJson(state, n_, "adam_m");
    Eigen::VectorXd v = VectorFromJson(state, n_, "adam_v");
    // States written before the momentum update existed used Adam.
    const std::string update = state.value("update", std::string("adam"));
    if (update != update_)
      throw ConfigError("openai_es state: written with optimizer.es_update = \"" + Echo(update) +
                        "\", but this run sets \"" + update_ + "\"");
    Eigen::VectorXd velocity = update_ == "momentum" ? VectorFromJson(state, n_, "velocity") : Eigen::VectorXd::Zero(n_);
    namespace inv = state_invariants;
    const std::string what = "openai_es";
    inv::Counter(adam_t, generation, what, "adam_t");
    inv::Finite(theta, what, "theta");
    inv::Finite(m, what, "adam_m");
    inv::NonNegative(v, what, "adam_v");
    inv::Finite(velocity, what, "velocity");
    seed_ = seed;
    shaping_ = shaping;
    generation_ = generation;
    adam_t_ = adam_t;
    theta_ = std::move(theta);
    adam_m_ = std::move(m);
    adam_v_ = std::move(v);
    velocity_ = std::move(velocity);
    has_noise_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("openai_es state: ") + e.what());
  }
}

}  // namespace neurevo
