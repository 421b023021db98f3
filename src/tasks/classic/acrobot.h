// Acrobot-v1: a two-link pendulum actuated only at the middle joint; swing
// the tip above the height of one link above the base. Reward -1 per step
// until then.
//
// A port of Gymnasium 1.4.0's gymnasium/envs/classic_control/acrobot.py
// (AcrobotEnv with its defaults: book_or_nips = "book", torque_noise_max = 0,
// one rk4 step of dt = 0.2 over [0, dt], then wrap() of the angles and
// bound() of the velocities) plus the TimeLimit of 500 steps. As in
// Gymnasium the state after reset is uniform(-0.1, 0.1) rounded to float32,
// later states are float64, and observations are float32
// {cos th1, sin th1, cos th2, sin th2, dth1, dth2}.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class Acrobot final : public TaskBase {
 public:
  static constexpr std::string_view kName = "Acrobot-v1";

  Acrobot();


  double dt() const override;
  void Reset(uint64_t seed, std::span<double> observation) override;
  // action[0] is 0, 1 or 2 (torque -1, 0, +1); anything else throws
  // std::invalid_argument.
  StepResult Step(std::span<const double> action,
                  std::span<double> observation) override;
  // {theta1, theta2, dtheta1, dtheta2}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state,
                        std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  std::array<double, 4> state_{};
};

}  // namespace neurevo
