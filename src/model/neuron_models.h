// The neuron models a population can use, with their parameters: a registry,
// so that adding a model is one entry here and one kernel branch
// (lif_network.cc).
//
//   lif_cond  conductance-based LIF (the seed paper's):
//             C_m dV/dt = (C_m/tau_m)(V_rest - V) + g_E (E_E - V) + g_I (E_I - V) + I
//   lif_curr  current-based LIF (the heterogeneity and RSNN papers'):
//             tau_m dV/dt = (V_rest - V) + R I, synapses deliver currents
//             (AMPA positive, GABA negative); C_m = tau_m / R
//
// Both: threshold V_th, reset to V_reset and hold for tau_ref (spiking
// transmission) or the graded signal around V_th (graded transmission), an
// offset current and a noise current. Units: mV, ms, pF, nS, GOhm, pA.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "neurevo/model.h"

namespace neurevo {

struct NeuronModelInfo {
  std::string name;
  std::string summary;
  std::vector<std::string> parameters;
};

const std::vector<NeuronModelInfo>& NeuronModels();

// Every parameter of every model, in gene-family order (offset_pA and
// noise_pA first, as the BNN-EA genome has them).
std::vector<std::string> AllNeuronParameters();

// The default of `parameter` for `model`, from the [model] neuron section;
// nullopt if the model has no such parameter. Throws ConfigError for an
// unknown model.
std::optional<double> NeuronParameterDefault(const ModelOptions& options, const std::string& model,
                                             const std::string& parameter);

}  // namespace neurevo
