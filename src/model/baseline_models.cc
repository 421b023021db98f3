// The rnn and mlp baselines of the seed paper, behind the same Model
// interface as the LIF networks.
#include "model/baseline_models.h"

#include <algorithm>
#include <cmath>

namespace neurevo {

namespace {
void Tanh(std::span<float> x) {
  for (float& v : x) v = std::tanh(v);
}

class RnnPolicy : public Policy {
 public:
  RnnPolicy(DenseLayer hidden, DenseLayer out, const Space& action_space)
      : hidden_(std::move(hidden)),
        out_(std::move(out)),
        action_space_(action_space),
        concat_(hidden_.inputs),
        h_(hidden_.outputs),
        y_(out_.outputs) {}
  void Reset(uint64_t) override { std::fill(h_.begin(), h_.end(), 0.f); }
  void Act(std::span<const double> observation, std::span<double> action) override {
    // [x, h] -> h' = tanh(W [x, h] + b); y = tanh(W_out h' + b_out)
    const size_t n_obs = observation.size();
    for (size_t i = 0; i < n_obs; ++i) concat_[i] = static_cast<float>(observation[i]);
    std::copy(h_.begin(), h_.end(), concat_.begin() + static_cast<long>(n_obs));
    hidden_.Affine(concat_, h_);
    Tanh(h_);
    out_.Affine(h_, y_);
    Tanh(y_);
    DecodeAction(y_, {-1.0, 1.0}, action_space_, action);
  }
  bool healthy() const override {
    return std::all_of(h_.begin(), h_.end(), [](float v) { return std::isfinite(v); });
  }
  std::span<const float> outputs() const override { return y_; }

 private:
  DenseLayer hidden_, out_;
  const Space action_space_;
  std::vector<float> concat_, h_, y_;
};

class MlpPolicy : public Policy {
 public:
  MlpPolicy(std::vector<DenseLayer> layers, const Space& action_space)
      : layers_(std::move(layers)), action_space_(action_space) {
    for (const auto& l : layers_) activations_.emplace_back(l.outputs);
    input_.resize(layers_.front().inputs);
  }
  void Reset(uint64_t) override {}
  void Act(std::span<const double> observation, std::span<double> action) override {
    for (size_t i = 0; i < input_.size(); ++i) input_[i] = static_cast<float>(observation[i]);
    std::span<const float> x = input_;
    for (size_t l = 0; l < layers_.size(); ++l) {
      layers_[l].Affine(x, activations_[l]);
      Tanh(activations_[l]);
      x = activations_[l];
    }
    DecodeAction(x, {-1.0, 1.0}, action_space_, action);
  }
  bool healthy() const override { return true; }  // stateless and bounded
  std::span<const float> outputs() const override { return activations_.back(); }

 private:
  std::vector<DenseLayer> layers_;
  const Space action_space_;
  std::vector<float> input_;
  std::vector<std::vector<float>> activations_;
};
}  // namespace

RnnModel::RnnModel(const ModelOptions& options, const Space& observation, const Space& action)
    : action_(action), hidden_(options.excitatory + options.inhibitory) {
  const int n_in = observation.vector_size();
  DenseLayer::AddFamilies(layout_, "hidden", n_in + hidden_, hidden_, options.baseline_weight_scale);
  DenseLayer::AddFamilies(layout_, "output", hidden_, NumOutputs(action, options),
                          options.baseline_weight_scale);
  weights_per_step_ = (n_in + hidden_ + 1) * hidden_ + (hidden_ + 1) * NumOutputs(action, options);
}

std::unique_ptr<Policy> RnnModel::Decode(std::span<const double> genome) const {
  return std::make_unique<RnnPolicy>(DenseLayer::Decode(layout_, "hidden", genome),
                                     DenseLayer::Decode(layout_, "output", genome), action_);
}

MlpModel::MlpModel(const ModelOptions& options, const Space& observation, const Space& action)
    : action_(action) {
  int inputs = observation.vector_size();
  weights_per_step_ = 0;
  for (size_t l = 0; l <= options.mlp_hidden.size(); ++l) {
    const int outputs = l < options.mlp_hidden.size() ? options.mlp_hidden[l] : NumOutputs(action, options);
    names_.push_back("layer" + std::to_string(l));
    DenseLayer::AddFamilies(layout_, names_.back(), inputs, outputs, options.baseline_weight_scale);
    weights_per_step_ += static_cast<long long>(inputs + 1) * outputs;
    inputs = outputs;
  }
}

std::unique_ptr<Policy> MlpModel::Decode(std::span<const double> genome) const {
  std::vector<DenseLayer> layers;
  for (const auto& name : names_) layers.push_back(DenseLayer::Decode(layout_, name, genome));
  return std::make_unique<MlpPolicy>(std::move(layers), action_);
}

}  // namespace neurevo
