#include "model/lif_network.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "model/float8.h"
#ifdef __SSE__
#include <xmmintrin.h>
#endif

namespace neurevo {

namespace {
constexpr int kMaxBlock = SynapsePass::kWidth;

int ToSubsteps(double ms, double dt_ms) { return static_cast<int>(std::lround(ms / dt_ms)); }
bool EvolvesDelays(const ModelOptions& o) {
  const int d_min = std::max(ToSubsteps(o.min_delay_ms, o.dt_ms), 1);
  return o.evolve_delays && ToSubsteps(o.max_delay_ms, o.dt_ms) > d_min;
}
}  // namespace

long long LifGeneCount(const ModelOptions& o, int neurons, long long synapses, long long decoder_genes) {
  return synapses * (EvolvesDelays(o) ? 2 : 1) + neurons * ((o.evolve_offsets ? 1LL : 0) + (o.evolve_noise ? 1 : 0)) +
         decoder_genes;
}

LifDecoder::LifDecoder(const ModelOptions& options, NetworkInstance network, int readout_outputs,
                       int observations, std::vector<int> current_targets, bool spike_units_everywhere)
    : options_(options),
      network_(std::move(network)),
      readout_outputs_(readout_outputs),
      observations_(observations),
      current_targets_(std::move(current_targets)),
      spike_units_everywhere_(spike_units_everywhere) {
  // Instantiate() numbers input populations first and output populations
  // last; hidden neurons lie between.
  for (const InstancePopulation& p : network_.populations) {
    if (p.role == Role::kInput) inputs_ += p.size;
    if (p.role == Role::kOutput) outputs_ += p.size;
  }
  hidden_ = network_.neurons - inputs_ - outputs_;
  layout_ = InstanceLayout(network_, &genes_);
  if (readout_outputs_ > 0) {
    // Weights in +-2/sqrt(neurons read): a uniform draw gives an output of
    // std ~0.8 from half-active neurons, inside the clip.
    std::vector<std::string> labels, bias_labels;
    for (int k = 0; k < readout_outputs_; ++k) {
      for (int j = 0; j < hidden_; ++j)
        labels.push_back(fmt::format("{}->a{}", network_.NeuronLabel(inputs_ + j), k));
      bias_labels.push_back(fmt::format("a{}", k));
    }
    const double w = 2.0 / std::sqrt(static_cast<double>(std::max(hidden_, 1)));
    readout_ = layout_.Add(
        {.name = "readout_weights", .unit = "1", .size = readout_outputs_ * hidden_, .low = -w, .high = w, .labels = labels});
    readout_bias_ = layout_.Add(
        {.name = "readout_bias", .unit = "1", .size = readout_outputs_, .low = -1.0, .high = 1.0, .labels = bias_labels});
  }
  if (!current_targets_.empty()) {
    std::vector<std::string> labels;
    for (int j : current_targets_)
      for (int i = 0; i < observations_; ++i)
        labels.push_back(fmt::format("x{}->{}", i, network_.NeuronLabel(j)));
    // A uniform draw moves a neuron's current by ~input_gain_pA per unit of
    // every (normalised) observation together.
    const double w = 2.0 * options_.encoding.input_gain_pA / std::sqrt(static_cast<double>(observations_));
    const double a = std::abs(w);
    input_weights_ = layout_.Add(
        {.name = "input_weights", .unit = "pA", .size = static_cast<int>(labels.size()), .low = -a, .high = a, .labels = labels});
  }
}

double LifDecoder::Gene(std::span<const double> genome, int gene) const {
  // GenomeLayout::Map's arithmetic, with the gene's own range.
  return genes_.Value(genome, gene);
}

double LifDecoder::NeuronValue(std::span<const double> genome, const NeuronParameter* p, int neuron) const {
  if (!p) return 0.0;
  return p->gene[neuron] >= 0 ? Gene(genome, p->gene[neuron]) : p->value[neuron];
}

LifNetwork LifDecoder::Decode(std::span<const double> genome) const {
  const ModelOptions& o = options_;
  const NetworkInstance& t = network_;
  LifNetwork net;
  // A network with any spiking population runs substep by substep; output
  // neurons that do not spike are graded integrators (snn's potential readout).
  bool outputs_spike = false;
  for (const InstancePopulation& p : t.populations) {
    net.spiking = net.spiking || p.spiking;
    if (p.role == Role::kOutput) outputs_spike = outputs_spike || p.spiking;
  }
  net.graded_outputs = net.spiking && !outputs_spike && readout_outputs_ == 0;
  net.neurons = t.neurons;
  net.inputs = inputs_;
  // Neuron lanes: every neuron, the synapse pass's last group of 4 (from
  // the first non-input neuron), rounded up to whole vectors.
  const int lanes = std::max(net.neurons, net.inputs + (net.neurons - net.inputs + 3) / 4 * 4);
  net.padded = (lanes + kMaxBlock - 1) / kMaxBlock * kMaxBlock;
  net.output_begin = t.neurons - outputs_;
  net.outputs = outputs_;
  if (readout_outputs_ > 0) {
    net.output_begin = inputs_;
    net.outputs = hidden_;
    net.readout_outputs = readout_outputs_;
    for (int i = 0; i < readout_outputs_ * net.outputs; ++i)
      net.readout_weights.push_back(static_cast<float>(GenomeLayout::Map(layout_.families()[readout_], genome, i)));
    for (int k = 0; k < readout_outputs_; ++k)
      net.readout_bias.push_back(static_cast<float>(GenomeLayout::Map(layout_.families()[readout_bias_], genome, k)));
  }
  if (!current_targets_.empty()) {
    net.observations = observations_;
    net.current_targets = current_targets_;
    for (size_t i = 0; i < current_targets_.size() * observations_; ++i)
      net.input_weights.push_back(
          static_cast<float>(GenomeLayout::Map(layout_.families()[input_weights_], genome, static_cast<int>(i))));
  }
  net.substeps = o.substeps;
  // The delays each synapse can take (its gene's range, or its frozen
  // value) bound the history ring and the block length.
  const int n_syn = static_cast<int>(t.synapses.size());
  int d_min = std::max(ToSubsteps(o.min_delay_ms, o.dt_ms), 1);
  int d_max = std::max(ToSubsteps(o.max_delay_ms, o.dt_ms), d_min);
  if (n_syn > 0) {
    d_min = std::numeric_limits<int>::max();
    d_max = 1;
    for (const InstanceSynapse& s : t.synapses) {
      const int low = s.delay_gene >= 0 ? static_cast<int>(genes_.low[s.delay_gene]) : s.delay_substeps;
      const int high = s.delay_gene >= 0 ? static_cast<int>(genes_.high[s.delay_gene]) : s.delay_substeps;
      d_min = std::min(d_min, low);
      d_max = std::max(d_max, high);
    }
    // The landed presets size the ring by max_delay_ms even when delays are
    // frozen at the minimum (the ring's size changes no value).
    d_max = std::max(d_max, std::max(ToSubsteps(o.max_delay_ms, o.dt_ms), d_min));
  }
  net.block = std::min(d_min, kMaxBlock);
  net.ring = d_max + 1;
  net.stride = 2 * net.ring + kMaxBlock;
  net.noise_interval = std::max(o.neuron.noise_interval_substeps, 1);

  const float dt = static_cast<float>(o.dt_ms);
  net.dt_over_c = dt / static_cast<float>(o.neuron.c_m_pF);
  net.g_leak = static_cast<float>(o.neuron.c_m_pF / o.neuron.tau_m_ms);
  net.v_rest = static_cast<float>(o.neuron.v_rest_mV);
  net.v_reset = static_cast<float>(o.neuron.v_reset_mV);
  net.v_init = static_cast<float>(o.neuron.v_init_mV);
  net.v_threshold = static_cast<float>(o.neuron.v_threshold_mV);
  net.e_exc = static_cast<float>(o.neuron.e_exc_mV);
  net.e_inh = static_cast<float>(o.neuron.e_inh_mV);
  const double decay = std::exp(-o.dt_ms / o.neuron.tau_syn_ms);
  net.syn_decay = static_cast<float>(decay);
  net.graded_low = static_cast<float>(o.neuron.v_threshold_mV - o.neuron.graded_halfwidth_mV);
  net.graded_inv_width = static_cast<float>(1.0 / (2.0 * o.neuron.graded_halfwidth_mV));
  net.refractory_substeps = ToSubsteps(o.neuron.tau_ref_ms, o.dt_ms);
  net.input_gain = static_cast<float>(o.encoding.input_gain_pA);
  net.input_bias = static_cast<float>(o.encoding.input_bias_pA);
  net.pair_encoding = o.encoding.input_encoding == "pair";
  const double ref_rate_per_substep = o.neuron.spike_reference_hz * 1e-3 * o.dt_ms;
  // Spiking readout: the output's spike train filtered by the synaptic time
  // constant, i.e. the conductance a readout synapse would carry (a longer
  // filter would delay every action).
  const double trace_decay = std::exp(-o.dt_ms / o.neuron.tau_syn_ms);
  net.trace_decay = static_cast<float>(trace_decay);
  net.trace_increment = static_cast<float>((1.0 - trace_decay) / ref_rate_per_substep);

  // Neuron constants, neuron by neuron.
  const int n = net.neurons;
  net.dt_over_c_per_neuron.resize(n);
  net.g_leak_per_neuron.resize(n);
  net.v_rest_per_neuron.resize(n);
  net.v_reset_per_neuron.resize(n);
  net.v_init_per_neuron.resize(n);
  net.v_threshold_per_neuron.resize(n);
  net.graded_low_per_neuron.resize(n);
  net.graded_inv_width_per_neuron.resize(n);
  net.refractory_per_neuron.resize(n);
  net.offset_current.resize(n);
  net.noise_std.resize(n);
  net.spiking_per_neuron.resize(n);
  net.current_based_per_neuron.assign(n, 0.f);
  std::vector<uint8_t> reset_to_rest(n, 0);
  for (const InstancePopulation& p : t.populations) {
    std::fill_n(net.spiking_per_neuron.begin() + p.begin, p.size, static_cast<uint8_t>(p.spiking));
    std::fill_n(reset_to_rest.begin() + p.begin, p.size, static_cast<uint8_t>(p.reset_to_rest));
    if (p.model == "lif_curr" && p.size > 0) {
      std::fill_n(net.current_based_per_neuron.begin() + p.begin, p.size, 1.f);
      net.has_current_based = true;
    }
  }
  const NeuronParameter* resistance_p = t.Parameter("resistance_GOhm");
  const NeuronParameter *c_m_p = t.Parameter("c_m_pF"), *tau_m_p = t.Parameter("tau_m_ms"),
                        *v_th_p = t.Parameter("v_threshold_mV"), *halfwidth_p = t.Parameter("graded_halfwidth_mV"),
                        *v_rest_p = t.Parameter("v_rest_mV"), *v_reset_p = t.Parameter("v_reset_mV"),
                        *v_init_p = t.Parameter("v_init_mV"), *tau_ref_p = t.Parameter("tau_ref_ms"),
                        *offset_p = t.Parameter("offset_pA"), *noise_p = t.Parameter("noise_pA");
  for (int i = 0; i < n; ++i) {
    // lif_curr: C_m = tau_m / R and g_L = 1 / R (README, "Neuron models").
    const bool current_based = net.current_based_per_neuron[i] != 0.f;
    const double tau_m = NeuronValue(genome, tau_m_p, i);
    const double resistance = current_based ? NeuronValue(genome, resistance_p, i) : 0.0;
    const double c_m = current_based ? tau_m / resistance : NeuronValue(genome, c_m_p, i);
    const double v_th = NeuronValue(genome, v_th_p, i), halfwidth = NeuronValue(genome, halfwidth_p, i);
    net.dt_over_c_per_neuron[i] = static_cast<float>(o.dt_ms / c_m);
    net.g_leak_per_neuron[i] = static_cast<float>(current_based ? 1.0 / resistance : c_m / tau_m);
    net.v_rest_per_neuron[i] = static_cast<float>(NeuronValue(genome, v_rest_p, i));
    net.v_reset_per_neuron[i] = static_cast<float>(NeuronValue(genome, v_reset_p, i));
    net.v_init_per_neuron[i] = static_cast<float>(NeuronValue(genome, v_init_p, i));
    net.v_threshold_per_neuron[i] = static_cast<float>(v_th);
    net.graded_low_per_neuron[i] = static_cast<float>(v_th - halfwidth);
    net.graded_inv_width_per_neuron[i] = static_cast<float>(1.0 / (2.0 * halfwidth));
    net.refractory_per_neuron[i] = ToSubsteps(NeuronValue(genome, tau_ref_p, i), o.dt_ms);
    if (reset_to_rest[i]) net.v_reset_per_neuron[i] = net.v_rest_per_neuron[i];
    net.offset_current[i] = static_cast<float>(NeuronValue(genome, offset_p, i));
    net.noise_std[i] = static_cast<float>(NeuronValue(genome, noise_p, i));
    net.has_noise = net.has_noise || net.noise_std[i] > 0.f;
  }

  // A weight gene gives the steady conductance G at steady presynaptic
  // activation 1 (graded) or at the reference rate (spiking); the per-substep
  // increment follows from g_ss = increment * signal / (1 - decay).
  const double graded_unit = 1.0 - decay, spike_unit = (1.0 - decay) / ref_rate_per_substep;
  // Many inputs share the drive of input_fan_in_reference inputs (model.h).
  const double input_scale =
      o.encoding.input_fan_in_reference > 0 && net.inputs > o.encoding.input_fan_in_reference
          ? o.encoding.input_fan_in_reference / net.inputs
          : 1.0;
  net.offset.resize(n_syn);
  net.weight.resize(n_syn);
  net.delay.resize(n_syn);
  net.ampa_begin.assign(n, 0);
  net.gaba_begin.assign(n, 0);
  net.syn_end.assign(n, 0);
  const int extras = static_cast<int>(t.receptors.size());
  net.receptors = kReceptors + extras;
  net.extra_end.assign(static_cast<size_t>(n) * extras, 0);
  int k = 0;
  for (int post = 0; post < n; ++post) {
    net.ampa_begin[post] = k;
    while (k < n_syn && t.synapses[k].post == post && t.synapses[k].receptor == kAmpa) ++k;
    net.gaba_begin[post] = k;
    while (k < n_syn && t.synapses[k].post == post && t.synapses[k].receptor == kGaba) ++k;
    net.syn_end[post] = k;
    for (int r = kReceptors; r < net.receptors; ++r) {
      while (k < n_syn && t.synapses[k].post == post && t.synapses[k].receptor == r) ++k;
      net.extra_end[static_cast<size_t>(post) * extras + r - kReceptors] = k;
    }
  }
  std::vector<double> extra_unit;  // each extra receptor's graded weight unit, 1 - its decay
  for (const ReceptorSpec& r : t.receptors) {
    const double extra_decay = std::exp(-o.dt_ms / r.tau_syn_ms);
    extra_unit.push_back(1.0 - extra_decay);
    net.extra_decay.push_back(static_cast<float>(extra_decay));
    net.extra_e.push_back(static_cast<float>(r.e_rev_mV));
    net.extra_sign.push_back(r.excitatory ? 1.f : -1.f);
  }
  for (int s = 0; s < n_syn; ++s) {
    const InstanceSynapse& syn = t.synapses[s];
    int d = syn.delay_substeps;
    if (syn.delay_gene >= 0)
      d = std::clamp(static_cast<int>(std::lround(Gene(genome, syn.delay_gene))),
                     static_cast<int>(genes_.low[syn.delay_gene]), static_cast<int>(genes_.high[syn.delay_gene]));
    net.delay[s] = d;
    net.offset[s] = syn.pre * net.stride - d;
    const double scale = syn.pre < net.inputs ? input_scale : 1.0;
    // The snn preset scales every synapse by the spike-train unit, its graded
    // output neurons' too (as it always has).
    const bool spike_pre = spike_units_everywhere_ ? net.spiking : net.spiking_per_neuron[syn.pre] != 0;
    const double magnitude = syn.weight_gene >= 0 ? genes_.Magnitude(genome, syn.weight_gene) : syn.weight;
    if (syn.receptor >= kReceptors) {  // its own time constant: its own unit
      const double unit = extra_unit[syn.receptor - kReceptors];
      net.weight[s] = static_cast<float>(magnitude * (spike_pre ? unit / ref_rate_per_substep : unit) * scale);
      continue;
    }
    net.weight[s] = static_cast<float>(magnitude * (spike_pre ? spike_unit : graded_unit) * scale);
  }
  // Per receptor, one sum per postsynaptic neuron, in groups of 4
  // neighbours (similar lengths: little padding); the last group runs into
  // padding lanes (see `padded`).
  std::vector<SynapsePass::Sum> sums;
  const int group_end = net.inputs + (n - net.inputs + 3) / 4 * 4;
  for (int receptor = 0; receptor < net.receptors; ++receptor)
    for (int post = net.inputs; post < group_end; ++post) {
      const int32_t target = receptor * kMaxBlock * net.padded + post;
      if (post >= n) {
        sums.push_back({0, 0, target});
        continue;
      }
      // Receptor r's synapses end where receptor r + 1's begin.
      const auto end = [&](int r) {
        return r == kAmpa ? net.gaba_begin[post]
               : r == kGaba ? net.syn_end[post]
                            : net.extra_end[static_cast<size_t>(post) * extras + r - kReceptors];
      };
      sums.push_back({receptor == kAmpa ? net.ampa_begin[post] : end(receptor - 1), end(receptor), target});
    }
  for (const GapJunction& g : t.gaps) {
    net.gap_a.push_back(g.a);
    net.gap_b.push_back(g.b);
    net.gap_g.push_back(static_cast<float>(g.weight_gene >= 0 ? genes_.Magnitude(genome, g.weight_gene) : g.weight));
  }
  net.pass = SynapsePass(sums, net.weight, net.offset, /*zero_offset=*/n * net.stride - 1, net.padded);
  std::vector<int> pre(n_syn);
  std::vector<int32_t> target(n_syn);
  for (int s = 0; s < n_syn; ++s) {
    pre[s] = t.synapses[s].pre;
    target[s] = t.synapses[s].receptor * kMaxBlock * net.padded + t.synapses[s].post;
  }
  net.scatter = ScatterPass(n, pre, target, net.weight, net.delay, net.padded);
  // Graded signals are non-zero on most substeps: the scatter pass is for
  // spiking networks.
  if (!net.spiking) net.scatter_cost = -1;
  return net;
}

std::vector<double> LifDecoder::SynapseMagnitudes(std::span<const double> genome) const {
  std::vector<double> out;
  out.reserve(network_.synapses.size());
  for (const InstanceSynapse& syn : network_.synapses)
    out.push_back(syn.weight_gene >= 0 ? genes_.Magnitude(genome, syn.weight_gene) : syn.weight);
  return out;
}

LifState::LifState(const LifNetwork& net)
    : net_(net),
      v_(net.padded),
      g_exc_(net.padded),
      g_inh_(net.padded),
      input_current_(net.padded),
      offset_current_(net.padded),
      dt_over_c_(net.padded, net.dt_over_c),
      g_leak_(net.padded, net.g_leak),
      v_rest_(net.padded, net.v_rest),
      graded_low_(net.padded, net.graded_low),
      graded_inv_width_(net.padded, net.graded_inv_width),
      current_based_(net.padded, 0.f),
      gap_current_(net.padded, 0.f),
      trace_(net.neurons),
      out_acc_(net.outputs),
      refractory_(net.neurons),
      history_(static_cast<size_t>(net.neurons + 1) * net.stride),
      input_(static_cast<size_t>(net.receptors) * kMaxBlock * static_cast<size_t>(net.padded)),
      signal_(kMaxBlock * static_cast<size_t>(net.padded)),
      noise_((kMaxBlock + 1) * static_cast<size_t>(net.padded)),
      g_extra_(static_cast<size_t>(net.receptors - 2) * net.padded),
      last_signal_(net.neurons),
      normals_(net.neurons) {
  active_.reserve(net.neurons);
  std::copy(net.offset_current.begin(), net.offset_current.end(), offset_current_.begin());
  const auto pad = [&](const std::vector<float>& from, std::vector<float>& to) {
    std::copy(from.begin(), from.end(), to.begin());
    if (!from.empty()) std::fill(to.begin() + static_cast<long>(from.size()), to.end(), from.back());
  };
  pad(net.dt_over_c_per_neuron, dt_over_c_);
  pad(net.g_leak_per_neuron, g_leak_);
  pad(net.v_rest_per_neuron, v_rest_);
  pad(net.graded_low_per_neuron, graded_low_);
  pad(net.graded_inv_width_per_neuron, graded_inv_width_);
  std::copy(net.current_based_per_neuron.begin(), net.current_based_per_neuron.end(), current_based_.begin());
  Reset(0);
}

void LifState::Reset(uint64_t noise_key) {
  std::copy(net_.v_init_per_neuron.begin(), net_.v_init_per_neuron.end(), v_.begin());
  std::fill(v_.begin() + net_.neurons, v_.end(), net_.neurons > 0 ? net_.v_init_per_neuron.back() : 0.f);
  for (auto* vec : {&g_exc_, &g_inh_, &g_extra_, &input_current_, &noise_, &trace_, &history_,
                    &input_, &signal_})
    std::fill(vec->begin(), vec->end(), 0.f);
  std::fill(refractory_.begin(), refractory_.end(), 0);
  slot_ = 0;
  now_ = 0;
  scattered_last_ = false;
  std::fill(last_signal_.begin(), last_signal_.end(), std::numeric_limits<long long>::min() / 2);
  noise_rng_.Seed(noise_key);
  ClearRecording();
}

void LifState::ResampleNoise(float* noise) {
  // One batch of normals (the values of one Normal() call per neuron).
  noise_rng_.Normals(normals_);
  for (int i = 0; i < net_.neurons; ++i) noise[i] = net_.noise_std[i] * static_cast<float>(normals_[i]);
}

bool LifState::healthy() const {
  for (int i = 0; i < net_.neurons; ++i)
    if (!std::isfinite(v_[i]) || !std::isfinite(g_exc_[i]) || !std::isfinite(g_inh_[i]))
      return false;
  return true;
}

namespace {
// The graded signal: a smoothstep of the membrane potential, 0 below
// V_th - w, 1 above V_th + w. Bounded and smooth like a sigmoid, but without
// an exp() per neuron per substep.
inline float GradedSignal(float v, float low, float inv_width) {
  const float x = std::clamp((v - low) * inv_width, 0.f, 1.f);
  return x * x * (3.f - 2.f * x);
}

// GradedSignal of 8 neurons. The compiler does not vectorise the scalar
// version's branches; the selects have std::clamp's semantics (NaN passes).
inline Float8 GradedSignal8(Float8 v, Float8 low, Float8 inv_width) {
  Float8 x = (v - low) * inv_width;
  x = x < 0.f ? Float8{} : x;
  x = 1.f < x ? Float8{} + 1.f : x;
  return x * x * (3.f - 2.f * x);
}

// Flushes denormal floats to zero for the lifetime of the guard. Silent
// neurons' conductances decay geometrically into the denormal range, where
// x86 arithmetic is ~100x slower; values that small (< 1e-38 nS) are zero
// for every purpose here. The caller's floating-point mode is restored.
class DenormalsAreZero {
 public:
#ifdef __SSE__
  DenormalsAreZero() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040); }  // FTZ | DAZ
  ~DenormalsAreZero() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#endif
};
}  // namespace

