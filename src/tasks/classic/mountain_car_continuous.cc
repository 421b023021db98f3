#include "tasks/classic/mountain_car_continuous.h"

#include <cmath>

#include "neurevo/random.h"
#include "tasks/task_util.h"

namespace neurevo {
namespace {

constexpr double kMinAction = -1.0;
constexpr double kMaxAction = 1.0;
constexpr double kMinPosition = -1.2;
constexpr double kMaxPosition = 0.6;
constexpr double kMaxSpeed = 0.07;
constexpr double kGoalPosition = 0.45;
constexpr double kGoalVelocity = 0.0;
constexpr double kPower = 0.0015;

}  // namespace

MountainCarContinuous::MountainCarContinuous()
    : TaskBase(kName,
               Space::Box({task_util::ToF32(kMinPosition), task_util::ToF32(-kMaxSpeed)},
                          {task_util::ToF32(kMaxPosition), task_util::ToF32(kMaxSpeed)}),
               Space::Box({kMinAction}, {kMaxAction}), 999) {}

void MountainCarContinuous::Reset(uint64_t seed,
                                  std::span<double> observation) {
  RandomStream rng(seed);
  position_ = rng.Uniform(-0.6, -0.4);
  velocity_ = 0.0;
  state_is_f64_ = true;
  StartEpisode();
  WriteObservation(observation);
}

// Gymnasium's step, with the numpy scalar types of each intermediate:
//   force = min(max(action[0], -1.0), 1.0)   np.float32, or the Python
//                                            float +-1.0 when clipped
//   velocity += force * power - 0.0025 * math.cos(3 * position)
//   clip velocity to +-max_speed; position += velocity; clip position;
//   position == min_position and velocity < 0  ->  velocity = 0
//   terminated = position >= 0.45 and velocity >= 0
//   reward = (100 if terminated else 0) - math.pow(action[0], 2) * 0.1
//   state = np.array([position, velocity], dtype=np.float32)
// np.float32 combined with a Python float is float32 arithmetic (the Python
// float is rounded to float32 first); with np.float64 it is float64.
// Comparisons of np.float32 with a Python float are done in float32 too.
StepResult MountainCarContinuous::Step(std::span<const double> action,
                                       std::span<double> observation) {
  task_util::CheckSize(action, 1, kName, "action");
  const float a = static_cast<float>(action[0]);
  // Python's max/min return their first argument unless the other one is
  // strictly better, so the force stays np.float32 for |a| <= 1 (and NaN).
  const bool force_clipped = a < -1.0f || a > 1.0f;
  double position = position_, velocity = velocity_;

  if (state_is_f64_) {
    // First step after reset: position and velocity are np.float64.
    const double hill = 0.0025 * std::cos(3 * position);
    double increment;
    if (force_clipped) {
      increment = (a < -1.0f ? kMinAction : kMaxAction) * kPower - hill;
    } else {
      increment = static_cast<double>(a * static_cast<float>(kPower) -
                                      static_cast<float>(hill));
    }
    velocity += increment;
    if (velocity > kMaxSpeed) velocity = kMaxSpeed;
    if (velocity < -kMaxSpeed) velocity = -kMaxSpeed;
    position += velocity;
    if (position > kMaxPosition) position = kMaxPosition;
    if (position < kMinPosition) position = kMinPosition;
    if (position == kMinPosition && velocity < 0) velocity = 0.0;
  } else {
    // Later steps: position and velocity are np.float32.
    float pos = static_cast<float>(position),
          vel = static_cast<float>(velocity);
    const double hill = 0.0025 * std::cos(static_cast<double>(3.0f * pos));
    float increment;
    if (force_clipped) {
      // Python float - Python float, then rounded when added to vel.
      increment = static_cast<float>(
          (a < -1.0f ? kMinAction : kMaxAction) * kPower - hill);
    } else {
      increment = a * static_cast<float>(kPower) - static_cast<float>(hill);
    }
    vel = vel + increment;
    // The clipped values are Python floats again, but every later use
    // rounds them to float32, so storing float32 here is equivalent.
    if (vel > static_cast<float>(kMaxSpeed))
      vel = static_cast<float>(kMaxSpeed);
    if (vel < static_cast<float>(-kMaxSpeed))
      vel = static_cast<float>(-kMaxSpeed);
    pos = pos + vel;
    if (pos > static_cast<float>(kMaxPosition))
      pos = static_cast<float>(kMaxPosition);
    if (pos < static_cast<float>(kMinPosition))
      pos = static_cast<float>(kMinPosition);
    if (pos == static_cast<float>(kMinPosition) && vel < 0) vel = 0.0f;
    position = pos;
    velocity = vel;
  }

  StepResult result;
  if (state_is_f64_) {
    result.terminated = position >= kGoalPosition && velocity >= kGoalVelocity;
  } else {
    result.terminated =
        static_cast<float>(position) >= static_cast<float>(kGoalPosition) &&
        velocity >= kGoalVelocity;
  }
  const double raw_action = static_cast<double>(a);
  result.reward =
      (result.terminated ? 100.0 : 0.0) - task_util::PyPow(raw_action, 2) * 0.1;

  position_ = task_util::ToF32(position);
  velocity_ = task_util::ToF32(velocity);
  state_is_f64_ = false;
  result.truncated = CountStep();
  WriteObservation(observation);
  return result;
}

std::vector<double> MountainCarContinuous::PhysicalState() const {
  return {position_, velocity_};
}

void MountainCarContinuous::SetPhysicalState(std::span<const double> state,
                                             std::span<double> observation) {
  task_util::CheckSize(state, 2, kName, "state");
  position_ = state[0];
  velocity_ = state[1];
  state_is_f64_ = true;
  StartEpisode();
  WriteObservation(observation);
}

void MountainCarContinuous::WriteObservation(
    std::span<double> observation) const {
  task_util::CheckSize(observation, 2, kName, "observation");
  observation[0] = task_util::ToF32(position_);
  observation[1] = task_util::ToF32(velocity_);
}

}  // namespace neurevo
