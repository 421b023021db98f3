// MADS with the orthogonal 2n poll (Audet & Dennis 2006; Abramson et al.
// 2009; NOMAD 4) through ask/tell. See mads.h.
#include "optim/mads.h"

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
namespace {

double Ordered(double f) { return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f; }

}  // namespace

Mads::Mads(const OptimizerOptions& options, int dimension, uint64_t seed,
           std::vector<double> initial_mean)
    : Strategy("mads", dimension, seed),
      opportunistic_(options.mads_poll == "opportunistic"),
      batch_size_(options.population) {
  if (static_cast<int>(initial_mean.size()) != n_)
    throw std::invalid_argument("Mads: initial mean has the wrong size");
  frame_.x = Eigen::Map<const Eigen::VectorXd>(initial_mean.data(), n_);
  frame_.fx = -std::numeric_limits<double>::infinity();
  frame_.poll_size = options.sigma0;
  frame_.coords.resize(static_cast<size_t>(n_));
  std::iota(frame_.coords.begin(), frame_.coords.end(), 0);
  frame_.lower = Eigen::VectorXd::Constant(n_, -std::numeric_limits<double>::infinity());
  frame_.upper = Eigen::VectorXd::Constant(n_, std::numeric_limits<double>::infinity());
}

int Mads::BatchEnd() const {
  return opportunistic_ ? std::min(2 * n_, batch_start_ + batch_size_) : 2 * n_;
}

int Mads::population() const { return (center_known_ ? 0 : 1) + BatchEnd() - batch_start_; }

void Mads::EnsureCandidates() {
  if (has_candidates_) return;
  RandomStream rng(seed_, static_cast<uint64_t>(poll_), 0, kMadsPollChannel,
                   StreamPurpose::kOptimizer);
  const Eigen::MatrixXd points = frame_.PollPoints(rng);
  const int offset = center_known_ ? 0 : 1;
  candidates_.resize(n_, population());
  if (!center_known_) candidates_.col(0) = frame_.x;
  for (int j = batch_start_; j < BatchEnd(); ++j) candidates_.col(offset + j - batch_start_) = points.col(j);
  has_candidates_ = true;
}

std::vector<std::vector<double>> Mads::Ask() {
  EnsureCandidates();
  std::vector<std::vector<double>> out(static_cast<size_t>(candidates_.cols()));
  for (Eigen::Index k = 0; k < candidates_.cols(); ++k)
    out[static_cast<size_t>(k)].assign(candidates_.col(k).data(), candidates_.col(k).data() + n_);
  return out;
}

void Mads::ReplaceCandidate(int index, std::span<const double> x) {
  EnsureCandidates();
  if (index < 0 || index >= candidates_.cols() || static_cast<int>(x.size()) != n_)
    throw std::invalid_argument("Mads::ReplaceCandidate: bad index or dimension");
  // A replaced point is evaluated like a poll point: if it is better it
  // becomes the incumbent (a "search step" point in MADS terms).
  candidates_.col(index) = Eigen::Map<const Eigen::VectorXd>(x.data(), n_);
}

void Mads::Tell(std::span<const double> fitness) {
  EnsureCandidates();
  if (static_cast<Eigen::Index>(fitness.size()) != candidates_.cols()) {
    throw std::invalid_argument("Mads::Tell: expected " + std::to_string(candidates_.cols()) +
                                " fitness values, got " + std::to_string(fitness.size()));
  }
  int k = 0;
  if (!center_known_) {
    frame_.x = candidates_.col(0);
    frame_.fx = Ordered(fitness[0]);
    center_known_ = true;
    k = 1;
  }
  for (; k < candidates_.cols(); ++k) {
    const double f = Ordered(fitness[static_cast<size_t>(k)]);
    if (!has_poll_best_ || f > poll_best_f_) {
      poll_best_ = candidates_.col(k);
      poll_best_f_ = f;
      has_poll_best_ = true;
    }
  }
  batch_start_ = BatchEnd();
  const bool improved = has_poll_best_ && poll_best_f_ > frame_.fx;
  if (batch_start_ >= 2 * n_ || (opportunistic_ && improved)) {
    if (has_poll_best_) frame_.EndPoll(poll_best_, poll_best_f_);
    ++poll_;
    batch_start_ = 0;
    has_poll_best_ = false;
  }
  ++generation_;
  has_candidates_ = false;
}

std::vector<double> Mads::Mean() const { return {frame_.x.data(), frame_.x.data() + n_}; }

nlohmann::json Mads::SaveState() const {
  nlohmann::json j = BookkeepingState();
  j["version"] = 1;
  j["opportunistic"] = opportunistic_;
  j["batch_size"] = batch_size_;
  j["frame"] = frame_.Save();
  j["center_known"] = center_known_;
  j["poll"] = poll_;
  j["batch_start"] = batch_start_;
  j["has_poll_best"] = has_poll_best_;
  if (has_poll_best_) {
    j["poll_best"] = state_json::FromVector(poll_best_);
    j["poll_best_f"] = std::isfinite(poll_best_f_) ? nlohmann::json(poll_best_f_) : nlohmann::json(nullptr);
  }
  return j;
}

void Mads::LoadState(const nlohmann::json& state) {
  const std::string what = "mads";
  try {
    state_json::CheckKind(state, what);
    if (state_json::Integer<int>(state, "dimension", "mads state") != n_ ||
        state.at("opportunistic").get<bool>() != opportunistic_ ||
        state_json::Integer<int>(state, "batch_size", "mads state") != batch_size_)
      throw ConfigError("mads state: dimension/mads_poll/population do not match this optimizer");
    const auto [seed, generation] = ReadBookkeeping(state, "mads");
    MadsFrame frame = MadsFrame::Load(state.at("frame"), n_);
    const bool center_known = state.at("center_known").get<bool>();
    const int poll = state_json::Integer<int>(state, "poll", "mads state");
    const int batch_start = state_json::Integer<int>(state, "batch_start", "mads state");
    const bool has_poll_best = state.at("has_poll_best").get<bool>();
    Eigen::VectorXd poll_best;
    double poll_best_f = 0.0;
    if (has_poll_best) {
      poll_best = state_json::ToVector(state, n_, what, "poll_best");
      poll_best_f = state.at("poll_best_f").is_null() ? -std::numeric_limits<double>::infinity()
                                                      : state.at("poll_best_f").get<double>();
    }
    if (batch_start < 0 || batch_start >= 2 * n_) throw ConfigError("mads state: bad batch_start");
    namespace inv = state_invariants;
    inv::Counter(poll, std::numeric_limits<int>::max(), what, "poll");
    if (has_poll_best) inv::Finite(poll_best, what, "poll_best");
    seed_ = seed;
    frame_ = std::move(frame);
    center_known_ = center_known;
    poll_ = poll;
    batch_start_ = batch_start;
    has_poll_best_ = has_poll_best;
    poll_best_ = std::move(poll_best);
    poll_best_f_ = poll_best_f;
    generation_ = generation;
    has_candidates_ = false;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(what + " state: " + e.what());
  }
}

}  // namespace neurevo