// Spiking mode, after the potentials of a substep are updated: spikes and
// refractoriness, the signals the neurons emit, and the readout.
void LifState::SpikeAndRead(float* signal, float* out_acc, int n_out) {
  const LifNetwork& net = net_;
  float* v = v_.data();
  // Neurons that do not spike (snn's output integrators with the potential
  // readout) carry a graded signal and are read like bnn's.
  for (int j = 0; j < net.neurons; ++j) {
    if (!net.spiking_per_neuron[j]) {
      signal[j] = GradedSignal(v[j], net.graded_low_per_neuron[j], net.graded_inv_width_per_neuron[j]);
      continue;
    }
    float spike = 0.f;
    if (refractory_[j] > 0) {
      --refractory_[j];
      v[j] = net.v_reset_per_neuron[j];
    } else if (v[j] > net.v_threshold_per_neuron[j]) {
      spike = 1.f;
      v[j] = net.v_reset_per_neuron[j];
      refractory_[j] = net.refractory_per_neuron[j];
    }
    signal[j] = spike;
  }
  for (int o = 0; o < n_out; ++o) {
    const int j = net.output_begin + o;
    if (!net.spiking_per_neuron[j]) {
      out_acc[o] += signal[j];
    } else {
      trace_[j] = trace_[j] * net.trace_decay + net.trace_increment * signal[j];
      out_acc[o] += trace_[j];
    }
  }
}

