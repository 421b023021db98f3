// RandomStream::Normals against Normal() in a file built with
// -ffp-contract=off (tests/CMakeLists.txt), as src/tasks is: whatever the
// flags of the caller, the batched draw is the same stream as one Normal()
// per value (both are inline, so both take the caller's flags).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {
namespace {

TEST(Random, NormalsAreNormalCallsWithoutContractionToo) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    RandomStream one(seed, 4, 5, 6), batched(seed, 4, 5, 6);
    for (int size : {1, 2, 3, 31, 64, 65, 100}) {
      std::vector<double> got(static_cast<size_t>(size));
      batched.Normals(got);
      for (double g : got) {
        const double want = one.Normal();
        ASSERT_EQ(std::memcmp(&g, &want, sizeof g), 0) << "seed " << seed << ", batch of " << size;
      }
    }
  }
}

}  // namespace
}  // namespace neurevo
