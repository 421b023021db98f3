#include "tasks/mujoco/walker2d.h"

#include "tasks/mujoco/numpy_math.h"

namespace neurevo {

Walker2d::Walker2d()
    : MujocoTask({.name = kName,
                  .model_file = "walker2d.xml",
                  .frame_skip = 4,
                  .observation_size = 17,
                  .reset_noise_scale = 5e-3,
                  .velocity_noise = VelocityNoise::kUniform}) {}

void Walker2d::Observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv;
  for (int i = 1; i < nq; ++i) observation[i - 1] = d.qpos[i];
  for (int i = 0; i < nv; ++i) {
    observation[nq - 1 + i] = numpy_math::Clip(d.qvel[i], -10, 10);
  }
}

StepResult Walker2d::Evaluate(const Before& before,
                              std::span<const float> action) const {
  const mjData& d = data();
  // Gymnasium's is_healthy (false for NaN).
  const double z = d.qpos[1], angle = d.qpos[2];
  const bool healthy = 0.8 < z && z < 2.0 && -1.0 < angle && angle < 1.0;
  const double x_velocity = (d.qpos[0] - before.x) / dt();
  const double healthy_reward = healthy ? 1.0 : 0.0;
  const double rewards = 1.0 * x_velocity + healthy_reward;
  const double ctrl_cost = static_cast<double>(numpy_math::ControlCost(1e-3, action));
  StepResult r;
  r.reward = rewards - ctrl_cost;
  r.terminated = !healthy;
  r.survival_reward = healthy_reward;
  r.AddInfo(1.0 * x_velocity);  // info_names()
  r.AddInfo(-ctrl_cost);
  r.AddInfo(healthy_reward);
  return r;
}

}  // namespace neurevo
