// CueDelayResponse-D: hold a cue through a delay of D steps (a delayed
// match-to-cue working-memory task, as in the oculomotor delayed-response
// task of Funahashi et al. 1989, with discrete cues).
//
// One of kCues cues is drawn uniformly and shown one-hot for kCueSteps
// steps; then D blank steps; then one step with the go cue (the last input =
// 1), whose answer is the cue's index. Only that step is scored: the return
// is 1 or 0, chance 1 / kCues = 0.25.
// Observation: [cue one-hot (kCues), go]; actions: Discrete(kCues).
#pragma once

#include <string_view>

#include "tasks/temporal/trial_task.h"

namespace neurevo {

class CueDelayResponse final : public TrialTask {
 public:
  static constexpr std::string_view kPrefix = "CueDelayResponse-";
  static constexpr int kMaxDelay = 10000;
  static constexpr int kCues = 4;
  static constexpr int kCueSteps = 5;

  explicit CueDelayResponse(int delay);
  Trial MakeTrial(uint64_t seed) const override;

 private:
  int delay_;
};

}  // namespace neurevo
