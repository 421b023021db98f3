// CMA-ES after Hansen, "The CMA Evolution Strategy: A Tutorial"
// (arXiv:1604.00772), structured like Hansen's purecma.py. See cma_es.h.
#include "optim/cma_es.h"

#include <algorithm>
#include <future>
#include <memory>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "optim/symmetric_eigen.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {
namespace {

// Fitness with NaN mapped to the worst value (neurevo maximises).
double Sanitised(double f) {
  return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f;
}

nlohmann::json VectorToJson(const Eigen::VectorXd& v) {
  return nlohmann::json(std::vector<double>(v.data(), v.data() + v.size()));
}

Eigen::VectorXd VectorFromJson(const nlohmann::json& j, int n, const char* key) {
  const auto values = j.at(key).get<std::vector<double>>();
  if (static_cast<int>(values.size()) != n) {
    throw ConfigError(std::string("cma_es state: '") + key + "' has the wrong size");
  }
  return Eigen::Map<const Eigen::VectorXd>(values.data(), n);
}

// A packed matrix (state_json.h), or the list of rows of states written
// before 2026-12-02.
Eigen::MatrixXd MatrixFromJson(const nlohmann::json& j, int n, const char* key) {
  if (!j.at(key).is_array()) return state_json::FromPacked(j.at(key), n, n, "cma_es", key);
  const auto rows = j.at(key).get<std::vector<std::vector<double>>>();
  if (static_cast<int>(rows.size()) != n) {
    throw ConfigError(std::string("cma_es state: '") + key + "' has the wrong size");
  }
  Eigen::MatrixXd m(n, n);
  for (int i = 0; i < n; ++i) {
    if (static_cast<int>(rows[static_cast<size_t>(i)].size()) != n) {
      throw ConfigError(std::string("cma_es state: '") + key + "' has the wrong size");
    }
    for (int k = 0; k < n; ++k) m(i, k) = rows[static_cast<size_t>(i)][static_cast<size_t>(k)];
  }
  return m;
}

}  // namespace

CmaEs::Parameters CmaEs::DefaultParameters(int dimension, int lambda, int mu, bool active) {
  const double n = dimension;
  Parameters p;
  p.lambda = lambda;
  p.mu = mu;
  p.weights.resize(static_cast<size_t>(mu));
  for (int i = 0; i < mu; ++i) {
    p.weights[static_cast<size_t>(i)] = std::log(mu + 0.5) - std::log(i + 1.0);
  }
  const double sum_w = std::accumulate(p.weights.begin(), p.weights.end(), 0.0);
  double sum_w2 = 0.0;
  for (double& w : p.weights) {
    w /= sum_w;
    sum_w2 += w * w;
  }
  p.mueff = 1.0 / sum_w2;
  p.cc = (4.0 + p.mueff / n) / (n + 4.0 + 2.0 * p.mueff / n);
  p.cs = (p.mueff + 2.0) / (n + p.mueff + 5.0);
  p.c1 = 2.0 / ((n + 1.3) * (n + 1.3) + p.mueff);
  p.cmu = std::min(1.0 - p.c1, 2.0 * (p.mueff - 2.0 + 1.0 / p.mueff) /
                                   ((n + 2.0) * (n + 2.0) + p.mueff));
  p.damps = 1.0 + 2.0 * std::max(0.0, std::sqrt((p.mueff - 1.0) / (n + 1.0)) - 1.0) + p.cs;
  p.chi_n = std::sqrt(n) * (1.0 - 1.0 / (4.0 * n) + 1.0 / (21.0 * n * n));
  if (active) p.negative_weights = ActiveWeights(dimension, lambda, mu, p.mueff, p.c1, p.cmu);
  return p;
}

std::vector<double> CmaEs::ActiveWeights(int dimension, int lambda, int mu, double mueff,
                                         double c1, double cmu) {
  // Tutorial eq. (53): raw weights ln((lambda+1)/2) - ln i for ranks
  // mu+1..lambda, kept where negative, then scaled (see cma_es.h).
  const double n = dimension;
  std::vector<double> neg;
  for (int i = mu + 1; i <= lambda; ++i) {
    neg.push_back(std::min(0.0, std::log((lambda + 1.0) / 2.0) - std::log(static_cast<double>(i))));
  }
  double sum_neg = 0.0, sum_neg2 = 0.0;
  for (double w : neg) {
    sum_neg += w;
    sum_neg2 += w * w;
  }
  if (!(sum_neg < 0.0) || !(cmu > 0.0)) return {};
  const double mueff_neg = sum_neg * sum_neg / sum_neg2;
  const double alpha_mu = 1.0 + c1 / cmu;
  const double alpha_mueff = 1.0 + 2.0 * mueff_neg / (mueff + 2.0);
  const double alpha_posdef = (1.0 - c1 - cmu) / (n * cmu);
  const double scale = std::min({alpha_mu, alpha_mueff, alpha_posdef}) / -sum_neg;
  for (double& w : neg) w *= scale;
  return neg;
}

