#include "tasks/cognitive/stdp_mimic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "core/checked_math.h"
#include "tasks/cognitive/step_stream.h"
#include "tasks/task_util.h"

namespace neurevo {

namespace {
constexpr uint64_t kDrawPurpose = 2;
}  // namespace

double StdpRule::Step(bool pre, bool post, bool modulator) {
  if (modulator && post) w += potentiation * p;
  if (modulator && pre) w -= depression * q;
  w = std::clamp(w, 0.0, 1.0);
  const double lam = Decay();
  p = lam * p + (pre ? 1.0 : 0.0);
  q = lam * q + (post ? 1.0 : 0.0);
  return w;
}

double StdpRule::PairingChange(int dt, double potentiation, double depression) {
  StdpRule rule{.potentiation = potentiation, .depression = depression};
  const int first = std::min(0, dt), last = std::max(0, dt);
  for (int t = first; t <= last; ++t) rule.Step(t == 0, t == dt, true);
  return rule.w - kInitialWeight;
}

StdpMimic::StdpMimic(double potentiation, double depression)
    : TaskBase(kName, Space::Box({0.0, 0.0, 0.0, 0.0}, {1.0, 1.0, 1.0, 1.0}), Space::Box({0.0}, {1.0}), kSteps),
      potentiation_(potentiation),
      depression_(depression) {
  for (const auto& [what, a] : {std::pair{"potentiation", potentiation}, std::pair{"depression", depression}})
    if (!(a > 0.0 && a <= StdpRule::kMaxAmplitude))  // NaN fails too
      throw std::invalid_argument(
          fmt::format("{}: the {} amplitude must be in (0, {}], not {}", name(), what, StdpRule::kMaxAmplitude, a));
  rule_ = StdpRule{.potentiation = potentiation_, .depression = depression_};
}

StdpMimic::Draws StdpMimic::DrawsAt(uint64_t seed, int t) {
  RandomStream rng = cognitive::StepStream(seed, kDrawPurpose, static_cast<uint64_t>(t));
  Draws d;
  d.x = rng.Uniform();
  d.pre = rng.Uniform() < kSpikeProbability;
  d.post = rng.Uniform() < kSpikeProbability;
  const bool toggle = rng.Uniform() < kToggleProbability;  // drawn at t = 0 too, to keep the layout
  d.toggle = t > 0 && toggle;
  return d;
}

void StdpMimic::Reset(uint64_t seed, std::span<double> observation) {
  seed_ = seed;
  t_ = 0;
  modulator_ = false;
  rule_ = StdpRule{.potentiation = potentiation_, .depression = depression_};
  StartEpisode();
  WriteObservation(observation);
}

StepResult StdpMimic::Step(std::span<const double> action, std::span<double> observation) {
  task_util::CheckSize(action, 1, name(), "action");
  if (t_ >= kSteps) throw std::logic_error(std::string(name()) + ": stepped after the episode ended");
  StepResult r;
  double a = SaturatingFloat(action[0]);  // float32 first (ActionAsApplied)
  if (std::isnan(a)) {  // no output to score: the episode fails
    r.simulation_warning = true;
    a = 0.0;
  }
  a = std::clamp(a, 0.0, 1.0);

  const Draws d = DrawsAt(seed_, t_);
  const double w = rule_.Step(d.pre, d.post, modulator_);
  const double y = task_util::ToF32(d.x * w);
  const double error = (a - y) * (a - y);
  r.reward = -error;
  r.AddInfo(error / kSteps);
  r.AddInfo(w / kSteps);
  ++t_;
  if (t_ < kSteps && DrawsAt(seed_, t_).toggle) modulator_ = !modulator_;
  const bool limit = CountStep();
  r.truncated = limit || t_ == kSteps;
  WriteObservation(observation);
  return r;
}

std::vector<double> StdpMimic::PhysicalState() const {
  std::vector<double> s;
  s.reserve(kStateSize);
  cognitive::PutSeed(seed_, s);
  s.insert(s.end(), {static_cast<double>(t_), rule_.w, rule_.p, rule_.q, modulator_ ? 1.0 : 0.0});
  return s;
}

void StdpMimic::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  task_util::CheckSize(state, kStateSize, name(), "state");
  const uint64_t seed = cognitive::StateSeed(state[0], state[1], name());
  const int t = static_cast<int>(cognitive::StateInteger(state[2], 0, kSteps, name(), "t"));
  const double w = cognitive::StateReal(state[3], 0.0, 1.0, name(), "w");
  // A trace is a sum of decayed spikes: at most 1 / (1 - lambda) (and a
  // rounding's worth).
  const double trace_max = (1.0 + 1e-9) / (1.0 - StdpRule::Decay());
  const double p = cognitive::StateReal(state[4], 0.0, trace_max, name(), "P");
  const double q = cognitive::StateReal(state[5], 0.0, trace_max, name(), "Q");
  const bool modulator = cognitive::StateInteger(state[6], 0, 1, name(), "modulator") == 1;
  seed_ = seed;
  t_ = t;
  rule_.w = w;
  rule_.p = p;
  rule_.q = q;
  modulator_ = modulator;
  StartEpisode();
  WriteObservation(observation);
}

void StdpMimic::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 4, name(), "observation");
  if (t_ >= kSteps) {
    std::fill(observation.begin(), observation.end(), 0.0);
    return;
  }
  const Draws d = DrawsAt(seed_, t_);
  observation[0] = d.x;
  observation[1] = d.pre ? 1.0 : 0.0;
  observation[2] = modulator_ ? 1.0 : 0.0;
  observation[3] = d.post ? 1.0 : 0.0;
}

}  // namespace neurevo
