// Swimmer-v5: a three-link swimmer in a viscous fluid moves forward (+x).
//
// Gymnasium 1.4.0's swimmer_v5.py: frame_skip 4 (dt 0.04 s); observation
// {qpos without the x, y slides, qvel} (8); reward x velocity - 1e-4 |a|^2;
// never terminates; reset noise U(+-0.1) on qpos and qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class Swimmer final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "Swimmer-v5";

  Swimmer();

  void Observe(std::span<double> observation) const override;
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_forward", "reward_ctrl"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