CmaEs::CmaEs(const OptimizerOptions& options, int dimension, uint64_t seed,
             std::vector<double> initial_mean)
    : Strategy("cma_es", dimension, seed), sigma0_(options.sigma0) {
  const int lambda = options.population;
  const int mu = options.parents > 0 ? options.parents : lambda / 2;
  params_ = DefaultParameters(n_, lambda, std::max(1, mu), options.active);
  if (static_cast<int>(initial_mean.size()) != n_) {
    throw std::invalid_argument("CmaEs: initial mean has the wrong size");
  }
  mean_ = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  sigma_ = sigma0_;
  c_ = Eigen::MatrixXd::Identity(n_, n_);
  b_ = Eigen::MatrixXd::Identity(n_, n_);
  d_ = Eigen::VectorXd::Ones(n_);
  ps_ = Eigen::VectorXd::Zero(n_);
  pc_ = Eigen::VectorXd::Zero(n_);
}

void CmaEs::SamplePopulation() {
  // All lambda steps in one matrix product, B (D Z): B is read once, not
  // once per candidate (at n = 5000 it is 200 MB).
  Eigen::MatrixXd z(n_, params_.lambda);
  for (int k = 0; k < params_.lambda; ++k) {
    RandomStream rng(seed_, static_cast<uint64_t>(generation_), static_cast<uint64_t>(k), 0,
                     StreamPurpose::kOptimizer);
    for (int i = 0; i < n_; ++i) z(i, k) = d_(i) * rng.Normal();
  }
  population_.resize(n_, params_.lambda);
  ForBlocks([&](int r0, int h) {
    auto rows = population_.middleRows(r0, h);
    rows.noalias() = b_.middleRows(r0, h) * z;
    rows *= sigma_;
    rows.colwise() += mean_.segment(r0, h);
  });
  has_population_ = true;
}

void CmaEs::ForBlocks(const std::function<void(int first, int size)>& body) const {
  // Blocks fixed by n alone, so that each one's arithmetic, and so every
  // result, is the same whichever thread runs it and however many there are.
  const int blocks = (n_ + kBlock - 1) / kBlock;
  const auto run = [&](int b) { body(b * kBlock, std::min(kBlock, n_ - b * kBlock)); };
  if (parallel_for_ && blocks > 1) {
    parallel_for_(blocks, run);
  } else {
    for (int b = 0; b < blocks; ++b) run(b);
  }
}

std::vector<std::vector<double>> CmaEs::Ask() {
  if (!has_population_) SamplePopulation();
  std::vector<std::vector<double>> out(static_cast<size_t>(params_.lambda));
  for (int k = 0; k < params_.lambda; ++k) {
    const double* col = population_.col(k).data();
    out[static_cast<size_t>(k)].assign(col, col + n_);
  }
  return out;
}

