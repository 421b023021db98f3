#include "model/synapse_pass.h"

#include <algorithm>

#include "model/float8.h"

namespace neurevo {

SynapsePass::SynapsePass(std::span<const Sum> sums, std::span<const float> weight,
                         std::span<const int32_t> offset, int32_t zero_offset,
                         int32_t scratch_target, int target_stride)
    : target_stride_(target_stride) {
  for (size_t g = 0; g < sums.size(); g += kChains) {
    const size_t in_group = std::min<size_t>(kChains, sums.size() - g);
    int length = 0;
    for (size_t c = 0; c < in_group; ++c) length = std::max(length, sums[g + c].end - sums[g + c].begin);
    group_length_.push_back(length);
    for (size_t c = 0; c < kChains; ++c) target_.push_back(c < in_group ? sums[g + c].target : scratch_target);
    for (int t = 0; t < length; ++t)
      for (size_t c = 0; c < kChains; ++c) {
        const bool real = c < in_group && sums[g + c].begin + t < sums[g + c].end;
        weight_.push_back(real ? weight[sums[g + c].begin + t] : 0.f);
        offset_.push_back(real ? offset[sums[g + c].begin + t] : zero_offset);
      }
  }
}

// This file is compiled with -ffp-contract=off (CMakeLists.txt): each
// product is rounded before it is added, on every target.
void SynapsePass::Run(const float* at, float* results) const {
  const float* w = weight_.data();
  const int32_t* off = offset_.data();
  const int32_t* target = target_.data();
  for (const int length : group_length_) {
    Float8 acc[kChains] = {};
    for (int t = 0; t < length; ++t, w += kChains, off += kChains)
      for (int c = 0; c < kChains; ++c) acc[c] += w[c] * Load8(at + off[c]);
    for (int c = 0; c < kChains; ++c)
      for (int b = 0; b < kWidth; ++b) results[target[c] + b * target_stride_] = acc[c][b];
    target += kChains;
  }
}

}  // namespace neurevo
