#include "train/obs_normalizer.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "neurevo/error.h"

namespace neurevo {

void ObsStats::Add(std::span<const double> x) {
  count += 1.0;
  for (size_t i = 0; i < mean.size(); ++i) {
    const double delta = x[i] - mean[i];
    mean[i] += delta / count;
    m2[i] += delta * (x[i] - mean[i]);
  }
}

void ObsStats::Merge(const ObsStats& o) {
  if (o.count == 0.0) return;
  if (count == 0.0) {
    *this = o;
    return;
  }
  const double total = count + o.count;
  for (size_t i = 0; i < mean.size(); ++i) {
    const double delta = o.mean[i] - mean[i];
    mean[i] += delta * o.count / total;
    m2[i] += o.m2[i] + delta * delta * count * o.count / total;
  }
  count = total;
}

ObsNormalizer::ObsNormalizer(int dim, bool enabled, double clip)
    : enabled_(enabled), clip_(clip), stats_(dim) {}

void ObsNormalizer::Normalize(std::span<const double> x, std::span<double> out) const {
  if (!enabled_) {
    std::copy(x.begin(), x.end(), out.begin());
    return;
  }
  for (size_t i = 0; i < x.size(); ++i) {
    double mean = 0.0, std = 1.0;
    if (stats_.count >= 2.0) {
      mean = stats_.mean[i];
      std = std::sqrt(stats_.m2[i] / stats_.count);
      if (!(std > 1e-8)) std = 1.0;  // constant dimensions pass through centred
    }
    out[i] = std::clamp((x[i] - mean) / std, -clip_, clip_);
  }
}

nlohmann::json ObsNormalizer::ToJson() const {
  return {{"enabled", enabled_}, {"clip", clip_}, {"count", stats_.count},
          {"mean", stats_.mean}, {"m2", stats_.m2}};
}

ObsNormalizer ObsNormalizer::FromJson(const nlohmann::json& j, int dim, const std::string& what) {
  try {
    ObsNormalizer n(dim, j.at("enabled").get<bool>(), j.at("clip").get<double>());
    n.stats_.count = j.at("count").get<double>();
    n.stats_.mean = j.at("mean").get<std::vector<double>>();
    n.stats_.m2 = j.at("m2").get<std::vector<double>>();
    if (static_cast<int>(n.stats_.mean.size()) != dim || static_cast<int>(n.stats_.m2.size()) != dim)
      throw ConfigError(fmt::format("{}: observation statistics have {} dimensions, the task has {}",
                                    what, n.stats_.mean.size(), dim));
    bool finite = std::isfinite(n.stats_.count) && n.stats_.count >= 0.0 && n.clip_ > 0.0;
    for (int i = 0; i < dim; ++i)
      finite = finite && std::isfinite(n.stats_.mean[i]) && std::isfinite(n.stats_.m2[i]) && n.stats_.m2[i] >= 0.0;
    if (!finite) throw ConfigError(fmt::format("{}: invalid observation statistics", what));
    // Welford's counter is a whole number of observations; past 2^53 adding one
    // no longer changes it (the statistics would silently freeze), and no run
    // comes near it.
    constexpr double kMaxCount = 9007199254740992.0;  // 2^53
    if (n.stats_.count > kMaxCount || n.stats_.count != std::floor(n.stats_.count))
      throw ConfigError(fmt::format("{}: observation count {} is not a whole number in 0 .. 2^53", what,
                                    n.stats_.count));
    return n;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(fmt::format("{}: malformed observation statistics ({})", what, e.what()));
  }
}

}  // namespace neurevo
