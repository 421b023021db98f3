// SynapsePass must give, bit for bit, the sums of rounded products added in
// synapse order (what summing one neuron at a time gives), whatever the
// grouping of sums into interleaved chains and their padding.
#include "model/synapse_pass.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {
namespace {

TEST(SynapsePass, BitIdenticalToSequentialSums) {
  constexpr int kW = SynapsePass::kWidth;
  constexpr int kRows = 6, kRowLength = 40, kTargetStride = 16;
  RandomStream rng(7);
  // History: kRows rows of signals in [0, 1], then a row of zeros.
  std::vector<float> history((kRows + 1) * kRowLength, 0.f);
  for (int i = 0; i < kRows * kRowLength; ++i) history[i] = static_cast<float>(rng.Uniform());
  const int32_t zero_offset = kRows * kRowLength;
  // Three groups of sums of lengths 0..10, targets 0..11.
  const int lengths[] = {3, 0, 10, 1, 7, 7, 2, 9, 5, 0, 0, 4};
  std::vector<SynapsePass::Sum> sums;
  std::vector<float> weight;
  std::vector<int32_t> offset;
  int target = 0;
  for (int length : lengths) {
    const int begin = static_cast<int>(weight.size());
    for (int k = 0; k < length; ++k) {
      weight.push_back(static_cast<float>(0.01 * rng.Uniform()));
      offset.push_back(static_cast<int32_t>(rng.Below(kRows * kRowLength - kW)));
    }
    sums.push_back({begin, static_cast<int>(weight.size()), target++});
  }
  const SynapsePass pass(sums, weight, offset, zero_offset, kTargetStride);
  std::vector<float> results(kW * kTargetStride, -1.f);
  pass.Run(history.data(), results.data());
  for (const auto& sum : sums)
    for (int b = 0; b < kW; ++b) {
      float expected = 0.f;
      for (int k = sum.begin; k < sum.end; ++k) {
        // volatile: the product is rounded to float before the add (the
        // compiler may not fuse them here).
        const volatile float product = weight[k] * history[offset[k] + b];
        expected = expected + product;
      }
      const float got = results[sum.target + b * kTargetStride];
      EXPECT_EQ(0, std::memcmp(&expected, &got, sizeof(float)))
          << "sum " << sum.target << " substep " << b << ": " << got << " vs " << expected;
    }
}

}  // namespace
}  // namespace neurevo
