// model.kind = "rsnn": the neocortical recurrent spiking network (Qu et al.,
// SNUFA 2024; rsnn_network.h has the equations) built from a network
// description. The description's populations are the recurrent layer: hidden
// populations of model = "lif_curr" with transmission = "spiking", typed by
// Dale's law (E, PV, SST, VIP in configs/rsnn/), joined by its projections
// (fixed-probability or any other connector; weights are magnitudes, signed
// by the presynaptic type). The input and output layers are dense and
// implicit: every observation reaches every neuron through a signed weight
// (the `input_weights` family, in +-model.rsnn_input_max_pA), and each
// policy output reads every neuron's normalised membrane potential
// (`readout_weights` in +-model.rsnn_readout_scale / sqrt(neurons), and
// `readout_bias` in +-1). A discrete action is the argmax of the outputs (a
// softmax's logits for gradient training); a continuous one is tanh of the
// output, mapped onto the action range.
//
// Genes, in order: the description's (recurrent weights, offsets, neuron
// parameters: network_instance.h), then input weights, readout weights,
// readout bias. The same genome trains by evolution or by backpropagation
// through time (NewDifferentiable): the gradient reaches the genes through
// their linear map and the unit box's fold (genome_layout.h).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "model/network_instance.h"
#include "model/rsnn/rsnn_network.h"
#include "neurevo/model.h"

namespace neurevo {

inline constexpr int kMaxRsnnNeurons = 4096;

class RsnnModel : public Model {
 public:
  // Throws ConfigError naming the network.* or model.* key at fault.
  RsnnModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return layout_; }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  long long synapses() const override;
  int substeps() const override { return options_.substeps; }
  std::unique_ptr<DifferentiablePolicy> NewDifferentiable(std::span<const double> genome) const override;

  RsnnNetwork DecodeNetwork(std::span<const double> genome) const;
  // Adds dL/d(genome) to `out`, given the network's gradient at `genome`.
  void ChainGradient(std::span<const double> genome, const RsnnState::Gradient& g, std::span<double> out) const;
  const NetworkInstance& instance() const { return net_; }
  // Decodes every later genome with the smooth forward pass
  // (rsnn_network.h), for finite-difference gradient checks.
  void SetSmoothForGradientChecks(bool smooth) { smooth_ = smooth; }

 private:
  ModelOptions options_;
  Space action_;
  NetworkInstance net_;
  GenomeLayout layout_;
  GeneRanges ranges_;  // the description's genes
  int inputs_ = 0, outputs_ = 0;
  int input_family_ = 0, readout_family_ = 0, bias_family_ = 0;  // the dense layers' gene families
  bool smooth_ = false;
};

}  // namespace neurevo
