// Pendulum-v1: swing up an inverted pendulum with a bounded torque and keep
// it upright.
//
// A port of Gymnasium 1.4.0's gymnasium/envs/classic_control/pendulum.py
// (PendulumEnv, g = 10) plus the TimeLimit of 200 steps. The state
// {th, thdot} is float64; the observation is float32 {cos th, sin th, thdot}.
// The action space is a float32 Box [-2, 2]: the action is rounded to
// float32 (what Gymnasium receives from action_space.sample() or a float32
// policy) and clipped, and the float32 arithmetic numpy does on it (the
// torque terms of the cost and of the angular acceleration) is reproduced.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class Pendulum final : public TaskBase {
 public:
  static constexpr std::string_view kName = "Pendulum-v1";

  Pendulum();


  double dt() const override;
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action,
                  std::span<double> observation) override;
  // {th, thdot}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state,
                        std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  double th_ = 0.0;
  double thdot_ = 0.0;
};

}  // namespace neurevo
