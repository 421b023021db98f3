#include "model/lif_reference.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/lif_export.h"

namespace neurevo {

PopulationSpec RandomSpikingPopulation(const std::string& name, int size, DaleType dale, double offset_low,
                                       double offset_high) {
  PopulationSpec p;
  p.name = name;
  p.size = size;
  p.spiking = true;
  p.dale = {dale};
  p.params.emplace_back("offset_pA", ValueSpec::Uniform(offset_low, offset_high));
  p.params.emplace_back("v_init_mV", ValueSpec::Uniform(-60.0, -50.0));
  return p;
}

ProjectionSpec RandomSpikingProjection(const std::string& pre, const std::string& post, const ConnectorSpec& connector,
                                       double w_high, double delay_low_ms) {
  ProjectionSpec p;
  p.pre = pre;
  p.post = post;
  p.connector = connector;
  p.weight = ValueSpec::Uniform(0.0, w_high);
  p.delay = ValueSpec::Uniform(delay_low_ms, 5.0);
  return p;
}

NetworkSpec RandomSpikingSpec(const RandomSpikingNetwork& r) {
  NetworkSpec spec;
  spec.populations = {RandomSpikingPopulation("E", r.neurons * 4 / 5, DaleType::kExcitatory, r.offset_low, r.offset_high),
                      RandomSpikingPopulation("I", r.neurons / 5, DaleType::kInhibitory, r.offset_low, r.offset_high)};
  ConnectorSpec random;
  random.kind = ConnectorSpec::Kind::kFixedProbability;
  random.probability = r.in_degree / r.neurons;
  for (const char* pre : {"E", "I"})
    for (const char* post : {"E", "I"})
      spec.projections.push_back(
          RandomSpikingProjection(pre, post, random, r.w_exc * (std::string(pre) == "I" ? r.g : 1.0), r.delay_low_ms));
  return spec;
}

nlohmann::json LifReferenceJson(const LifNetwork& net) {
  if (net.receptors != 2)
    throw std::invalid_argument("LifReferenceJson: only AMPA and GABA synapses are described");
  if (!net.spiking || net.inputs != 0 || net.has_noise || net.readout_outputs != 0 ||
      !net.current_targets.empty() || net.has_current_based || !net.gap_g.empty())
    throw std::invalid_argument(
        "LifReferenceJson: only spiking conductance-based networks without inputs, noise, readout, current "
        "targets or gap junctions");
  for (int j = 0; j < net.neurons; ++j)
    if (!net.spiking_per_neuron[j]) throw std::invalid_argument("LifReferenceJson: a neuron does not spike");
  // The export's description (model/lif_export.h); the class above needs no more of it.
  return LifExportJson(net);
}

std::vector<Spike> RecordLifSpikes(const LifNetwork& net, int substeps) {
  if (net.substeps != 1) throw std::invalid_argument("RecordLifSpikes: the network must step one substep at a time");
  LifState state(net);
  std::vector<float> outputs(static_cast<size_t>(std::max(net.outputs, 1)));
  std::vector<int> refractory(net.neurons, 0);
  std::vector<Spike> spikes;
  for (int s = 0; s < substeps; ++s) {
    state.Step({}, std::span<float>(outputs.data(), static_cast<size_t>(net.outputs)));
    const std::span<const float> v = state.potentials();
    for (int j = 0; j < net.neurons; ++j) {
      if (refractory[j] > 0) {
        --refractory[j];
      } else if (v[j] == net.v_reset_per_neuron[j]) {
        spikes.push_back({s, j});
        refractory[j] = net.refractory_per_neuron[j];
      }
    }
  }
  return spikes;
}

}  // namespace neurevo
