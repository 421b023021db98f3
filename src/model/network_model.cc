#include "model/network_model.h"

#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <string_view>

#include "core/files.h"
#include "core/memory.h"
#include "model/connectors.h"
#include "model/lif_model.h"
#include "model/lif_preset.h"
#include "model/threshold_network.h"
#include "neurevo/error.h"

namespace neurevo {

namespace {

// Fills in (or checks) the size of the one population with `role`.
void FitRole(NetworkSpec& spec, Role role, int size, const std::string& what, const std::string& why) {
  int found = -1, count = 0;
  for (size_t i = 0; i < spec.populations.size(); ++i)
    if (spec.populations[i].role == role) {
      found = static_cast<int>(i);
      ++count;
    }
  if (count != 1)
    throw ConfigError(fmt::format("network.populations: {} population(s) have role = \"{}\"; allowed: exactly one, "
                                  "which {}",
                                  count, what, why));
  PopulationSpec& p = spec.populations[found];
  if (p.size == kSizeFromTask) {
    p.size = size;
  } else if (p.size != size) {
    throw ConfigError(fmt::format("network.populations[{}].size: {} for '{}', the {} population, which {}: it has "
                                  "{} neurons; allowed: {} (or leave size out)",
                                  found, p.size, p.name, what, why, size, size));
  }
}

// The range a neuron's parameter can take: its frozen value, or its gene's range.
struct Range {
  double low, high;
};

// Neuron parameters outside what the simulation can integrate are refused
// before anything runs (a frozen draw or a gene range that reaches them).
void CheckNeuronParameters(const NetworkInstance& net, const ModelOptions& o) {
  std::vector<double> gene_low(net.genes), gene_high(net.genes);
  for (const InstanceFamily& f : net.families)
    for (int k = 0; k < f.size(); ++k) {
      gene_low[f.offset + k] = f.low[k];
      gene_high[f.offset + k] = f.high[k];
    }
  const auto range = [&](const NeuronParameter* p, int i) -> std::optional<Range> {
    if (!p) return std::nullopt;
    if (p->gene[i] >= 0) return Range{gene_low[p->gene[i]], gene_high[p->gene[i]]};
    if (std::isnan(p->value[i])) return std::nullopt;  // not a parameter of this neuron's model
    return Range{p->value[i], p->value[i]};
  };
  struct Rule {
    const char* name;
    double min;
    bool open;  // min itself excluded
    const char* why;
  };
  const Rule rules[] = {
      {"tau_m_ms", 2 * o.dt_ms, false, "below two substeps (2 * model.dt_ms), forward Euler would be unstable"},
      {"c_m_pF", 0.0, true, "a capacitance must be positive"},
      {"resistance_GOhm", 0.0, true, "a resistance must be positive"},
      {"tau_ref_ms", 0.0, false, "a refractory period cannot be negative"},
      {"graded_halfwidth_mV", 0.0, true, "the graded signal needs a positive width"},
      {"noise_pA", 0.0, false, "a noise amplitude cannot be negative"},
      {"threshold", 0.0, false, "a negative threshold fires every neuron at every step"},
  };
  for (size_t pi = 0; pi < net.populations.size(); ++pi) {
    const InstancePopulation& pop = net.populations[pi];
    for (int i = pop.begin; i < pop.begin + pop.size; ++i) {
      for (const Rule& rule : rules) {
        const auto r = range(net.Parameter(rule.name), i);
        if (r && (rule.open ? !(r->low > rule.min) : !(r->low >= rule.min)))
          throw ConfigError(fmt::format("network.populations[{}].{}: {} for neuron {} of '{}': {}; allowed: {} {}",
                                        pi, rule.name, r->low, i - pop.begin, pop.name, rule.why,
                                        rule.open ? ">" : ">=", rule.min));
      }
      // (Graded neurons never reset.)
      const auto th = range(net.Parameter("v_threshold_mV"), i), reset = range(net.Parameter("v_reset_mV"), i);
      if (pop.spiking && th && reset && !(th->low > reset->high))
        throw ConfigError(fmt::format("network.populations[{}].v_threshold_mV: {} for neuron {} of '{}' is not above "
                                      "its reset potential ({} mV); allowed: > v_reset_mV",
                                      pi, th->low, i - pop.begin, pop.name, reset->high));
    }
  }
}

}  // namespace

NetworkSpec NetworkSpecForTask(const ModelOptions& o, const Space& observation, const Space& action) {
  NetworkSpec spec = o.network;
  if (spec.populations.empty())
    throw ConfigError("network.populations: model.kind = \"network\" needs a description: [[network.populations]] "
                      "and [[network.projections]] tables (README: Networks as populations and projections)");
  if (o.encoding.input_encoding == "current")
    throw ConfigError("model.input_encoding: \"current\" is for the bnn and snn presets; a network takes its "
                      "observations through its input population; allowed: single | pair");
  FitRole(spec, Role::kInput, LifInputs(o, observation), "input",
          fmt::format("receives the observations ({} with model.input_encoding = \"{}\")", LifInputs(o, observation),
                      o.encoding.input_encoding));
  const int outputs = NumOutputs(action, o);
  if (o.readout.source == "linear") {
    for (size_t i = 0; i < spec.populations.size(); ++i)
      if (spec.populations[i].role == Role::kOutput)
        throw ConfigError(fmt::format("network.populations[{}].role: with model.readout = \"linear\" the actions "
                                      "are read from the hidden populations; allowed: input | hidden (or "
                                      "model.readout = \"neurons\")",
                                      i));
  } else {
    FitRole(spec, Role::kOutput, outputs, "output", fmt::format("gives the task's {} policy outputs", outputs));
  }
  return spec;
}

NetworkInstance InstantiateForTask(const ModelOptions& o, const Space& observation, const Space& action) {
  InstanceOptions options = LifInstanceOptions(o, o.network_seed);
  options.read_list = [](const std::string& path) { return ReadFile(path, kNetworkFileMaxBytes); };
  const NetworkSpec spec = NetworkSpecForTask(o, observation, action);
  // Drawing the connections holds each as a candidate and then as a synapse
  // of the instance (about 80 bytes together): refused before any is drawn
  // when that cannot fit (list files are bounded by their size cap).
  long long expected = 0;
  for (const ProjectionSpec& p : spec.projections) {
    const int pre = spec.Find(p.pre), post = spec.Find(p.post);
    if (pre < 0 || post < 0) continue;  // Instantiate names it
    expected += std::max(0LL, ExpectedConnections(p.connector, spec.populations[pre].size,
                                                  spec.populations[post].size, pre == post));
  }
  std::string source;
  const double needed = 80.0 * static_cast<double>(expected), available = AvailableMemoryBytes(&source);
  if (needed > available)
    throw ConfigError(fmt::format("network: drawing about {} synapses needs about {}, and {} is available ({}); "
                                  "allowed: a description whose synapses fit",
                                  expected, FormatBytes(needed), FormatBytes(available), source));
  try {
    NetworkInstance net = Instantiate(spec, options);
    CheckNeuronParameters(net, o);
    return net;
  } catch (const ConfigError& e) {
    // Instantiate names the population, projection or file:line; say where
    // in the config that lives.
    if (std::string_view(e.what()).starts_with("network")) throw;
    throw ConfigError(fmt::format("network: {}", e.what()));
  }
}

LifDecoder NetworkDecoder(const ModelOptions& o, const Space& observation, const Space& action) {
  if (IsThresholdNetwork(o.network))
    throw ConfigError("network.populations: a threshold network is not a LIF network (threshold_network.h); "
                      "allowed here: lif_cond or lif_curr populations");
  return LifDecoder(o, InstantiateForTask(o, observation, action),
                    o.readout.source == "linear" ? NumOutputs(action, o) : 0);
}

}  // namespace neurevo
