// Fitness shaping (Salimans et al. 2017; Wierstra et al. 2014; Bertens & Lee
// 2019). See fitness_shaping.h for the exact formulas.
#include "optim/fitness_shaping.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "neurevo/error.h"

namespace neurevo {
namespace {

double Ordered(double f) { return std::isnan(f) ? -std::numeric_limits<double>::infinity() : f; }

// Calls emit(indices of one tie group, first rank, end rank) for ranks counted
// from the worst (0) to the best (count - 1).
template <class Emit>
void ForEachTieGroup(std::span<const double> fitness, Emit emit) {
  const size_t count = fitness.size();
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return Ordered(fitness[a]) < Ordered(fitness[b]); });
  for (size_t start = 0; start < count;) {
    size_t end = start + 1;
    while (end < count && Ordered(fitness[order[end]]) == Ordered(fitness[order[start]])) ++end;
    emit(std::span<const size_t>(order.data() + start, end - start), start, end);
    start = end;
  }
}

std::vector<double> CenteredRanks(std::span<const double> fitness) {
  const size_t count = fitness.size();
  std::vector<double> shaped(count, 0.0);
  if (count < 2) return shaped;
  // rank / (count - 1) - 0.5 with an integer numerator, so the middle rank
  // maps to exactly 0 and mirrored ranks to exactly opposite values.
  const double denominator = 2.0 * static_cast<double>(count - 1);
  ForEachTieGroup(fitness, [&](std::span<const size_t> group, size_t start, size_t end) {
    const double numerator = static_cast<double>(start + end - 1) - static_cast<double>(count - 1);
    for (size_t i : group) shaped[i] = numerator / denominator;
  });
  return shaped;
}

std::vector<double> Raw(std::span<const double> fitness) {
  double worst = std::numeric_limits<double>::infinity();
  double best = -std::numeric_limits<double>::infinity();
  for (double f : fitness) {
    if (std::isfinite(f)) {
      worst = std::min(worst, f);
      best = std::max(best, f);
    }
  }
  std::vector<double> out(fitness.size(), 0.0);
  if (!std::isfinite(worst)) return out;
  for (size_t i = 0; i < fitness.size(); ++i) {
    const double f = fitness[i];
    out[i] = std::isfinite(f) ? f : (f == std::numeric_limits<double>::infinity() ? best : worst);
  }
  return out;
}

std::vector<double> ZScore(std::span<const double> fitness) {
  std::vector<double> out = Raw(fitness);
  if (out.empty()) return out;
  const double n = static_cast<double>(out.size());
  const double mean = std::accumulate(out.begin(), out.end(), 0.0) / n;
  double var = 0.0;
  for (double v : out) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / n);
  for (double& v : out) v = sd > 0.0 ? (v - mean) / sd : 0.0;
  return out;
}

// Utilities indexed by rank (0 = worst), averaged over tie groups.
std::vector<double> FromRankTable(std::span<const double> fitness,
                                  const std::vector<double>& by_rank) {
  std::vector<double> out(fitness.size(), 0.0);
  ForEachTieGroup(fitness, [&](std::span<const size_t> group, size_t start, size_t end) {
    double sum = 0.0;
    for (size_t r = start; r < end; ++r) sum += by_rank[r];
    for (size_t i : group) out[i] = sum / static_cast<double>(end - start);
  });
  return out;
}

std::vector<double> Rank5(std::span<const double> fitness) {
  const size_t count = fitness.size();
  if (count == 0) return {};
  std::vector<double> by_rank(count);
  double sum = 0.0;
  for (size_t r = 0; r < count; ++r) {
    by_rank[r] = std::pow(static_cast<double>(r + 1) / static_cast<double>(count), 5.0);
    sum += by_rank[r];
  }
  for (double& v : by_rank) v = v / sum - 1.0 / static_cast<double>(count);
  return FromRankTable(fitness, by_rank);
}

std::vector<double> NesUtilities(std::span<const double> fitness) {
  const size_t count = fitness.size();
  if (count == 0) return {};
  const double lambda = static_cast<double>(count);
  std::vector<double> by_rank(count);  // index 0 = worst; k-th best is count - k
  double sum = 0.0;
  for (size_t k = 1; k <= count; ++k) {
    const double v = std::max(0.0, std::log(lambda / 2.0 + 1.0) - std::log(static_cast<double>(k)));
    by_rank[count - k] = v;
    sum += v;
  }
  for (double& v : by_rank) v = v / sum - 1.0 / lambda;
  return FromRankTable(fitness, by_rank);
}

}  // namespace

std::vector<std::string> FitnessShapingModes() {
  return {"auto", "raw", "zscore", "centered_rank", "rank5", "nes"};
}

void CheckResolvedFitnessShaping(const std::string& mode, const std::string& what) {
  for (const std::string& m : FitnessShapingModes())
    if (m != "auto" && m == mode) return;
  throw ConfigError(what + ": fitness_shaping " + Echo(mode) + " is not a mode; allowed: raw, zscore, centered_rank, "
                    "rank5, nes");
}

std::vector<double> ShapeFitness(std::span<const double> fitness, std::string_view mode) {
  if (mode == "centered_rank") return CenteredRanks(fitness);
  if (mode == "raw") return Raw(fitness);
  if (mode == "zscore") return ZScore(fitness);
  if (mode == "rank5") return Rank5(fitness);
  if (mode == "nes") return NesUtilities(fitness);
  throw std::invalid_argument("ShapeFitness: unknown mode '" + std::string(mode) + "'");
}

std::string ResolveFitnessShaping(std::string_view mode, std::string_view kind) {
  if (mode != "auto") return std::string(mode);
  if (kind == "xnes" || kind == "snes") return "nes";
  return "centered_rank";
}

}  // namespace neurevo
