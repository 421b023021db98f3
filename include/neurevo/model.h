// Models turn a genome into a controller (a Policy) for a task.
//
// A Model is const and shared by all workers: it knows the genome layout and
// decodes genomes. As MuJoCo separates mjModel from mjData, a decoded genome
// (a Controller: the network's weights, delays and neuron constants) is
// read-only and shared, decoded once per individual however many episodes
// and workers run it; a Policy is one running state of it (membrane
// potentials, conductances, delay buffers, its noise stream), owned by one
// worker, reset at the start of each episode, mapping each (already
// normalised) observation to an action.
//
// Kinds: bnn (graded LIF network, the seed paper's BNN), snn (the same network
// with spiking transmission), network (a LIF network described as populations
// and projections, network_spec.h; bnn and snn are presets of it), rnn (tanh
// recurrent baseline with as many hidden units as the LIF network), mlp (tanh
// MLP baseline, hidden sizes configurable), enu (networks of evolvable neural
// units, src/model/enu/), rsnn (a discrete-time recurrent spiking network
// with a gradient path, src/model/rsnn/).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "neurevo/genome_layout.h"
#include "neurevo/network_spec.h"
#include "neurevo/task.h"

namespace neurevo {

// The neuron constants (DESIGN.md §2; paper defaults unless noted): every
// LIF neuron's, unless its population sets its own (kind "network").
struct NeuronOptions {
  double v_rest_mV = -60.0;
  double v_reset_mV = -60.0;
  double v_init_mV = -55.0;
  double v_threshold_mV = -50.0;
  double c_m_pF = 1.0;
  double tau_m_ms = 20.0;
  double tau_syn_ms = 5.0;
  double tau_ref_ms = 2.0;           // not in the paper: chosen
  // Input neurons are fast sensory relays (same leak, smaller capacitance):
  // with tau_m they would delay every observation by ~20 ms, two control
  // steps, and CartPole is not controllable with 3 steps of delay.
  double input_tau_m_ms = 1.0;
  double e_exc_mV = 0.0;             // AMPA reversal, chosen
  double e_inh_mV = -80.0;           // GABA reversal, chosen
  double graded_halfwidth_mV = 5.0;  // graded signal rises from V_th-w to V_th+w
  double spike_reference_hz = 200.0;  // mid-range for an LIF with a 2 ms refractory period (max 500 Hz)
  int noise_interval_substeps = 10;  // noise current held for this many substeps
};

// How observations enter the network.
struct EncodingOptions {
  // "pair": two input neurons per observation x, driven by
  // input_bias_pA + input_gain_pA * x and input_bias_pA - input_gain_pA * x
  // (each carries one sign through excitatory synapses); "single": one neuron
  // driven by input_bias_pA + input_gain_pA * x. "current" (bnn, snn): no
  // input neurons; every neuron of a group that `in` projects to
  // (connectivity) receives the current input_bias_pA + sum_i w_i x_i, with
  // signed evolved weights w_i (the `input_weights` family, in
  // +-2 input_gain_pA / sqrt(observations)): observations enter as injected
  // currents, not through synapses.
  std::string input_encoding = "single";
  double input_gain_pA = 0.25;
  double input_bias_pA = 0.0;
  // Input synapses of a network with more input neurons than this carry
  // weights scaled by input_fan_in_reference / inputs, so that a neuron's
  // total input drive stays what this many inputs give. Without it Ant's 105
  // observations drive every neuron, outputs included, into saturation (all
  // actions at +1 from the second step). 20 (the preset network's size)
  // leaves every other task (at most 17 inputs) unchanged. 0: never scale.
  double input_fan_in_reference = 20.0;
};

// How outputs become actions.
struct ReadoutOptions {
  // LIF models: where actions come from. "neurons": the output population,
  // read as below. "linear": no output population; each policy output is a
  // signed linear decoder (evolved weights and bias, the `readout_weights`
  // and `readout_bias` families) of the hidden neurons' activity over the
  // step, clipped to [-1, 1] (a reservoir readout, as in Maass et al. 2002).
  // The decoder is not a neuron, so Dale's law does not bind its signs.
  // (Config key model.readout.)
  std::string source = "neurons";
  // snn readout. "rate" (the default): output neurons spike and are read
  // by their spike trace filtered with tau_syn; "potential": output neurons
  // are non-spiking leaky integrators read by their mean graded signal. The
  // integrators saturate under the E population's spikes on the MuJoCo
  // tasks (every action at +1, so every candidate acts alike and selection
  // sees nothing: BENCHMARKS.md, "The SNN's readout").
  std::string snn_readout = "rate";
  // Two discrete actions: "argmax" reads two output neurons and takes the
  // more active (either sign of dependence is then one excitatory path);
  // "threshold" reads one output neuron against the middle of its range.
  std::string binary_readout = "argmax";
  // Continuous actions: "single" maps one output per action dimension
  // linearly onto the action range; "push_pull" reads two, a push and a pull
  // output, and maps their difference (0 = the middle of the range). With
  // Dale's law a single output lowers its action only through an inhibitory
  // path; a pair makes either direction one excitatory path, as argmax does
  // for two discrete actions. Not the default: on InvertedPendulum and
  // InvertedDoublePendulum it measured no better (BENCHMARKS.md, Table 2).
  std::string continuous_readout = "single";
};

// The tanh baselines (rnn, mlp).
struct BaselineOptions {
  std::vector<int> mlp_hidden = {64, 64};
  double baseline_weight_scale = 2.0;  // weights in +-scale/sqrt(fan_in)
};

// ENU networks (model.kind = "enu"; src/model/enu/enu_model.h has the
// topology). Paper values where the paper gives one.
struct EnuOptions {
  std::string enu_topology = "network";  // network | unit
  int enu_memory = 32;        // M: memory values per unit
  int enu_channels = 16;      // C: output channels per unit
  int enu_neurons = 6;        // ENU neurons, motor neurons included (network)
  int enu_reward_inputs = 0;  // trailing observations that drive the reward neuron, one channel each
  int enu_network_steps = 4;  // network steps per environment step
  // Std of the uniform noise added to every output pre-activation, so that
  // units with the same weights and input diverge. 0: none.
  double enu_output_noise = 0.01;
  double enu_weight_scale = 1.0;  // weights in +-scale/sqrt(fan_in)
  bool enu_stateless = false;     // no unit memory: h and o start from 0 every step
  bool enu_shuffle = true;        // sensory and motor neurons permuted every episode
  bool enu_idle_action = false;   // the last discrete action when no motor neuron is active
};

// The neocortical RSNN (model.kind = "rsnn"; src/model/rsnn/rsnn_network.h
// has the equations): a description's hidden lif_curr populations between a
// dense input layer and a dense readout of membrane potentials.
struct RsnnOptions {
  // Input weights (observation -> neuron, pA per unit of observation) in
  // +-rsnn_input_max_pA.
  double rsnn_input_max_pA = 1.0;
  // Readout weights in +-rsnn_readout_scale / sqrt(neurons), bias in +-1.
  double rsnn_readout_scale = 4.0;
  // Slope of the fast-sigmoid surrogate gradient, per (V_th - V_rest).
  double rsnn_surrogate_slope = 10.0;
};

// Every field is the config key `model.<field>` (a section's field too:
// `neuron.tau_m_ms` is `model.tau_m_ms`, `readout.source` is
// `model.readout`); the defaults here are the documented defaults (README,
// "Configuration"). Which kinds read which keys: ModelKinds().
struct ModelOptions {
  std::string kind = "bnn";  // bnn | snn | network | rnn | mlp | enu (ModelKindNames())
  // kind "network": the description ([[network.populations]],
  // [[network.projections]]); its input population takes the task's
  // observations, its output population (or, with readout "linear", its
  // hidden populations) gives the actions. The neuron constants are the
  // defaults of every parameter a population does not set.
  NetworkSpec network;
  // Seed of the description's frozen random draws (connections, frozen
  // weights and parameters): the run's seed (run.seed), set when the config
  // is read.
  uint64_t network_seed = 1;
  // The bnn and snn presets' groups (rnn: its hidden units are E + I).
  int excitatory = 10;
  int inhibitory = 10;
  // Connectivity between groups, "FROM->TO" pairs over in, E, I, out (no
  // self-synapses; nothing may project into `in`). Default: dense.
  std::vector<std::string> connectivity = {"in->E", "in->I", "in->out", "E->E", "E->I",
                                           "E->out", "I->E", "I->I", "I->out", "out->E",
                                           "out->I", "out->out"};
  // Simulation.
  double dt_ms = 0.1;
  int substeps = 100;  // per environment step
  // LIF models: network steps (each `substeps` long) run on an episode's
  // first observation before the first action, so that the transient from
  // the reset state (V_init) does not drive the first actions. 0: none.
  int warmup_steps = 0;
  NeuronOptions neuron;
  EncodingOptions encoding;
  ReadoutOptions readout;
  BaselineOptions baselines;
  EnuOptions enu;
  RsnnOptions rsnn;
  // The presets' synapses: a weight gene u gives a steady conductance
  // u * weight_max_nS for a steady presynaptic activation of 1 (spiking: a
  // train at spike_reference_hz). The default (0.05 nS = the leak
  // conductance) puts a typical neuron in a balanced high-conductance state
  // whose effective time constant is a few ms, so the network answers an
  // observation within a control step.
  double weight_max_nS = 0.05;
  // GABA weight genes map to [0, weight_max_nS * inhibitory_weight_scale]
  // (Brunel 2000's relative inhibition g): balances the more numerous AMPA
  // synapses and their larger driving force.
  double inhibitory_weight_scale = 4.0;
  // Synaptic delays live in [min_delay_ms, max_delay_ms] (whole substeps).
  // A minimum delay of at least one substep lets the simulation advance
  // min(8, min delay) substeps per synapse pass (NEST's min-delay batching).
  double min_delay_ms = 1.0;
  double max_delay_ms = 5.0;
  double offset_max_pA = 0.25;  // offset genes map to rheobase +- max (V_th +- 5 mV at rest)
  double noise_max_pA = 0.05;   // noise genes map to [0, max]
  // Which of the presets' families evolve (weights always do).
  bool evolve_delays = true;
  bool evolve_offsets = true;
  bool evolve_noise = true;
};

// Outputs of a policy before decoding, in [0, 1] (LIF networks) or [-1, 1]
// (tanh baselines); DecodeAction maps them onto the task's action space.
struct OutputRange {
  double low, high;
};

class Policy {
 public:
  virtual ~Policy() = default;
  // Resets the state to its initial value; `noise_key` seeds the noise stream.
  virtual void Reset(uint64_t noise_key) = 0;
  // Advances one environment step and writes the action.
  virtual void Act(std::span<const double> observation, std::span<double> action) = 0;
  // False once the internal state has become non-finite.
  virtual bool healthy() const = 0;
  // The policy outputs of the last Act(), before DecodeAction mapped them
  // to the action (in the model's OutputRange): what a recording or a test
  // reads to see more than a discrete action shows.
  virtual std::span<const float> outputs() const = 0;

