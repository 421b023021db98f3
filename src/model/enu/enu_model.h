// model.kind = "enu": networks of Evolvable Neural Units (Bertens & Lee
// 2019; enu_unit.h). Every neuron and every synapse is an ENU; all neuron
// units share one chromosome ("neuron_*" gene families), all synapse units
// another ("synapse_*"), and each unit keeps its own memory.
//
// Topology "network" (the paper's): one sensory neuron per observation
// (the observation on channel 0 of its output, the other channels 0), a
// reward neuron fed by the last model.enu_reward_inputs observations (one per
// channel: the T-maze's positive and negative reward), and model.enu_neurons
// ENU neurons, the last of which are the motor neurons (one per policy
// output; one fewer with model.enu_idle_action). Each ENU neuron receives one ENU synapse from each of: 2 sensory
// neurons, 2 hidden (non-motor) neurons other than itself, 2 motor neurons
// other than itself, the reward neuron, and itself — drawn from
// model.network_seed; fewer where a pool is smaller. A synapse unit's input
// is [presynaptic output, postsynaptic output] (the neuron's output
// propagated back to its synapses); a neuron unit's input is the per-channel
// sum of its synapses' outputs. One network step advances every synapse unit,
// then every neuron unit; model.enu_network_steps of them make an
// environment step, and a motor neuron's activity is its channel 0 summed
// over them; a discrete action is the most active motor neuron's (ties, as
// between saturated neurons, broken at random). With model.enu_shuffle, which sensory neuron each observation
// drives and which motor neuron each output reads are permuted every episode
// (from its noise key, which differs between individuals as well), so
// evolution cannot wire a fixed sensorimotor map and
// must find units that learn one. With model.enu_idle_action, the task's last
// discrete action ("no move") is taken when no motor neuron is active.
//
// Topology "unit": one ENU whose input is the observation and whose output
// channels 0.. are the policy outputs (the IAF and STDP mimic tasks).
#pragma once

#include <memory>
#include <vector>

#include "model/enu/enu_unit.h"
#include "neurevo/model.h"

namespace neurevo {

// Which unit feeds which, fixed for a model.
struct EnuTopology {
  int sensors = 0;   // sensory neurons (observations minus reward inputs)
  int reward_inputs = 0;
  int neurons = 0;   // ENU neurons; the last `motors` are the motor neurons
  int motors = 0;
  // Sources index the output table: [0, neurons) ENU neurons, then sensors,
  // then the reward neuron.
  std::vector<int> synapse_source, synapse_target;
  int sources() const { return neurons + sensors + (reward_inputs > 0 ? 1 : 0); }
};

class EnuModel : public Model {
 public:
  EnuModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return layout_; }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  // Multiply-adds of every unit per network step (substeps() of them per
  // environment step): what throughput figures count for ENUs.
  long long synapses() const override { return multiply_adds_per_step_; }
  int substeps() const override { return options_.enu.enu_network_steps; }
  const EnuTopology& topology() const { return topology_; }

 private:
  ModelOptions options_;
  Space action_;
  GenomeLayout layout_;
  EnuTopology topology_;
  EnuShape neuron_shape_, synapse_shape_, unit_shape_;
  int outputs_ = 0;  // policy outputs
  long long multiply_adds_per_step_ = 0;
};

// The topology of a "network" ENU model (exposed for tests and describe).
EnuTopology MakeEnuTopology(const ModelOptions& options, const Space& observation, const Space& action);

}  // namespace neurevo
