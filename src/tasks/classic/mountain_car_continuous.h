// MountainCarContinuous-v0: drive an under-powered car up a hill by rocking
// it back and forth; continuous force, reward -0.1 a^2 per step and +100 on
// reaching the goal (position >= 0.45).
//
// A port of Gymnasium 1.4.0's
// gymnasium/envs/classic_control/continuous_mountain_car.py
// (Continuous_MountainCarEnv, power 0.0015, goal_velocity 0) plus the
// TimeLimit of 999 steps. Gymnasium's dtypes are reproduced: the state
// after reset is float64 ({uniform(-0.6, -0.4), 0}), every later state is
// float32, and numpy then does part of the update in float32 (NEP 50
// promotion of Python floats). The action space is a float32 Box [-1, 1]:
// the action is rounded to float32 and the force is clipped to [-1, 1],
// while the reward uses the unclipped action, as in Gymnasium.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class MountainCarContinuous final : public TaskBase {
 public:
  static constexpr std::string_view kName = "MountainCarContinuous-v0";

  MountainCarContinuous();


  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action,
                  std::span<double> observation) override;
  // {position, velocity}.
  std::vector<double> PhysicalState() const override;
  // The state given is treated like the one reset() makes (float64), so a
  // trajectory replayed from a recorded initial state matches Gymnasium.
  void SetPhysicalState(std::span<const double> state,
                        std::span<double> observation) override;

 private:
  void WriteObservation(std::span<double> observation) const;

  double position_ = 0.0;
  double velocity_ = 0.0;
  // True while the state is Gymnasium's float64 reset state; false once a
  // step has stored the float32 state.
  bool state_is_f64_ = true;
};

}  // namespace neurevo
