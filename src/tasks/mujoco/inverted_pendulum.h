// InvertedPendulum-v5: keep a pole upright on a cart by pushing the cart.
//
// Gymnasium 1.4.0's inverted_pendulum_v5.py: frame_skip 2 (dt 0.04 s),
// observation {qpos, qvel} (4), reward 1 per step while |pole angle| <= 0.2
// (0 on the terminating step), terminated when the angle leaves that range
// or the observation is not finite; reset noise U(+-0.01) on qpos and qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class InvertedPendulum final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "InvertedPendulum-v5";

  InvertedPendulum();

  void Observe(std::span<double> observation) const override;
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_survive"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
