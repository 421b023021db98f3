// The shared shape of the temporal (working-memory) tasks of the neocortical
// RSNN system (NBack-N, EvidenceAccumulation-T, CueDelayResponse-D): an
// episode is one trial drawn whole at Reset from the episode's seed, a fixed
// sequence of observations with a correct discrete answer at some of its
// steps. The action taken after observation t is scored against answer t;
// each correct scored answer earns 1 / (scored steps), so an episode's
// return is its accuracy in [0, 1], and the supervised target
// (Task::SupervisedTarget) is the same answer, for gradient training.
// Episodes end (terminated) after the trial's last step.
//
// info: "correct" (1 on a scored step answered right) and "scored" (1 on a
// scored step), so their episode sums give the accuracy's counts.
// Physical state: {t, seed high 32 bits, seed low 32 bits}: the trial is a
// function of the seed, so the state restores it exactly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

// One trial: observation t is observations[t * width .. (t + 1) * width),
// answer t is answers[t] (Task::kUnscored where not scored).
struct Trial {
  std::vector<double> observations;
  std::vector<int> answers;
};

class TrialTask : public TaskBase {
 public:
  std::vector<std::string> info_names() const override { return {"correct", "scored"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  int SupervisedTarget() const override;
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

  // The trial of `seed` (tests, figures).
  virtual Trial MakeTrial(uint64_t seed) const = 0;
  // Steps per trial: the episode's length.
  int trial_steps() const { return max_episode_steps(); }

 protected:
  TrialTask(std::string name, int observation_size, int actions, int steps);

 private:
  void Start(uint64_t seed, int t, std::span<double> observation);
  void WriteObservation(std::span<double> observation) const;

  int width_;
  int actions_;
  uint64_t seed_ = 0;
  int t_ = 0;
  int scored_ = 0;  // scored steps in the trial
  Trial trial_;
};

}  // namespace neurevo
