// NBack-N: the N-back working-memory task over one-hot symbols.
//
// Each step shows one of kSymbols symbols as a one-hot observation. The
// trial has N + kScoredSteps steps; from step N on, the answer to step t is
// 1 ("match") when symbol t equals symbol t - N, else 0. Symbols before step
// N are uniform; from N on, symbol t repeats symbol t - N with probability
// 1/2 and is otherwise uniform among the other symbols, so matches and
// non-matches are equally likely: chance accuracy is 0.5 (so is always
// answering "no match" on average). Actions: Discrete(2). Return: accuracy
// over the kScoredSteps scored steps (trial_task.h).
#pragma once

#include <string_view>

#include "tasks/temporal/trial_task.h"

namespace neurevo {

class NBack final : public TrialTask {
 public:
  static constexpr std::string_view kPrefix = "NBack-";
  static constexpr int kMaxN = 100;
  static constexpr int kSymbols = 4;
  static constexpr int kScoredSteps = 20;

  explicit NBack(int n);
  Trial MakeTrial(uint64_t seed) const override;

 private:
  int n_;
};

}  // namespace neurevo
