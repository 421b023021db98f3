// HalfCheetah-v5: make a planar cheetah run forward (+x).
//
// Gymnasium 1.4.0's half_cheetah_v5.py: frame_skip 5 (dt 0.05 s);
// observation {qpos without x, qvel} (17); reward x velocity - 0.1 |a|^2;
// never terminates; reset noise U(+-0.1) on qpos, 0.1 N(0, 1) on qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class HalfCheetah final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "HalfCheetah-v5";

  HalfCheetah();

  void Observe(std::span<double> observation) const override;
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_forward", "reward_ctrl"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
