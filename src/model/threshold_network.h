// Threshold networks: the connectome dynamics of the ENOMAD reference code
// (Churchland & Garcia-Ojalvo 2025, "Reinforcement learning in densely
// recurrent biological networks"; its Worm_Env/connectome.py), as the neuron
// model "threshold" of the network description (model.kind = "network" with
// every population's model = "threshold").
//
// Each hidden neuron holds a value V (0 at reset; no leak). One environment
// step is one synaptic hop:
//   1. who fires is decided on the values the step starts with: |V_i| > threshold_i;
//   2. stimulus: each input neuron k (observation x_k) stimulates the hidden
//      neurons it projects to (weight u): each stimulated neuron s adds
//      x_k u w to the target of every outgoing synapse s -> t (weight w), as
//      if it fired, without changing its own V (the reference injects the
//      sensory neurons' rows so);
//   3. firing, neuron by neuron in index order (a connectome table's order:
//      sorted by name): a firing neuron adds each outgoing weight w to its
//      target and then sets its own V to 0 (so input it received earlier in
//      this step from lower-numbered neurons or the stimulus is lost, as in
//      the reference);
//   4. read-out, output neuron by output neuron: y_k = sum of w V_j over its
//      presynaptic neurons j, whose V is then set to 0 (a muscle read by an
//      earlier output adds 0 to a later one).
// Weights are signed: chemical synapses +w from excitatory, -w from
// inhibitory neurons; a gap junction row a -> b adds +w to b when a fires
// (the reference sums gap junctions into its directed weights). A neuron
// with an unreachable threshold (muscles: threshold = 1e30) only integrates.
// Continuous actions are the raw y (the task decides what they mean);
// discrete actions the argmax. Delays are not used: a step is one hop.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "model/network_instance.h"
#include "neurevo/model.h"

namespace neurevo {

// Whether the description's populations use the threshold model: all do
// (true) or none (false); a mix throws ConfigError naming the population.
bool IsThresholdNetwork(const NetworkSpec& spec);

// The decoded network: read-only, shared by the policies of one genome.
struct ThresholdNetwork {
  int neurons = 0;
  int inputs = 0;                    // input neurons [0, inputs)
  int output_begin = 0, outputs = 0;  // output neurons [output_begin, output_begin + outputs)
  std::vector<double> threshold;     // per neuron
  // Outgoing synapses of neuron i: [out_begin[i], out_begin[i + 1]).
  std::vector<int> out_begin, out_target;
  std::vector<double> out_weight;
  // Stimulus synapses of input neuron k: [stim_begin[k], stim_begin[k + 1]).
  std::vector<int> stim_begin, stim_target;
  std::vector<double> stim_weight;
  // Synapses read by output k: [read_begin[k], read_begin[k + 1]).
  std::vector<int> read_begin, read_source;
  std::vector<double> read_weight;
};

// One running state: the values V.
class ThresholdState {
 public:
  explicit ThresholdState(const ThresholdNetwork& net);
  void Reset();
  // One step: the observation (one value per input neuron) in, y out.
  void Step(std::span<const double> observation, std::span<double> y);
  std::span<const double> values() const { return v_; }
  // Sets every neuron's value (tests and recordings start from a given state).
  void SetValues(std::span<const double> values);
  bool healthy() const;

 private:
  const ThresholdNetwork& net_;
  std::vector<double> v_;
  std::vector<int> firing_;
};

class ThresholdModel : public Model {
 public:
  ThresholdModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return layout_; }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  long long synapses() const override;
  int substeps() const override { return 1; }
  ThresholdNetwork Decode(std::span<const double> genome) const;
  const NetworkInstance& network() const { return network_; }

 private:
  NetworkInstance network_;
  GenomeLayout layout_;
  Space action_;
  GeneRanges genes_;
  int inputs_ = 0, outputs_ = 0;  // neurons by role: inputs first, outputs last
};

}  // namespace neurevo
