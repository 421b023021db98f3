// The bnn / snn models: LIF networks decoded from genomes (lif_network.h).
#include "model/lif_model.h"

#include <memory>

namespace neurevo {

namespace {
class LifPolicy : public Policy {
 public:
  LifPolicy(LifNetwork net, const Space& action_space, int warmup_steps)
      : net_(std::move(net)),
        state_(net_),
        action_space_(action_space),
        outputs_(net_.outputs),
        warmup_steps_(warmup_steps) {}
  void Reset(uint64_t noise_key) override {
    state_.Reset(noise_key);
    warm_ = false;
  }
  void Act(std::span<const double> observation, std::span<double> action) override {
    // Warm-up: the network settles on the first observation before it acts,
    // so the transient from the reset state does not drive the first actions.
    if (!warm_) {
      for (int k = 0; k < warmup_steps_; ++k) state_.Step(observation, outputs_);
      warm_ = true;
    }
    state_.Step(observation, outputs_);
    DecodeAction(outputs_, {0.0, 1.0}, action_space_, action);
  }
  bool healthy() const override { return state_.healthy(); }

 private:
  const LifNetwork net_;  // declared before state_, which refers to it
  LifState state_;
  const Space action_space_;
  std::vector<float> outputs_;
  const int warmup_steps_;
  bool warm_ = false;
};
}  // namespace

int LifInputs(const ModelOptions& options, const Space& observation) {
  return observation.vector_size() * (options.input_encoding == "pair" ? 2 : 1);
}

LifModel::LifModel(const ModelOptions& options, const Space& observation, const Space& action)
    : decoder_(options,
               BuildTopology(LifInputs(options, observation), options.excitatory, options.inhibitory,
                             NumOutputs(action, options), options.connectivity)),
      action_(action),
      substeps_(options.substeps),
      warmup_steps_(options.warmup_steps) {}

std::unique_ptr<Policy> LifModel::Decode(std::span<const double> genome) const {
  return std::make_unique<LifPolicy>(decoder_.Decode(genome), action_, warmup_steps_);
}

long long LifModel::synapses() const {
  return static_cast<long long>(decoder_.topology().synapses.size());
}

}  // namespace neurevo
