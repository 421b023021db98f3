// numpy's arithmetic where Gymnasium's MuJoCo rewards depend on it, so that
// rewards computed from the same simulator state agree bit for bit (internal
// header; see tests/mujoco_parity_test.cc).
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>

namespace neurevo::numpy_math {

// np.sum of a contiguous 1-D array: numpy's pairwise summation
// (numpy/_core/src/umath/loops_utils.h.src, pairwise_sum), starting from 0,
// in T's precision. Below 8 elements it adds in order; up to 128 it keeps 8
// partial sums; above it splits in two. The order changes the rounding, so
// a plain loop would differ from Gymnasium's reward in the last bits.
template <class T>
T PairwiseSum(const T* a, std::size_t n) {
  if (n < 8) {
    T res = 0;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

// weight * np.sum(np.square(action)) for a float32 action, as Gymnasium's
// control_cost computes it: numpy squares and sums in float32, and NEP 50
// turns the Python-float weight into float32 for the product.
// At most kMaxControls elements (no allocation per step).
inline constexpr std::size_t kMaxControls = 64;
inline float ControlCost(double weight, std::span<const float> action) {
  if (action.size() > kMaxControls) {
    throw std::invalid_argument("ControlCost: more than 64 controls");
  }
  float squares[kMaxControls];
  const std::size_t n = action.size();
  for (std::size_t i = 0; i < n; ++i) squares[i] = action[i] * action[i];
  return static_cast<float>(weight) * PairwiseSum(squares, n);
}

// np.clip(x, lo, hi) for one float64 (NaN stays NaN).
inline double Clip(double x, double lo, double hi) {
  if (x < lo) return lo;
  if (x > hi) return hi;
  return x;
}

}  // namespace neurevo::numpy_math
