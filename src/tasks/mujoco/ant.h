// Ant-v5: make a quadruped walk forward (+x).
//
// Gymnasium 1.4.0's ant_v5.py with its defaults: frame_skip 5 (dt 0.05 s);
// observation {qpos without x, y (13), qvel (14), cfrc_ext of the 13 bodies
// clipped to +-1 (78)} (105); reward x velocity of the torso + 1 while
// healthy - 0.5 |a|^2 - 5e-4 |clipped cfrc_ext|^2; healthy: qpos and qvel
// finite and torso height qpos[2] in [0.2, 1]; terminated when unhealthy;
// reset noise U(+-0.1) on qpos (the quaternion too, as Gymnasium does), 0.1
// N(0, 1) on qvel. With include_cfrc_ext_in_observation = false (Gymnasium's
// keyword) the observation is the first 27 values only; the reward is the
// same (its contact cost reads cfrc_ext either way, as Gymnasium's does).
//
// As in Gymnasium, the x velocity is the torso's xpos difference over the
// step, and mjData::xpos comes from the last forward pass inside mj_step,
// so it lags the final qpos (by up to one substep). After SetPhysicalState
// xpos is recomputed from qpos, so the first step's x velocity differs
// slightly from the uninterrupted episode's.
#pragma once

#include <span>
#include <string_view>

#include "tasks/mujoco/mujoco_task.h"

namespace neurevo {

class Ant final : public MujocoTask {
 public:
  static constexpr std::string_view kName = "Ant-v5";

  // include_cfrc_ext_in_observation: Gymnasium's keyword (default true, 105
  // values); false leaves the 78 contact forces out (27 values).
  explicit Ant(bool include_cfrc_ext_in_observation = true);

  void Observe(std::span<double> observation) const override;
  // The torso's xpos (x, y): Gymnasium's data.body(1).xpos[:2].
  Before CaptureBefore() const override;
  bool has_survival_bonus() const override { return true; }
  // Gymnasium v5's info terms, in the order Evaluate adds them.
  std::vector<std::string> info_names() const override { return {"reward_forward", "reward_ctrl", "reward_contact", "reward_survive"}; }
  StepResult Evaluate(const Before& before,
                      std::span<const float> action) const override;

 private:
  bool contact_forces_in_observation_;
};

}  // namespace neurevo
