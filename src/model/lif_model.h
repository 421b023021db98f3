// Model for kinds bnn (graded transmission), snn (spiking transmission) and
// network (a description from the run config, network_model.h).
#pragma once

#include "model/lif_network.h"
#include "neurevo/model.h"

namespace neurevo {

// Input neurons for an observation space: one per dimension, two with
// options.input_encoding "pair".
int LifInputs(const ModelOptions& options, const Space& observation);
// Output-group neurons: NumOutputs, or none with options.readout "linear".
int LifOutputNeurons(const ModelOptions& options, const Space& action);
// Genes of the linear readout (weights and biases; 0 without it).
long long LifReadoutGenes(const ModelOptions& options, const Space& action);
// Neurons that receive the observations as currents (input_encoding
// "current"): those of the groups `in` projects to; 0 otherwise.
int LifCurrentReceivers(const ModelOptions& options, const Space& action);
// Genes of the input weights (input_encoding "current"; 0 otherwise).
long long LifInputWeightGenes(const ModelOptions& options, const Space& observation, const Space& action);

class LifModel : public Model {
 public:
  LifModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return decoder_.layout(); }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  // A controller of an already decoded network (one of decoder().Decode's,
  // possibly changed: `neurevo export --without-noise` silences its noise).
  std::shared_ptr<const Controller> ControllerOf(LifNetwork network) const;
  long long synapses() const override;
  int substeps() const override { return substeps_; }
  const LifDecoder& decoder() const { return decoder_; }

 private:
  LifDecoder decoder_;
  Space action_;
  int substeps_;
  int warmup_steps_;
};

}  // namespace neurevo