void LifState::Record(int first_substep, int block) {
  const LifNetwork& net = net_;
  for (int b = 0; b < block; ++b) {
    const float* signal = signal_.data() + static_cast<size_t>(b) * net.padded;
    for (int j = 0; j < net.neurons; ++j) {
      activity_[j] += signal[j];
      if (net.spiking && net.spiking_per_neuron[j] && signal[j] > 0.f) spikes_.emplace_back(first_substep + b, j);
    }
  }
}

// The input of the next block by the scatter pass, when it is the cheaper
// of the two (ScatterPass, synapse_pass.h); false: the gather pass runs.
bool LifState::ScatterInput() {
  const LifNetwork& net = net_;
  // A signal emitted before now_ - max_delay reaches no synapse of this block.
  const long long oldest = now_ - net.scatter.max_delay();
  if (net.scatter_cost < 0) {
    scattered_last_ = false;
    return false;
  }
  active_.clear();
  // The scatter pass's work, in gathered synapses: each active neuron's
  // history window read, then (below) each of its signals through the
  // synapses it reaches, a strided scalar add each against the gather's one
  // vector multiply-add per synapse (net.scatter_cost). Both give the same
  // bits; the cheaper is taken.
  const long long budget = net.scatter_cost > 0 ? net.scatter.synapses() / net.scatter_cost : -1;
  long long work = 0;
  for (int j = 0; j < net.neurons; ++j)
    if (last_signal_[j] >= oldest) {
      active_.push_back(j);
      work += net.scatter.max_delay() + net.scatter.reached(j);
      if (budget >= 0 && work >= budget) {  // a dense block: stop counting
        scattered_last_ = false;
        return false;
      }
    }
  // Each active neuron's non-zero signals of the last max_delay substeps:
  // the signal of `lag` substeps ago sits at slot_ + R - lag of its row
  // (written twice, so no wrap; before the episode's start, zeros).
  first_.assign(1, 0);
  lags_.clear();
  values_.clear();
  const float* history = history_.data() + slot_ + net.ring;
  for (const int j : active_) {
    const float* now = history + static_cast<size_t>(j) * net.stride;
    for (int lag = 1; lag <= net.scatter.max_delay(); ++lag) {
      const float v = now[-lag];
      if (v != 0.f) {
        lags_.push_back(lag);
        values_.push_back(v);
      }
    }
    first_.push_back(static_cast<int>(lags_.size()));
  }
  // Graded neurons signal on most substeps: count what the signals reach.
  if (budget >= 0) {
    work = 0;
    for (size_t i = 0; i < active_.size(); ++i)
      work += static_cast<long long>(first_[i + 1] - first_[i]) * net.scatter.reached(active_[i]);
    if (work >= budget) {
      scattered_last_ = false;
      return false;
    }
  }
  ++scatter_blocks_;
  // Zero where the gather pass would write: after a scatter block only what
  // it wrote is not zero.
  if (scattered_last_) {
    for (const int32_t at : touched_) input_[at] = 0.f;
  } else {
    const int padded = net.padded;
    for (int r = 0; r < net.receptors; ++r)
      for (int b = 0; b < kMaxBlock; ++b)
        std::fill_n(input_.data() + (r * kMaxBlock + b) * padded + net.inputs, padded - net.inputs, 0.f);
  }
  touched_.clear();
  net.scatter.Run(input_.data(), active_, first_, lags_, values_, touched_);
  scattered_last_ = true;
  return true;
}

