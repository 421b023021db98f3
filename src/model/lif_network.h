// The conductance-based LIF network of the seed paper (BNN-EA), in its two
// transmission modes: graded (BNN) and spiking (SNN). Equations: DESIGN.md §2
// and the README's "Model" section.
//
// LifNetwork is the const, decoded model (synapses, weights, delays, neuron
// parameters), shareable between threads. LifState is one worker's mutable
// state; Step() advances it by one environment step (`substeps` substeps).
//
// Performance: the cost is one multiply-add per synapse per substep. As in
// NEST, every delay is at least `block` substeps (the minimum delay, capped
// at 8), so the input a synapse delivers during the next `block` substeps is
// a contiguous run of past presynaptic signals. Each neuron keeps its signal
// history in a time-contiguous ring, written twice (at slot p and p + R) so
// that any run of 8 values is contiguous; one pass over the synapses
// (synapse_pass.h) then accumulates `block` substeps of input with one 8-wide
// multiply-add per synapse. The neurons are then advanced through the block
// 8 at a time (one AVX vector; the state arrays are padded to a multiple of
// 8), and the block's signals are written to the history at its end. Every
// float operation, and the order of every sum, is that of the plain
// per-neuron, per-substep loop: the batching does not change results.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/synapse_pass.h"
#include "model/network_instance.h"
#include "neurevo/model.h"
#include "neurevo/random.h"

namespace neurevo {

struct LifNetwork {
  bool spiking = false;
  bool graded_outputs = false;  // snn with the potential readout
  int neurons = 0;
  int padded = 8;  // length of LifState's neuron arrays (>= neurons, a multiple of 8)
  int inputs = 0;
  int output_begin = 0;
  int outputs = 0;  // neurons Step() reads: the output group, or (linear readout) E and I
  // Linear readout (options.readout "linear"): policy output k is
  // clamp(sum_j readout_weights[k * outputs + j] * activity_j + readout_bias[k], -1, 1)
  // over the `outputs` neurons read; 0 outputs: the neurons are the policy outputs.
  int readout_outputs = 0;
  std::vector<float> readout_weights, readout_bias;
  // Current encoding (options.input_encoding "current"): neuron
  // current_targets[r] receives input_bias + sum_i input_weights[r * observations + i] x_i (pA).
  int observations = 0;
  std::vector<int> current_targets;
  std::vector<float> input_weights;
  int substeps = 100;
  int ring = 1;      // R: history slots per neuron (> max delay)
  int stride = 1;    // floats per neuron in the history: 2 R + 8 padding
  int block = 1;     // substeps per synapse pass: min(8, min delay)
  int noise_interval = 10;
  bool has_noise = false;

  // Per postsynaptic neuron: synapses [ampa_begin[i], gaba_begin[i]) are
  // AMPA, [gaba_begin[i], syn_end[i]) GABA; a description's own receptors
  // (index 2, 3, ...) follow: receptor r's end is extra_end[i * (receptors - 2) + r - 2].
  std::vector<int> ampa_begin, gaba_begin, syn_end;
  int receptors = 2;
  std::vector<int> extra_end;
  // The extra receptors' decay per substep, reversal potential and sign for
  // current-based neurons (+1 excitatory, -1 inhibitory).
  std::vector<float> extra_decay, extra_e, extra_sign;
  std::vector<int32_t> offset;  // pre * stride - delay
  std::vector<float> weight;    // conductance increment per substep per unit signal (nS)
  std::vector<int> delay;       // in substeps, kept for inspection
  // The same synapses scheduled for the block pass. History row `neurons`
  // stays zero (padding synapses read it); results go to LifState's input
  // buffer, [AMPA, GABA] x 8 substeps x padded.
  SynapsePass pass;
  // The same synapses from the presynaptic side (synapse_pass.h): used for
  // blocks in which so few neurons signalled within the longest delay that
  // their synapses are fewer than about a tenth of all; bit-identical.
  ScatterPass scatter;
  // A scattered synapse's cost in gathered ones: the scatter pass runs when
  // its work times this is less than all the synapses. 0: always (tests);
  // negative: never (graded networks, whose signals are dense).
  int scatter_cost = 3;

