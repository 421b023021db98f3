#include "tasks/classic/cartpole.h"

#include <cmath>
#include <limits>

#include "neurevo/random.h"
#include "tasks/task_util.h"

namespace neurevo {
namespace {

// Constants and derived constants computed in the same order as Gymnasium,
// so that they round identically.
constexpr double kGravity = 9.8;
constexpr double kMassCart = 1.0;
constexpr double kMassPole = 0.1;
constexpr double kTotalMass = kMassPole + kMassCart;
constexpr double kLength = 0.5;  // half the pole's length
constexpr double kPoleMassLength = kMassPole * kLength;
constexpr double kForceMag = 10.0;
constexpr double kTau = 0.02;
constexpr double kPi = 3.141592653589793;  // math.pi
constexpr double kThetaThreshold = 12 * 2 * kPi / 360;
constexpr double kXThreshold = 2.4;

}  // namespace

namespace {
Space ObservationSpace() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Gymnasium builds the bounds as a float32 array.
  const double x_high = task_util::ToF32(kXThreshold * 2);
  const double theta_high = task_util::ToF32(kThetaThreshold * 2);
  return Space::Box({-x_high, -kInf, -theta_high, -kInf},
                    {x_high, kInf, theta_high, kInf});
}
}  // namespace

double CartPole::dt() const { return kTau; }

CartPole::CartPole(int max_episode_steps)
    : TaskBase(kName, ObservationSpace(), Space::Discrete(2), max_episode_steps) {}

void CartPole::Reset(uint64_t seed, std::span<double> observation) {
  RandomStream rng(seed);
  for (double& s : state_) s = rng.Uniform(-0.05, 0.05);
  StartEpisode();
  WriteObservation(observation);
}

StepResult CartPole::Step(std::span<const double> action,
                          std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, 2, kName);
  double x = state_[0], x_dot = state_[1], theta = state_[2],
         theta_dot = state_[3];
  const double force = a == 1 ? kForceMag : -kForceMag;
  const double costheta = std::cos(theta);
  const double sintheta = std::sin(theta);
  const double temp =
      (force + kPoleMassLength * (theta_dot * theta_dot) * sintheta) /
      kTotalMass;
  const double thetaacc =
      (kGravity * sintheta - costheta * temp) /
      (kLength * (4.0 / 3.0 - kMassPole * (costheta * costheta) / kTotalMass));
  const double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;
  // Euler.
  x = x + kTau * x_dot;
  x_dot = x_dot + kTau * xacc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * thetaacc;
  state_ = {x, x_dot, theta, theta_dot};

  StepResult result;
  result.terminated = x < -kXThreshold || x > kXThreshold ||
                      theta < -kThetaThreshold || theta > kThetaThreshold;
  result.reward = 1.0;
  result.truncated = CountStep();
  WriteObservation(observation);
  return result;
}

std::vector<double> CartPole::PhysicalState() const {
  return {state_.begin(), state_.end()};
}

void CartPole::SetPhysicalState(std::span<const double> state,
                                std::span<double> observation) {
  task_util::CheckSize(state, 4, kName, "state");
  for (int i = 0; i < 4; ++i) state_[i] = state[i];
  StartEpisode();
  WriteObservation(observation);
}

void CartPole::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 4, kName, "observation");
  for (int i = 0; i < 4; ++i) observation[i] = task_util::ToF32(state_[i]);
}

}  // namespace neurevo
