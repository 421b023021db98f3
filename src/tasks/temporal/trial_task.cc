#include "tasks/temporal/trial_task.h"

#include <fmt/format.h>

#include <stdexcept>

#include "tasks/cognitive/step_stream.h"
#include "tasks/task_util.h"

namespace neurevo {

TrialTask::TrialTask(std::string name, int observation_size, int actions, int steps)
    : TaskBase(name, Space::Box(std::vector<double>(observation_size, 0.0), std::vector<double>(observation_size, 1.0)),
               Space::Discrete(actions), steps),
      width_(observation_size),
      actions_(actions) {}

void TrialTask::Start(uint64_t seed, int t, std::span<double> observation) {
  trial_ = MakeTrial(seed);
  const int steps = max_episode_steps();
  if (static_cast<int>(trial_.answers.size()) != steps ||
      trial_.observations.size() != static_cast<size_t>(steps) * width_)
    throw std::logic_error(fmt::format("{}: a trial of the wrong size", name()));
  scored_ = 0;
  for (const int a : trial_.answers) scored_ += a >= 0 ? 1 : 0;
  if (scored_ == 0) throw std::logic_error(fmt::format("{}: a trial without a scored step", name()));
  seed_ = seed;
  t_ = t;
  StartEpisode();
  WriteObservation(observation);
}

void TrialTask::Reset(uint64_t seed, std::span<double> observation) { Start(seed, 0, observation); }

StepResult TrialTask::Step(std::span<const double> action, std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, actions_, name());
  const int steps = max_episode_steps();
  if (t_ >= steps) throw std::logic_error(fmt::format("{}: stepped after the episode terminated", name()));
  StepResult result;
  const int answer = trial_.answers[t_];
  const bool correct = answer >= 0 && a == answer;
  result.reward = correct ? 1.0 / scored_ : 0.0;
  result.AddInfo(correct ? 1.0 : 0.0);
  result.AddInfo(answer >= 0 ? 1.0 : 0.0);
  ++t_;
  CountStep();
  result.terminated = t_ == steps;
  WriteObservation(observation);
  return result;
}

int TrialTask::SupervisedTarget() const {
  // Before the first Reset there is no trial, but the task has a teacher.
  return t_ < static_cast<int>(trial_.answers.size()) ? trial_.answers[t_] : kUnscored;
}

std::vector<double> TrialTask::PhysicalState() const {
  std::vector<double> state = {static_cast<double>(t_)};
  cognitive::PutSeed(seed_, state);
  return state;
}

void TrialTask::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  task_util::CheckSize(state, 3, name(), "state");
  // t = the trial's length is the state after its last step (PhysicalState reports it).
  const auto t = static_cast<int>(cognitive::StateInteger(state[0], 0, max_episode_steps(), name(), "t"));
  Start(cognitive::StateSeed(state[1], state[2], name()), t, observation);
}

void TrialTask::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, static_cast<size_t>(width_), name(), "observation");
  // After the last step the observation is blank (the episode has ended).
  for (int k = 0; k < width_; ++k)
    observation[k] = t_ < max_episode_steps() ? trial_.observations[static_cast<size_t>(t_) * width_ + k] : 0.0;
}

}  // namespace neurevo