// Writes the block's signals into both copies of every neuron's ring and
// advances the ring slot past the block. A full block is transposed 8
// neurons at a time, so that each neuron's 8 signals take one store per copy.
void LifState::WriteHistory(int block) {
  const int ring = net_.ring, padded = net_.padded, n = net_.neurons;
  float* const history = history_.data();
  const size_t stride = net_.stride;
  const auto row = [=](int j) { return history + j * stride; };
  int j0 = 0;
  if (block == kMaxBlock) {
    for (; j0 + kMaxBlock <= n; j0 += kMaxBlock) {
      Float8 t[kMaxBlock];
      for (int b = 0; b < kMaxBlock; ++b) t[b] = Load8(signal_.data() + b * padded + j0);
      Transpose8x8(t);
      for (int k = 0; k < kMaxBlock; ++k) {
        // Slots past the ring's end land in the second copy; their first
        // copy is written below.
        Store8(row(j0 + k) + slot_, t[k]);
        Store8(row(j0 + k) + slot_ + ring, t[k]);
        for (int b = ring - slot_; b < kMaxBlock; ++b) row(j0 + k)[slot_ + b - ring] = t[k][b];
      }
    }
  }
  for (int j = j0; j < n; ++j) {
    int p = slot_;
    for (int b = 0; b < block; ++b) {
      row(j)[p] = row(j)[p + ring] = signal_[b * padded + j];
      p = p + 1 == ring ? 0 : p + 1;
    }
  }
  // Which neurons signalled (the scatter pass skips the others); a
  // branch-free select the compiler vectorises. Only where the scatter pass
  // can run (spiking networks; graded signals are dense).
  if (net_.scatter_cost >= 0) {
    long long* last = last_signal_.data();
    for (int b = 0; b < block; ++b) {
      const float* s = signal_.data() + b * padded;
      const long long t = now_ + b;
      for (int j = 0; j < n; ++j) last[j] = s[j] != 0.f ? t : last[j];
    }
  }
  now_ += block;
  slot_ = (slot_ + block) % ring;
}

