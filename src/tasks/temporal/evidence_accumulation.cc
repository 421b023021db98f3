#include "tasks/temporal/evidence_accumulation.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {

EvidenceAccumulation::EvidenceAccumulation(int stimulus_steps)
    : TrialTask(fmt::format("{}{}", kPrefix, stimulus_steps), 3, 2, stimulus_steps + kDelaySteps + 1),
      stimulus_steps_(stimulus_steps) {
  if (stimulus_steps < 1 || stimulus_steps > kMaxT)
    throw std::invalid_argument(
        fmt::format("EvidenceAccumulation: T = {} is not in 1 .. {}", stimulus_steps, kMaxT));
}

Trial EvidenceAccumulation::MakeTrial(uint64_t seed) const {
  RandomStream rng(seed);
  const int steps = stimulus_steps_ + kDelaySteps + 1;
  Trial trial;
  trial.observations.assign(static_cast<size_t>(steps) * 3, 0.0);
  trial.answers.assign(steps, kUnscored);
  const int side = rng.Uniform() < 0.5 ? 0 : 1;
  for (int t = 0; t < stimulus_steps_; ++t)
    for (int k = 0; k < 2; ++k)
      trial.observations[static_cast<size_t>(t) * 3 + k] = rng.Uniform() < (k == side ? kRichRate : kPoorRate) ? 1.0 : 0.0;
  trial.observations[static_cast<size_t>(steps - 1) * 3 + 2] = 1.0;
  trial.answers[steps - 1] = side;
  return trial;
}

double EvidenceAccumulation::IdealAccuracy(int stimulus_steps) {
  // P(rich count > poor count) + P(tie) / 2, from the two binomial pmfs.
  const int n = stimulus_steps;
  auto pmf = [n](double p) {
    std::vector<double> out(n + 1);
    for (int k = 0; k <= n; ++k)
      out[k] = std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) + k * std::log(p) +
                        (n - k) * std::log1p(-p));
    return out;
  };
  const auto rich = pmf(kRichRate), poor = pmf(kPoorRate);
  double accuracy = 0, below = 0;  // below: P(poor < k)
  for (int k = 0; k <= n; ++k) {
    accuracy += rich[k] * (below + 0.5 * poor[k]);
    below += poor[k];
  }
  return accuracy;
}

}  // namespace neurevo
