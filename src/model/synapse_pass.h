// The synapse pass of LifState::Step: the input every postsynaptic neuron
// receives, per receptor (AMPA, GABA), during the next 8 substeps,
//
//   sum[b] = sum over its synapses k, in order, of weight[k] * at[offset[k] + b],
//
// where `at` is the block's base in the signal history (lif_network.h).
//
// Each synapse is one 8-wide multiply-add that depends on the previous one of
// its sum: summed one at a time, the pass waits on the add latency (4 cycles
// on Zen 3) at every synapse. The pass therefore runs kChains sums
// interleaved. Each sum still adds its synapses in their order, so the
// results are bit-identical to summing them one neuron at a time; sums
// shorter than their group are padded with zero-weight synapses that read a
// row of zeros (adding +0 changes nothing: every product is >= +0).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace neurevo {

class SynapsePass {
 public:
  static constexpr int kWidth = 8;   // substeps per pass (one AVX register of floats)
  static constexpr int kChains = 4;  // sums in flight: 4 cycles of add latency, 1 add per cycle

  // One sum: synapses [begin, end) of `weight` / `offset`, and where its
  // results go (results[target + b * target_stride] for b in [0, 8)).
  // Sums come in groups of kChains with consecutive targets (each group's 8
  // x 4 results are stored transposed, 4 at a time); pad with empty sums.
  struct Sum {
    int begin, end;
    int32_t target;
  };

  SynapsePass() = default;
  // `zero_offset`: an offset whose 8 signals are always 0.
  SynapsePass(std::span<const Sum> sums, std::span<const float> weight,
              std::span<const int32_t> offset, int32_t zero_offset, int target_stride);

  void Run(const float* at, float* results) const;

 private:
  int target_stride_ = 0;
  std::vector<int> group_length_;  // synapses per sum in each group (padded)
  std::vector<int32_t> target_;    // per group: its first sum's target
  std::vector<float> weight_;      // per group: length x kChains, interleaved
  std::vector<int32_t> offset_;    // same layout as weight_
};

// The same sums from the presynaptic side, for blocks in which few neurons
// signalled (a spiking network at a few Hz): only the non-zero signals of
// the listed presynaptic neurons are delivered, each through every synapse
// of its neuron into the one result its delay reaches. Taken in ascending
// presynaptic order, with each neuron's synapses in the gather order, every
// result receives its products in the order SynapsePass adds them; the
// products left out are those of zero signals, each w * 0 = +0, whose
// addition changes no sum (every product is >= +0). So the results are
// bit-identical to SynapsePass's (the lanes a block uses), the work
// proportional to the signals times their fan-out.
class ScatterPass {
 public:
  ScatterPass() = default;
  // The synapses in the gather order: presynaptic neuron, target (where its
  // 8 results go, results[target + b * target_stride]), weight, delay in
  // substeps.
  ScatterPass(int neurons, std::span<const int> pre, std::span<const int32_t> target, std::span<const float> weight,
              std::span<const int> delay, int target_stride);
  // Synapses of presynaptic neuron `pre`.
  int fan_out(int pre) const { return begin_[pre + 1] - begin_[pre]; }
  // Synapses a signal of `pre` passes through in a block: those whose delay
  // brings it into the block (all of them for a neuron with several
  // synapses onto one target, which keep the gather order).
  int reached(int pre) const { return reached_[pre]; }
  long long synapses() const { return static_cast<long long>(weight_.size()); }
  // The longest delay (substeps): a signal older than this reaches no synapse.
  int max_delay() const { return max_delay_; }
  // Presynaptic neuron active[i] emitted values[e] lags[e] substeps before
  // the block's first substep, for e in [first[i], first[i + 1]) (lags
  // ascending or not: each lands in its own result). Adds each into the
  // results of the block's substep it reaches (lag < delay <= lag + 8) in
  // `results`, which the caller has zeroed where SynapsePass would write.
  // The index of every result it adds to is appended to `touched` (so that
  // the caller can zero just those before the next block).
  void Run(float* results, std::span<const int> active, std::span<const int> first, std::span<const int> lags,
           std::span<const float> values, std::vector<int32_t>& touched) const;

 private:
  int target_stride_ = 0;
  std::vector<int> begin_;  // per presynaptic neuron, into the arrays below
  std::vector<int32_t> target_;
  std::vector<int> delay_;
  std::vector<float> weight_;
  // A neuron without two synapses onto one target has its synapses sorted by
  // delay (each (target, substep) then gets at most one of its products, so
  // their order is free), and delay_begin_[pre * (max_delay_ + 2) + d] is
  // its first synapse of delay >= d: a signal reaches only the synapses
  // whose delay brings it into the block. Off where the table would be
  // large against the synapses.
  bool bucketed_ = false;
  int max_delay_ = 1;
  std::vector<uint8_t> sorted_;  // per presynaptic neuron: 1 when sorted by delay
  std::vector<int> delay_begin_;
  std::vector<int> reached_;  // reached(pre)
};

}  // namespace neurevo