// Advances every neuron through substeps [b_begin, b_end) of the block:
// conductances, forward-Euler potential, graded signal. Neurons go 8 at a
// time in the outer loop, so that their state stays in registers across the
// substeps. Forward Euler; dt * g_total / C stays far below 1 for the bounded
// weights (README, "Model").
// Advances every neuron through substeps [b_begin, b_end) of the block:
// conductances, forward-Euler potential, graded signal. Neurons go 8 at a
// time in the outer loop, so that their state stays in registers across the
// substeps. Forward Euler; dt * g_total / C stays far below 1 for the bounded
// weights (README, "Model"). kCurrentBased: some neurons are current-based
// (their synapses drive with +1 / -1 instead of E - V); kGaps: gap-junction
// currents (computed before each substep) join the sum. Each variant is
// compiled on its own, so a network without them runs the plain loop.
template <bool kCurrentBased, bool kGaps, bool kExtra>
void LifState::AdvanceNeurons(int b_begin, int b_end, const float* const* noise) {
  const LifNetwork& net = net_;
  const int padded = net.padded;
  const float decay = net.syn_decay;
  const float e_exc = net.e_exc, e_inh = net.e_inh;
  const float* in_e = input_.data();
  const float* in_i = input_.data() + kMaxBlock * padded;
  for (int j = 0; j < padded; j += kMaxBlock) {
    Float8 v = Load8(v_.data() + j), ge = Load8(g_exc_.data() + j), gi = Load8(g_inh_.data() + j);
    const Float8 i_off = Load8(offset_current_.data() + j), i_inj = Load8(input_current_.data() + j);
    const Float8 dt_over_c = Load8(dt_over_c_.data() + j), g_leak = Load8(g_leak_.data() + j),
                 v_rest = Load8(v_rest_.data() + j), low = Load8(graded_low_.data() + j),
                 inv_width = Load8(graded_inv_width_.data() + j);
    [[maybe_unused]] const Float8 current_based = Load8(current_based_.data() + j);
    for (int b = b_begin; b < b_end; ++b) {
      ge = ge * decay + Load8(in_e + b * padded + j);
      gi = gi * decay + Load8(in_i + b * padded + j);
      Float8 drive_e = e_exc - v, drive_i = e_inh - v;
      if constexpr (kCurrentBased) {
        drive_e = current_based > 0.5f ? Float8{} + 1.f : drive_e;
        drive_i = current_based > 0.5f ? Float8{} - 1.f : drive_i;
      }
      Float8 current = g_leak * (v_rest - v) + ge * drive_e + gi * drive_i + i_off + i_inj + Load8(noise[b] + j);
      if constexpr (kExtra) {  // a description's own receptors, after AMPA and GABA
        for (int r = 0; r < net.receptors - 2; ++r) {
          float* g_r = g_extra_.data() + static_cast<size_t>(r) * padded + j;
          const Float8 g = Load8(g_r) * net.extra_decay[r] + Load8(input_.data() + ((r + 2) * kMaxBlock + b) * padded + j);
          Store8(g_r, g);
          Float8 drive = net.extra_e[r] - v;
          if constexpr (kCurrentBased) drive = current_based > 0.5f ? Float8{} + net.extra_sign[r] : drive;
          current += g * drive;
        }
      }
      if constexpr (kGaps) current += Load8(gap_current_.data() + j);
      v += dt_over_c * current;
      Store8(signal_.data() + b * padded + j, GradedSignal8(v, low, inv_width));
    }
    Store8(v_.data() + j, v);
    Store8(g_exc_.data() + j, ge);
    Store8(g_inh_.data() + j, gi);
  }
}

