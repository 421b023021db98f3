#include <gtest/gtest.h>
#include "neurevo/random.h"
#include <vector>
TEST(Random, Deterministic) {
  neurevo::RandomStream a(1, 2, 3, 4), b(1, 2, 3, 4), c(1, 2, 3, 5);
  EXPECT_EQ(a.NextU64(), b.NextU64());
  EXPECT_NE(a.NextU64(), c.NextU64());
}

// Normals() is a faster Normal() loop: same values, same state afterwards,
// with or without a cached spare value at either end.
TEST(Random, NormalsEqualsRepeatedNormal) {
  for (size_t count : {0, 1, 2, 3, 17, 32, 33, 100}) {
    for (int primed : {0, 1}) {
      neurevo::RandomStream a(5, count, primed), b(5, count, primed);
      if (primed) {
        EXPECT_EQ(a.Normal(), b.Normal());  // leaves a spare in each
      }
      std::vector<double> batch(count);
      a.Normals(batch);
      for (size_t i = 0; i < count; ++i) EXPECT_EQ(batch[i], b.Normal()) << count << " " << i;
      for (int i = 0; i < 3; ++i) EXPECT_EQ(a.Normal(), b.Normal());
    }
  }
}
