// The model kinds, registered in one table as the tasks are
// (tasks/task_registry.cc): each with what it is, the model.* keys it reads,
// its own checks, and how to count its genes and build it.
#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/baseline_models.h"
#include "model/enu/enu_model.h"
#include "model/lif_model.h"
#include "model/lif_preset.h"
#include "model/rsnn/rsnn_model.h"
#include "model/threshold_network.h"
#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {

namespace {

[[noreturn]] void Fail(const std::string& key, const std::string& message) {
  throw ConfigError(fmt::format("model.{}: {}", key, message));
}

// Checks every LIF kind shares (forward-Euler stability, delays, threshold).
void ValidateLif(const ModelOptions& m) {
  if (m.min_delay_ms < m.dt_ms * (1 - 1e-9))
    Fail("min_delay_ms", fmt::format("{} is shorter than one substep; allowed: >= model.dt_ms ({})", m.min_delay_ms,
                                     m.dt_ms));
  if (m.neuron.input_tau_m_ms < 2 * m.dt_ms)
    Fail("input_tau_m_ms", fmt::format("{} is below two substeps (forward Euler would be unstable); "
                                       "allowed: >= 2 * model.dt_ms ({})",
                                       m.neuron.input_tau_m_ms, 2 * m.dt_ms));
  // Forward Euler (lif_network.cc): V += dt / C_m * (g_L (V_rest - V) + g_E (E_E - V) + g_I (E_I - V) + I),
  // with g_L = C_m / tau_m. Per substep V moves by the fraction dt (g_L + g_E + g_I) / C_m of its distance
  // to the conductances' equilibrium: above 1 it overshoots, above 2 it oscillates and diverges. The
  // leak alone takes dt / tau_m; keep it at most 1/2, as for input neurons.
  if (m.neuron.tau_m_ms < 2 * m.dt_ms)
    Fail("tau_m_ms", fmt::format("{} is below two substeps (forward Euler would be unstable); "
                                 "allowed: >= 2 * model.dt_ms ({})",
                                 m.neuron.tau_m_ms, 2 * m.dt_ms));
  if (m.max_delay_ms < m.min_delay_ms)
    Fail("max_delay_ms",
         fmt::format("{} is below model.min_delay_ms ({}); allowed: >= min delay", m.max_delay_ms, m.min_delay_ms));
  if (m.max_delay_ms / m.dt_ms > 100000)
    Fail("max_delay_ms", "more than 100000 substeps of delay; allowed: max_delay_ms / dt_ms <= 100000");
  if (m.neuron.v_threshold_mV <= m.neuron.v_reset_mV)
    Fail("v_threshold_mV", fmt::format("{} must be above model.v_reset_mV ({})", m.neuron.v_threshold_mV, m.neuron.v_reset_mV));
}

void ValidatePreset(const ModelOptions& m) {
  ValidateLif(m);
  // One synapse at full activation must not by itself push V past its reversal potential in one
  // substep (the network's total depends on evolved genes; a rollout that diverges anyway fails).
  const double synapse_step = m.dt_ms * m.weight_max_nS * std::max(1.0, m.inhibitory_weight_scale) / m.neuron.c_m_pF;
  if (synapse_step > 1)
    Fail("weight_max_nS",
         fmt::format("model.dt_ms * model.weight_max_nS * max(1, model.inhibitory_weight_scale) / model.c_m_pF "
                     "is {:.3g}: one synapse would move the potential past its reversal potential in one "
                     "substep (forward Euler unstable); allowed: at most 1",
                     synapse_step));
  // snn: the reference rate is at most one spike per substep.
  if (m.kind == "snn" && m.neuron.spike_reference_hz * 1e-3 * m.dt_ms > 1)
    Fail("spike_reference_hz", fmt::format("{} Hz is more than one spike per substep of model.dt_ms = {}; "
                                           "allowed: <= 1000 / dt_ms ({} Hz)",
                                           m.neuron.spike_reference_hz, m.dt_ms, 1000 / m.dt_ms));
  if (m.excitatory + m.inhibitory < 1) Fail("excitatory", "model.excitatory + model.inhibitory must be at least 1");
}

void ValidateNetwork(const ModelOptions& m) {
  if (m.network.populations.empty())
    throw ConfigError("network.populations: model.kind = \"network\" needs a description: [[network.populations]] "
                      "and [[network.projections]] tables (README: Networks as populations and projections)");
  ValidateLif(m);
}

void ValidateRnn(const ModelOptions& m) {
  if (m.excitatory + m.inhibitory < 1) Fail("excitatory", "model.excitatory + model.inhibitory must be at least 1");
}

void ValidateNothing(const ModelOptions&) {}

void ValidateEnu(const ModelOptions& m) {
  const EnuOptions& e = m.enu;
  if (e.enu_topology != "network" && e.enu_topology != "unit")
    Fail("enu_topology", fmt::format("unknown value '{}'; allowed: network | unit", Echo(e.enu_topology)));
  if (e.enu_memory < 1 || e.enu_memory > 4096) Fail("enu_memory", fmt::format("{}; allowed: 1 to 4096", e.enu_memory));
  if (e.enu_channels < 1 || e.enu_channels > 1024)
    Fail("enu_channels", fmt::format("{}; allowed: 1 to 1024", e.enu_channels));
  if (e.enu_neurons < 1 || e.enu_neurons > 10000) Fail("enu_neurons", fmt::format("{}; allowed: 1 to 10000", e.enu_neurons));
  if (e.enu_reward_inputs < 0) Fail("enu_reward_inputs", fmt::format("{}; allowed: >= 0", e.enu_reward_inputs));
  if (e.enu_network_steps < 1 || e.enu_network_steps > 1000)
    Fail("enu_network_steps", fmt::format("{}; allowed: 1 to 1000", e.enu_network_steps));
  if (!(e.enu_output_noise >= 0 && e.enu_output_noise <= 1))
    Fail("enu_output_noise", fmt::format("{}; allowed: 0 to 1", e.enu_output_noise));
  if (!(e.enu_weight_scale > 0 && e.enu_weight_scale <= 1000))
    Fail("enu_weight_scale", fmt::format("{}; allowed: above 0, at most 1000", e.enu_weight_scale));
}
void ValidateRsnn(const ModelOptions& m) {
  const RsnnOptions& r = m.rsnn;
  if (!(r.rsnn_input_max_pA > 0 && r.rsnn_input_max_pA <= 1e6))
    Fail("rsnn_input_max_pA", fmt::format("{}; allowed: above 0, at most 1e6", r.rsnn_input_max_pA));
  if (!(r.rsnn_readout_scale > 0 && r.rsnn_readout_scale <= 1e6))
    Fail("rsnn_readout_scale", fmt::format("{}; allowed: above 0, at most 1e6", r.rsnn_readout_scale));
  if (!(r.rsnn_surrogate_slope > 0 && r.rsnn_surrogate_slope <= 1e6))
    Fail("rsnn_surrogate_slope", fmt::format("{}; allowed: above 0, at most 1e6", r.rsnn_surrogate_slope));
  if (m.network.populations.empty())
    throw ConfigError("network.populations: model.kind = \"rsnn\" needs a description of its recurrent layer: "
                      "[[network.populations]] and [[network.projections]] (configs/rsnn/ has presets)");
}
std::unique_ptr<Model> MakeRsnn(const ModelOptions& o, const Space& obs, const Space& act) {
  return std::make_unique<RsnnModel>(o, obs, act);
}

std::unique_ptr<Model> MakeEnu(const ModelOptions& o, const Space& obs, const Space& act) {
  return std::make_unique<EnuModel>(o, obs, act);
}

std::unique_ptr<Model> MakeLif(const ModelOptions& o, const Space& obs, const Space& act) {
  if (o.kind == "network" && IsThresholdNetwork(o.network)) return std::make_unique<ThresholdModel>(o, obs, act);
  return std::make_unique<LifModel>(o, obs, act);
}
std::unique_ptr<Model> MakeRnn(const ModelOptions& o, const Space& obs, const Space& act) {
  return std::make_unique<RnnModel>(o, obs, act);
}
std::unique_ptr<Model> MakeMlp(const ModelOptions& o, const Space& obs, const Space& act) {
  return std::make_unique<MlpModel>(o, obs, act);
}

// A preset's genes from its sizes alone: its synapse list and labels would
// take seconds and gigabytes at millions of synapses.
long long CountPresetGenes(const ModelOptions& o, const Space& obs, const Space& act) {
  const int inputs = LifInputs(o, obs), outputs = LifOutputNeurons(o, act);
  return LifGeneCount(o, inputs + o.excitatory + o.inhibitory + outputs, PresetSynapseCount(o, inputs, outputs),
                      LifReadoutGenes(o, act) + LifInputWeightGenes(o, obs, act));
}

// The others' layouts are cheap to build (a description's synapse count is
// known only once drawn; its size is bounded by the description's readers).
long long CountBuilt(const ModelOptions& o, const Space& obs, const Space& act) {
  return MakeModel(o, obs, act)->layout().size();
}

struct Family {
  ModelKindInfo info;
  void (*validate)(const ModelOptions&);
  std::unique_ptr<Model> (*make)(const ModelOptions&, const Space&, const Space&);
  long long (*count_genes)(const ModelOptions&, const Space&, const Space&);
};

// The model.* keys every LIF kind reads.
std::vector<std::string> LifKeys(std::vector<std::string> more) {
  std::vector<std::string> keys = {
      "dt_ms", "substeps", "v_rest_mV", "v_reset_mV", "v_init_mV", "v_threshold_mV", "c_m_pF", "tau_m_ms",
      "tau_syn_ms", "tau_ref_ms", "e_exc_mV", "e_inh_mV", "graded_halfwidth_mV", "spike_reference_hz",
      "min_delay_ms", "max_delay_ms", "binary_readout", "continuous_readout", "readout", "warmup_steps",
      "input_encoding", "input_gain_pA", "input_bias_pA", "input_fan_in_reference", "noise_interval_substeps"};
  keys.insert(keys.end(), more.begin(), more.end());
  return keys;
}
const std::vector<std::string> kPresetKeys = {"excitatory", "inhibitory", "connectivity", "input_tau_m_ms",
                                              "weight_max_nS", "inhibitory_weight_scale", "offset_max_pA",
                                              "noise_max_pA", "evolve_delays", "evolve_offsets", "evolve_noise",
                                              "snn_readout"};

const std::vector<Family>& Families() {
  static const std::vector<Family> families = {
      {{"bnn", "graded LIF network (the seed paper's BNN): a preset of the network description", LifKeys(kPresetKeys)},
       &ValidatePreset, &MakeLif, &CountPresetGenes},
      {{"snn", "spiking LIF network (the seed paper's SNN): a preset of the network description",
        LifKeys(kPresetKeys)},
       &ValidatePreset, &MakeLif, &CountPresetGenes},
      {{"network",
        "a LIF (or threshold) network described in the config ([[network.populations]], [[network.projections]])",
        LifKeys({})},
       &ValidateNetwork, &MakeLif, &CountBuilt},
      {{"rnn", "tanh recurrent baseline with model.excitatory + model.inhibitory hidden units",
        {"excitatory", "inhibitory", "baseline_weight_scale", "binary_readout", "continuous_readout"}},
       &ValidateRnn, &MakeRnn, &CountBuilt},
      {{"mlp", "tanh MLP baseline", {"mlp_hidden", "baseline_weight_scale", "binary_readout", "continuous_readout"}},
       &ValidateNothing, &MakeMlp, &CountBuilt},
      {{"enu",
        "network of evolvable neural units (Bertens & Lee 2019): shared neuron and synapse unit weights, "
        "per-unit memory",
        {"enu_topology", "enu_memory", "enu_channels", "enu_neurons", "enu_reward_inputs", "enu_network_steps",
         "enu_output_noise", "enu_weight_scale", "enu_stateless", "enu_shuffle", "enu_idle_action",
         "binary_readout", "continuous_readout"}},
       &ValidateEnu, &MakeEnu, &CountBuilt},
      {{"rsnn",
        "discrete-time recurrent spiking network (the neocortical RSNN): the description's lif_curr "
        "populations between a dense input layer and a readout of membrane potentials; trains by evolution or "
        "by backpropagation through time (optimizer.kind = \"bptt\")",
        {"dt_ms", "substeps", "v_rest_mV", "v_reset_mV", "v_init_mV", "v_threshold_mV", "c_m_pF", "tau_m_ms",
         "tau_ref_ms", "rsnn_input_max_pA", "rsnn_readout_scale", "rsnn_surrogate_slope"}},
       &ValidateRsnn, &MakeRsnn, &CountBuilt},
  };
  return families;
}

const Family& FamilyOf(const std::string& kind) {
  for (const Family& f : Families())
    if (f.info.kind == kind) return f;
  throw ConfigError(fmt::format("model.kind: unknown model '{}'; allowed: {}", Echo(kind),
                                fmt::join(ModelKindNames(), ", ")));
}

// Everything MakeModel checks before it builds anything.
void CheckModelOptions(const ModelOptions& options, const Space& observation, const Space& action) {
  if (options.readout.binary_readout != "argmax" && options.readout.binary_readout != "threshold")
    throw ConfigError(fmt::format("model.binary_readout: unknown value '{}'; allowed: argmax | threshold",
                                  options.readout.binary_readout));
  if (options.readout.snn_readout != "potential" && options.readout.snn_readout != "rate")
    throw ConfigError(fmt::format("model.snn_readout: unknown value '{}'; allowed: potential | rate",
                                  options.readout.snn_readout));
  if (options.readout.continuous_readout != "single" && options.readout.continuous_readout != "push_pull")
    throw ConfigError(fmt::format("model.continuous_readout: unknown value '{}'; allowed: single | push_pull",
                                  options.readout.continuous_readout));
  if (options.readout.source != "neurons" && options.readout.source != "linear")
    throw ConfigError(fmt::format("model.readout: unknown value '{}'; allowed: neurons | linear", options.readout.source));
  if (options.encoding.input_encoding != "single" && options.encoding.input_encoding != "pair" && options.encoding.input_encoding != "current")
    throw ConfigError(fmt::format("model.input_encoding: unknown value '{}'; allowed: single | pair | current",
                                  options.encoding.input_encoding));
  if (options.substeps < 1)  // 0 (real time) is replaced by a count when the config is read
    throw ConfigError(fmt::format("model.substeps: {} substeps per step; allowed: at least 1", options.substeps));
  if (observation.discrete())
    throw ConfigError("task.name: tasks with discrete observations are not supported");
  if (NumOutputs(action, options) > 64)
    throw ConfigError("task.name: at most 64 policy outputs are supported");
  FamilyOf(options.kind);
}
}  // namespace

