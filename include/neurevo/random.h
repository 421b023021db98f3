// Counter-based random streams.
//
// Every stream is derived from a tuple (seed, a, b, c, d) — typically
// (seed, generation, individual, episode, purpose) — so that what an
// individual sees never depends on thread count or scheduling. The generator
// is xoshiro256** seeded through SplitMix64; normals use Marsaglia's polar
// method written here (exact, no trigonometry), so results do not depend on
// the standard library's distributions.
//
// Thread safety: a RandomStream is a value owned by one thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <span>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

// Inlined into every caller, never one shared copy: a file's own
// floating-point flags (-ffp-contract) then apply to Normal() and Normals()
// alike (an out-of-line copy would be picked by the linker from any file).
#if defined(__GNUC__)
#define NEUREVO_ALWAYS_INLINE [[gnu::always_inline]] inline
#else
#define NEUREVO_ALWAYS_INLINE inline
#endif

namespace neurevo {

// Purposes keep streams that share (generation, individual, episode) apart.
enum class StreamPurpose : uint64_t {
  kOptimizer = 1,
  kEnvReset = 2,
  kNetworkNoise = 3,
  kEvalSeeds = 4,
  kValidation = 6,
  kFaultInjection = 7,
  kConnectivity = 8,   // a projection's random connections (network description)
  kFrozenValues = 9,   // random values that are not genes (frozen weights, parameters)
  kActionSampling = 10,  // REINFORCE's sampled actions (gradient training)
  kTest = 99,
};

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Hashes a tuple of integers into one 64-bit key.
inline uint64_t HashKey(std::initializer_list<uint64_t> parts) {
  uint64_t state = 0x6A09E667F3BCC908ULL;
  uint64_t h = 0;
  for (uint64_t p : parts) {
    state ^= p + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h = SplitMix64(state);
  }
  return h;
}

class RandomStream {
 public:
  RandomStream() : RandomStream(0) {}
  explicit RandomStream(uint64_t key) { Seed(key); }
  RandomStream(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0,
               StreamPurpose purpose = StreamPurpose::kTest)
      : RandomStream(HashKey({seed, a, b, c, static_cast<uint64_t>(purpose)})) {}

  void Seed(uint64_t key) {
    uint64_t sm = key;
    for (auto& w : s_) w = SplitMix64(sm);
    has_spare_ = false;
  }

  uint64_t NextU64() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }

  // Standard normal (Marsaglia's polar method, caching the second value).
  NEUREVO_ALWAYS_INLINE double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = PolarRadius2(u, v);
    } while (s >= 1.0 || s == 0.0);
    const double factor = PolarFactor(s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

  // out.size() standard normals: exactly the values that many Normal() calls
  // return, leaving the stream as they would (the cached second value
  // included). Faster for many: each chunk first draws its accepted uniform
  // pairs with no branch per rejection (a rejected pair is overwritten), then
  // takes the logarithms, divisions and square roots, which no longer wait on
  // one another. The same operations on the same values give the same bits
  // (random_test.cc checks it against Normal()).
  NEUREVO_ALWAYS_INLINE void Normals(std::span<double> out) {
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

  // Uniform integer in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : NextU64() % n; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // The polar method's two formulas, shared by Normal() and Normals() so
  // that both compile to the same operations (a fused multiply-add, where
  // the build contracts one, in the same place). Both are inline on purpose:
  // a file built with -ffp-contract=off (src/tasks) must get the same values
  // from either, so each caller compiles both with its own flags.
  static double PolarRadius2(double u, double v) { return u * u + v * v; }
  static double PolarFactor(double s) { return std::sqrt(-2.0 * std::log(s) / s); }
  // std::sqrt without its errno branch (x > 0 here): the same correctly
  // rounded result.
  static double SqrtOfPositive(double x) {
#if defined(__SSE2__)
    return _mm_cvtsd_f64(_mm_sqrt_sd(_mm_setzero_pd(), _mm_set_sd(x)));
#else
    return std::sqrt(x);
#endif
  }
  uint64_t s_[4];
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace neurevo
