#include "optim/bptt.h"

#include <cmath>
#include <stdexcept>

#include "optim/adam_step.h"
#include "optim/state_invariants.h"
#include "optim/state_json.h"

namespace neurevo {

Bptt::Bptt(const OptimizerOptions& options, int dimension, uint64_t seed, std::vector<double> initial_mean)
    : Strategy("bptt", dimension, seed),
      learning_rate_(options.learning_rate),
      beta1_(options.adam_beta1),
      beta2_(options.adam_beta2),
      clip_(options.gradient_clip),
      theta_(Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), dimension)),
      m_(Eigen::VectorXd::Zero(dimension)),
      v_(Eigen::VectorXd::Zero(dimension)) {}

std::vector<std::vector<double>> Bptt::Ask() { return {Mean()}; }

void Bptt::Tell(std::span<const double>) {
  throw std::logic_error("bptt is told gradients (TellGradient), not fitness values");
}

void Bptt::ReplaceCandidate(int index, std::span<const double> x) {
  if (index != 0 || static_cast<int>(x.size()) != n_) throw std::invalid_argument("bptt: ReplaceCandidate out of range");
  theta_ = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
}

std::vector<double> Bptt::Mean() const { return {theta_.data(), theta_.data() + n_}; }

void Bptt::TellGradient(double, std::span<const double> gradient) {
  if (static_cast<int>(gradient.size()) != n_) throw std::invalid_argument("bptt: gradient of the wrong size");
  Eigen::VectorXd g = Eigen::Map<const Eigen::VectorXd>(gradient.data(), n_);
  last_norm_ = g.norm();
  if (clip_ > 0 && last_norm_ > clip_) g *= clip_ / last_norm_;
  // Adam minimises: it is given the gradient of -fitness.
  const Eigen::VectorXd descent = -g;
  AdamStep(descent, learning_rate_, beta1_, beta2_, m_, v_, t_, theta_);
  ++generation_;
}

nlohmann::json Bptt::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["adam_t"] = t_;
  j["theta"] = state_json::FromVector(theta_);
  j["adam_m"] = state_json::FromVector(m_);
  j["adam_v"] = state_json::FromVector(v_);
  return j;
}

void Bptt::LoadState(const nlohmann::json& state) {
  const std::string what = "bptt";
  try {
    state_json::CheckKind(state, "bptt");
    if (state_json::Integer<int>(state, "dimension", "bptt state") != n_)
      throw ConfigError("bptt state: dimension does not match this optimizer");
    const auto [seed, generation] = ReadBookkeeping(state, what);
    const int t = state_json::Integer<int>(state, "adam_t", "bptt state");
    Eigen::VectorXd theta = state_json::ToVector(state, n_, what, "theta");
    Eigen::VectorXd m = state_json::ToVector(state, n_, what, "adam_m");
    Eigen::VectorXd v = state_json::ToVector(state, n_, what, "adam_v");
    namespace inv = state_invariants;
    inv::Counter(t, generation, what, "adam_t");
    if (t != generation) inv::Fail(what, "adam_t", "differs from the generation (one Adam step per generation)");
    inv::Finite(theta, what, "theta");
    inv::Finite(m, what, "adam_m");
    inv::NonNegative(v, what, "adam_v");
    seed_ = seed;
    generation_ = generation;
    t_ = t;
    theta_ = std::move(theta);
    m_ = std::move(m);
    v_ = std::move(v);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("bptt state: ") + e.what());
  }
}

}  // namespace neurevo
