#include "tasks/classic/acrobot.h"

#include <cmath>

#include "neurevo/random.h"
#include "tasks/task_util.h"

namespace neurevo {
namespace {

constexpr double kPi = 3.141592653589793;  // numpy.pi
constexpr double kDt = 0.2;
constexpr double kLinkLength1 = 1.0;
constexpr double kLinkMass1 = 1.0;
constexpr double kLinkMass2 = 1.0;
constexpr double kLinkComPos1 = 0.5;
constexpr double kLinkComPos2 = 0.5;
constexpr double kLinkMoi = 1.0;
constexpr double kMaxVel1 = 4 * kPi;
constexpr double kMaxVel2 = 9 * kPi;
constexpr double kAvailTorque[3] = {-1.0, 0.0, +1.0};

// The augmented state {theta1, theta2, dtheta1, dtheta2, torque}.
using Augmented = std::array<double, 5>;

// AcrobotEnv._dsdt ("book" dynamics). Operations are written in Python's
// left-to-right order so that every intermediate rounds identically; `x**2`
// of a state variable is libm's pow(x, 2) as in numpy (PyPow), while the
// squares of the constants 0.5 and 1.0 are exact either way.
Augmented Dsdt(const Augmented& s) {
  const double m1 = kLinkMass1, m2 = kLinkMass2, l1 = kLinkLength1;
  const double lc1 = kLinkComPos1, lc2 = kLinkComPos2;
  const double i1 = kLinkMoi, i2 = kLinkMoi;
  const double g = 9.8;
  const double a = s[4];
  const double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
  const double d1 =
      m1 * (lc1 * lc1) +
      m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * std::cos(theta2)) + i1 +
      i2;
  const double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * std::cos(theta2)) + i2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - kPi / 2.0);
  const double phi1 =
      -m2 * l1 * lc2 * task_util::PyPow(dtheta2, 2) * std::sin(theta2) -
      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - kPi / 2) + phi2;
  const double ddtheta2 =
      (a + d2 / d1 * phi1 -
       m2 * l1 * lc2 * task_util::PyPow(dtheta1, 2) * std::sin(theta2) - phi2) /
      (m2 * (lc2 * lc2) + i2 - task_util::PyPow(d2, 2) / d1);
  const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0};
}

// y + h * k, elementwise.
Augmented Axpy(const Augmented& y, double h, const Augmented& k) {
  Augmented r;
  for (int i = 0; i < 5; ++i) r[i] = y[i] + h * k[i];
  return r;
}

// Gymnasium's rk4(derivs, y0, [0, dt]): one classical Runge-Kutta step.
Augmented Rk4(const Augmented& y0) {
  const double t0 = 0, t1 = kDt;
  const double dt = t1 - t0;
  const double dt2 = dt / 2.0;
  const Augmented k1 = Dsdt(y0);
  const Augmented k2 = Dsdt(Axpy(y0, dt2, k1));
  const Augmented k3 = Dsdt(Axpy(y0, dt2, k2));
  const Augmented k4 = Dsdt(Axpy(y0, dt, k3));
  Augmented y1;
  for (int i = 0; i < 5; ++i) {
    y1[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return y1;
}

double Wrap(double x, double m, double big_m) {
  const double diff = big_m - m;
  // Gymnasium's loops, which never end for an angle so large that
  // subtracting 2 pi leaves it unchanged (a state set from outside: the
  // dynamics never come near). Far out, fmod first.
  if (std::abs(x) > 1e6) x = std::fmod(x, diff);
  while (x > big_m) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

// min(max(x, m), M) with Python's semantics (NaN passes through).
double Bound(double x, double m, double big_m) {
  double r = (m > x) ? m : x;
  return (big_m < r) ? big_m : r;
}

}  // namespace

namespace {
Space ObservationSpace() {
  const double v1 = task_util::ToF32(kMaxVel1), v2 = task_util::ToF32(kMaxVel2);
  return Space::Box({-1.0, -1.0, -1.0, -1.0, -v1, -v2},
                    {1.0, 1.0, 1.0, 1.0, v1, v2});
}
}  // namespace

double Acrobot::dt() const { return kDt; }

Acrobot::Acrobot()
    : TaskBase(kName, ObservationSpace(), Space::Discrete(3), 500) {}

void Acrobot::Reset(uint64_t seed, std::span<double> observation) {
  RandomStream rng(seed);
  for (double& s : state_) s = task_util::ToF32(rng.Uniform(-0.1, 0.1));
  StartEpisode();
  WriteObservation(observation);
}

StepResult Acrobot::Step(std::span<const double> action,
                         std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, 3, kName);
  const Augmented y0 = {state_[0], state_[1], state_[2], state_[3],
                        kAvailTorque[a]};
  const Augmented ns = Rk4(y0);
  state_[0] = Wrap(ns[0], -kPi, kPi);
  state_[1] = Wrap(ns[1], -kPi, kPi);
  state_[2] = Bound(ns[2], -kMaxVel1, kMaxVel1);
  state_[3] = Bound(ns[3], -kMaxVel2, kMaxVel2);

  StepResult result;
  result.terminated =
      -std::cos(state_[0]) - std::cos(state_[1] + state_[0]) > 1.0;
  result.reward = result.terminated ? 0.0 : -1.0;
  result.truncated = CountStep();
  WriteObservation(observation);
  return result;
}

std::vector<double> Acrobot::PhysicalState() const {
  return {state_.begin(), state_.end()};
}

void Acrobot::SetPhysicalState(std::span<const double> state,
                               std::span<double> observation) {
  task_util::CheckSize(state, 4, kName, "state");
  for (int i = 0; i < 4; ++i) state_[i] = state[i];
  StartEpisode();
  WriteObservation(observation);
}

void Acrobot::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 6, kName, "observation");
  observation[0] = task_util::ToF32(std::cos(state_[0]));
  observation[1] = task_util::ToF32(std::sin(state_[0]));
  observation[2] = task_util::ToF32(std::cos(state_[1]));
  observation[3] = task_util::ToF32(std::sin(state_[1]));
  observation[4] = task_util::ToF32(state_[2]);
  observation[5] = task_util::ToF32(state_[3]);
}

}  // namespace neurevo
