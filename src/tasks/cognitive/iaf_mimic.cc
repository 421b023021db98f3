#include "tasks/cognitive/iaf_mimic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "core/checked_math.h"
#include "tasks/cognitive/step_stream.h"
#include "tasks/task_util.h"

namespace neurevo {

namespace {
constexpr uint64_t kInputPurpose = 1;
}  // namespace

IafMimic::IafMimic() : TaskBase(kName, Space::Box({0.0}, {1.0}), Space::Box({0.0}, {1.0}), kSteps) {}

double IafMimic::Input(uint64_t seed, int t) {
  return cognitive::StepStream(seed, kInputPurpose, static_cast<uint64_t>(t)).Uniform(0.0, kMaxInput);
}

double IafMimic::IsiError(std::span<const int> reference, std::span<const int> candidate, int steps) {
  const size_t n = std::max(reference.size(), candidate.size());
  if (n == 0) return 0.0;
  // Padding with the episode's length counts a missing spike as one at its end.
  auto time = [steps](std::span<const int> s, size_t k) { return k < s.size() ? s[k] : steps; };
  double sum = 0.0;
  for (size_t k = 0; k < n; ++k) {
    const int from_r = k == 0 ? 0 : time(reference, k - 1), from_c = k == 0 ? 0 : time(candidate, k - 1);
    sum += std::abs((time(reference, k) - from_r) - (time(candidate, k) - from_c));
  }
  return sum / static_cast<double>(n);
}

double IafMimic::IsiDistance(std::span<const int> reference, std::span<const int> candidate, int steps) {
  if (steps <= 0) return 0.0;
  // Walks both trains' intervals (s_{k-1}, s_k] with s_0 = -1 and a last one
  // ending at `steps`, the step t lying in the current one of each.
  struct Walker {
    std::span<const int> s;
    int steps;
    size_t k = 0;
    int prev = -1;
    int Interval(int t) {
      while (k < s.size() && s[k] < t) prev = s[k++];
      return (k < s.size() ? s[k] : steps) - prev;
    }
  };
  Walker r{reference, steps}, c{candidate, steps};
  double sum = 0.0;
  for (int t = 0; t < steps; ++t) {
    const int a = r.Interval(t), b = c.Interval(t);
    sum += static_cast<double>(std::abs(a - b)) / std::max(a, b);
  }
  return sum / steps;
}

void IafMimic::Reset(uint64_t seed, std::span<double> observation) {
  seed_ = seed;
  t_ = 0;
  v_ = 0.0;
  spike_miss_ = rest_miss_ = 0.0;
  reference_.fill(0);
  candidate_.fill(0);
  StartEpisode();
  WriteObservation(observation);
}

StepResult IafMimic::Step(std::span<const double> action, std::span<double> observation) {
  task_util::CheckSize(action, 1, name(), "action");
  if (t_ >= kSteps) throw std::logic_error(std::string(name()) + ": stepped after the episode ended");
  StepResult r;
  // float32 first, as every continuous task takes its action (ActionAsApplied).
  double a = SaturatingFloat(action[0]);
  if (std::isnan(a)) {  // no output to score: the episode fails
    r.simulation_warning = true;
    a = 0.0;
  }
  a = std::clamp(a, 0.0, 1.0);

  v_ += Input(seed_, t_);
  const bool spike = v_ >= kThreshold;
  if (spike) v_ = 0.0;
  reference_[t_] = spike ? 1 : 0;
  candidate_[t_] = a >= kSpikeAction ? 1 : 0;
  if (spike)
    spike_miss_ += 1.0 - a;
  else
    rest_miss_ += a;
  ++t_;
  const bool limit = CountStep();
  r.truncated = limit || t_ == kSteps;
  WriteObservation(observation);
  if (t_ < kSteps) {
    for (int k = 0; k < 4; ++k) r.AddInfo(0.0);
    return r;
  }

  std::vector<int> ref, cand;
  for (int k = 0; k < kSteps; ++k) {
    if (reference_[k]) ref.push_back(k);
    if (candidate_[k]) cand.push_back(k);
  }
  const int n_spike = static_cast<int>(ref.size()), n_rest = kSteps - n_spike;
  const double distance = IsiDistance(ref, cand);
  const double height = (n_spike ? spike_miss_ / n_spike : 0.0) + (n_rest ? rest_miss_ / n_rest : 0.0);
  r.reward = -(distance + height);
  r.AddInfo(distance);
  r.AddInfo(IsiError(ref, cand));
  r.AddInfo(height);
  r.AddInfo(std::abs(static_cast<double>(cand.size()) - n_spike));
  return r;
}

std::vector<double> IafMimic::PhysicalState() const {
  std::vector<double> s;
  s.reserve(kStateSize);
  cognitive::PutSeed(seed_, s);
  s.insert(s.end(), {static_cast<double>(t_), v_, spike_miss_, rest_miss_});
  for (const uint8_t f : reference_) s.push_back(f);
  for (const uint8_t f : candidate_) s.push_back(f);
  return s;
}

void IafMimic::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  task_util::CheckSize(state, kStateSize, name(), "state");
  const uint64_t seed = cognitive::StateSeed(state[0], state[1], name());
  const int t = static_cast<int>(cognitive::StateInteger(state[2], 0, kSteps, name(), "t"));
  // v >= threshold would have fired and reset.
  const double v = cognitive::StateReal(state[3], 0.0, std::nextafter(kThreshold, 0.0), name(), "v");
  std::array<uint8_t, kSteps> reference{}, candidate{};
  int n_spike = 0;
  for (int k = 0; k < kSteps; ++k) {
    const auto what_r = fmt::format("reference[{}]", k), what_c = fmt::format("candidate[{}]", k);
    // Flags of steps not yet taken must be 0.
    reference[k] = static_cast<uint8_t>(cognitive::StateInteger(state[6 + k], 0, k < t ? 1 : 0, name(), what_r));
    candidate[k] =
        static_cast<uint8_t>(cognitive::StateInteger(state[6 + kSteps + k], 0, k < t ? 1 : 0, name(), what_c));
    n_spike += reference[k];
  }
  // Each term is at most 1, so a sum is at most the number of its steps.
  const double spike_miss = cognitive::StateReal(state[4], 0.0, n_spike, name(), "spike_height_sum");
  const double rest_miss = cognitive::StateReal(state[5], 0.0, t - n_spike, name(), "rest_height_sum");
  seed_ = seed;
  t_ = t;
  v_ = v;
  spike_miss_ = spike_miss;
  rest_miss_ = rest_miss;
  reference_ = reference;
  candidate_ = candidate;
  StartEpisode();
  WriteObservation(observation);
}

void IafMimic::WriteObservation(std::span<double> observation) const {
  task_util::CheckSize(observation, 1, name(), "observation");
  observation[0] = t_ < kSteps ? Input(seed_, t_) : 0.0;
}

}  // namespace neurevo
