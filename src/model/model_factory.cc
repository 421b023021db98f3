#include <algorithm>
#include <fmt/format.h>

#include "model/baseline_models.h"
#include "model/lif_model.h"
#include "model/lif_preset.h"
#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {

namespace {
// Everything MakeModel checks before it builds anything.
void CheckModelOptions(const ModelOptions& options, const Space& observation, const Space& action) {
  if (options.binary_readout != "argmax" && options.binary_readout != "threshold")
    throw ConfigError(fmt::format("model.binary_readout: unknown value '{}'; allowed: argmax | threshold",
                                  options.binary_readout));
  if (options.snn_readout != "potential" && options.snn_readout != "rate")
    throw ConfigError(fmt::format("model.snn_readout: unknown value '{}'; allowed: potential | rate",
                                  options.snn_readout));
  if (options.continuous_readout != "single" && options.continuous_readout != "push_pull")
    throw ConfigError(fmt::format("model.continuous_readout: unknown value '{}'; allowed: single | push_pull",
                                  options.continuous_readout));
  if (options.readout != "neurons" && options.readout != "linear")
    throw ConfigError(fmt::format("model.readout: unknown value '{}'; allowed: neurons | linear", options.readout));
  if (options.input_encoding != "single" && options.input_encoding != "pair" && options.input_encoding != "current")
    throw ConfigError(fmt::format("model.input_encoding: unknown value '{}'; allowed: single | pair | current",
                                  options.input_encoding));
  if (options.substeps < 1)  // 0 (real time) is replaced by a count when the config is read
    throw ConfigError(fmt::format("model.substeps: {} substeps per step; allowed: at least 1", options.substeps));
  if (observation.discrete())
    throw ConfigError("task.name: tasks with discrete observations are not supported");
  if (NumOutputs(action, options) > 64)
    throw ConfigError("task.name: at most 64 policy outputs are supported");
  if (options.kind != "bnn" && options.kind != "snn" && options.kind != "network" && options.kind != "rnn" &&
      options.kind != "mlp")
    throw ConfigError(
        fmt::format("model.kind: unknown model '{}'; allowed: bnn, snn, network, rnn, mlp", options.kind));
}
}  // namespace

std::unique_ptr<Model> MakeModel(const ModelOptions& options, const Space& observation,
                                 const Space& action) {
  CheckModelOptions(options, observation, action);
  if (options.kind == "bnn" || options.kind == "snn" || options.kind == "network")
    return std::make_unique<LifModel>(options, observation, action);
  if (options.kind == "rnn") return std::make_unique<RnnModel>(options, observation, action);
  return std::make_unique<MlpModel>(options, observation, action);
}

long long CountGenes(const ModelOptions& options, const Space& observation, const Space& action) {
  // Their layouts are cheap to build; a description's synapse count is known
  // only once drawn (its size is bounded by the description's readers).
  if (options.kind != "bnn" && options.kind != "snn")
    return MakeModel(options, observation, action)->layout().size();
  CheckModelOptions(options, observation, action);
  const int inputs = LifInputs(options, observation), outputs = LifOutputNeurons(options, action);
  return LifGeneCount(options, inputs + options.excitatory + options.inhibitory + outputs,
                      PresetSynapseCount(options, inputs, outputs),
                      LifReadoutGenes(options, action) + LifInputWeightGenes(options, observation, action));
}

int NumOutputs(const Space& action, const ModelOptions& options) {
  if (action.discrete() && action.size == 2 && options.binary_readout == "threshold") return 1;
  if (!action.discrete() && options.continuous_readout == "push_pull") return 2 * action.size;
  return action.size;
}

void DecodeAction(std::span<const float> outputs, OutputRange range, const Space& action_space,
                  std::span<double> action) {
  const double width = range.high - range.low;
  if (!action_space.discrete()) {
    const int n = action_space.size;
    const bool push_pull = static_cast<int>(outputs.size()) == 2 * n;
    for (int i = 0; i < n; ++i) {
      const double unit = push_pull ? std::clamp(0.5 + 0.5 * (outputs[i] - outputs[n + i]) / width, 0.0, 1.0)
                                    : std::clamp((outputs[i] - range.low) / width, 0.0, 1.0);
      action[i] = action_space.low[i] + unit * (action_space.high[i] - action_space.low[i]);
    }
    return;
  }
  if (outputs.size() == 1) {
    action[0] = outputs[0] > range.low + 0.5 * width ? 1.0 : 0.0;
    return;
  }
  const auto best = std::max_element(outputs.begin(), outputs.begin() + action_space.size);
  action[0] = static_cast<double>(best - outputs.begin());
}

}  // namespace neurevo
