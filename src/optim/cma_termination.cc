// Restart criteria for CMA-ES (Hansen 2009; Auger & Hansen 2005; pycma's
// thresholds). See cma_termination.h.
#include "optim/cma_termination.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "neurevo/error.h"
#include "optim/state_json.h"

namespace neurevo {
namespace {

constexpr double kTolFun = 1e-12;
constexpr double kTolX = 1e-12;          // times sigma0
constexpr double kMaxCondition = 1e14;
constexpr double kTolUpSigma = 1e20;
constexpr size_t kMaxStagnationWindow = 20000;

double Ordered(double f) { return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f; }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

CmaTermination::CmaTermination(int dimension, int lambda) : n_(dimension), lambda_(lambda) {}

void CmaTermination::Record(std::span<const double> fitness) {
  std::vector<double> f;
  for (double v : fitness) f.push_back(Ordered(v));
  if (f.empty()) return;
  const auto [lo, hi] = std::minmax_element(f.begin(), f.end());
  current_range_ = *hi - *lo;
  if (std::isnan(current_range_)) current_range_ = std::numeric_limits<double>::infinity();
  best_history_.push_back(*hi);
  median_history_.push_back(Median(f));
  while (best_history_.size() > kMaxStagnationWindow) best_history_.pop_front();
  while (median_history_.size() > kMaxStagnationWindow) median_history_.pop_front();
  ++recorded_;
}

std::string CmaTermination::Check(const CmaSnapshot& s) {
  const int n = n_;
  const bool reset_now = have_resets_ ? s.resets > resets_seen_ : s.resets > 0;
  resets_seen_ = s.resets;
  have_resets_ = true;
  // The strategy reset itself (non-finite values or an ill-conditioned C).
  if (reset_now) return "conditioncov";

  // tolfun
  const size_t fun_window = 10 + static_cast<size_t>(std::ceil(30.0 * n / lambda_));
  if (best_history_.size() >= fun_window) {
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (size_t i = best_history_.size() - fun_window; i < best_history_.size(); ++i) {
      lo = std::min(lo, best_history_[i]);
      hi = std::max(hi, best_history_[i]);
    }
    if (hi - lo < kTolFun && current_range_ < kTolFun) return "tolfun";
  }
  // tolx
  bool all_small = true;
  for (int i = 0; i < n && all_small; ++i) {
    const double spread = std::max(std::abs(s.pc(i)), std::sqrt(s.cov_diagonal(i)));
    all_small = s.sigma * spread < kTolX * s.sigma0;
  }
  if (all_small) return "tolx";
  // noeffectaxis
  {
    const int i = s.generation % n;
    bool no_effect = true;
    for (int k = 0; k < n && no_effect; ++k) {
      const double axis_k = s.axes.size() ? s.axes(k, i) : (k == i ? 1.0 : 0.0);
      const double step = 0.1 * s.sigma * s.axis_lengths(i) * axis_k;
      no_effect = s.mean(k) + step == s.mean(k);
    }
    if (no_effect) return "noeffectaxis";
  }
  // noeffectcoord
  for (int i = 0; i < n; ++i) {
    if (s.mean(i) + 0.2 * s.sigma * std::sqrt(s.cov_diagonal(i)) == s.mean(i)) return "noeffectcoord";
  }
  // conditioncov
  const double dmax = s.axis_lengths.maxCoeff(), dmin = s.axis_lengths.minCoeff();
  if (!(dmin > 0.0) || dmax * dmax > kMaxCondition * dmin * dmin) return "conditioncov";
  // tolupsigma
  if (s.sigma / s.sigma0 > kTolUpSigma * dmax) return "tolupsigma";
  // stagnation
  const size_t min_window = 120 + static_cast<size_t>(30.0 * n / lambda_);
  const size_t window = std::min(
      kMaxStagnationWindow,
      std::max(min_window, static_cast<size_t>(0.2 * static_cast<double>(recorded_))));
  if (best_history_.size() >= window && recorded_ >= static_cast<int>(min_window)) {
    const size_t part = std::max<size_t>(1, static_cast<size_t>(0.3 * static_cast<double>(window)));
    const size_t start = best_history_.size() - window;
    auto slice = [&](const std::deque<double>& h, size_t from) {
      return std::vector<double>(h.begin() + static_cast<std::ptrdiff_t>(from),
                                 h.begin() + static_cast<std::ptrdiff_t>(from + part));
    };
    const size_t recent = best_history_.size() - part;
    if (Median(slice(best_history_, recent)) <= Median(slice(best_history_, start)) &&
        Median(slice(median_history_, recent)) <= Median(slice(median_history_, start))) {
      return "stagnation";
    }
  }
  return "";
}

nlohmann::json CmaTermination::SaveState() const {
  nlohmann::json j;
  j["best_history"] = std::vector<double>(best_history_.begin(), best_history_.end());
  j["median_history"] = std::vector<double>(median_history_.begin(), median_history_.end());
  j["current_range"] = current_range_;
  j["recorded"] = recorded_;
  j["resets_seen"] = resets_seen_;
  j["have_resets"] = have_resets_;
  return j;
}

void CmaTermination::LoadState(const nlohmann::json& state) {
  // JSON has no infinities: a non-finite value is written as null.
  auto number = [](const nlohmann::json& v) {
    return v.is_null() ? -std::numeric_limits<double>::infinity() : v.get<double>();
  };
  std::deque<double> best, median;
  for (const auto& v : state.at("best_history")) best.push_back(number(v));
  for (const auto& v : state.at("median_history")) median.push_back(number(v));
  const double range = state.at("current_range").is_null()
                           ? std::numeric_limits<double>::infinity()
                           : state.at("current_range").get<double>();
  const int recorded = state_json::Integer<int>(state, "recorded", "cma restarts state");
  const int resets_seen = state_json::Integer<int>(state, "resets_seen", "cma restarts state");
  if (recorded < 0 || resets_seen < 0 || std::isnan(range))
    throw ConfigError("cma restarts state: 'termination' has a negative counter or a range that is not a number");
  for (double v : best) if (std::isnan(v)) throw ConfigError("cma restarts state: 'best_history' holds NaN");
  for (double v : median) if (std::isnan(v)) throw ConfigError("cma restarts state: 'median_history' holds NaN");
  recorded_ = recorded;
  resets_seen_ = resets_seen;
  have_resets_ = state.at("have_resets").get<bool>();
  best_history_ = std::move(best);
  median_history_ = std::move(median);
  current_range_ = range;
}

}  // namespace neurevo
