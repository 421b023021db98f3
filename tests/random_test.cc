// RandomStream::Normals against Normal(): the batched draw must be the same
// stream, value for value and bit for bit, whatever the batch sizes, or every
// noisy network's results would change with it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {
namespace {

uint64_t Bits(double x) {
  uint64_t u;
  std::memcpy(&u, &x, 8);
  return u;
}

// Batches of every size from 0 to 100 (odd ones leave a cached value for
// the next batch), then a mix of single draws and batches, on many seeds:
// the same values as one Normal() call each, and the same stream after.
TEST(Random, NormalsAreNormalCallsBitForBit) {
  long long compared = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    RandomStream one(seed, 1, 2, 3), batched(seed, 1, 2, 3);
    for (int size = 0; size <= 100; ++size) {
      std::vector<double> got(static_cast<size_t>(size), std::nan(""));
      batched.Normals(got);
      for (double g : got) {
        const double want = one.Normal();
        ASSERT_EQ(Bits(g), Bits(want)) << "seed " << seed << ", batch of " << size;
        ++compared;
      }
      if (size % 7 == 3) ASSERT_EQ(Bits(batched.Normal()), Bits(one.Normal())) << "a single draw between batches";
    }
    EXPECT_EQ(batched.NextU64(), one.NextU64()) << "the streams end in the same state";
  }
  EXPECT_GT(compared, 1000000);
}

// The values are standard normals: moments of a million draws.
TEST(Random, NormalsHaveStandardMoments) {
  RandomStream rng(7);
  std::vector<double> x(1000000);
  rng.Normals(x);
  double mean = 0, var = 0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  for (double v : x) var += (v - mean) * (v - mean);
  var /= static_cast<double>(x.size());
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(var, 1.0, 0.005);
}

}  // namespace
}  // namespace neurevo
