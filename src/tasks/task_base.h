// Bookkeeping every task shares: its id, its spaces, and Gymnasium's
// TimeLimit wrapper (counting steps, truncating at the limit). Concrete
// tasks derive from TaskBase and implement only their dynamics.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "neurevo/task.h"

namespace neurevo {

class TaskBase : public Task {
 public:
  std::string_view name() const final { return name_; }
  const Space& observation_space() const final { return observation_space_; }
  const Space& action_space() const final { return action_space_; }
  int max_episode_steps() const final { return max_episode_steps_; }

 protected:
  TaskBase(std::string_view name, Space observation_space, Space action_space,
           int max_episode_steps)
      : name_(name),
        observation_space_(std::move(observation_space)),
        action_space_(std::move(action_space)),
        max_episode_steps_(max_episode_steps) {}

  // Starts an episode's step count (Reset, SetPhysicalState).
  void StartEpisode() { steps_ = 0; }
  // Counts one step; true when the time limit truncates the episode.
  bool CountStep() { return ++steps_ >= max_episode_steps_; }

 private:
  std::string name_;  // owned: a task family's id is made at run time (MemoryLength-10)
  Space observation_space_;
  Space action_space_;
  int max_episode_steps_;
  int steps_ = 0;
};

}  // namespace neurevo
