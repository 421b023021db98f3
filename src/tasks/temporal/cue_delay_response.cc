#include "tasks/temporal/cue_delay_response.h"

#include <fmt/format.h>

#include <stdexcept>

#include "neurevo/random.h"

namespace neurevo {

CueDelayResponse::CueDelayResponse(int delay)
    : TrialTask(fmt::format("{}{}", kPrefix, delay), kCues + 1, kCues, kCueSteps + delay + 1), delay_(delay) {
  if (delay < 1 || delay > kMaxDelay)
    throw std::invalid_argument(fmt::format("CueDelayResponse: D = {} is not in 1 .. {}", delay, kMaxDelay));
}

Trial CueDelayResponse::MakeTrial(uint64_t seed) const {
  RandomStream rng(seed);
  const int steps = kCueSteps + delay_ + 1, width = kCues + 1;
  Trial trial;
  trial.observations.assign(static_cast<size_t>(steps) * width, 0.0);
  trial.answers.assign(steps, kUnscored);
  const int cue = static_cast<int>(rng.Below(kCues));
  for (int t = 0; t < kCueSteps; ++t) trial.observations[static_cast<size_t>(t) * width + cue] = 1.0;
  trial.observations[static_cast<size_t>(steps - 1) * width + kCues] = 1.0;
  trial.answers[steps - 1] = cue;
  return trial;
}

}  // namespace neurevo
