// Separable CMA-ES after Ros & Hansen 2008 (PPSN X), with pycma's separable
// learning rates and optional active weights. See sep_cma_es.h.
#include "optim/sep_cma_es.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/cma_es.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {
namespace {

double Sanitised(double f) {
  return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f;
}

}  // namespace

SepCmaEs::Parameters SepCmaEs::DefaultParameters(int dimension, int lambda, int mu,
                                                 bool active) {
  // Weights, mueff, cs, damps and chiN are those of the full CMA-ES.
  const CmaEs::Parameters full = CmaEs::DefaultParameters(dimension, lambda, mu);
  const double n = dimension;
  Parameters p;
  p.lambda = lambda;
  p.mu = mu;
  p.weights = full.weights;
  p.mueff = full.mueff;
  p.cs = full.cs;
  p.damps = full.damps;
  p.chi_n = full.chi_n;
  const double sqrt_n = std::sqrt(n);
  p.c1 = 1.0 / (n + 2.0 * sqrt_n + p.mueff / n);
  p.cmu = std::min(1.0 - p.c1,
                   (0.25 + p.mueff + 1.0 / p.mueff - 2.0) / (n + 4.0 * sqrt_n + p.mueff / 2.0));
  p.cc = (1.0 + 1.0 / n + p.mueff / n) / (sqrt_n + 1.0 / n + 2.0 * p.mueff / n);
  if (active) p.negative_weights = CmaEs::ActiveWeights(dimension, lambda, mu, p.mueff, p.c1, p.cmu);
  return p;
}

SepCmaEs::SepCmaEs(const OptimizerOptions& options, int dimension, uint64_t seed,
                   std::vector<double> initial_mean)
    : Strategy("sep_cma_es", dimension, seed), sigma0_(options.sigma0) {
  const int lambda = options.population;
  const int mu = options.parents > 0 ? options.parents : lambda / 2;
  params_ = DefaultParameters(n_, lambda, std::max(1, mu), options.active);
  if (static_cast<int>(initial_mean.size()) != n_) {
    throw std::invalid_argument("SepCmaEs: initial mean has the wrong size");
  }
  mean_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  sigma_ = sigma0_;
  c_ = Eigen::VectorXd::Ones(n_);
  d_ = Eigen::VectorXd::Ones(n_);
  ps_ = Eigen::VectorXd::Zero(n_);
  pc_ = Eigen::VectorXd::Zero(n_);
}

void SepCmaEs::SamplePopulation() {
  population_.resize(n_, params_.lambda);
  for (int k = 0; k < params_.lambda; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) population_(i, k) = mean_(i) + sigma_ * d_(i) * rng.Normal();
  }
  has_population_ = true;
}

std::vector<std::vector<double>> SepCmaEs::Ask() {
  if (!has_population_) SamplePopulation();
  std::vector<std::vector<double>> out(static_cast<size_t>(params_.lambda));
  for (int k = 0; k < params_.lambda; ++k) {
    const double* col = population_.col(k).data();
    out[static_cast<size_t>(k)].assign(col, col + n_);
  }
  return out;
}

void SepCmaEs::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= params_.lambda || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("SepCmaEs::ReplaceCandidate: bad index or dimension");
  if (!has_population_) SamplePopulation();
  // Clip the injected step's Mahalanobis length as cma_es does (Hansen 2011).
  Eigen::VectorXd y = (Eigen::Map<const Eigen::VectorXd>(x.data(), n_) - mean_) / sigma_;
  const double length = y.cwiseQuotient(d_).norm();
  const double bound = std::sqrt(static_cast<double>(n_)) + 2.0 * n_ / (n_ + 2.0);
  if (length > bound) y *= bound / length;
  population_.col(index) = mean_ + sigma_ * y;
}

