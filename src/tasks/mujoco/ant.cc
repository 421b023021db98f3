#include "tasks/mujoco/ant.h"

#include <cmath>
#include <stdexcept>

#include "tasks/mujoco/numpy_math.h"

namespace neurevo {
namespace {

constexpr int kMainBody = 1;  // the torso
constexpr int kMaxBodies = 32;  // Evaluate's stack buffer
constexpr double kContactForceMin = -1.0, kContactForceMax = 1.0;

}  // namespace

Ant::Ant(bool include_cfrc_ext_in_observation)
    : MujocoTask({.name = kName,
                  .model_file = "ant.xml",
                  .frame_skip = 5,
                  .observation_size = include_cfrc_ext_in_observation ? 105 : 27,
                  .reset_noise_scale = 0.1,
                  .velocity_noise = VelocityNoise::kNormal}),
      contact_forces_in_observation_(include_cfrc_ext_in_observation) {
  if (model().nbody > kMaxBodies ||
      (contact_forces_in_observation_ ? 6 * (model().nbody - 1) : 0) + model().nq + model().nv - 2 !=
          observation_space().size) {
    throw std::logic_error("Ant-v5: ant.xml does not have Ant's bodies");
  }
}

void Ant::Observe(std::span<double> observation) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv, nbody = model().nbody;
  int k = 0;
  for (int i = 2; i < nq; ++i) observation[k++] = d.qpos[i];
  for (int i = 0; i < nv; ++i) observation[k++] = d.qvel[i];
  if (!contact_forces_in_observation_) return;
  // cfrc_ext of every body but the world, clipped.
  for (int i = 6; i < 6 * nbody; ++i) {
    observation[k++] =
        numpy_math::Clip(d.cfrc_ext[i], kContactForceMin, kContactForceMax);
  }
}

MujocoTask::Before Ant::CaptureBefore() const {
  const mjData& d = data();
  return {d.xpos[3 * kMainBody], d.xpos[3 * kMainBody + 1]};
}

StepResult Ant::Evaluate(const Before& before,
                         std::span<const float> action) const {
  const mjData& d = data();
  const int nq = model().nq, nv = model().nv, nbody = model().nbody;
  bool finite = true;
  for (int i = 0; i < nq; ++i) finite = finite && std::isfinite(d.qpos[i]);
  for (int i = 0; i < nv; ++i) finite = finite && std::isfinite(d.qvel[i]);
  const bool healthy = finite && 0.2 <= d.qpos[2] && d.qpos[2] <= 1.0;

  const double x_velocity = (d.xpos[3 * kMainBody] - before.x) / dt();
  const double healthy_reward = healthy ? 1.0 : 0.0;
  const double rewards = x_velocity * 1 + healthy_reward;
  // 5e-4 * np.sum(np.square(np.clip(cfrc_ext, -1, 1))) over all bodies, the
  // world's zero row included (it is part of numpy's pairwise order).
  double squares[6 * kMaxBodies];
  const int n = 6 * nbody;
  for (int i = 0; i < n; ++i) {
    const double f =
        numpy_math::Clip(d.cfrc_ext[i], kContactForceMin, kContactForceMax);
    squares[i] = f * f;
  }
  const double contact_cost = 5e-4 * numpy_math::PairwiseSum(squares, n);
  const float ctrl_cost = numpy_math::ControlCost(0.5, action);
  const double costs = static_cast<double>(ctrl_cost) + contact_cost;
  StepResult r;
  r.reward = rewards - costs;
  r.terminated = !healthy;
  r.survival_reward = healthy_reward;
  r.AddInfo(x_velocity * 1);  // info_names()
  r.AddInfo(-static_cast<double>(ctrl_cost));
  r.AddInfo(-contact_cost);
  r.AddInfo(healthy_reward);
  return r;
}

}  // namespace neurevo
