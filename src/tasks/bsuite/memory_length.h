// MemoryLength-N: bsuite's memory_len experiment, a one-bit memory chain
// (Osband et al. 2020, "Behaviour Suite for Reinforcement Learning").
//
// A port of bsuite 0.3.6's bsuite/environments/memory_chain.py (MemoryChain
// with num_bits = 1, as bsuite/experiments/memory_len/memory_len.py loads
// it). The observation is (time, query, context):
//   time    1 - t / N, shown at every step (float32, as bsuite stores it);
//   query   the index of the bit asked for, shown at the last observation:
//           with one bit always 0 (bsuite's own quirk, kept);
//   context the bit as +1 / -1, shown at t = 0 only.
// bsuite's _step returns the observation of the step counter *before* it
// increments, so the first two observations both show the context, and the
// (N+1)-th action, taken after the query's observation, is judged: +1 if it
// equals the bit, -1 if not, and the episode terminates. Every earlier step
// gives 0. Episodes last N + 1 steps; nothing truncates them.
//
// info: "correct", 1 on the judged step when the action was right (so an
// episode's sum is its accuracy, 0 or 1).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class MemoryLength final : public TaskBase {
 public:
  static constexpr std::string_view kPrefix = "MemoryLength-";
  static constexpr int kMaxLength = 100000;

  // N, the number of steps between the context and the decision: 1 .. kMaxLength.
  explicit MemoryLength(int memory_length);

  std::vector<std::string> info_names() const override { return {"correct"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  // action[0] is the bit the agent reports (0 or 1); only the last step's counts.
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {t, context bit (0 or 1), query}: bsuite's _timestep, _context[0], _query.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  void WriteObservation(int t, std::span<double> observation) const;

  int length_;
  int t_ = 0;
  int context_ = 0;
};

}  // namespace neurevo
