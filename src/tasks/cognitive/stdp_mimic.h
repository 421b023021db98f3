// StdpMimic: imitate a neuromodulated STDP synapse, a learning-to-learn task
// of the evolvable neural unit (ENU; Bertens & Lee 2019).
//
// Each step t (0 .. 199) the observation is [x_t, pre_t, mod_t, post_t]:
// a graded presynaptic potential x_t ~ U(0, 1), a presynaptic spike
// pre_t ~ Bernoulli(0.1), the neuromodulator mod_t (0 at t = 0, then
// toggling with probability 0.05 before each later step) and a postsynaptic
// spike post_t ~ Bernoulli(0.1), all fixed by the Reset seed. The reference
// synapse (StdpRule) updates its weight with the step's spikes, and the
// target is y_t = x_t * w_t with the updated weight, rounded to float32 (what
// an action can hold, so that perfect imitation scores exactly 0). The action
// (Box [0, 1], clipped) answers observation t.
//
// 200 steps, truncated at the end. Reward per step -(a_t - y_t)^2.
// info: "mse" = (a_t - y_t)^2 / 200 (an episode's sum is its mean squared
// error) and "weight" = w_t / 200 (its sum the mean reference weight).
// The observation after the last step is all 0.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

// The reference rule: a pre trace P and a post trace Q decaying by
// exp(-1/5) per step; with the neuromodulator on, a post spike potentiates by
// 0.25 P and a pre spike depresses by 0.3 Q (the traces from before the
// step, so a pre and a post spike in the same step do not pair), the weight
// clipped to [0, 1]; then the step's spikes enter the traces. Amplitudes of
// 0.1 and 0.12 (the first run) kept the weight near 0.45, so a unit that only
// multiplied x by a constant was nearly as good as any (MSE 0.0104) and
// evolved no plasticity; at 0.25 and 0.3 the weight wanders further, and the
// best constant weight's MSE is 0.025 (a constant chosen per episode, knowing
// its weights, 0.012; stdp_mimic_test.cc), while a unit with the rule's
// plasticity scores 0.0012 (BENCHMARKS.md). The amplitudes are task options
// (a curriculum may start where plasticity matters more); 0.25 and 0.3 are
// the defaults.
struct StdpRule {
  static constexpr double kTau = 5.0, kPotentiation = 0.25, kDepression = 0.3, kInitialWeight = 0.5;
  static constexpr double kMaxAmplitude = 1.0;  // an amplitude is in (0, kMaxAmplitude]
  static double Decay() { return std::exp(-1.0 / kTau); }

  // Amplitudes first: StdpRule{.potentiation = a, .depression = d} makes a fresh synapse.
  double potentiation = kPotentiation, depression = kDepression;
  double p = 0.0, q = 0.0, w = kInitialWeight;

  // One step; returns the updated weight.
  double Step(bool pre, bool post, bool modulator);

  // The weight change of one pairing on a fresh synapse with the modulator
  // on: a pre spike at step 0 and a post spike at step `dt` (dt < 0: post
  // first), the STDP curve's point at dt: A+ lambda^(dt-1) for dt > 0,
  // -A- lambda^(-dt-1) for dt < 0, 0 at dt = 0, clipped like the weight
  // (at most 0.5 either way from the initial 0.5).
  static double PairingChange(int dt, double potentiation = kPotentiation, double depression = kDepression);
};

class StdpMimic final : public TaskBase {
 public:
  static constexpr std::string_view kName = "StdpMimic";
  static constexpr int kSteps = 200;
  static constexpr double kSpikeProbability = 0.1, kToggleProbability = 0.05;
  static constexpr int kStateSize = 7;

  // The rule's amplitudes A+ and A-, each in (0, 1] (task options
  // "potentiation" and "depression"); throws std::invalid_argument otherwise.
  explicit StdpMimic(double potentiation = StdpRule::kPotentiation, double depression = StdpRule::kDepression);
  double potentiation() const { return potentiation_; }
  double depression() const { return depression_; }

  // The step's draws of the episode reset with `seed`: x, pre, post, and
  // whether the modulator toggles before step t (never at t = 0).
  struct Draws {
    double x;
    bool pre, post, toggle;
  };
  static Draws DrawsAt(uint64_t seed, int t);

  std::vector<std::string> info_names() const override { return {"mse", "weight"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {seed high 32 bits, seed low 32 bits, t (steps taken), w, P, Q, mod_t
  //  (the modulator the current observation shows)}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  double potentiation_, depression_;
  uint64_t seed_ = 0;
  int t_ = 0;
  bool modulator_ = false;
  StdpRule rule_;
};

}  // namespace neurevo