std::vector<ModelKindInfo> ModelKinds() {
  std::vector<ModelKindInfo> out;
  for (const Family& f : Families()) out.push_back(f.info);
  return out;
}

std::vector<std::string> ModelKindNames() {
  std::vector<std::string> out;
  for (const Family& f : Families()) out.push_back(f.info.kind);
  return out;
}

void ValidateModelOptions(const ModelOptions& options) {
  const Family& family = FamilyOf(options.kind);
  if (options.kind != "network" && options.kind != "rsnn" && !options.network.populations.empty())
    throw ConfigError(fmt::format("network: a network description is used only with model.kind = \"network\" "
                                  "or \"rsnn\"; allowed: set model.kind = \"network\", or remove [network] "
                                  "(model.kind is \"{}\")",
                                  options.kind));
  family.validate(options);
}

std::unique_ptr<Model> MakeModel(const ModelOptions& options, const Space& observation,
                                 const Space& action) {
  CheckModelOptions(options, observation, action);
  return FamilyOf(options.kind).make(options, observation, action);
}

long long CountGenes(const ModelOptions& options, const Space& observation, const Space& action) {
  CheckModelOptions(options, observation, action);
  return FamilyOf(options.kind).count_genes(options, observation, action);
}

int NumOutputs(const Space& action, const ModelOptions& options) {
  if (action.discrete() && action.size == 2 && options.readout.binary_readout == "threshold") return 1;
  if (!action.discrete() && options.readout.continuous_readout == "push_pull") return 2 * action.size;
  return action.size;
}

void DecodeAction(std::span<const float> outputs, OutputRange range, const Space& action_space,
                  std::span<double> action) {
  const double width = range.high - range.low;
  if (!action_space.discrete()) {
    const int n = action_space.size;
    const bool push_pull = static_cast<int>(outputs.size()) == 2 * n;
    for (int i = 0; i < n; ++i) {
      const double unit = push_pull ? std::clamp(0.5 + 0.5 * (outputs[i] - outputs[n + i]) / width, 0.0, 1.0)
                                    : std::clamp((outputs[i] - range.low) / width, 0.0, 1.0);
      action[i] = action_space.low[i] + unit * (action_space.high[i] - action_space.low[i]);
    }
    return;
  }
  if (outputs.size() == 1) {
    action[0] = outputs[0] > range.low + 0.5 * width ? 1.0 : 0.0;
    return;
  }
  const auto best = std::max_element(outputs.begin(), outputs.begin() + action_space.size);
  action[0] = static_cast<double>(best - outputs.begin());
}

}  // namespace neurevo
