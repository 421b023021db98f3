// Randomness and state plumbing shared by the learning-to-learn tasks
// (IafMimic, StdpMimic, TMaze; internal header).
//
// Their random values are drawn from counter-based streams keyed by (Reset
// seed, purpose, index), not from one stream advanced step by step: the
// physical state then needs only the seed and the index (a step, a swap) to
// continue an episode exactly. The 64-bit seed goes into a state as two
// 32-bit halves, which doubles hold exactly.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "neurevo/random.h"

namespace neurevo::cognitive {

// The stream of draw `index` of kind `purpose` in the episode of `seed`.
inline RandomStream StepStream(uint64_t seed, uint64_t purpose, uint64_t index) {
  return RandomStream(HashKey({seed, purpose, index}));
}

// Appends the seed as {high 32 bits, low 32 bits}.
inline void PutSeed(uint64_t seed, std::vector<double>& state) {
  state.push_back(static_cast<double>(seed >> 32));
  state.push_back(static_cast<double>(seed & 0xFFFFFFFFULL));
}

// A state value that must be an integer in [low, high]; throws
// std::invalid_argument naming the task and the value otherwise (NaN too).
inline long long StateInteger(double v, long long low, long long high, std::string_view task, std::string_view what) {
  if (!(v >= static_cast<double>(low) && v <= static_cast<double>(high)) || v != std::floor(v))
    throw std::invalid_argument(
        fmt::format("{}: state value {} = {} is not an integer in {} .. {}", task, what, v, low, high));
  return static_cast<long long>(v);
}

// A state value that must be finite and in [low, high].
inline double StateReal(double v, double low, double high, std::string_view task, std::string_view what) {
  if (!(v >= low && v <= high))
    throw std::invalid_argument(fmt::format("{}: state value {} = {} is not in [{}, {}]", task, what, v, low, high));
  return v;
}

// The seed from its two halves, as PutSeed wrote them.
inline uint64_t StateSeed(double high, double low, std::string_view task) {
  const auto h = static_cast<uint64_t>(StateInteger(high, 0, 0xFFFFFFFFLL, task, "seed_high"));
  const auto l = static_cast<uint64_t>(StateInteger(low, 0, 0xFFFFFFFFLL, task, "seed_low"));
  return (h << 32) | l;
}

}  // namespace neurevo::cognitive