void SepCmaEs::Tell(std::span<const double> fitness) {
  const Parameters& p = params_;
  if (static_cast<int>(fitness.size()) != p.lambda) {
    throw std::invalid_argument("SepCmaEs::Tell: expected " + std::to_string(p.lambda) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_population_) SamplePopulation();
  std::vector<int> order(static_cast<size_t>(p.lambda));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return Sanitised(fitness[static_cast<size_t>(a)]) > Sanitised(fitness[static_cast<size_t>(b)]);
  });

  const Eigen::VectorXd old_mean = mean_;
  Eigen::VectorXd y_w = Eigen::VectorXd::Zero(n_);
  Eigen::VectorXd rank_mu = Eigen::VectorXd::Zero(n_);  // sum w_i y_i^2
  for (int i = 0; i < p.mu; ++i) {
    const Eigen::VectorXd y = (population_.col(order[static_cast<size_t>(i)]) - old_mean) / sigma_;
    const double w = p.weights[static_cast<size_t>(i)];
    y_w += w * y;
    rank_mu += w * y.cwiseAbs2();
  }
  double sum_neg = 0.0;
  for (int i = p.mu; i < p.lambda && !p.negative_weights.empty(); ++i) {
    const double wn = p.negative_weights[static_cast<size_t>(i - p.mu)];
    if (wn == 0.0) continue;
    sum_neg += wn;
    const Eigen::VectorXd y = (population_.col(order[static_cast<size_t>(i)]) - old_mean) / sigma_;
    const double mahalanobis2 = y.cwiseQuotient(d_).squaredNorm();
    rank_mu += (wn * n_ / std::max(mahalanobis2, 1e-300)) * y.cwiseAbs2();
  }
  mean_ = old_mean + sigma_ * y_w;

  ps_ = (1.0 - p.cs) * ps_ + std::sqrt(p.cs * (2.0 - p.cs) * p.mueff) * y_w.cwiseQuotient(d_);
  ++generation_;
  const double ps_norm = ps_.norm();
  const double hsig_lhs =
      ps_norm / std::sqrt(1.0 - std::pow(1.0 - p.cs, 2.0 * generation_)) / p.chi_n;
  const double hsig = hsig_lhs < 1.4 + 2.0 / (n_ + 1.0) ? 1.0 : 0.0;
  pc_ = (1.0 - p.cc) * pc_ + hsig * std::sqrt(p.cc * (2.0 - p.cc) * p.mueff) * y_w;

  const double delta_hsig = (1.0 - hsig) * p.cc * (2.0 - p.cc);
  c_ = (1.0 - p.c1 + p.c1 * delta_hsig - p.cmu * (1.0 + sum_neg)) * c_ + p.c1 * pc_.cwiseAbs2() +
       p.cmu * rank_mu;
  sigma_ *= std::exp(std::min(1.0, (p.cs / p.damps) * (ps_norm / p.chi_n - 1.0)));

  has_population_ = false;
  if (!mean_.allFinite()) {
    Reset(old_mean);
    return;
  }
  if (!std::isfinite(sigma_) || !(sigma_ > 0.0) || !c_.allFinite() || !(c_.minCoeff() > 0.0) ||
      c_.maxCoeff() > 1e14 * c_.minCoeff()) {
    Reset(mean_);
    return;
  }
  d_ = c_.cwiseSqrt();
}

void SepCmaEs::Reset(const Eigen::VectorXd& fallback_mean) {
  mean_ = fallback_mean;
  sigma_ = sigma0_;
  c_.setOnes();
  d_.setOnes();
  ps_.setZero();
  pc_.setZero();
  ++resets_;
}

std::vector<double> SepCmaEs::Mean() const { return {mean_.data(), mean_.data() + n_}; }

nlohmann::json SepCmaEs::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = params_.lambda;
  j["parents"] = params_.mu;
  j["active"] = active();
  j["sigma0"] = sigma0_;
  j["resets"] = resets_;
  j["sigma"] = sigma_;
  j["mean"] = state_json::FromVector(mean_);
  j["ps"] = state_json::FromVector(ps_);
  j["pc"] = state_json::FromVector(pc_);
  j["C"] = state_json::FromVector(c_);
  return j;
}

void SepCmaEs::LoadState(const nlohmann::json& state) {
  const std::string what = "sep_cma_es";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "sep_cma_es state") != n_ ||
        state_json::Integer<int>(state, "population", "sep_cma_es state") != params_.lambda ||
        state_json::Integer<int>(state, "parents", "sep_cma_es state") != params_.mu ||
        state.at("active").get<bool>() != active()) {
      throw ConfigError(
          "sep_cma_es state: dimension/population/parents/active do not match this optimizer");
    }
    const auto [seed, generation] = ReadBookkeeping(state, "sep_cma_es");
    const double sigma0 = state.at("sigma0").get<double>();
    const int resets = state_json::Integer<int>(state, "resets", "sep_cma_es state");
    const double sigma = state.at("sigma").get<double>();
    Eigen::VectorXd mean = state_json::ToVector(state, n_, what, "mean");
    Eigen::VectorXd ps = state_json::ToVector(state, n_, what, "ps");
    Eigen::VectorXd pc = state_json::ToVector(state, n_, what, "pc");
    Eigen::VectorXd c = state_json::ToVector(state, n_, what, "C");
    namespace inv = state_invariants;
    inv::StepSize(sigma0, what, "sigma0");
    inv::StepSize(sigma, what, "sigma");
    inv::Counter(resets, generation, what, "resets");
    inv::Finite(mean, what, "mean");
    inv::Finite(ps, what, "ps");
    inv::Finite(pc, what, "pc");
    inv::StepSizes(c, what, "C");  // a diagonal covariance: positive variances
    if (c.maxCoeff() > 1e14 * (1 + 1e-9) * c.minCoeff()) inv::Fail(what, "C", "has a condition above 1e14");
    seed_ = seed;
    sigma0_ = sigma0;
    generation_ = generation;
    resets_ = resets;
    sigma_ = sigma;
    mean_ = std::move(mean);
    ps_ = std::move(ps);
    pc_ = std::move(pc);
    c_ = std::move(c);
    d_ = c_.cwiseSqrt();
    has_population_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