  // Per neuron.
  std::vector<float> offset_current;  // pA
  std::vector<float> noise_std;       // pA
  // Neuron constants per neuron (a population's parameters may differ
  // neuron by neuron); the simulation reads these, not the scalars below.
  std::vector<float> g_leak_per_neuron, v_rest_per_neuron, v_reset_per_neuron, v_init_per_neuron,
      v_threshold_per_neuron, graded_low_per_neuron, graded_inv_width_per_neuron;
  std::vector<int> refractory_per_neuron;
  std::vector<uint8_t> spiking_per_neuron;  // 1: spikes (in a spiking network); 0: graded
  // 1 for current-based neurons (lif_curr: synapses drive +1 / -1, not E - V).
  std::vector<float> current_based_per_neuron;
  bool has_current_based = false;
  // Gap junctions: junction k couples gap_a[k] and gap_b[k] with gap_g[k] nS.
  std::vector<int> gap_a, gap_b;
  std::vector<float> gap_g;

  // Constants derived from the options (the values of every non-input
  // neuron in the presets; see the per-neuron arrays).
  float dt_over_c = 0.f;  // ms / pF
  std::vector<float> dt_over_c_per_neuron;  // input neurons: dt / C_in (faster relays)
  float g_leak = 0.f;     // nS
  float v_rest = 0.f, v_reset = 0.f, v_init = 0.f, v_threshold = 0.f;
  float e_exc = 0.f, e_inh = 0.f;
  float syn_decay = 0.f;         // exp(-dt / tau_syn)
  float graded_low = 0.f;        // V_th - halfwidth
  float graded_inv_width = 0.f;  // 1 / (2 halfwidth)
  int refractory_substeps = 0;
  float input_gain = 0.f, input_bias = 0.f;
  bool pair_encoding = false;  // inputs 2i, 2i+1 get bias + gain x_i and bias - gain x_i
  float trace_decay = 0.f;       // spiking readout trace, exp(-dt / tau_syn)
  float trace_increment = 0.f;   // so that a reference-rate train gives trace 1

  long long synapse_count() const { return static_cast<long long>(weight.size()); }
  // Synapse k's presynaptic neuron (offset[k] = pre * stride - delay[k]).
  int presynaptic(int k) const { return (offset[k] + delay[k]) / stride; }
};

// The size of the genome a preset LifDecoder lays out, from the
// neuron and synapse counts alone (validation sizes large networks this way);
// decoder_genes: those of the linear readout and the input weights.
long long LifGeneCount(const ModelOptions& options, int neurons, long long synapses,
                       long long decoder_genes);

// Builds LifNetworks from genomes: the decoded, read-only network of one
// individual (its running state is a LifState).
class LifDecoder {
 public:
  // `network`: an instantiated description (network_instance.h); its genes
  // come first in the layout. readout_outputs: policy outputs of a linear
  // readout of the hidden neurons (0: the output populations);
  // observations and current_targets: the current encoding (observations
  // injected into these neurons through evolved weights; none: other
  // encodings). spike_units_everywhere: every synapse takes the spike-train
  // weight unit when the network spikes (the snn preset, whose graded output
  // neurons' synapses, with snn_readout = "potential", always have); otherwise
  // each synapse takes its presynaptic neuron's.
  LifDecoder(const ModelOptions& options, NetworkInstance network, int readout_outputs = 0, int observations = 0,
             std::vector<int> current_targets = {}, bool spike_units_everywhere = false);
  const GenomeLayout& layout() const { return layout_; }
  const NetworkInstance& network() const { return network_; }
  LifNetwork Decode(std::span<const double> genome) const;
  // Each synapse's weight as the description gives it (nS, before the
  // simulation's per-substep unit and input scaling), in Decode's synapse order.
  std::vector<double> SynapseMagnitudes(std::span<const double> genome) const;

 private:
  // The physical value of instance gene `gene`.
  double Gene(std::span<const double> genome, int gene) const;
  // A neuron parameter's value (its gene's or its frozen one); 0 for a
  // parameter no population has (nullptr).
  double NeuronValue(std::span<const double> genome, const NeuronParameter* parameter, int neuron) const;

