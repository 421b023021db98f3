// A decoded spiking LIF network as an independent simulator sees it, and
// its spike times: what the Brian2 spike-time test (tests/brian2_parity_test.cc)
// and the simulator benchmark (bench/simulator_compare.py) hand to Brian2
// and NEST.
//
// The JSON holds exactly what LifState::Step integrates (lif_network.cc):
// per substep of dt,
//   g_E <- g_E * syn_decay + sum of weight[k] over AMPA synapses k whose
//          presynaptic neuron spiked delay[k] substeps earlier (g_I: GABA);
//   V   <- V + dt_over_c * (g_leak (v_rest - V) + g_E (e_exc - V) + g_I (e_inh - V) + offset);
//   refractory (counter > 0): counter - 1, V <- v_reset;
//   else V > v_threshold: spike, V <- v_reset, counter <- refractory.
// Only networks of spiking neurons without input neurons, noise, readout or
// current targets are described (the reference simulators model no more).
//
// Thread safety: free functions of their arguments.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "model/lif_network.h"

namespace neurevo {

// The network's constants, per-neuron parameters (arrays over neurons) and
// synapses (arrays pre, post, receptor 0 = AMPA / 1 = GABA, weight, delay in
// substeps), every float written exactly: LifExportJson's description
// (model/lif_export.h), after checking that the network is of the class
// above. Throws std::invalid_argument for a network outside it.
nlohmann::json LifReferenceJson(const LifNetwork& net);

// A random network of spiking neurons, 4/5 excitatory and 1/5 inhibitory,
// as the spike-time test, the scatter-pass test and the simulator benchmark
// build it: fixed-probability projections E->E, E->I, I->E, I->I giving
// `in_degree` presynaptic neurons on average, frozen uniform weights in
// [0, w_exc] nS (GABA [0, w_exc * g]) and delays in [delay_low_ms, 5] ms,
// offsets uniform in [offset_low, offset_high] pA (rheobase 0.5 pA),
// initial potentials uniform in [-60, -50] mV.
struct RandomSpikingNetwork {
  int neurons = 100;
  double in_degree = 10;
  double w_exc = 0.01, g = 4;
  double offset_low = 0.4, offset_high = 0.6;
  double delay_low_ms = 0.1;
};
NetworkSpec RandomSpikingSpec(const RandomSpikingNetwork& p);
// Its parts, for networks of the same neurons and synapses wired otherwise
// (the simulator benchmark's controller): a population of spiking neurons
// with those offsets and initial potentials, and a projection with weights
// uniform in [0, w_high] and delays in [delay_low_ms, 5] ms.
PopulationSpec RandomSpikingPopulation(const std::string& name, int size, DaleType dale, double offset_low,
                                       double offset_high);
ProjectionSpec RandomSpikingProjection(const std::string& pre, const std::string& post, const ConnectorSpec& connector,
                                       double w_high, double delay_low_ms);

struct Spike {
  int substep = 0, neuron = 0;
  bool operator==(const Spike&) const = default;
};

// Every spike of the first `substeps` substeps from the reset state, in
// (substep, neuron) order. `net.substeps` must be 1: each Step() is then one
// substep, and a spike shows as a potential reset to v_reset outside the
// neuron's refractory period (during it the potential is held at v_reset).
std::vector<Spike> RecordLifSpikes(const LifNetwork& net, int substeps);

}  // namespace neurevo
