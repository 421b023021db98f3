#include "model/neuron_models.h"

#include <algorithm>
#include <fmt/format.h>

#include "neurevo/error.h"

namespace neurevo {

const std::vector<NeuronModelInfo>& NeuronModels() {
  static const std::vector<NeuronModelInfo> models = {
      {"lif_cond", "conductance-based LIF: AMPA and GABA conductances with reversal potentials",
       {"offset_pA", "noise_pA", "c_m_pF", "tau_m_ms", "v_rest_mV", "v_reset_mV", "v_init_mV", "v_threshold_mV",
        "tau_ref_ms", "graded_halfwidth_mV"}},
      {"lif_curr", "current-based LIF: tau_m dV/dt = (V_rest - V) + R I; synapses deliver currents",
       {"offset_pA", "noise_pA", "tau_m_ms", "resistance_GOhm", "v_rest_mV", "v_reset_mV", "v_init_mV",
        "v_threshold_mV", "tau_ref_ms", "graded_halfwidth_mV"}},
      {"threshold",
       "threshold propagation (the ENOMAD reference's connectome model, threshold_network.h): no leak; |V| > "
       "threshold adds the neuron's outgoing weights to its targets and resets V to 0; one hop per step",
       {"threshold"}},
  };
  return models;
}

std::vector<std::string> AllNeuronParameters() {
  std::vector<std::string> all;
  for (const auto& m : NeuronModels())
    for (const auto& p : m.parameters)
      if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(p);
  // c_m_pF before resistance_GOhm keeps the presets' order; both come after
  // offsets and noise.
  return all;
}

std::optional<double> NeuronParameterDefault(const ModelOptions& o, const std::string& model,
                                             const std::string& name) {
  const auto it = std::find_if(NeuronModels().begin(), NeuronModels().end(),
                               [&](const NeuronModelInfo& m) { return m.name == model; });
  if (it == NeuronModels().end()) {
    std::string names;
    for (const auto& m : NeuronModels()) names += (names.empty() ? "" : " / ") + m.name;
    throw ConfigError(fmt::format("unknown neuron model '{}'; allowed: {}", model.substr(0, 40), names));
  }
  if (std::find(it->parameters.begin(), it->parameters.end(), name) == it->parameters.end()) return std::nullopt;
  if (name == "offset_pA" || name == "noise_pA") return 0.0;
  if (name == "c_m_pF") return o.neuron.c_m_pF;
  if (name == "tau_m_ms") return o.neuron.tau_m_ms;
  // The same passive neuron as lif_cond's default: R = tau_m / C_m.
  if (name == "resistance_GOhm") return o.neuron.tau_m_ms / o.neuron.c_m_pF;
  if (name == "v_rest_mV") return o.neuron.v_rest_mV;
  if (name == "v_reset_mV") return o.neuron.v_reset_mV;
  if (name == "v_init_mV") return o.neuron.v_init_mV;
  if (name == "v_threshold_mV") return o.neuron.v_threshold_mV;
  if (name == "tau_ref_ms") return o.neuron.tau_ref_ms;
  if (name == "graded_halfwidth_mV") return o.neuron.graded_halfwidth_mV;
  if (name == "threshold") return 30.0;  // the reference's
  return std::nullopt;
}

}  // namespace neurevo
