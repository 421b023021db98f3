// EvidenceAccumulation-T: decide which of two noisy channels carried more
// evidence (a discrete "clicks" task in the spirit of Brunton et al. 2013
// and Morcos & Harvey 2016).
//
// A side c (0 or 1) is drawn with probability 1/2. For T stimulus steps each
// channel k independently shows a click (1, else 0) with probability
// kRichRate if k = c and kPoorRate otherwise; then kDelaySteps blank steps;
// then one step with the go cue (third input = 1), whose answer is c. Only
// that step is scored: the return is 1 or 0, chance 0.5. The best possible
// (an observer that counts clicks and guesses on ties) is below 1 because
// the poorer channel sometimes clicks more; EvidenceAccumulation::IdealAccuracy
// computes it exactly (T = 20: 0.903).
// Observation: [click 0, click 1, go]; actions: Discrete(2).
#pragma once

#include <string_view>

#include "tasks/temporal/trial_task.h"

namespace neurevo {

class EvidenceAccumulation final : public TrialTask {
 public:
  static constexpr std::string_view kPrefix = "EvidenceAccumulation-";
  static constexpr int kMaxT = 1000;
  static constexpr double kRichRate = 0.5;
  static constexpr double kPoorRate = 0.3;
  static constexpr int kDelaySteps = 5;

  explicit EvidenceAccumulation(int stimulus_steps);
  Trial MakeTrial(uint64_t seed) const override;
  // The accuracy of counting clicks (ties guessed), exactly, from the two
  // binomial distributions.
  static double IdealAccuracy(int stimulus_steps);

 private:
  int stimulus_steps_;
};

}  // namespace neurevo
