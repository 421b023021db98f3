#include "tasks/mujoco/half_cheetah.h"

#include "tasks/mujoco/numpy_math.h"

namespace neurevo {

HalfCheetah::HalfCheetah()
    : MujocoTask({.name = kName,
                  .model_file = "half_cheetah.xml",
                  .frame_skip = 5,
                  .observation_size = 17,
                  .reset_noise_scale = 0.1,
                  .velocity_noise = VelocityNoise::kNormal}) {}

void HalfCheetah::Observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv;
  for (int i = 1; i < nq; ++i) observation[i - 1] = d.qpos[i];
  for (int i = 0; i < nv; ++i) observation[nq - 1 + i] = d.qvel[i];
}

StepResult HalfCheetah::Evaluate(const Before& before,
                                 std::span<const float> action) const {
  const double x_velocity = (data().qpos[0] - before.x) / dt();
  const double forward_reward = 1.0 * x_velocity;
  const double ctrl_cost = static_cast<double>(numpy_math::ControlCost(0.1, action));
  StepResult r;
  r.reward = forward_reward - ctrl_cost;
  r.terminated = false;
  r.AddInfo(forward_reward);  // info_names()
  r.AddInfo(-ctrl_cost);
  return r;
}

}  // namespace neurevo
