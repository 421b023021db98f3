// Hopper-v5: make a one-legged planar hopper hop forward (+x).
//
// Gymnasium 1.4.0's hopper_v5.py: frame_skip 4 (dt 0.008 s); observation
// {qpos without x, qvel clipped to +-10} (11); reward x velocity + 1 while
// healthy - 1e-3 |a|^2; healthy: every entry of {qpos[2:], qvel} in
// (-100, 100), height qpos[1] > 0.7 and torso angle qpos[2] in (-0.2, 0.2);
// terminated when unhealthy; reset noise U(+-0.005) on qpos and qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class Hopper final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "Hopper-v5";

  Hopper();

  void Observe(std::span<double> observation) const override;
  bool has_survival_bonus() const override { return true; }
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_forward", "reward_ctrl", "reward_survive"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
