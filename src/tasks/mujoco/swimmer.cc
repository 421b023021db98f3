#include "tasks/mujoco/swimmer.h"

#include "tasks/mujoco/numpy_math.h"

namespace neurevo {

Swimmer::Swimmer()
    : MujocoTask({.name = kName,
                  .model_file = "swimmer.xml",
                  .frame_skip = 4,
                  .observation_size = 8,
                  .reset_noise_scale = 0.1,
                  .velocity_noise = VelocityNoise::kUniform}) {}

void Swimmer::Observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv;
  for (int i = 2; i < nq; ++i) observation[i - 2] = d.qpos[i];
  for (int i = 0; i < nv; ++i) observation[nq - 2 + i] = d.qvel[i];
}

StepResult Swimmer::Evaluate(const Before& before,
                             std::span<const float> action) const {
  const double x_velocity = (data().qpos[0] - before.x) / dt();
  const double forward_reward = 1.0 * x_velocity;
  // float64 - float32 promotes to float64 in numpy.
  const double ctrl_cost = static_cast<double>(numpy_math::ControlCost(1e-4, action));
  StepResult r;
  r.reward = forward_reward - ctrl_cost;
  r.terminated = false;
  r.AddInfo(forward_reward);  // info_names()
  r.AddInfo(-ctrl_cost);
  return r;
}

}  // namespace neurevo
