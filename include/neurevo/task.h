// A task is an episodic environment with Gymnasium's reset/step semantics.
//
// Like MuJoCo's model/data split, one Task object is the mutable state of one
// environment instance and is owned by one worker thread; create one per
// worker with MakeTask(). Observations and actions are plain double vectors
// whose sizes are given by the declared spaces.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace neurevo {

// Gymnasium's Box (continuous, per-dimension bounds) or Discrete(n).
struct Space {
  enum class Kind { kBox, kDiscrete };
  Kind kind = Kind::kBox;
  int size = 0;  // Box: number of dimensions; Discrete: number of actions
  std::vector<double> low, high;  // Box only (may hold +-inf for observations)

  static Space Box(std::vector<double> low, std::vector<double> high) {
    Space s;
    s.kind = Kind::kBox;
    s.size = static_cast<int>(low.size());
    s.low = std::move(low);
    s.high = std::move(high);
    return s;
  }
  static Space Discrete(int n) {
    Space s;
    s.kind = Kind::kDiscrete;
    s.size = n;
    return s;
  }
  bool discrete() const { return kind == Kind::kDiscrete; }
  // Number of doubles in a vector of this space (1 for Discrete).
  int vector_size() const { return discrete() ? 1 : size; }
};

struct StepResult {
  double reward = 0.0;
  bool terminated = false;  // the MDP reached a terminal state
  bool truncated = false;   // the time limit was reached
  // The share of `reward` that is a bonus for staying alive (Gymnasium's
  // healthy_reward or alive_bonus; 0 for tasks without one). Training can
  // leave it out of the fitness (train.drop_survival_bonus).
  double survival_reward = 0.0;
  // The simulator reported numerical trouble during this step (MuJoCo: a
  // NaN/Inf/huge qpos, qvel or qacc, after which it resets its state; or a
  // non-finite control, a singular inertia, a full contact or constraint
  // list). The step's values are then not physics to be trusted; callers
  // may treat the episode as failed. Always false for the classic tasks.
  bool simulation_warning = false;
  // The task's per-step values (Gymnasium's info dict: reward components,
  // a trial's success, ...), named by Task::info_names(), in that order.
  static constexpr int kMaxInfo = 8;
  std::array<double, kMaxInfo> info_values{};
  int info_count = 0;
  std::span<const double> info() const { return {info_values.data(), static_cast<size_t>(info_count)}; }
  void AddInfo(double value) { info_values[info_count++] = value; }
};

class Task {
 public:
  virtual ~Task() = default;

  // Gymnasium-style id, e.g. "CartPole-v1".
  virtual std::string_view name() const = 0;
  virtual const Space& observation_space() const = 0;
  // Discrete actions are passed as one double holding the index.
  virtual const Space& action_space() const = 0;
  // Time limit (Gymnasium's TimeLimit wrapper), e.g. 500 for CartPole-v1.
  virtual int max_episode_steps() const = 0;
  // Whether the reward holds a separate per-step bonus for staying alive
  // (StepResult::survival_reward): Hopper, Walker2d, Ant, InvertedDoublePendulum.
  virtual bool has_survival_bonus() const { return false; }
  // Names of the values every StepResult's info() holds (at most
  // StepResult::kMaxInfo), as Gymnasium's info dict names them; none by
  // default. Episodes sum them over their steps; metrics.jsonl reports the
  // generation's mean of those sums, rollouts every step's values.
  virtual std::vector<std::string> info_names() const { return {}; }
  // Simulated seconds per step, Gymnasium's `env.dt`; 0 for a task without
  // physical time (MountainCarContinuous). `model.substeps = 0` runs the
  // network for this long per step (real time).
  virtual double dt() const { return 0.0; }

  // Starts an episode from a state drawn with the given seed; writes the first
  // observation. Resets the step counter.
  virtual void Reset(uint64_t seed, std::span<double> observation) = 0;
  // Starts held-out episode `episode` (0, 1, ...) of the final evaluation,
  // for a task with a test set of its own (ImageClassification: test image
  // `episode`); writes the first observation and returns true. Tasks without
  // one return false, and their held-out episodes are reset from a seed.
  virtual bool ResetHeldOut(int /*episode*/, std::span<double> /*observation*/) { return false; }
  // Advances one step. Continuous actions are clipped to the action space
  // where Gymnasium clips them. Writes the next observation.
  virtual StepResult Step(std::span<const double> action,
                          std::span<double> observation) = 0;

  // A teacher's answer to the observation last written (by Reset or Step):
  // the discrete action that is scored as correct for it, kUnscored when the
  // action taken now is not scored, or kNoTeacher (the default) for a task
  // that has no per-step answer (control tasks). Gradient training
  // (optimizer.kind = "bptt") fits a cross-entropy loss to these answers; a
  // task without a teacher is trained by REINFORCE instead.
  static constexpr int kUnscored = -1;
  static constexpr int kNoTeacher = -2;
  virtual int SupervisedTarget() const { return kNoTeacher; }

  // The full physical state (for rollouts, plotting and parity checks).
  virtual std::vector<double> PhysicalState() const = 0;
  // Sets the physical state directly and resets the step counter (parity
  // tests put both implementations in the same state this way); writes the
  // observation of that state.
  virtual void SetPhysicalState(std::span<const double> state,
                                std::span<double> observation) = 0;
};

// The action as a task receives it, which is what Gymnasium's env.step() is
// given: a Box action rounded to float32 (Gymnasium's action dtype; every
// continuous task converts its action so before anything else, and clips,
// where it clips, inside Step as Gymnasium does), a discrete index as it is.
// Stepping with it is identical to stepping with `action`.
inline std::vector<double> ActionAsApplied(const Space& action_space, std::span<const double> action) {
  std::vector<double> applied(action.begin(), action.end());
  if (!action_space.discrete())
    for (double& a : applied) a = static_cast<double>(static_cast<float>(a));
  return applied;
}

// A task's options by name (the config's [task.options] table), e.g. Ant-v5's
// include_cfrc_ext_in_observation, Gymnasium's keyword of the same name.
// Each task accepts only its own (TaskOptionsOf); a missing option takes its
// default (Gymnasium's where Gymnasium has the task).
using TaskOptionValue = std::variant<bool, long long, double, std::string>;
using TaskOptions = std::map<std::string, TaskOptionValue>;

struct TaskOptionInfo {
  std::string name;
  std::string type;           // "bool", "int", "float", "string" or "path"
  std::string default_value;  // as TOML
  std::string doc;
};

// Creates a task by id with its options. Throws ConfigError naming the
// allowed ids, or `task.options.<name>` and what it allows for an option the
// task does not have or a value of the wrong type or out of its range.
std::unique_ptr<Task> MakeTask(std::string_view name, const TaskOptions& options = {});
// Gymnasium's reward_threshold of the task's spec (the return at which it
// counts as solved), or none: Pendulum-v1 and Walker2d-v5 have none.
std::optional<double> TaskRewardThreshold(std::string_view name);
// The options a task accepts (empty for an unknown id).
std::vector<TaskOptionInfo> TaskOptionsOf(std::string_view name);
// All registered task ids with no parameter.
std::vector<std::string> TaskNames();
// The task families, whose ids carry a parameter: "MemoryLength-N".
std::vector<std::string> TaskFamilies();
// Whether MakeTask knows `name` (a registered id or a family member).
bool IsTaskName(std::string_view name);
// Every registered id and family, for messages: "CartPole-v1, ..., MemoryLength-N (N = 1 .. 100000)".
std::string TaskNamesAllowed();

}  // namespace neurevo
