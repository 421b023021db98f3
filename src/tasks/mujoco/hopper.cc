#include "tasks/mujoco/hopper.h"

#include <limits>

#include "tasks/mujoco/numpy_math.h"

namespace neurevo {
namespace {

// Gymnasium's is_healthy. The comparisons are false for NaN, so a NaN state
// is unhealthy.
bool IsHealthy(const mjModel& m, const mjData& d) {
  const double z = d.qpos[1], angle = d.qpos[2];
  for (int i = 2; i < m.nq; ++i) {
    if (!(-100.0 < d.qpos[i] && d.qpos[i] < 100.0)) return false;
  }
  for (int i = 0; i < m.nv; ++i) {
    if (!(-100.0 < d.qvel[i] && d.qvel[i] < 100.0)) return false;
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return 0.7 < z && z < kInf && -0.2 < angle && angle < 0.2;
}

}  // namespace

Hopper::Hopper()
    : MujocoTask({.name = kName,
                  .model_file = "hopper.xml",
                  .frame_skip = 4,
                  .observation_size = 11,
                  .reset_noise_scale = 5e-3,
                  .velocity_noise = VelocityNoise::kUniform}) {}

void Hopper::Observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv;
  for (int i = 1; i < nq; ++i) observation[i - 1] = d.qpos[i];
  for (int i = 0; i < nv; ++i) {
    observation[nq - 1 + i] = numpy_math::Clip(d.qvel[i], -10, 10);
  }
}

StepResult Hopper::Evaluate(const Before& before,
                            std::span<const float> action) const {
  const bool healthy = IsHealthy(model(), data());
  const double x_velocity = (data().qpos[0] - before.x) / dt();
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
