// Mean, spread and counts over a set of episodes.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "train/episode.h"

namespace neurevo {

struct EvalStats {
  double mean = 0, std = 0, min = 0, max = 0;
  long long steps = 0;
  int failed = 0;
  long long episodes = 0;
  // The task's info values (Task::info_names()) summed over every episode's
  // steps; divided by `episodes`, each is a mean per episode (MemoryLength's
  // "correct": the accuracy).
  std::array<double, StepResult::kMaxInfo> info_sum{};
  int info_count = 0;
};

// The task's info terms per episode, by name (Task::info_names()), as
// summary.json's eval_info and `neurevo eval`'s info report them.
inline std::vector<std::pair<std::string, double>> InfoMeans(const EvalStats& s,
                                                             const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, double>> means;
  if (s.episodes == 0) return means;
  for (size_t k = 0; k < names.size() && static_cast<int>(k) < s.info_count; ++k)
    means.emplace_back(names[k], s.info_sum[k] / static_cast<double>(s.episodes));
  return means;
}

inline EvalStats Summarise(const std::vector<EpisodeResult>& episodes) {
  EvalStats s;
  if (episodes.empty()) return s;
  s.min = s.max = episodes.front().total_reward;
  for (const auto& e : episodes) {
    s.mean += e.total_reward;
    s.min = std::min(s.min, e.total_reward);
    s.max = std::max(s.max, e.total_reward);
    s.steps += e.steps;
    s.failed += e.failed ? 1 : 0;
    s.info_count = std::max(s.info_count, e.info_count);
    for (int k = 0; k < e.info_count; ++k) s.info_sum[k] += e.info[k];
  }
  s.episodes = static_cast<long long>(episodes.size());
  s.mean /= static_cast<double>(episodes.size());
  for (const auto& e : episodes) s.std += (e.total_reward - s.mean) * (e.total_reward - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(episodes.size()));
  return s;
}

// The final evaluation runs its episodes in chunks of this many, so that its
// memory stays bounded at 10^8 episodes and a stop is seen between chunks.
inline constexpr int kEvalChunk = 1 << 20;

// Statistics over episodes added chunk by chunk, in episode order. With one
// chunk (up to kEvalChunk episodes) the result is bit-identical to
// Summarise(). With more, the mean is the same sequential sum over every
// episode divided by their count; the spread adds each chunk's two-pass sum
// of squared deviations with Chan et al.'s (1979) correction, in chunk order
// (deterministic, but not bit-identical to a two-pass over everything).
class EvalAccumulator {
 public:
  void Add(const std::vector<EpisodeResult>& chunk) {
    if (chunk.empty()) return;
    const EvalStats c = Summarise(chunk);
    const auto nb = static_cast<double>(chunk.size());
    double sum = 0, m2 = 0;
    for (const auto& e : chunk) sum += e.total_reward;
    for (const auto& e : chunk) m2 += (e.total_reward - c.mean) * (e.total_reward - c.mean);
    if (count_ == 0) {
      stats_ = c;
      sum_ = sum, m2_ = m2, count_ = chunk.size();
      return;
    }
    const auto na = static_cast<double>(count_);
    const double delta = c.mean - sum_ / na;
    m2_ += m2 + delta * delta * na * nb / (na + nb);
    for (const auto& e : chunk) sum_ += e.total_reward;  // the same sequential sum as Summarise
    count_ += chunk.size();
    stats_.min = std::min(stats_.min, c.min);
    stats_.max = std::max(stats_.max, c.max);
    stats_.steps += c.steps;
    stats_.failed += c.failed;
    stats_.episodes += c.episodes;
    stats_.info_count = std::max(stats_.info_count, c.info_count);
    for (int k = 0; k < c.info_count; ++k) stats_.info_sum[k] += c.info_sum[k];
    chunks_++;
  }
  EvalStats Result() const {
    EvalStats s = stats_;
    if (chunks_ > 0) {
      s.mean = sum_ / static_cast<double>(count_);
      s.std = std::sqrt(m2_ / static_cast<double>(count_));
    }
    return s;
  }

 private:
  EvalStats stats_;
  double sum_ = 0, m2_ = 0;
  size_t count_ = 0;
  int chunks_ = 0;  // beyond the first
};

// Runs `episodes` episodes chunk by chunk through run(first, count), which
// returns the results of episodes [first, first + count) in order, and
// streams their statistics. Stops after a chunk in which an episode was
// aborted (a stop was requested) and sets *aborted.
inline EvalStats StreamEpisodes(int episodes,
                                const std::function<std::vector<EpisodeResult>(int, int)>& run,
                                bool* aborted) {
  EvalAccumulator acc;
  *aborted = false;
  for (int first = 0; first < episodes; first += kEvalChunk) {
    const int count = std::min(kEvalChunk, episodes - first);
    const auto chunk = run(first, count);
    *aborted = std::any_of(chunk.begin(), chunk.end(), [](const EpisodeResult& e) { return e.aborted; });
    if (*aborted) break;
    acc.Add(chunk);
  }
  return acc.Result();
}

}  // namespace neurevo
