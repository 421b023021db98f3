#include "model/lif_preset.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "model/neuron_models.h"
#include "neurevo/error.h"

namespace neurevo {

namespace {

bool EvolvesDelays(const ModelOptions& o) {
  return o.evolve_delays && DelaySubsteps(o.max_delay_ms, o.dt_ms) > DelaySubsteps(o.min_delay_ms, o.dt_ms);
}

int GroupIndex(const std::string& name, const std::string& pair) {
  for (int g = 0; g < 4; ++g)
    if (name == kPresetGroups[g]) return g;
  throw ConfigError(fmt::format("model.connectivity: unknown group '{}' in '{}'; allowed groups: in, E, I, out",
                                Echo(name), Echo(pair)));
}

}  // namespace

PresetPairs PresetConnectivity(const std::vector<std::string>& connectivity) {
  PresetPairs connected{};
  for (const auto& pair : connectivity) {
    const auto arrow = pair.find("->");
    if (arrow == std::string::npos)
      throw ConfigError(fmt::format("model.connectivity: '{}' is not of the form FROM->TO (groups in, E, I, out)",
                                    Echo(pair)));
    const int from = GroupIndex(pair.substr(0, arrow), pair);
    const int to = GroupIndex(pair.substr(arrow + 2), pair);
    if (to == 0)
      throw ConfigError(fmt::format("model.connectivity: '{}' projects into the input group, which receives only "
                                    "observations",
                                    Echo(pair)));
    connected[from][to] = true;
  }
  return connected;
}

long long PresetSynapseCount(const ModelOptions& o, int inputs, int outputs) {
  const PresetPairs connected = PresetConnectivity(o.connectivity);
  const long long sizes[4] = {inputs, o.excitatory, o.inhibitory, outputs};
  long long n = 0;
  for (int from = 0; from < 4; ++from)
    for (int to = 0; to < 4; ++to)
      if (connected[from][to]) n += sizes[from] * (sizes[to] - (from == to ? 1 : 0));  // no self-synapses
  return n;
}

NetworkSpec LifPresetSpec(const ModelOptions& o, int inputs, int outputs) {
  // Refuses malformed pairs and projections into `in`, naming model.connectivity.
  const PresetPairs connected = PresetConnectivity(o.connectivity);
  NetworkSpec spec;
  // Offsets are centred on the rheobase g_L (V_th - V_rest): a gene of 0.5
  // rests a neuron at threshold. The same range for every neuron (input
  // neurons share the leak conductance).
  const double rheobase = o.neuron.c_m_pF / o.neuron.tau_m_ms * (o.neuron.v_threshold_mV - o.neuron.v_rest_mV);
  const auto population = [&](const char* name, int size, Role role, DaleType dale) {
    PopulationSpec p;
    p.name = name;
    p.size = size;
    p.model = "lif_cond";
    p.role = role;
    p.dale = {dale};
    // snn: every neuron spikes, except output integrators read by potential.
    p.spiking = o.kind == "snn" && !(role == Role::kOutput && o.readout.snn_readout == "potential");
    if (o.evolve_offsets)
      p.params.emplace_back("offset_pA", ValueSpec::Evolved(rheobase - o.offset_max_pA, rheobase + o.offset_max_pA));
    if (o.evolve_noise) p.params.emplace_back("noise_pA", ValueSpec::Evolved(0.0, o.noise_max_pA));
    return p;
  };
  spec.populations.push_back(population("in", inputs, Role::kInput, DaleType::kExcitatory));
  // Input neurons are fast sensory relays: the same leak conductance, a
  // membrane time constant of input_tau_m_ms (a smaller capacitance).
  spec.populations[0].params.emplace_back("c_m_pF", ValueSpec::Constant(o.neuron.c_m_pF / o.neuron.tau_m_ms * o.neuron.input_tau_m_ms));
  spec.populations[0].params.emplace_back("tau_m_ms", ValueSpec::Constant(o.neuron.input_tau_m_ms));
  spec.populations.push_back(population("E", o.excitatory, Role::kHidden, DaleType::kExcitatory));
  spec.populations.push_back(population("I", o.inhibitory, Role::kHidden, DaleType::kInhibitory));
  spec.populations.push_back(population("out", outputs, Role::kOutput, DaleType::kExcitatory));

  // Projections in the order of the groups (in, E, I, out), whatever the
  // order of the connectivity list.
  for (int from = 0; from < 4; ++from)
    for (int to = 0; to < 4; ++to) {
      if (!connected[from][to]) continue;
      const std::string pre = kPresetGroups[from], post = kPresetGroups[to];
      ProjectionSpec p;
      p.pre = pre;
      p.post = post;
      p.connector.kind = ConnectorSpec::Kind::kAllToAll;
      p.connector.allow_self = false;
      const double scale = pre == "I" ? o.inhibitory_weight_scale : 1.0;
      p.weight = ValueSpec::Evolved(0.0, o.weight_max_nS * scale);
      p.delay = EvolvesDelays(o) ? ValueSpec::Evolved(o.min_delay_ms, o.max_delay_ms)
                                 : ValueSpec::Constant(o.min_delay_ms);
      spec.projections.push_back(p);
    }
  return spec;
}

std::vector<int> LifPresetCurrentTargets(const ModelOptions& o, const NetworkInstance& network) {
  std::vector<int> targets;
  if (o.encoding.input_encoding != "current") return targets;
  const PresetPairs connected = PresetConnectivity(o.connectivity);
  for (const InstancePopulation& p : network.populations) {
    const int g = static_cast<int>(std::find(kPresetGroups.begin(), kPresetGroups.end(), p.name) -
                                   kPresetGroups.begin());
    if (g == 4 || !connected[0][g]) continue;
    for (int i = 0; i < p.size; ++i) targets.push_back(p.begin + i);
  }
  std::sort(targets.begin(), targets.end());
  return targets;
}

LifDecoder LifPresetDecoder(const ModelOptions& o, int inputs, int outputs, int readout_outputs, int observations) {
  NetworkInstance network = Instantiate(LifPresetSpec(o, inputs, outputs), LifInstanceOptions(o, 0));
  std::vector<int> targets = LifPresetCurrentTargets(o, network);
  const int current_observations = targets.empty() ? 0 : observations;
  return LifDecoder(o, std::move(network), readout_outputs, current_observations, std::move(targets),
                    /*spike_units_everywhere=*/true);
}

ModelOptions ExpandPreset(const ModelOptions& o) {
  if (o.kind != "bnn" && o.kind != "snn")
    throw ConfigError(fmt::format("model.kind: --expand writes out the bnn and snn presets, not '{}'; allowed: "
                                  "bnn | snn",
                                  Echo(o.kind)));
  if (o.encoding.input_encoding == "current")
    throw ConfigError("model.input_encoding: \"current\" (observations injected into hidden neurons) has no "
                      "network form; allowed with --expand: single | pair");
  NetworkSpec spec = LifPresetSpec(o, 0, 0);
  for (PopulationSpec& p : spec.populations)
    if (p.role != Role::kHidden) p.size = kSizeFromTask;
  if (o.readout.source == "linear") {  // no output population: the decoder reads E and I
    std::erase_if(spec.populations, [](const PopulationSpec& p) { return p.role == Role::kOutput; });
    std::erase_if(spec.projections, [](const ProjectionSpec& p) { return p.pre == "out" || p.post == "out"; });
  }
  // The snn preset gives every synapse the spike-train weight unit, its
  // graded output integrators' too; a description gives each synapse its
  // presynaptic neuron's (graded): the same conductance needs a range
  // 1 / (reference rate per substep) wider.
  const bool graded_outputs = o.kind == "snn" && o.readout.snn_readout == "potential" && o.readout.source != "linear";
  if (graded_outputs)
    for (ProjectionSpec& p : spec.projections)
      if (p.pre == "out") {
        const double widen = 1.0 / (o.neuron.spike_reference_hz * 1e-3 * o.dt_ms);
        p.weight.low *= widen;
        p.weight.high *= widen;
      }
  ModelOptions out = o;
  out.kind = "network";
  out.network = std::move(spec);
  return out;
}

InstanceOptions LifInstanceOptions(const ModelOptions& o, uint64_t seed) {
  InstanceOptions options;
  options.seed = seed;
  options.dt_ms = o.dt_ms;
  options.parameters = AllNeuronParameters();
  options.parameter_default = [o](const std::string& model, const std::string& name) {
    return NeuronParameterDefault(o, model, name);
  };
  return options;
}

}  // namespace neurevo
