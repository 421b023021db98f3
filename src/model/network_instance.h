// A NetworkSpec instantiated for one run: neurons numbered population by
// population (input populations first, output populations last, each role
// in the description's order), every connection drawn, frozen values realised from the run
// seed, and the evolvable quantities laid out as genes.
//
// The gene order generalises the BNN-EA layout, so that the presets (bnn,
// snn) lay out exactly the genome they always had: AMPA weights (chemical
// synapses from excitatory neurons), GABA weights, gap-junction
// conductances, delays, per-neuron offsets, per-neuron noise, then any other
// evolved neuron parameter, one family per parameter. Within a family, genes
// follow the synapse order (postsynaptic neuron, receptor, presynaptic
// neuron) or the neuron order.
//
// Thread safety: a value; built once, then read-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "neurevo/genome_layout.h"
#include "neurevo/network_spec.h"

namespace neurevo {

// Receptors of chemical synapses: AMPA and GABA (by the presynaptic
// neuron's Dale type unless a projection names one), then the description's
// own (NetworkSpec::receptors), from index kReceptors on.
enum Receptor : int { kAmpa = 0, kGaba = 1, kReceptors = 2 };

struct InstancePopulation {
  std::string name;
  int begin = 0, size = 0;
  Role role = Role::kHidden;
  std::string model;
  bool spiking = false;
  bool reset_to_rest = false;  // PopulationSpec::reset_to_rest
  std::vector<std::string> labels;  // PopulationSpec::labels (empty: none)
};

// Each neuron's population index (neurons no population holds: -1).
std::vector<int32_t> NeuronPopulations(const std::vector<InstancePopulation>& populations, int neurons);

struct InstanceSynapse {
  int pre = 0, post = 0;
  int receptor = kAmpa;
  int projection = 0;  // index in NetworkSpec::projections
  int index = 0;       // connection index within its projection (gene labels)
  double weight = 0;   // frozen magnitude (nS); with weight_gene >= 0, unused
  int weight_gene = -1;
  int delay_substeps = 1;  // frozen delay; with delay_gene >= 0, unused
  int delay_gene = -1;
};

struct GapJunction {
  int a = 0, b = 0;
  int projection = 0, index = 0;
  double weight = 0;  // conductance (nS)
  int weight_gene = -1;
};

// A per-neuron quantity over the whole network: value[i] for frozen neurons,
// gene[i] >= 0 for evolved ones (then value[i] is unused); NaN where the
// neuron's model has no such parameter.
struct NeuronParameter {
  std::string name;
  std::vector<double> value;
  std::vector<int> gene;
};

// One family of genes: each gene maps [0, 1] linearly onto [low[k], high[k]].
struct InstanceFamily {
  std::string name, unit;
  std::vector<std::string> labels;
  std::vector<double> low, high;
  int offset = 0;      // first gene
  bool whole = false;  // the model rounds the value to a whole number (delays)
  int size() const { return static_cast<int>(labels.size()); }
};

struct NetworkInstance {
  std::vector<InstancePopulation> populations;
  int neurons = 0;
  std::vector<InstanceSynapse> synapses;  // sorted by (post, receptor, pre, projection, index)
  std::vector<GapJunction> gaps;
  std::vector<NeuronParameter> parameters;
  std::vector<InstanceFamily> families;
  std::vector<ReceptorSpec> receptors;  // the extra ones (index kReceptors + k)
  int genes = 0;

  // The population a neuron belongs to.
  const InstancePopulation& PopulationOf(int neuron) const;
  // "E3"; a population's own labels where it has them.
  std::string NeuronLabel(int neuron) const;
  // Parameter by name, or nullptr.
  const NeuronParameter* Parameter(const std::string& name) const;
};

// Default value of a neuron model's parameter (the caller's neuron section);
// nullopt for a parameter the model does not have; throws ConfigError for an
// unknown model.
using ParameterDefault =
    std::function<std::optional<double>(const std::string& model, const std::string& parameter)>;
// The text of a list connector's file (the caller reads and checks it).
using ListReader = std::function<std::string(const std::string& path)>;

struct InstanceOptions {
  uint64_t seed = 1;
  double dt_ms = 0.1;  // delays become whole substeps, at least one
  // Parameters every neuron gets (defaults filled in), in family order after
  // offsets and noise; a population may give others its model has.
  std::vector<std::string> parameters;
  ParameterDefault parameter_default;
  ListReader read_list;
};

// Throws ConfigError naming the population, projection or file:line.
NetworkInstance Instantiate(const NetworkSpec& spec, const InstanceOptions& options);

// Every instance gene's physical range, as decoders (LIF, threshold) read genes.
struct GeneRanges {
  std::vector<double> low, high;
  // GenomeLayout::Map's arithmetic, with gene g's own range.
  double Value(std::span<const double> genome, int g) const {
    return low[g] + (high[g] - low[g]) * GenomeLayout::Fold(genome[g]);
  }
  // A synapse's weight magnitude: a range around a listed weight may reach
  // below 0, and the magnitude stops at 0 (Dale's law keeps the sign).
  double Magnitude(std::span<const double> genome, int g) const { return std::max(0.0, Value(genome, g)); }
};

// The genome layout of the instance's gene families (in their order), and
// each gene's range.
GenomeLayout InstanceLayout(const NetworkInstance& net, GeneRanges* ranges);

// The unit of a projection's weights: "nS" (a conductance) into lif_cond
// neurons and for gap junctions; "pA" (a current) into lif_curr neurons;
// "1" into threshold neurons (a synapse count, in a connectome).
// Either is the steady value at presynaptic activation 1 (graded) or at
// spike_reference_hz (spiking).
std::string WeightUnit(const NetworkSpec& spec, const ProjectionSpec& projection);

// The delay in substeps a delay of `ms` becomes: rounded, at least one.
int DelaySubsteps(double ms, double dt_ms);

}  // namespace neurevo
