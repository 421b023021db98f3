#include "neurevo/random.h"

#include <algorithm>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace neurevo {

namespace {
// std::sqrt without its errno branch (the argument is positive here): the
// same correctly rounded result.
inline double SqrtOfPositive(double x) {
#if defined(__SSE2__)
  return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(x)));
#else
  return std::sqrt(x);
#endif
}
}  // namespace

void RandomStream::Normals(std::span<double> out) {
  size_t i = 0;
  if (has_spare_ && !out.empty()) {
    out[i++] = spare_;
    has_spare_ = false;
  }
  constexpr int kChunk = 32;  // pairs
  double u[kChunk + 1], v[kChunk + 1], s[kChunk + 1], factor[kChunk];
  while (i < out.size()) {
    const int pairs = static_cast<int>(std::min<size_t>(kChunk, (out.size() - i + 1) / 2));
    // The accepted pairs, in order: a rejected one is overwritten by the next.
    int accepted = 0;
    while (accepted < pairs) {
      const double a = 2.0 * Uniform() - 1.0;
      const double b = 2.0 * Uniform() - 1.0;
      const double q = PolarRadius2(a, b);
      u[accepted] = a;
      v[accepted] = b;
      s[accepted] = q;
      accepted += (q < 1.0) & (q != 0.0);  // what Normal()'s loop accepts
    }
    // PolarFactor in passes: the library's log back to back, then the
    // divisions (which vectorise) and the square roots (s in (0, 1), so the
    // argument is positive).
    for (int k = 0; k < pairs; ++k) factor[k] = std::log(s[k]);
    for (int k = 0; k < pairs; ++k) factor[k] = -2.0 * factor[k] / s[k];
    for (int k = 0; k < pairs; ++k) factor[k] = SqrtOfPositive(factor[k]);
    for (int k = 0; k < pairs; ++k) {
      out[i++] = u[k] * factor[k];
      if (i < out.size()) {
        out[i++] = v[k] * factor[k];
      } else {
        spare_ = v[k] * factor[k];
        has_spare_ = true;
      }
    }
  }
}

}  // namespace neurevo