void LifState::Advance(int b_begin, int b_end, const float* const* noise) {
  const bool gaps = !net_.gap_g.empty();
  if (net_.receptors > 2) {
    if (net_.has_current_based)
      gaps ? AdvanceNeurons<true, true, true>(b_begin, b_end, noise) : AdvanceNeurons<true, false, true>(b_begin, b_end, noise);
    else
      gaps ? AdvanceNeurons<false, true, true>(b_begin, b_end, noise) : AdvanceNeurons<false, false, true>(b_begin, b_end, noise);
    return;
  }
  if (net_.has_current_based)
    gaps ? AdvanceNeurons<true, true, false>(b_begin, b_end, noise) : AdvanceNeurons<true, false, false>(b_begin, b_end, noise);
  else
    gaps ? AdvanceNeurons<false, true, false>(b_begin, b_end, noise) : AdvanceNeurons<false, false, false>(b_begin, b_end, noise);
}

// Gap-junction currents from the potentials at the start of a substep:
// each junction (a, b, g) adds g (V_b - V_a) to a and g (V_a - V_b) to b.
void LifState::GapCurrents() {
  std::fill(gap_current_.begin(), gap_current_.end(), 0.f);
  const LifNetwork& net = net_;
  for (size_t k = 0; k < net.gap_g.size(); ++k) {
    const int a = net.gap_a[k], b = net.gap_b[k];
    const float i = net.gap_g[k] * (v_[b] - v_[a]);
    gap_current_[a] += i;
    gap_current_[b] -= i;
  }
}

