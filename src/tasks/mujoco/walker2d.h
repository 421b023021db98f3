// Walker2d-v5: make a planar biped walk forward (+x).
//
// Gymnasium 1.4.0's walker2d_v5.py (with its walker2d_v5.xml model): frame
// skip 4 (dt 0.008 s); observation {qpos without x, qvel clipped to +-10}
// (17); reward x velocity + 1 while healthy - 1e-3 |a|^2; healthy: height
// qpos[1] in (0.8, 2) and torso angle qpos[2] in (-1, 1); terminated when
// unhealthy; reset noise U(+-0.005) on qpos and qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class Walker2d final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "Walker2d-v5";

  Walker2d();

  void Observe(std::span<double> observation) const override;
  bool has_survival_bonus() const override { return true; }
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_forward", "reward_ctrl", "reward_survive"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
