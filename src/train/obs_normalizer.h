// Running observation normalisation shared by the population (as in ARS and
// OpenAI-ES): observations are standardised by the mean and variance of all
// observations seen in training so far, then clipped.
//
// During a generation the statistics are frozen (every individual sees the
// same normaliser); each worker collects the observations it sees into its
// own ObsStats, and the trainer merges them in individual order after the
// generation, so the result never depends on thread count.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <vector>

namespace neurevo {

// Count, mean and sum of squared deviations per dimension (Chan et al.'s
// parallel update).
struct ObsStats {
  double count = 0.0;
  std::vector<double> mean, m2;

  explicit ObsStats(int dim = 0) : mean(dim, 0.0), m2(dim, 0.0) {}
  void Add(std::span<const double> x);
  void Merge(const ObsStats& other);
};

class ObsNormalizer {
 public:
  ObsNormalizer() = default;
  ObsNormalizer(int dim, bool enabled, double clip);
  bool enabled() const { return enabled_; }
  double clip() const { return clip_; }
  int dim() const { return static_cast<int>(stats_.mean.size()); }
  const ObsStats& stats() const { return stats_; }
  void Update(const ObsStats& batch) { stats_.Merge(batch); }
  // out = clip((x - mean) / std); identity when disabled. Before any data,
  // mean 0 and std 1.
  void Normalize(std::span<const double> x, std::span<double> out) const;

  nlohmann::json ToJson() const;
  // Throws ConfigError naming `what` if the JSON is malformed or of another size.
  static ObsNormalizer FromJson(const nlohmann::json& j, int dim, const std::string& what);

 private:
  bool enabled_ = false;
  double clip_ = 5.0;
  ObsStats stats_;
};

}  // namespace neurevo
