// model.kind = "network": a LIF network from the run config's description
// (ModelOptions::network), fitted to a task. The input population takes one
// neuron per observation (two with input_encoding "pair"), the output
// population one per policy output (NumOutputs); with readout "linear" there
// is no output population and a linear decoder reads the hidden neurons.
// Sizes left out (kSizeFromTask) are filled in; sizes given must agree.
#pragma once

#include "model/lif_network.h"
#include "model/network_instance.h"
#include "neurevo/model.h"

namespace neurevo {

// The description with the input and output sizes filled in. Throws
// ConfigError naming the network.populations[i] key.
NetworkSpec NetworkSpecForTask(const ModelOptions& options, const Space& observation, const Space& action);

// The description instantiated with the run's seed (model.network_seed);
// list files read through the size-capped file reader.
NetworkInstance InstantiateForTask(const ModelOptions& options, const Space& observation, const Space& action);

// The decoder of a kind "network" model.
LifDecoder NetworkDecoder(const ModelOptions& options, const Space& observation, const Space& action);

}  // namespace neurevo
