// Baselines of the seed paper: a tanh RNN with as many hidden units as the
// LIF network has E and I neurons, and a tanh MLP (default 64, 64).
#pragma once

#include <string>
#include <vector>

#include "model/dense_layer.h"
#include "neurevo/model.h"

namespace neurevo {

class RnnModel : public Model {
 public:
  RnnModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return layout_; }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  long long synapses() const override { return weights_per_step_; }
  int substeps() const override { return 1; }

 private:
  GenomeLayout layout_;
  Space action_;
  int hidden_;
  long long weights_per_step_;
};

class MlpModel : public Model {
 public:
  MlpModel(const ModelOptions& options, const Space& observation, const Space& action);
  const GenomeLayout& layout() const override { return layout_; }
  std::shared_ptr<const Controller> DecodeController(std::span<const double> genome) const override;
  long long synapses() const override { return weights_per_step_; }
  int substeps() const override { return 1; }

 private:
  GenomeLayout layout_;
  Space action_;
  std::vector<std::string> names_;
  long long weights_per_step_;
};

}  // namespace neurevo