  ModelOptions options_;
  NetworkInstance network_;
  GenomeLayout layout_;
  GeneRanges genes_;  // per instance gene
  int inputs_ = 0, hidden_ = 0, outputs_ = 0;  // neurons by role
  int readout_outputs_ = 0, readout_ = -1, readout_bias_ = -1;
  int observations_ = 0, input_weights_ = -1;
  std::vector<int> current_targets_;
  bool spike_units_everywhere_ = false;
};

class LifState {
 public:
  explicit LifState(const LifNetwork& net);
  void Reset(uint64_t noise_key);
  // One environment step: inject `observation`, run the substeps, and write
  // each read neuron's activity over the step, in [0, 1] (the output group,
  // or E and I for a linear readout).
  void Step(std::span<const double> observation, std::span<float> outputs);
  bool healthy() const;
  std::span<const float> potentials() const { return {v_.data(), static_cast<size_t>(net_.neurons)}; }
  std::span<const float> g_exc() const { return {g_exc_.data(), static_cast<size_t>(net_.neurons)}; }
  std::span<const float> g_inh() const { return {g_inh_.data(), static_cast<size_t>(net_.neurons)}; }
  // Recording (off by default; it costs a pass over every neuron per
  // substep): each Step() then keeps, per neuron, its mean signal over the
  // step (graded activity, or spikes per substep) and every spike as
  // (substep within the step, neuron), in time order.
  // Turning it off, and every Reset(), clears what was recorded.
  void set_recording(bool on) {
    recording_ = on;
    if (!on) ClearRecording();
  }
  std::span<const float> activity() const { return activity_; }
  const std::vector<std::pair<int, int>>& spikes() const { return spikes_; }
  // Blocks whose input the scatter pass computed (since construction).
  long long scatter_blocks() const { return scatter_blocks_; }

 private:
  void ResampleNoise(float* noise);
  void Advance(int b_begin, int b_end, const float* const* noise);
  template <bool kCurrentBased, bool kGaps, bool kExtra>
  void AdvanceNeurons(int b_begin, int b_end, const float* const* noise);
  void GapCurrents();
  void SpikeAndRead(float* signal, float* out_acc, int n_out);
  void WriteHistory(int block);
  void Record(int first_substep, int block);
  void ClearRecording() {
    activity_.clear();
    spikes_.clear();
  }

  const LifNetwork& net_;
  // Per neuron, padded to net_.padded (padding lanes get no input and are
  // never read).
  std::vector<float> v_, g_exc_, g_inh_, input_current_;
  std::vector<float> g_extra_;  // (receptors - 2) x padded: the extra receptors' conductances
  // net_'s per-neuron constants, padded (padding lanes copy the last neuron's).
  std::vector<float> offset_current_, dt_over_c_, g_leak_, v_rest_, graded_low_, graded_inv_width_,
      current_based_;
  std::vector<float> gap_current_;  // padded: this substep's gap-junction current
  std::vector<float> trace_;
  std::vector<float> out_acc_;  // per neuron read: the step's summed signal
  std::vector<int> refractory_;
  std::vector<float> history_;  // (neurons + 1) x stride, see LifNetwork
  std::vector<float> input_;    // [AMPA, GABA] x 8 x padded: input of the current block
  std::vector<float> signal_;   // 8 x padded: signals emitted during the current block
  std::vector<float> noise_;    // (1 + 8) x padded: noise currents, see Step()
  int slot_ = 0;                // ring slot of the block's first substep, in [0, ring)
  // The scatter pass's bookkeeping: the substep (counted from the reset) of
  // each neuron's latest non-zero signal, the block's first substep, and the
  // neurons whose signals can reach a synapse in this block.
  std::vector<long long> last_signal_;
  long long now_ = 0;
  std::vector<int> active_, first_, lags_;  // the scatter pass's signals (synapse_pass.h)
  std::vector<float> values_;
  std::vector<int32_t> touched_;  // inputs the last block's scatter pass wrote (all else zero)
  bool scattered_last_ = false;
  bool recording_ = false;
  std::vector<float> activity_;               // recording: per neuron, the last step's mean signal
  std::vector<std::pair<int, int>> spikes_;   // recording: the last step's (substep, neuron)
  long long scatter_blocks_ = 0;
  // Input of the next block by the scatter pass when it is the cheaper (true).
  bool ScatterInput();
  RandomStream noise_rng_;
  std::vector<double> normals_;  // neurons: one resample's standard normals
};

}  // namespace neurevo
