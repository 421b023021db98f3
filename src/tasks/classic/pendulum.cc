#include "tasks/classic/pendulum.h"

#include <algorithm>
#include <cmath>

#include "neurevo/random.h"
#include "tasks/task_util.h"

namespace neurevo {
namespace {

constexpr double kPi = 3.141592653589793;  // np.pi
constexpr double kMaxSpeed = 8;
constexpr double kMaxTorque = 2.0;
constexpr double kDt = 0.05;
constexpr double kG = 10.0;
constexpr double kM = 1.0;
constexpr double kL = 1.0;

// ((x + pi) % (2 pi)) - pi with numpy's float remainder (npy_divmod: fmod,
// then shifted into the divisor's sign; an exact zero becomes +0).
double AngleNormalize(double x) {
  constexpr double kTwoPi = 2 * kPi;
  double mod = std::fmod(x + kPi, kTwoPi);
  if (mod != 0.0) {
    if (mod < 0.0) mod += kTwoPi;
  } else {
    mod = 0.0;
  }
  return mod - kPi;
}

}  // namespace

double Pendulum::dt() const { return kDt; }

Pendulum::Pendulum()
    : TaskBase(kName, Space::Box({-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}),
               Space::Box({-kMaxTorque}, {kMaxTorque}), 200) {}

void Pendulum::Reset(uint64_t seed, std::span<double> observation) {
  RandomStream rng(seed);
  th_ = rng.Uniform(-kPi, kPi);
  thdot_ = rng.Uniform(-1.0, 1.0);
  StartEpisode();
  WriteObservation(observation);
}

StepResult Pendulum::Step(std::span<const double> action,
                          std::span<double> observation) {
  task_util::CheckSize(action, 1, kName, "action");
  // np.clip on a float32 array with Python-float bounds stays float32
  // (NaN stays NaN, as with np.clip).
  float u = static_cast<float>(action[0]);
  if (u < static_cast<float>(-kMaxTorque)) u = static_cast<float>(-kMaxTorque);
  if (u > static_cast<float>(kMaxTorque)) u = static_cast<float>(kMaxTorque);

  const double an = AngleNormalize(th_);
  // x**2 is pow(x, 2) in numpy (PyPow), not x * x. 0.001 * (u**2) is float32
  // arithmetic in numpy (u is np.float32).
  const float torque_cost = 0.001f * task_util::PyPowF(u, 2.0f);
  const double costs = task_util::PyPow(an, 2) +
                       0.1 * task_util::PyPow(thdot_, 2) +
                       static_cast<double>(torque_cost);
  // 3.0 / (m * l**2) * u is float32 too; the rest is float64.
  const float torque_acc = static_cast<float>(3.0 / (kM * (kL * kL))) * u;
  double newthdot = thdot_ + (3 * kG / (2 * kL) * std::sin(th_) +
                              static_cast<double>(torque_acc)) *
                                 kDt;
  newthdot = std::clamp(newthdot, -kMaxSpeed, kMaxSpeed);
  const double newth = th_ + newthdot * kDt;
  th_ = newth;
  thdot_ = newthdot;

  StepResult result;
  result.reward = -costs;
  result.terminated = false;
  result.truncated = CountStep();
  WriteObservation(observation);
  return result;
}

std::vector<double> Pendulum::PhysicalState() const { return {th_, thdot_}; }

void Pendulum::SetPhysicalState(std::span<const double> state,
                                std::span<double> observation) {
  task_util::CheckSize(state, 2, kName, "state");
  th_ = state[0];
  thdot_ = state[1];
  StartEpisode();
  WriteObservation(observation);
}

void Pendulum::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 3, kName, "observation");
  observation[0] = task_util::ToF32(std::cos(th_));
  observation[1] = task_util::ToF32(std::sin(th_));
  observation[2] = task_util::ToF32(thdot_);
}

}  // namespace neurevo
