// IafMimic: imitate an integrate-and-fire neuron, a learning-to-learn task of
// the evolvable neural unit (ENU; Bertens & Lee 2019, "Network of evolvable
// neural units can learn synaptic learning rules and spiking dynamics").
//
// Each step t (0 .. 99) the observation is a graded input u_t ~ U(0, 0.5),
// i.i.d., the whole sequence fixed by the Reset seed. The reference neuron
// integrates it: v <- v + u_t (v starts at 0); if v >= 1 it spikes at step t
// (reference output 1) and v resets to 0, otherwise its output is 0. The
// action (Box [0, 1], clipped) answers the observation u_t and is compared
// with the reference output of the same step; a step with action >= 0.5 is a
// candidate spike. The observation after the last step is 0.
//
// 100 steps, truncated at the end. The reward is 0 on every step but the
// last, where it is -(isi_distance + height_error):
//   isi_distance the time-resolved ISI distance (Kreuz et al. 2007) of the
//                two spike trains: each step t lies in one interval
//                (s_{k-1}, s_k] of each train, with s_0 = -1 and a last
//                interval ending at step 100; the mean over the 100 steps of
//                |I_ref(t) - I_cand(t)| / max(I_ref(t), I_cand(t)), in
//                [0, 1). Time-resolved rather than index-wise: one extra or
//                missing spike costs only the intervals it changes, where the
//                index-wise error (below) misaligns every later pair, and
//                units evolved under it spiked at the wrong rate;
//   height_error the mean of |1 - a_t| over the reference's spike steps
//                plus the mean of |a_t| over its other steps (a mean over no
//                steps is 0). Absolute, not squared: with squares a unit
//                that hovers at 0.5 without ever deciding scores 0.5 against
//                1 for silence (the first 3000-generation run found exactly
//                that); with absolute errors every constant output scores 1,
//                and only outputs that follow the reference score less.
// info (on the last step only, 0 before, so an episode's sums are the
// scores): "isi_distance"; "isi_error", the index-wise ISI error in steps
// (both spike-time lists padded with 100 to the same length, ISIs between
// consecutive times with the first from step 0, the mean |ISI_ref -
// ISI_cand|, 0 without spikes); "height_error"; "spike_count_error" =
// |#cand - #ref|.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class IafMimic final : public TaskBase {
 public:
  static constexpr std::string_view kName = "IafMimic";
  static constexpr int kSteps = 100;
  static constexpr double kThreshold = 1.0, kMaxInput = 0.5, kSpikeAction = 0.5;
  static constexpr int kStateSize = 6 + 2 * kSteps;

  IafMimic();

  // The input u_t of the episode reset with `seed`.
  static double Input(uint64_t seed, int t);
  // The ISI error of two sorted spike-time lists in an episode of `steps`.
  static double IsiError(std::span<const int> reference, std::span<const int> candidate, int steps = kSteps);
  // The time-resolved ISI distance (Kreuz et al. 2007) of two sorted
  // spike-time lists, in [0, 1).
  static double IsiDistance(std::span<const int> reference, std::span<const int> candidate, int steps = kSteps);

  std::vector<std::string> info_names() const override {
    return {"isi_distance", "isi_error", "height_error", "spike_count_error"};
  }
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {seed high 32 bits, seed low 32 bits, t (steps taken), v, sum of
  //  |1 - a| over the reference's spike steps so far, sum of |a| over its
  //  other steps so far, 100 reference spike flags, 100 candidate spike flags
  //  (flags 0 or 1; 0 from step t on)}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  uint64_t seed_ = 0;
  int t_ = 0;
  double v_ = 0;
  double spike_miss_ = 0, rest_miss_ = 0;
  std::array<uint8_t, kSteps> reference_{}, candidate_{};
};

}  // namespace neurevo
