#include "tasks/bsuite/memory_length.h"

#include <fmt/format.h>

#include <stdexcept>

#include "neurevo/random.h"
#include "tasks/task_util.h"

namespace neurevo {

MemoryLength::MemoryLength(int memory_length)
    : TaskBase(fmt::format("{}{}", kPrefix, memory_length),
               Space::Box({0.0, 0.0, -1.0}, {1.0, 0.0, 1.0}), Space::Discrete(2), memory_length + 1),
      length_(memory_length) {
  if (memory_length < 1 || memory_length > kMaxLength)
    throw std::invalid_argument(fmt::format("MemoryLength: length {} is not in 1 .. {}", memory_length, kMaxLength));
}

void MemoryLength::Reset(uint64_t seed, std::span<double> observation) {
  RandomStream rng(seed);
  context_ = rng.Uniform() < 0.5 ? 1 : 0;  // bsuite: binomial(1, 0.5)
  t_ = 0;
  StartEpisode();
  WriteObservation(t_, observation);
}

StepResult MemoryLength::Step(std::span<const double> action, std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, 2, name());
  if (t_ > length_) throw std::logic_error(std::string(name()) + ": stepped after the episode terminated");
  StepResult result;
  WriteObservation(t_, observation);  // bsuite: the observation before the counter moves
  ++t_;
  CountStep();
  if (t_ - 1 < length_) {
    result.AddInfo(0.0);
    return result;
  }
  const bool correct = a == context_;  // the query is bit 0, the only one
  result.reward = correct ? 1.0 : -1.0;
  result.terminated = true;
  result.AddInfo(correct ? 1.0 : 0.0);
  return result;
}

std::vector<double> MemoryLength::PhysicalState() const {
  return {static_cast<double>(t_), static_cast<double>(context_), 0.0};
}

void MemoryLength::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  task_util::CheckSize(state, 3, name(), "state");
  const double t = state[0], c = state[1], q = state[2];
  if (!(t >= 0 && t <= length_ && t == static_cast<int>(t)) || !(c == 0.0 || c == 1.0) || q != 0.0)
    throw std::invalid_argument(fmt::format("{}: state ({}, {}, {}) is not (t in 0 .. {}, bit 0 or 1, query 0)",
                                            name(), t, c, q, length_));
  t_ = static_cast<int>(t);
  context_ = static_cast<int>(c);
  StartEpisode();
  WriteObservation(t_, observation);
}

void MemoryLength::WriteObservation(int t, std::span<double> observation) const {
  task_util::CheckSize(observation, 3, name(), "observation");
  // Computed in float64 and stored as float32, as numpy does here.
  observation[0] = task_util::ToF32(1.0 - static_cast<double>(t) / length_);
  observation[1] = 0.0;  // the query's value (bit 0), shown at t = N - 1
  observation[2] = t == 0 ? (context_ == 1 ? 1.0 : -1.0) : 0.0;
}

}  // namespace neurevo
