// Mean, spread and counts over a set of episodes.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "train/episode.h"

namespace neurevo {

struct EvalStats {
  double mean = 0, std = 0, min = 0, max = 0;
  long long steps = 0;
  int failed = 0;
};

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
  }
  s.mean /= static_cast<double>(episodes.size());
  for (const auto& e : episodes) s.std += (e.total_reward - s.mean) * (e.total_reward - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(episodes.size()));
  return s;
}

}  // namespace neurevo