void LifState::Step(std::span<const double> observation, std::span<float> outputs) {
  const DenormalsAreZero denormals_are_zero;
  const LifNetwork& net = net_;
  const int padded = net.padded;
  if (net.pair_encoding) {
    for (int i = 0; i + 1 < net.inputs; i += 2) {
      const float drive = net.input_gain * static_cast<float>(observation[i / 2]);
      input_current_[i] = net.input_bias + drive;
      input_current_[i + 1] = net.input_bias - drive;
    }
  } else {
    for (int i = 0; i < net.inputs; ++i)
      input_current_[i] = net.input_bias + net.input_gain * static_cast<float>(observation[i]);
  }
  for (size_t r = 0; r < net.current_targets.size(); ++r) {
    const float* w = net.input_weights.data() + r * net.observations;
    float current = net.input_bias;
    for (int i = 0; i < net.observations; ++i) current += w[i] * static_cast<float>(observation[i]);
    input_current_[net.current_targets[r]] = current;
  }
  float* const out_acc = out_acc_.data();
  std::fill(out_acc_.begin(), out_acc_.end(), 0.f);
  const int n_out = net.outputs;
  if (recording_) {
    activity_.assign(net.neurons, 0.f);
    spikes_.clear();
  }

  for (int s0 = 0; s0 < net.substeps; s0 += net.block) {
    const int block = std::min(net.block, net.substeps - s0);
    // 1. Input of the next `block` substeps to every neuron that receives
    //    synapses. Position slot_ + R - d + b of a history row is the signal
    //    emitted d - b substeps before the block's first substep (< d_min).
    if (!ScatterInput()) net.pass.Run(history_.data() + slot_ + net.ring, input_.data());
    // 2. The noise current of each substep: row 0 holds the one in force,
    //    rows 1.. those drawn during the block (in substep order).
    const float* noise[kMaxBlock];
    int drawn = 0;
    for (int b = 0; b < block; ++b) {
      if (net.has_noise && (s0 + b) % net.noise_interval == 0)
        ResampleNoise(noise_.data() + ++drawn * padded);
      noise[b] = noise_.data() + drawn * padded;
    }
    // 3. Advance the neurons (snn: substep by substep, as spikes reset
    //    potentials; SpikeAndRead replaces the spiking neurons' signals).
    //    Gap junctions couple potentials within a substep: also substep by substep.
    const bool gaps = !net.gap_g.empty();
    if (net.spiking || gaps) {
      for (int b = 0; b < block; ++b) {
        if (gaps) GapCurrents();
        Advance(b, b + 1, noise);
        if (!net.spiking) {
          for (int o = 0; o < n_out; ++o) out_acc[o] += signal_[b * padded + net.output_begin + o];
          continue;
        }
        SpikeAndRead(signal_.data() + b * padded, out_acc, n_out);
      }
    } else {
      Advance(0, block, noise);
      for (int b = 0; b < block; ++b)
        for (int o = 0; o < n_out; ++o) out_acc[o] += signal_[b * padded + net.output_begin + o];
    }
    if (drawn > 0) std::copy_n(noise_.data() + drawn * padded, padded, noise_.data());
    if (recording_) Record(s0, block);
    WriteHistory(block);
  }
  if (recording_)
    for (float& a : activity_) a /= static_cast<float>(net.substeps);
  // The step's mean signal (graded) or mean trace, clipped at 1 (spiking:
  // rates above the reference rate read as 1).
  const float inv = 1.f / static_cast<float>(net.substeps);
  for (int o = 0; o < n_out; ++o) outputs[o] = std::min(out_acc[o] * inv, 1.f);
}

}  // namespace neurevo