void CmaEs::ReplaceCandidate(int index, std::span<const double> x) {
  if (index < 0 || index >= params_.lambda || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("CmaEs::ReplaceCandidate: bad index or dimension");
  if (!has_population_) SamplePopulation();
  // An injected step may be far longer than sampled ones; clip its
  // Mahalanobis length to sqrt(n) + 2n/(n+2) (Hansen 2011, "Injecting
  // external solutions into CMA-ES") so one migrant cannot blow up C.
  Eigen::VectorXd y = (Eigen::Map<const Eigen::VectorXd>(x.data(), n_) - mean_) / sigma_;
  const double length = (b_.transpose() * y).cwiseQuotient(d_).norm();
  const double bound = std::sqrt(static_cast<double>(n_)) + 2.0 * n_ / (n_ + 2.0);
  if (length > bound) y *= bound / length;
  population_.col(index) = mean_ + sigma_ * y;
}

void CmaEs::Tell(std::span<const double> fitness) {
  const Parameters& p = params_;
  if (static_cast<int>(fitness.size()) != p.lambda) {
    throw std::invalid_argument("CmaEs::Tell: expected " + std::to_string(p.lambda) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  if (!has_population_) SamplePopulation();

  // Rank best first (maximisation); stable so that ties are deterministic.
  std::vector<int> order(static_cast<size_t>(p.lambda));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return Sanitised(fitness[static_cast<size_t>(a)]) > Sanitised(fitness[static_cast<size_t>(b)]);
  });

  const Eigen::VectorXd old_mean = mean_;
  Eigen::MatrixXd y(n_, p.mu);  // selected steps (x_i:lambda - m) / sigma
  for (int i = 0; i < p.mu; ++i) {
    y.col(i) = (population_.col(order[static_cast<size_t>(i)]) - old_mean) / sigma_;
  }
  const Eigen::Map<const Eigen::VectorXd> w(p.weights.data(), p.mu);
  const Eigen::VectorXd y_w = y * w;
  mean_ = old_mean + sigma_ * y_w;

  // Step-size path with C^{-1/2} y_w = B D^{-1} B^T y_w (by blocks of B's
  // columns, then of its rows).
  Eigen::VectorXd scaled(n_), c_inv_sqrt_y(n_);
  ForBlocks([&](int j0, int w) {
    scaled.segment(j0, w).noalias() = b_.middleCols(j0, w).transpose() * y_w;
    scaled.segment(j0, w).array() /= d_.segment(j0, w).array();
  });
  ForBlocks([&](int r0, int h) { c_inv_sqrt_y.segment(r0, h).noalias() = b_.middleRows(r0, h) * scaled; });
  ps_ = (1.0 - p.cs) * ps_ + std::sqrt(p.cs * (2.0 - p.cs) * p.mueff) * c_inv_sqrt_y;
  ++generation_;

  const double ps_norm = ps_.norm();
  const double hsig_lhs =
      ps_norm / std::sqrt(1.0 - std::pow(1.0 - p.cs, 2.0 * generation_)) / p.chi_n;
  const double hsig = hsig_lhs < 1.4 + 2.0 / (n_ + 1.0) ? 1.0 : 0.0;
  pc_ = (1.0 - p.cc) * pc_ + hsig * std::sqrt(p.cc * (2.0 - p.cc) * p.mueff) * y_w;

  // C <- (1 - c1 + c1 delta(hsig) - cmu sum w) C + c1 pc pc^T + cmu sum w_i y_i y_i^T.
  const double delta_hsig = (1.0 - hsig) * p.cc * (2.0 - p.cc);
  // sum w = 1 + sum(w^-); exactly 1 without active CMA.
  double sum_neg = 0.0;
  for (double wn : p.negative_weights) sum_neg += wn;
  // The rank-mu update's steps with their coefficients: cmu w_i y_i for the
  // mu best; with active CMA also cmu w_o y_o for the worst (see cma_es.h:
  // each negative weight rescaled by n / ||C^{-1/2} y_o||^2, with B and D
  // still those of the old C).
  const int worst = static_cast<int>(
      std::count_if(p.negative_weights.begin(), p.negative_weights.end(), [](double wn) { return wn != 0.0; }));
  Eigen::MatrixXd steps(n_, p.mu + worst), weighted(n_, p.mu + worst);
  steps.leftCols(p.mu) = y;
  weighted.leftCols(p.mu) = p.cmu * (y * w.asDiagonal());
  for (int i = p.mu, col = p.mu; i < p.lambda && !p.negative_weights.empty(); ++i) {
    const double wn = p.negative_weights[static_cast<size_t>(i - p.mu)];
    if (wn == 0.0) continue;
    const Eigen::VectorXd yi = (population_.col(order[static_cast<size_t>(i)]) - old_mean) / sigma_;
    const double mahalanobis2 = (b_.transpose() * yi).cwiseQuotient(d_).squaredNorm();
    const double wo = wn * n_ / std::max(mahalanobis2, 1e-300);
    steps.col(col) = yi;
    weighted.col(col++) = p.cmu * wo * yi;
  }
  const double decay = 1.0 - p.c1 + p.c1 * delta_hsig - p.cmu * (1.0 + sum_neg);
  // C <- decay C + c1 pc pc^T + sum of the weighted steps' outer products,
  // by blocks of columns; then exactly symmetric again (the products round
  // (i, j) and (j, i) differently) by mirroring the lower triangle, which
  // the eigensolver reads, into the upper, without a temporary n x n matrix.
  ForBlocks([&](int j0, int w) {
    auto cols = c_.middleCols(j0, w);
    cols *= decay;
    cols.noalias() += p.c1 * pc_ * pc_.segment(j0, w).transpose();
    cols.noalias() += weighted * steps.middleRows(j0, w).transpose();
  });
  // Tile by tile (kTile x kTile, source and target in L1): reading the
  // lower triangle row by row strides through all of C and took half of a
  // generation's update at n = 7658.
  ForBlocks([&](int j0, int w) {
    const long ld = c_.outerStride();
    double* c = c_.data();
    for (int r0 = 0; r0 < j0 + w; r0 += kTile) {
      for (int t0 = j0; t0 < j0 + w; t0 += kTile) {  // the tile of rows r0.., columns t0..
        const int t_end = std::min(j0 + w, t0 + kTile);
        for (int j = t0; j < t_end; ++j) {
          const int i_end = std::min(r0 + kTile, j);
          for (int i = r0; i < i_end; ++i) c[j * ld + i] = c[i * ld + j];
        }
      }
    }
  });

  sigma_ *= std::exp(std::min(1.0, (p.cs / p.damps) * (ps_norm / p.chi_n - 1.0)));

  has_population_ = false;
  if (!mean_.allFinite()) {
    Reset(old_mean);
    return;
  }
  if (!std::isfinite(sigma_) || !(sigma_ > 0.0) || !c_.allFinite()) {
    Reset(mean_);
    return;
  }
  // Lazy eigendecomposition (purecma): due once more than
  // lambda / (c1 + cmu) / n / 10 evaluations have passed since the last.
  const auto due = [&] {
    return static_cast<double>(generation_ - eigen_generation_) * p.lambda > p.lambda / (p.c1 + p.cmu) / n_ / 10.0;
  };
  // A deferred one is adopted when the next is due; then the next is made
  // due (unless the adopted one failed: the reset restarts the gap).
  if (pending_ && due()) UpdateEigensystem();
  if (!pending_ && due()) {
    eigen_generation_ = generation_;
    pending_c_ = c_;
    pending_ = true;
    decomposed_ = false;
    // Small problems decompose at once, as purecma does: it costs less than
    // handing it to a worker, and their eigensystem is due nearly every
    // generation, where the staler one slows convergence.
    if (n_ < kDeferredDecompositionDimension) UpdateEigensystem();
  }
}

void CmaEs::Decompose() {
  decomposition_ok_ = SymmetricEigen(pending_c_, &pending_values_, &pending_b_);
  decomposed_ = true;
}

std::function<void()> CmaEs::BackgroundWork() {
  // handed_out_ first: while the job runs, decomposed_ is its to write.
  if (!pending_ || handed_out_ || decomposed_) return {};
  auto done = std::make_shared<std::promise<void>>();
  job_ = done->get_future().share();
  handed_out_ = true;
  return [this, done] {
    try {
      Decompose();
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  };
}

void CmaEs::WaitForBackgroundWork() {
  if (!handed_out_) return;
  handed_out_ = false;
  job_.get();  // rethrows what the job threw
}

CmaEs::~CmaEs() {
  try {
    WaitForBackgroundWork();  // the job refers to this object
  } catch (...) {
  }
}

void CmaEs::UpdateEigensystem() {
  WaitForBackgroundWork();
  if (!decomposed_) Decompose();
  pending_ = false;
  decomposed_ = false;
  pending_c_.resize(0, 0);
  const Eigen::VectorXd& eigenvalues = pending_values_;  // ascending
  if (!decomposition_ok_ || !eigenvalues.allFinite() || !(eigenvalues(0) > 0.0) ||
      eigenvalues(n_ - 1) > 1e14 * eigenvalues(0)) {
    Reset(mean_);
    return;
  }
  d_ = eigenvalues.cwiseSqrt();
  b_ = std::move(pending_b_);
  pending_b_.resize(0, 0);
}

void CmaEs::Reset(const Eigen::VectorXd& fallback_mean) {
  WaitForBackgroundWork();
  mean_ = fallback_mean;
  sigma_ = sigma0_;
  c_ = Eigen::MatrixXd::Identity(n_, n_);
  b_ = Eigen::MatrixXd::Identity(n_, n_);
  d_ = Eigen::VectorXd::Ones(n_);
  ps_.setZero();
  pc_.setZero();
  eigen_generation_ = generation_;
  pending_ = decomposed_ = false;
  pending_c_.resize(0, 0);
  pending_b_.resize(0, 0);
  ++resets_;
}

std::vector<double> CmaEs::Mean() const { return {mean_.data(), mean_.data() + n_}; }

nlohmann::json CmaEs::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["population"] = params_.lambda;
  j["parents"] = params_.mu;
  j["sigma0"] = sigma0_;
  j["active"] = active();
  j["eigen_generation"] = eigen_generation_;
  j["resets"] = resets_;
  j["sigma"] = sigma_;
  j["mean"] = VectorToJson(mean_);
  j["ps"] = VectorToJson(ps_);
  j["pc"] = VectorToJson(pc_);
  j["D"] = VectorToJson(d_);
  j["C"] = state_json::FromMatrix(c_);
  j["B"] = state_json::FromMatrix(b_);
  // A decomposition made due and not yet adopted: the C it decomposes (the
  // next Tell decomposes it again after a load, to the same bits).
  if (pending_) j["C_pending"] = state_json::FromMatrix(pending_c_);
  return j;
}

void CmaEs::LoadState(const nlohmann::json& state) {
  try {
    if (state.at("kind").get<std::string>() != "cma_es") {
      throw ConfigError("cma_es state: kind is '" + state.at("kind").get<std::string>() + "'");
    }
    if (state_json::Integer<int>(state, "dimension", "cma_es state") != n_ ||
        state_json::Integer<int>(state, "population", "cma_es state") != params_.lambda ||
        state_json::Integer<int>(state, "parents", "cma_es state") != params_.mu ||
        state.value("active", false) != active()) {
      throw ConfigError(
          "cma_es state: dimension/population/parents/active do not match this optimizer");
    }
    // Parse everything before assigning, so a bad state leaves *this intact.
    const auto [seed, generation] = ReadBookkeeping(state, "cma_es");
    const double sigma0 = state.at("sigma0").get<double>();
    const int eigen_generation = state_json::Integer<int>(state, "eigen_generation", "cma_es state");
    const int resets = state_json::Integer<int>(state, "resets", "cma_es state");
    const double sigma = state.at("sigma").get<double>();
    Eigen::VectorXd mean = VectorFromJson(state, n_, "mean");
    Eigen::VectorXd ps = VectorFromJson(state, n_, "ps");
    Eigen::VectorXd pc = VectorFromJson(state, n_, "pc");
    Eigen::VectorXd d = VectorFromJson(state, n_, "D");
    Eigen::MatrixXd c = MatrixFromJson(state, n_, "C");
    Eigen::MatrixXd b = MatrixFromJson(state, n_, "B");
    const bool pending = state.contains("C_pending");
    Eigen::MatrixXd c_pending = pending ? MatrixFromJson(state, n_, "C_pending") : Eigen::MatrixXd();
    namespace inv = state_invariants;
    const std::string what = "cma_es";
    inv::StepSize(sigma0, what, "sigma0");
    inv::StepSize(sigma, what, "sigma");
    inv::Counter(eigen_generation, generation, what, "eigen_generation");
    inv::Counter(resets, generation, what, "resets");
    inv::Finite(mean, what, "mean");
    inv::Finite(ps, what, "ps");
    inv::Finite(pc, what, "pc");
    // D and B: the eigendecomposition samples are drawn from; its condition
    // is capped as UpdateEigensystem caps it (eigenvalue ratio 1e14).
    inv::StepSizes(d, what, "D");
    if (d.maxCoeff() > 1e7 * (1 + 1e-9) * d.minCoeff()) inv::Fail(what, "D", "has a condition above 1e7");
    inv::Orthonormal(b, what, "B");
    // C is positive definite after every update without active CMA; with it
    // an update may leave C indefinite until the next eigendecomposition
    // resets it, so only symmetry and a positive diagonal are required. The
    // pending C (of generation eigen_generation) meets the same conditions.
    const auto check_covariance = [&](const Eigen::MatrixXd& m, const char* key) {
      if (!active()) {
        inv::Covariance(m, what, key);
        return;
      }
      inv::Finite(m, what, key);
      for (int i = 0; i < n_; ++i)
        for (int k = 0; k <= i; ++k)
          if (m(i, k) != m(k, i) || (i == k && !(m(i, i) > 0.0)))
            inv::Fail(what, key, "is not symmetric with a positive diagonal");
    };
    check_covariance(c, "C");
    if (pending) check_covariance(c_pending, "C_pending");
    WaitForBackgroundWork();  // its job writes the pending buffers replaced below
    seed_ = seed;
    sigma0_ = sigma0;
    generation_ = generation;
    eigen_generation_ = eigen_generation;
    resets_ = resets;
    sigma_ = sigma;
    mean_ = std::move(mean);
    ps_ = std::move(ps);
    pc_ = std::move(pc);
    d_ = std::move(d);
    c_ = std::move(c);
    pending_ = pending;
    decomposed_ = false;
    pending_c_ = std::move(c_pending);
    pending_b_.resize(0, 0);
    b_ = std::move(b);
    has_population_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("cma_es state: ") + e.what());
  }
}

}  // namespace neurevo
