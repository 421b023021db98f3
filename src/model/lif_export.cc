#include "model/lif_export.h"

#include <stdexcept>
#include <vector>

namespace neurevo {

nlohmann::json LifExportJson(const LifNetwork& net) {
  if (net.receptors != 2)
    throw std::invalid_argument("the network has receptors besides AMPA and GABA, which the export does not write");
  if (net.has_current_based)
    throw std::invalid_argument("the network has current-based neurons (lif_curr), which the export does not write");
  if (!net.gap_g.empty()) throw std::invalid_argument("the network has gap junctions, which the export does not write");
  nlohmann::json out;
  out["neurons"] = net.neurons;
  out["inputs"] = net.inputs;
  out["output_begin"] = net.output_begin;
  out["outputs"] = net.outputs;
  out["substeps"] = net.substeps;
  out["spiking"] = net.spiking;
  std::vector<int> spiking(net.spiking_per_neuron.begin(), net.spiking_per_neuron.end());
  if (!net.spiking) spiking.assign(net.neurons, 0);
  out["spiking_per_neuron"] = spiking;
  out["syn_decay"] = net.syn_decay;
  out["e_exc"] = net.e_exc;
  out["e_inh"] = net.e_inh;
  out["dt_over_c"] = net.dt_over_c_per_neuron;
  out["g_leak"] = net.g_leak_per_neuron;
  out["v_rest"] = net.v_rest_per_neuron;
  out["v_reset"] = net.v_reset_per_neuron;
  out["v_init"] = net.v_init_per_neuron;
  out["v_threshold"] = net.v_threshold_per_neuron;
  out["refractory"] = net.refractory_per_neuron;
  out["graded_low"] = net.graded_low_per_neuron;
  out["graded_inv_width"] = net.graded_inv_width_per_neuron;
  out["offset"] = net.offset_current;
  out["noise_std"] = net.noise_std;
  out["has_noise"] = net.has_noise;
  out["noise_interval"] = net.noise_interval;
  out["pair_encoding"] = net.pair_encoding;
  out["input_gain"] = net.input_gain;
  out["input_bias"] = net.input_bias;
  out["observations"] = net.observations;
  out["current_targets"] = net.current_targets;
  out["input_weights"] = net.input_weights;
  out["readout_outputs"] = net.readout_outputs;
  out["readout_weights"] = net.readout_weights;
  out["readout_bias"] = net.readout_bias;
  out["trace_decay"] = net.trace_decay;
  out["trace_increment"] = net.trace_increment;
  std::vector<int> pre, post, receptor;
  for (int j = 0; j < net.neurons; ++j)
    for (int k = net.ampa_begin[j]; k < net.syn_end[j]; ++k) {
      pre.push_back(net.presynaptic(k));
      post.push_back(j);
      receptor.push_back(k < net.gaba_begin[j] ? 0 : 1);
    }
  out["pre"] = pre;
  out["post"] = post;
  out["receptor"] = receptor;
  out["weight"] = net.weight;
  out["delay"] = net.delay;
  return out;
}

}  // namespace neurevo
