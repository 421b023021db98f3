#include "tasks/temporal/n_back.h"

#include <fmt/format.h>

#include <stdexcept>

#include "neurevo/random.h"

namespace neurevo {

NBack::NBack(int n) : TrialTask(fmt::format("{}{}", kPrefix, n), kSymbols, 2, n + kScoredSteps), n_(n) {
  if (n < 1 || n > kMaxN) throw std::invalid_argument(fmt::format("NBack: N = {} is not in 1 .. {}", n, kMaxN));
}

Trial NBack::MakeTrial(uint64_t seed) const {
  RandomStream rng(seed);
  const int steps = n_ + kScoredSteps;
  std::vector<int> symbol(steps);
  Trial trial;
  trial.observations.assign(static_cast<size_t>(steps) * kSymbols, 0.0);
  trial.answers.assign(steps, kUnscored);
  for (int t = 0; t < steps; ++t) {
    if (t < n_) {
      symbol[t] = static_cast<int>(rng.Below(kSymbols));
    } else if (rng.Uniform() < 0.5) {
      symbol[t] = symbol[t - n_];
    } else {
      // Uniform among the other symbols.
      const int k = static_cast<int>(rng.Below(kSymbols - 1));
      symbol[t] = k < symbol[t - n_] ? k : k + 1;
    }
    if (t >= n_) trial.answers[t] = symbol[t] == symbol[t - n_] ? 1 : 0;
    trial.observations[static_cast<size_t>(t) * kSymbols + symbol[t]] = 1.0;
  }
  return trial;
}

}  // namespace neurevo
