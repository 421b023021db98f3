#include "tasks/mujoco/inverted_pendulum.h"

#include <cmath>

namespace neurevo {

InvertedPendulum::InvertedPendulum()
    : MujocoTask({.name = kName,
                  .model_file = "inverted_pendulum.xml",
                  .frame_skip = 2,
                  .observation_size = 4,
                  .reset_noise_scale = 0.01,
                  .velocity_noise = VelocityNoise::kUniform}) {}

void InvertedPendulum::Observe(std::span<double> observation) const {
  const mjData& d = data();
  observation[0] = d.qpos[0];
  observation[1] = d.qpos[1];
  observation[2] = d.qvel[0];
  observation[3] = d.qvel[1];
}

StepResult InvertedPendulum::Evaluate(const Before&,
                                      std::span<const float>) const {
  const mjData& d = data();
  // Gymnasium tests the observation, i.e. qpos and qvel.
  const bool finite = std::isfinite(d.qpos[0]) && std::isfinite(d.qpos[1]) &&
                      std::isfinite(d.qvel[0]) && std::isfinite(d.qvel[1]);
  StepResult r;
  r.terminated = !finite || std::abs(d.qpos[1]) > 0.2;
  r.reward = r.terminated ? 0.0 : 1.0;
  r.AddInfo(r.reward);  // info_names(): reward_survive
  return r;
}

}  // namespace neurevo
