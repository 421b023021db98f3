// Overflow-safe arithmetic for counters and budgets: a result that does not
// fit saturates at the type's limit instead of wrapping to a negative count;
// and a conversion to float that saturates the same way.
#pragma once

#include <limits>

namespace neurevo {

// The largest count a saved counter may hold: 2^53, where doubles (the
// progress display, JSON readers elsewhere) still count exactly, and far
// beyond any real run (a billion steps a second for 100 days).
inline constexpr long long kMaxSavedCount = 1LL << 53;

inline long long SaturatingAdd(long long a, long long b) {
  long long r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? std::numeric_limits<long long>::max() : std::numeric_limits<long long>::min();
  return r;
}

inline long long SaturatingMul(long long a, long long b) {
  long long r;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) == (b < 0) ? std::numeric_limits<long long>::max() : std::numeric_limits<long long>::min();
  return r;
}

// A double as float, saturating at +-infinity beyond float's range (where a
// plain conversion is undefined behaviour); NaN stays NaN.
inline float SaturatingFloat(double x) {
  if (x > std::numeric_limits<float>::max()) return std::numeric_limits<float>::infinity();
  if (x < -std::numeric_limits<float>::max()) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(x);
}

}  // namespace neurevo
