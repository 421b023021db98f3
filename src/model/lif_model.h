// Model for kinds bnn (graded transmission) and snn (spiking transmission).
#pragma once

#include "model/lif_network.h"
#include "neurevo/model.h"

namespace neurevo {

// Input neurons for an observation space: one per dimension, two with
// options.input_encoding "pair".
int LifInputs(const ModelOptions& options, const Space& observation);

class LifModel : public Model {
 public:
  LifModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return decoder_.layout(); }
  std::unique_ptr<Policy> Decode(std::span<const double> genome) const override;
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
