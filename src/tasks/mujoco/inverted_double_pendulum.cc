#include "tasks/mujoco/inverted_double_pendulum.h"

#include <cmath>

#include "tasks/mujoco/numpy_math.h"
#include "tasks/task_util.h"

namespace neurevo {

using numpy_math::Clip;
using task_util::PyPow;

InvertedDoublePendulum::InvertedDoublePendulum()
    : MujocoTask({.name = kName,
                  .model_file = "inverted_double_pendulum.xml",
                  .frame_skip = 5,
                  .observation_size = 9,
                  .reset_noise_scale = 0.1,
                  .velocity_noise = VelocityNoise::kNormal}) {}

void InvertedDoublePendulum::Observe(std::span<double> observation) const {
  const mjData& d = data();
  observation[0] = d.qpos[0];
  observation[1] = std::sin(d.qpos[1]);
  observation[2] = std::sin(d.qpos[2]);
  observation[3] = std::cos(d.qpos[1]);
  observation[4] = std::cos(d.qpos[2]);
  for (int i = 0; i < 3; ++i) observation[5 + i] = Clip(d.qvel[i], -10, 10);
  observation[8] = Clip(d.qfrc_constraint[0], -10, 10);
}

StepResult InvertedDoublePendulum::Evaluate(const Before&,
                                            std::span<const float>) const {
  const mjData& d = data();
  // The tip site (site 0) as Gymnasium reads it: site_xpos from the last
  // forward pass inside mj_step.
  const double x = d.site_xpos[0];
  const double y = d.site_xpos[2];
  StepResult r;
  r.terminated = y <= 1;
  const double v1 = d.qvel[1], v2 = d.qvel[2];
  // Gymnasium's order of operations; x**2 is pow(x, 2) in numpy.
  const double dist_penalty = 0.01 * PyPow(x, 2) + PyPow(y - 2, 2);
  const double vel_penalty = 0.001 * PyPow(v1, 2) + 0.005 * PyPow(v2, 2);
  const double alive_bonus = r.terminated ? 0.0 : 10.0;
  r.reward = alive_bonus - dist_penalty - vel_penalty;
  r.survival_reward = alive_bonus;
  r.AddInfo(alive_bonus);  // info_names()
  r.AddInfo(-dist_penalty);
  r.AddInfo(-vel_penalty);
  return r;
}

}  // namespace neurevo
