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

struct RnnController : Controller {
  RnnController(DenseLayer h, DenseLayer o, const Space& a) : hidden(std::move(h)), out(std::move(o)), action_space(a) {}
  std::unique_ptr<Policy> NewPolicy() const override;
  const DenseLayer hidden, out;
  const Space action_space;
};

class RnnPolicy : public Policy {
 public:
  explicit RnnPolicy(std::shared_ptr<const RnnController> c)
      : c_(std::move(c)), concat_(c_->hidden.inputs), h_(c_->hidden.outputs), y_(c_->out.outputs) {}
  void Reset(uint64_t) override { std::fill(h_.begin(), h_.end(), 0.f); }
  void Act(std::span<const double> observation, std::span<double> action) override {
    // [x, h] -> h' = tanh(W [x, h] + b); y = tanh(W_out h' + b_out)
    const size_t n_obs = observation.size();
    for (size_t i = 0; i < n_obs; ++i) concat_[i] = static_cast<float>(observation[i]);
    std::copy(h_.begin(), h_.end(), concat_.begin() + static_cast<long>(n_obs));
    c_->hidden.Affine(concat_, h_);
    Tanh(h_);
    c_->out.Affine(h_, y_);
    Tanh(y_);
    DecodeAction(y_, {-1.0, 1.0}, c_->action_space, action);
  }
  bool healthy() const override {
    return std::all_of(h_.begin(), h_.end(), [](float v) { return std::isfinite(v); });
  }
  std::span<const float> outputs() const override { return y_; }
  // The hidden units' state after the step (tanh, in [-1, 1]) as "activity".
  void SetRecording(bool on) override { recording_ = on; }
  std::vector<Probe> Probes() const override {
    if (!recording_) return {};
    return {{"activity", h_}};
  }

 private:
  const std::shared_ptr<const RnnController> c_;
  std::vector<float> concat_, h_, y_;
  bool recording_ = false;
};

std::unique_ptr<Policy> RnnController::NewPolicy() const {
  return std::make_unique<RnnPolicy>(std::static_pointer_cast<const RnnController>(shared_from_this()));
}

struct MlpController : Controller {
  MlpController(std::vector<DenseLayer> l, const Space& a) : layers(std::move(l)), action_space(a) {}
  std::unique_ptr<Policy> NewPolicy() const override;
  const std::vector<DenseLayer> layers;
  const Space action_space;
};

class MlpPolicy : public Policy {
 public:
  explicit MlpPolicy(std::shared_ptr<const MlpController> c) : c_(std::move(c)) {
    for (const auto& l : c_->layers) activations_.emplace_back(l.outputs);
    input_.resize(c_->layers.front().inputs);
  }
  void Reset(uint64_t) override {}
  void Act(std::span<const double> observation, std::span<double> action) override {
    for (size_t i = 0; i < input_.size(); ++i) input_[i] = static_cast<float>(observation[i]);
    std::span<const float> x = input_;
    for (size_t l = 0; l < c_->layers.size(); ++l) {
      c_->layers[l].Affine(x, activations_[l]);
      Tanh(activations_[l]);
      x = activations_[l];
    }
    DecodeAction(x, {-1.0, 1.0}, c_->action_space, action);
  }
  bool healthy() const override { return true; }  // stateless and bounded
  std::span<const float> outputs() const override { return activations_.back(); }

 private:
  const std::shared_ptr<const MlpController> c_;
  std::vector<float> input_;
  std::vector<std::vector<float>> activations_;
};

std::unique_ptr<Policy> MlpController::NewPolicy() const {
  return std::make_unique<MlpPolicy>(std::static_pointer_cast<const MlpController>(shared_from_this()));
}
}  // namespace

RnnModel::RnnModel(const ModelOptions& options, const Space& observation, const Space& action)
    : action_(action), hidden_(options.excitatory + options.inhibitory) {
  const int n_in = observation.vector_size();
  DenseLayer::AddFamilies(layout_, "hidden", n_in + hidden_, hidden_, options.baselines.baseline_weight_scale);
  DenseLayer::AddFamilies(layout_, "output", hidden_, NumOutputs(action, options),
                          options.baselines.baseline_weight_scale);
  weights_per_step_ = (n_in + hidden_ + 1) * hidden_ + (hidden_ + 1) * NumOutputs(action, options);
}

std::shared_ptr<const Controller> RnnModel::DecodeController(std::span<const double> genome) const {
  return std::make_shared<const RnnController>(DenseLayer::Decode(layout_, "hidden", genome),
                                               DenseLayer::Decode(layout_, "output", genome), action_);
}

MlpModel::MlpModel(const ModelOptions& options, const Space& observation, const Space& action)
    : action_(action) {
  int inputs = observation.vector_size();
  weights_per_step_ = 0;
  for (size_t l = 0; l <= options.baselines.mlp_hidden.size(); ++l) {
    const int outputs = l < options.baselines.mlp_hidden.size() ? options.baselines.mlp_hidden[l] : NumOutputs(action, options);
    names_.push_back("layer" + std::to_string(l));
    DenseLayer::AddFamilies(layout_, names_.back(), inputs, outputs, options.baselines.baseline_weight_scale);
    weights_per_step_ += static_cast<long long>(inputs + 1) * outputs;
    inputs = outputs;
  }
}

std::shared_ptr<const Controller> MlpModel::DecodeController(std::span<const double> genome) const {
  std::vector<DenseLayer> layers;
  for (const auto& name : names_) layers.push_back(DenseLayer::Decode(layout_, name, genome));
  return std::make_shared<const MlpController>(std::move(layers), action_);
}

}  // namespace neurevo
