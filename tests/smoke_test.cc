#include <gtest/gtest.h>
#include "neurevo/random.h"
TEST(Random, Deterministic) {
  neurevo::RandomStream a(1, 2, 3, 4), b(1, 2, 3, 4), c(1, 2, 3, 5);
  EXPECT_EQ(a.NextU64(), b.NextU64());
  EXPECT_NE(a.NextU64(), c.NextU64());
}

