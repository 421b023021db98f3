// MujocoTask: what the MuJoCo tasks share, after Gymnasium 1.4.0's
// MujocoEnv (gymnasium/envs/mujoco/mujoco_env.py) plus the TimeLimit of 1000
// steps.
//
// One immutable mjModel per task kind is shared by all instances
// (SharedMujocoModel); each instance owns one mjData, allocated once, so a
// step allocates nothing. A step is Gymnasium's do_simulation: the action is
// rounded to float32 (the action space is a float32 Box) and written to
// ctrl unclipped (MuJoCo clamps it to the actuators' ctrlrange; the control
// cost uses the unclipped action, as Gymnasium's does), then mj_step runs
// frame_skip times and mj_rnePostConstraint fills cfrc_ext. Reset is
// Gymnasium's: mj_resetData, qpos0 + noise, qvel + noise, mj_forward.
//
// Concrete tasks provide the observation (Observe) and the reward and
// termination (Evaluate) as functions of the mjData after the step, the
// action and what they captured before it (CaptureBefore), so the parity test
// can call them on states recorded from Gymnasium.
//
// Numerical trouble: MuJoCo counts warnings in mjData::warning (and, for a
// bad qpos/qvel/qacc, resets the data to qpos0 and carries on). Step reports
// any new warning of the kinds listed in kFlaggedWarnings as
// StepResult::simulation_warning; warning_count() gives the running total
// since the last reset.
#pragma once

#include <mujoco/mujoco.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

class MujocoTask : public TaskBase {
 public:
  // Gymnasium v5's reset noise: qpos0 + U(-scale, scale) per coordinate;
  // qvel U(-scale, scale) or scale * N(0, 1) per coordinate.
  enum class VelocityNoise { kUniform, kNormal };
  struct Spec {
    std::string_view name;        // Gymnasium id
    std::string_view model_file;  // embedded MJCF, e.g. "hopper.xml"
    int frame_skip = 1;
    int observation_size = 0;
    double reset_noise_scale = 0.0;
    VelocityNoise velocity_noise = VelocityNoise::kUniform;
  };

  // What a reward needs from before the step: the tracked xy position
  // (Gymnasium reads qpos[0:2], or the main body's xpos for Ant).
  struct Before {
    double x = 0.0;
    double y = 0.0;
  };

  ~MujocoTask() override;
  MujocoTask(const MujocoTask&) = delete;
  MujocoTask& operator=(const MujocoTask&) = delete;

  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action,
                  std::span<double> observation) override;
  // {qpos (nq), qvel (nv), qacc_warmstart (nv)}. qacc_warmstart is the
  // constraint solver's starting point, so a state restored with it
  // continues exactly as the original would.
  std::vector<double> PhysicalState() const override;
  // Accepts {qpos, qvel} (warm start zero, as after a reset) or the full
  // {qpos, qvel, qacc_warmstart}. Like a reset into that state: the data are
  // cleared (mj_resetData), the state written and mj_forward run.
  void SetPhysicalState(std::span<const double> state,
                        std::span<double> observation) override;

  // Writes the observation of the current data.
  virtual void Observe(std::span<double> observation) const = 0;
  // The reward inputs captured before a step from the current data.
  virtual Before CaptureBefore() const;
  // Reward and terminated of the step that led to the current data (after
  // mj_rnePostConstraint), given what was captured before it and the float32
  // action. Does not touch truncated, simulation_warning or the data.
  virtual StepResult Evaluate(const Before& before,
                              std::span<const float> action) const = 0;

  const mjModel& model() const { return *model_; }
  // The live simulator data, for tests and tools (e.g. the parity test loads
  // recorded states into it and calls Observe/Evaluate).
  mjData& data() { return *data_; }
  const mjData& data() const { return *data_; }
  // Seconds of simulated time per step (timestep * frame_skip), Gymnasium's dt.
  double dt() const override { return dt_; }
  int frame_skip() const { return frame_skip_; }
  // Flagged MuJoCo warnings since the last Reset/SetPhysicalState.
  int warning_count() const;

  // The warnings that mark a step as unreliable (not mjWARN_VGEOMFULL, which
  // is about rendering).
  static constexpr mjtWarning kFlaggedWarnings[] = {
      mjWARN_INERTIA, mjWARN_CONTACTFULL, mjWARN_CNSTRFULL, mjWARN_BADQPOS,
      mjWARN_BADQVEL, mjWARN_BADQACC,     mjWARN_BADCTRL};

 protected:
  explicit MujocoTask(const Spec& spec);

 private:
  static Space ActionSpace(const mjModel& model);

  const mjModel* model_;
  mjData* data_;
  int frame_skip_;
  double reset_noise_scale_;
  VelocityNoise velocity_noise_;
  double dt_;
  std::vector<float> action_;  // the float32 action of the current step
};

}  // namespace neurevo
