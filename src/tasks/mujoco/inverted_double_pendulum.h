// InvertedDoublePendulum-v5: balance two poles in series on a cart.
//
// Gymnasium 1.4.0's inverted_double_pendulum_v5.py: frame_skip 5 (dt
// 0.05 s); observation {cart x, sin and cos of both hinge angles, qvel
// clipped to +-10, the cart's constraint force clipped to +-10} (9); reward
// 10 (alive, 0 on the terminating step) - 0.01 x_tip^2 - (y_tip - 2)^2 -
// 0.001 v1^2 - 0.005 v2^2, with the tip site's position from the last
// forward pass; terminated when the tip's height y <= 1; reset noise
// U(+-0.1) on qpos, 0.1 N(0, 1) on qvel.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class InvertedDoublePendulum final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "InvertedDoublePendulum-v5";

  InvertedDoublePendulum();

  void Observe(std::span<double> observation) const override;
  bool has_survival_bonus() const override { return true; }
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_survive", "distance_penalty", "velocity_penalty"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;
};

}  // namespace neurevo
