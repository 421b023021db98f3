#include "model/synapse_pass.h"

#include <algorithm>
#include <stdexcept>

#include "model/float8.h"

namespace neurevo {

namespace {
// Stores the low and high halves of x at p and q.
inline void StoreHalves(float* p, float* q, Float8 x) {
  Store4(p, __builtin_shufflevector(x, x, 0, 1, 2, 3));
  Store4(q, __builtin_shufflevector(x, x, 4, 5, 6, 7));
}
}  // namespace

SynapsePass::SynapsePass(std::span<const Sum> sums, std::span<const float> weight,
                         std::span<const int32_t> offset, int32_t zero_offset, int target_stride)
    : target_stride_(target_stride) {
  static_assert(kChains == 4, "Run() transposes 4 sums");
  if (sums.size() % kChains != 0) throw std::logic_error("SynapsePass: sums not in groups of 4");
  for (size_t g = 0; g < sums.size(); g += kChains) {
    int length = 0;
    for (size_t c = 0; c < kChains; ++c) {
      if (sums[g + c].target != sums[g].target + static_cast<int32_t>(c))
        throw std::logic_error("SynapsePass: targets of a group not consecutive");
      length = std::max(length, sums[g + c].end - sums[g + c].begin);
    }
    group_length_.push_back(length);
    target_.push_back(sums[g].target);
    for (int t = 0; t < length; ++t)
      for (size_t c = 0; c < kChains; ++c) {
        const bool real = sums[g + c].begin + t < sums[g + c].end;
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
  const int stride = target_stride_;
  for (size_t g = 0; g < group_length_.size(); ++g) {
    Float8 a0 = {}, a1 = {}, a2 = {}, a3 = {};
    for (int t = 0; t < group_length_[g]; ++t, w += kChains, off += kChains) {
      a0 += w[0] * Load8(at + off[0]);
      a1 += w[1] * Load8(at + off[1]);
      a2 += w[2] * Load8(at + off[2]);
      a3 += w[3] * Load8(at + off[3]);
    }
    // Transpose: u_k holds the 4 sums' results of substep k (low half) and
    // k + 4 (high half).
    const Float8 t0 = __builtin_shufflevector(a0, a1, 0, 8, 1, 9, 4, 12, 5, 13);
    const Float8 t1 = __builtin_shufflevector(a0, a1, 2, 10, 3, 11, 6, 14, 7, 15);
    const Float8 t2 = __builtin_shufflevector(a2, a3, 0, 8, 1, 9, 4, 12, 5, 13);
    const Float8 t3 = __builtin_shufflevector(a2, a3, 2, 10, 3, 11, 6, 14, 7, 15);
    const Float8 u[4] = {__builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13),
                         __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15),
                         __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13),
                         __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15)};
    float* target = results + target_[g];
    for (int k = 0; k < 4; ++k) StoreHalves(target + k * stride, target + (k + 4) * stride, u[k]);
  }
}

ScatterPass::ScatterPass(int neurons, std::span<const int> pre, std::span<const int32_t> target,
                         std::span<const float> weight, std::span<const int> delay, int target_stride)
    : target_stride_(target_stride), begin_(neurons + 1, 0) {
  // A stable counting sort by presynaptic neuron keeps the gather order
  // within each neuron's synapses.
  for (int p : pre) ++begin_[p + 1];
  for (int i = 0; i < neurons; ++i) begin_[i + 1] += begin_[i];
  std::vector<int> next(begin_.begin(), begin_.end() - 1);
  target_.resize(pre.size());
  delay_.resize(pre.size());
  weight_.resize(pre.size());
  for (size_t k = 0; k < pre.size(); ++k) {
    const int slot = next[pre[k]]++;
    target_[slot] = target[k];
    delay_[slot] = delay[k];
    weight_[slot] = weight[k];
    max_delay_ = std::max(max_delay_, delay[k]);
  }
  const long long table = static_cast<long long>(neurons) * (max_delay_ + 2);
  bucketed_ = table <= 4 * static_cast<long long>(pre.size()) + (1 << 16);
  reached_.resize(neurons);
  for (int p = 0; p < neurons; ++p) reached_[p] = fan_out(p);
  if (!bucketed_) return;
  sorted_.assign(neurons, 0);
  delay_begin_.assign(static_cast<size_t>(table), 0);
  std::vector<int> order, d;  // scratch, reused neuron by neuron
  std::vector<int32_t> targets, t;
  std::vector<float> w;
  for (int p = 0; p < neurons; ++p) {
    const int b = begin_[p], e = begin_[p + 1];
    targets.assign(target_.begin() + b, target_.begin() + e);
    std::sort(targets.begin(), targets.end());
    int* first = delay_begin_.data() + static_cast<size_t>(p) * (max_delay_ + 2);
    if (std::adjacent_find(targets.begin(), targets.end()) == targets.end()) {
      sorted_[p] = 1;
      order.resize(e - b);
      for (int k = 0; k < e - b; ++k) order[k] = b + k;
      std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return delay_[x] < delay_[y]; });
      t.resize(e - b);
      d.resize(e - b);
      w.resize(e - b);
      for (int k = 0; k < e - b; ++k) t[k] = target_[order[k]], d[k] = delay_[order[k]], w[k] = weight_[order[k]];
      std::copy(t.begin(), t.end(), target_.begin() + b);
      std::copy(d.begin(), d.end(), delay_.begin() + b);
      std::copy(w.begin(), w.end(), weight_.begin() + b);
    }
    // A signal reaches the synapses of 8 of the delays (about).
    if (sorted_[p]) reached_[p] = (fan_out(p) * SynapsePass::kWidth + max_delay_ - 1) / max_delay_;
    // first[d]: the first synapse (of a sorted neuron) with delay >= d.
    for (int d = 0, k = b; d <= max_delay_ + 1; ++d) {
      while (sorted_[p] && k < e && delay_[k] < d) ++k;
      first[d] = sorted_[p] ? k : b;
    }
  }
}

// (-ffp-contract=off, as Run above: each product rounded before it is added.)
void ScatterPass::Run(float* results, std::span<const int> active, std::span<const int> first,
                      std::span<const int> lags, std::span<const float> values,
                      std::vector<int32_t>& touched) const {
  const int stride = target_stride_;
  for (size_t i = 0; i < active.size(); ++i) {
    const int p = active[i];
    if (bucketed_ && sorted_[p]) {
      // Each signal through the synapses it reaches: delay in [lag, lag + 8).
      const int* by_delay = delay_begin_.data() + static_cast<size_t>(p) * (max_delay_ + 2);
      for (int e = first[i]; e < first[i + 1]; ++e) {
        const int lag = lags[e];
        const float v = values[e];
        const int end = by_delay[std::min(lag + SynapsePass::kWidth, max_delay_ + 1)];
        for (int k = by_delay[std::min(lag, max_delay_ + 1)]; k < end; ++k) {
          const int32_t at = target_[k] + (delay_[k] - lag) * stride;
          results[at] += weight_[k] * v;
          touched.push_back(at);
        }
      }
      continue;
    }
    for (int k = begin_[p]; k < begin_[p + 1]; ++k) {
      const float w = weight_[k];
      float* dst = results + target_[k];
      const int d = delay_[k];
      for (int e = first[i]; e < first[i + 1]; ++e) {
        const int b = d - lags[e];  // the block's substep this signal reaches
        if (b >= 0 && b < SynapsePass::kWidth) {
          dst[b * stride] += w * values[e];
          touched.push_back(target_[k] + b * stride);
        }
      }
    }
  }
}

}  // namespace neurevo