  // Recording of the running state (Python's Network.record, for analysis
  // and plots). Off by default: models that record pay for it only when on.
  // With it on, after each Act(): named per-neuron values (LIF networks:
  // "v" membrane potential in mV and "g_exc", "g_inh" conductances in nS at
  // the end of the step, "activity" the step's mean signal), and the
  // step's spikes as (substep within the step, neuron). The rnn baseline
  // records its hidden units' state after the step as "activity"; the
  // other models without neurons record nothing.
  struct Probe {
    std::string_view name;
    std::span<const float> values;
  };
  virtual void SetRecording(bool /*on*/) {}
  virtual std::vector<Probe> Probes() const { return {}; }
  virtual std::span<const std::pair<int, int>> Spikes() const { return {}; }
};

// A policy whose outputs are differentiable functions of the genome: what
// gradient training (optimizer.kind = "bptt") runs. Forward() advances one
// environment step as Policy::Act does but returns the raw outputs (a
// discrete action's logits; a continuous action's pre-tanh values), keeping
// what Backward() needs.
class DifferentiablePolicy {
 public:
  virtual ~DifferentiablePolicy() = default;
  virtual void Reset(uint64_t noise_key) = 0;
  virtual std::span<const double> Forward(std::span<const double> observation) = 0;
  virtual bool healthy() const = 0;
  // Adds dL/d(genome) to `gradient`, given dL/d(outputs) of every Forward()
  // since Reset() (steps x outputs, in order).
  virtual void Backward(std::span<const double> dl_doutputs, std::span<double> gradient) const = 0;
};

// A decoded genome, read-only: any number of threads may make and run
// policies of it at once. Each policy keeps its controller alive.
class Controller : public std::enable_shared_from_this<Controller> {
 public:
  virtual ~Controller() = default;
  // A fresh running state of this controller.
  virtual std::unique_ptr<Policy> NewPolicy() const = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const GenomeLayout& layout() const = 0;
  // Decodes a genome once, for every episode and worker that runs it.
  virtual std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const = 0;
  // One running state of a freshly decoded genome.
  std::unique_ptr<Policy> Decode(std::span<const double> genome) const {
    return DecodeController(genome)->NewPolicy();
  }
  // Synapses (or weights) updated per environment step, for throughput figures.
  virtual long long synapses() const = 0;
  virtual int substeps() const = 0;
  // A differentiable running state of `genome`, for gradient training; null
  // for models without a backward pass (all but rsnn).
  virtual std::unique_ptr<DifferentiablePolicy> NewDifferentiable(std::span<const double> /*genome*/) const {
    return nullptr;
  }
};

// The registered model kinds (src/model/model_registry.cc): bnn, snn,
// network, rnn, mlp, each with what it is and the model.* keys it reads.
struct ModelKindInfo {
  std::string kind;
  std::string summary;
  std::vector<std::string> keys;  // without the "model." prefix
};
std::vector<ModelKindInfo> ModelKinds();
std::vector<std::string> ModelKindNames();
// The options' own checks (the kind's, before any task is known), throwing
// ConfigError naming the key: config validation calls it.
void ValidateModelOptions(const ModelOptions& options);

// Throws ConfigError naming the `model.*` key for invalid options.
std::unique_ptr<Model> MakeModel(const ModelOptions& options, const Space& observation,
                                 const Space& action);
// MakeModel(...)->layout().size() with the same checks, without building a
// bnn/snn network (whose synapse list and labels dominate: seconds and
// gigabytes for millions of synapses).
long long CountGenes(const ModelOptions& options, const Space& observation, const Space& action);

// A bnn or snn model as the same network written out: model.kind "network"
// with the preset's description (input and output sizes left to the task),
// which `neurevo config --expand` prints for a user to copy and change. It
// decodes every genome to the same network (bit for bit, except that an snn
// with the potential readout scales its output neurons' synapses in graded
// units with a range 1 / (spike_reference_hz dt) wider, equal up to
// rounding). Throws ConfigError for other kinds and the current encoding.
ModelOptions ExpandPreset(const ModelOptions& options);

// Number of policy outputs for an action space: one per continuous
// dimension (two with options.continuous_readout "push_pull") or discrete
// action, except one (thresholded) output for two discrete actions when
// options.binary_readout is "threshold".
int NumOutputs(const Space& action, const ModelOptions& options);
// Maps raw outputs in `range` to an action. Continuous actions: with one
// output per dimension, it scales linearly onto [low, high]; with two
// (push_pull: outputs [0, n) push, [n, 2n) pull), the middle of [low, high]
// plus (push - pull) / (range width) of its half-width. A single output for
// two discrete actions is thresholded at the middle of the range; otherwise
// the argmax (lowest index on ties).
void DecodeAction(std::span<const float> outputs, OutputRange range, const Space& action_space,
                  std::span<double> action);

}  // namespace neurevo
