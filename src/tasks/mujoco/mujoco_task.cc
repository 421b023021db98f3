#include "tasks/mujoco/mujoco_task.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <new>
#include <string>

#include "neurevo/random.h"
#include "tasks/mujoco/mujoco_model.h"
#include "tasks/task_util.h"

namespace neurevo {
namespace {

Space UnboundedBox(int size) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  return Space::Box(std::vector<double>(size, -kInf),
                    std::vector<double>(size, kInf));
}

}  // namespace

Space MujocoTask::ActionSpace(const mjModel& model) {
  // Gymnasium: actuator_ctrlrange cast to float32.
  std::vector<double> low(model.nu), high(model.nu);
  for (int i = 0; i < model.nu; ++i) {
    low[i] = task_util::ToF32(model.actuator_ctrlrange[2 * i]);
    high[i] = task_util::ToF32(model.actuator_ctrlrange[2 * i + 1]);
  }
  return Space::Box(std::move(low), std::move(high));
}

MujocoTask::MujocoTask(const Spec& spec)
    : TaskBase(spec.name, UnboundedBox(spec.observation_size),
               ActionSpace(SharedMujocoModel(spec.model_file)), 1000),
      model_(&SharedMujocoModel(spec.model_file)),
      data_(mj_makeData(model_)),
      frame_skip_(spec.frame_skip),
      reset_noise_scale_(spec.reset_noise_scale),
      velocity_noise_(spec.velocity_noise),
      dt_(model_->opt.timestep * spec.frame_skip),
      action_(model_->nu) {
  if (data_ == nullptr) throw std::bad_alloc();
}

MujocoTask::~MujocoTask() { mj_deleteData(data_); }

void MujocoTask::Reset(uint64_t seed, std::span<double> observation) {
  task_util::CheckSize(observation, observation_space().size, name(),
                       "observation");
  RandomStream rng(seed);
  mj_resetData(model_, data_);
  const double s = reset_noise_scale_;
  for (int i = 0; i < model_->nq; ++i) {
    data_->qpos[i] = model_->qpos0[i] + rng.Uniform(-s, s);
  }
  for (int i = 0; i < model_->nv; ++i) {
    data_->qvel[i] = velocity_noise_ == VelocityNoise::kUniform
                         ? rng.Uniform(-s, s)
                         : rng.Normal() * s;
  }
  mj_forward(model_, data_);
  StartEpisode();
  Observe(observation);
}

StepResult MujocoTask::Step(std::span<const double> action,
                            std::span<double> observation) {
  task_util::CheckSize(action, model_->nu, name(), "action");
  task_util::CheckSize(observation, observation_space().size, name(),
                       "observation");
  for (int i = 0; i < model_->nu; ++i) {
    action_[i] = static_cast<float>(action[i]);
    data_->ctrl[i] = action_[i];
  }
  const Before before = CaptureBefore();
  const int warnings_before = warning_count();
  for (int k = 0; k < frame_skip_; ++k) mj_step(model_, data_);
  // Gymnasium calls it after every step: cfrc_ext (Ant's contact forces) is
  // not computed by mj_step.
  mj_rnePostConstraint(model_, data_);
  StepResult result = Evaluate(before, action_);
  result.truncated = CountStep();
  result.simulation_warning = warning_count() != warnings_before;
  Observe(observation);
  return result;
}

MujocoTask::Before MujocoTask::CaptureBefore() const {
  return {data_->qpos[0], model_->nq > 1 ? data_->qpos[1] : 0.0};
}

std::vector<double> MujocoTask::PhysicalState() const {
  const int nq = model_->nq, nv = model_->nv;
  std::vector<double> state(nq + 2 * nv);
  std::copy(data_->qpos, data_->qpos + nq, state.begin());
  std::copy(data_->qvel, data_->qvel + nv, state.begin() + nq);
  std::copy(data_->qacc_warmstart, data_->qacc_warmstart + nv,
            state.begin() + nq + nv);
  return state;
}

void MujocoTask::SetPhysicalState(std::span<const double> state,
                                  std::span<double> observation) {
  const int nq = model_->nq, nv = model_->nv;
  if (state.size() != static_cast<size_t>(nq + nv) &&
      state.size() != static_cast<size_t>(nq + 2 * nv)) {
    throw std::invalid_argument(
        std::string(name()) + ": state has size " +
        std::to_string(state.size()) + ", expected " +
        std::to_string(nq + nv) + " (qpos, qvel) or " +
        std::to_string(nq + 2 * nv) + " (qpos, qvel, qacc_warmstart)");
  }
  task_util::CheckSize(observation, observation_space().size, name(),
                       "observation");
  mj_resetData(model_, data_);
  std::copy(state.begin(), state.begin() + nq, data_->qpos);
  std::copy(state.begin() + nq, state.begin() + nq + nv, data_->qvel);
  const bool warmstart = state.size() == static_cast<size_t>(nq + 2 * nv);
  if (warmstart) {
    std::copy(state.begin() + nq + nv, state.end(), data_->qacc_warmstart);
  }
  mj_forward(model_, data_);
  // mj_forward may refresh the warm start; the next step must start from
  // the given one.
  if (warmstart) {
    std::copy(state.begin() + nq + nv, state.end(), data_->qacc_warmstart);
  }
  StartEpisode();
  Observe(observation);
}

int MujocoTask::warning_count() const {
  int n = 0;
  for (mjtWarning w : kFlaggedWarnings) n += data_->warning[w].number;
  return n;
}

}  // namespace neurevo
