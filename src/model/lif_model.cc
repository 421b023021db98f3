// The bnn / snn / network models: LIF networks decoded from genomes (lif_network.h).
#include "model/lif_model.h"

#include "model/lif_preset.h"
#include "model/network_model.h"

#include <algorithm>
#include <memory>

namespace neurevo {

namespace {
// A decoded LIF genome: the network and how its outputs become actions.
struct LifController : Controller {
  LifController(LifNetwork n, const Space& a, int warmup) : net(std::move(n)), action_space(a), warmup_steps(warmup) {}
  std::unique_ptr<Policy> NewPolicy() const override;
  const LifNetwork net;
  const Space action_space;
  const int warmup_steps;
};

class LifPolicy : public Policy {
 public:
  explicit LifPolicy(std::shared_ptr<const LifController> controller)
      : controller_(std::move(controller)),
        net_(controller_->net),
        state_(net_),
        outputs_(net_.outputs),
        decoded_(net_.readout_outputs) {}
  void Reset(uint64_t noise_key) override {
    state_.Reset(noise_key);
    warm_ = false;
  }
  void Act(std::span<const double> observation, std::span<double> action) override {
    // Warm-up: the network settles on the first observation before it acts,
    // so the transient from the reset state does not drive the first actions.
    if (!warm_) {
      for (int k = 0; k < controller_->warmup_steps; ++k) state_.Step(observation, outputs_);
      warm_ = true;
    }
    state_.Step(observation, outputs_);
    if (net_.readout_outputs == 0) {
      DecodeAction(outputs_, {0.0, 1.0}, controller_->action_space, action);
      return;
    }
    // Linear readout: y in [-1, 1], passed on as 0.5 + y / 2 in [0, 1].
    const int read = net_.outputs;
    for (int k = 0; k < net_.readout_outputs; ++k) {
      const float* w = net_.readout_weights.data() + static_cast<size_t>(k) * read;
      float y = net_.readout_bias[k];
      for (int j = 0; j < read; ++j) y += w[j] * outputs_[j];
      decoded_[k] = 0.5f + 0.5f * std::clamp(y, -1.f, 1.f);
    }
    DecodeAction(decoded_, {0.0, 1.0}, controller_->action_space, action);
  }
  bool healthy() const override { return state_.healthy(); }
  std::span<const float> outputs() const override {
    return net_.readout_outputs == 0 ? std::span<const float>(outputs_) : std::span<const float>(decoded_);
  }
  void SetRecording(bool on) override { state_.set_recording(on); }
  std::vector<Probe> Probes() const override {
    if (state_.activity().empty()) return {};
    return {{"v", state_.potentials()}, {"g_exc", state_.g_exc()}, {"g_inh", state_.g_inh()},
            {"activity", state_.activity()}};
  }
  std::span<const std::pair<int, int>> Spikes() const override { return state_.spikes(); }

 private:
  const std::shared_ptr<const LifController> controller_;  // declared first: net_ and state_ refer to it
  const LifNetwork& net_;
  LifState state_;
  std::vector<float> outputs_;
  std::vector<float> decoded_;  // linear readout: the policy outputs
  bool warm_ = false;
};

std::unique_ptr<Policy> LifController::NewPolicy() const {
  return std::make_unique<LifPolicy>(std::static_pointer_cast<const LifController>(shared_from_this()));
}
}  // namespace

int LifInputs(const ModelOptions& options, const Space& observation) {
  if (options.encoding.input_encoding == "current") return 0;
  return observation.vector_size() * (options.encoding.input_encoding == "pair" ? 2 : 1);
}

int LifCurrentReceivers(const ModelOptions& options, const Space& action) {
  if (options.encoding.input_encoding != "current") return 0;
  const PresetPairs connected = PresetConnectivity(options.connectivity);
  return (connected[0][1] ? options.excitatory : 0) + (connected[0][2] ? options.inhibitory : 0) +
         (connected[0][3] ? LifOutputNeurons(options, action) : 0);
}

long long LifInputWeightGenes(const ModelOptions& options, const Space& observation, const Space& action) {
  return static_cast<long long>(LifCurrentReceivers(options, action)) * observation.vector_size();
}

int LifOutputNeurons(const ModelOptions& options, const Space& action) {
  return options.readout.source == "linear" ? 0 : NumOutputs(action, options);
}

long long LifReadoutGenes(const ModelOptions& options, const Space& action) {
  if (options.readout.source != "linear") return 0;
  return static_cast<long long>(NumOutputs(action, options)) * (options.excitatory + options.inhibitory + 1);
}

namespace {
// bnn and snn are presets of the description; kind "network" is the
// config's own.
LifDecoder MakeDecoder(const ModelOptions& options, const Space& observation, const Space& action) {
  if (options.kind == "network") return NetworkDecoder(options, observation, action);
  return LifPresetDecoder(options, LifInputs(options, observation), LifOutputNeurons(options, action),
                          options.readout.source == "linear" ? NumOutputs(action, options) : 0, observation.vector_size());
}
}  // namespace

LifModel::LifModel(const ModelOptions& options, const Space& observation, const Space& action)
    : decoder_(MakeDecoder(options, observation, action)),
      action_(action),
      substeps_(options.substeps),
      warmup_steps_(options.warmup_steps) {}

std::shared_ptr<const Controller> LifModel::DecodeController(std::span<const double> genome) const {
  return ControllerOf(decoder_.Decode(genome));
}

std::shared_ptr<const Controller> LifModel::ControllerOf(LifNetwork network) const {
  return std::make_shared<const LifController>(std::move(network), action_, warmup_steps_);
}

long long LifModel::synapses() const {
  return static_cast<long long>(decoder_.network().synapses.size());
}

}  // namespace neurevo
