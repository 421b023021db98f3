// Small helpers shared by the task implementations (internal header).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace neurevo::task_util {

// Returns the index held by a discrete action. An index that is not an
// integer in [0, n) is a programming error (not clamped): throws
// std::invalid_argument.
inline int DiscreteActionIndex(std::span<const double> action, int n,
                               std::string_view task) {
  if (action.size() != 1) {
    throw std::invalid_argument(
        std::string(task) + ": discrete action must hold exactly one value");
  }
  const double a = action[0];
  // The negated comparison also rejects NaN.
  if (!(a >= 0.0 && a < n) || a != static_cast<double>(static_cast<int>(a))) {
    throw std::invalid_argument(std::string(task) + ": action index " +
                                std::to_string(a) + " is not in [0, " +
                                std::to_string(n) + ")");
  }
  return static_cast<int>(a);
}

// Checks a span's size against what a space needs; throws
// std::invalid_argument on mismatch (a programming error).
inline void CheckSize(std::span<const double> v, std::size_t expected,
                      std::string_view task, std::string_view what) {
  if (v.size() != expected) {
    throw std::invalid_argument(std::string(task) + ": " + std::string(what) +
                                " has size " + std::to_string(v.size()) +
                                ", expected " + std::to_string(expected));
  }
}

// Rounds to the nearest float32, as numpy's astype(np.float32) does.
//
// The empty asm keeps the rounding: GCC 12 at -O3 -march=native (AVX2) was
// seen to vectorise `for (double& s : a) s = (double)(float)f(...)` into
// code that drops the float conversion altogether (Acrobot::Reset).
inline double ToF32(double x) {
  float f = static_cast<float>(x);
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(f));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm("" : "+w"(f));
#else
  volatile float v = f;
  f = v;
#endif
  return static_cast<double>(f);
}

// Returns y unchanged but opaque to the optimiser, so a call such as
// pow(x, 2.0) is not folded into x * x.
template <class T>
inline T Opaque(T y) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm("" : "+x"(y));
#elif defined(__GNUC__) && defined(__aarch64__)
  asm("" : "+w"(y));
#else
  volatile T v = y;
  y = v;
#endif
  return y;
}

// x ** y as Python and numpy compute it for float64 scalars: libm's pow().
// `x ** 2` there is pow(x, 2.0), which is not always the correctly rounded
// x * x (about one case in a thousand differs by an ulp).
inline double PyPow(double x, double y) { return std::pow(x, Opaque(y)); }

// The same for numpy float32 scalars: powf().
inline float PyPowF(float x, float y) { return std::pow(x, Opaque(y)); }

}  // namespace neurevo::task_util
