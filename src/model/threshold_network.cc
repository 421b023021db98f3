#include "model/threshold_network.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <stdexcept>

#include "core/checked_math.h"
#include "model/network_model.h"
#include "neurevo/error.h"

namespace neurevo {

bool IsThresholdNetwork(const NetworkSpec& spec) {
  int threshold = 0;
  for (const PopulationSpec& p : spec.populations) threshold += p.model == "threshold";
  if (threshold == 0) return false;
  for (size_t i = 0; i < spec.populations.size(); ++i)
    if (spec.populations[i].model != "threshold")
      throw ConfigError(fmt::format("network.populations[{}].model: '{}' in a network of threshold neurons; allowed: "
                                    "threshold for every population (a threshold network's input population "
                                    "stimulates, its output population reads), or no threshold population",
                                    i, spec.populations[i].model));
  return true;
}

namespace {

[[noreturn]] void Fail(const std::string& message) { throw ConfigError("network.projections: " + message); }

struct Edge {
  int from, to;
  double weight;
};

// A decoded genome and how its outputs become actions.
struct ThresholdController : Controller {
  ThresholdController(ThresholdNetwork n, const Space& a) : net(std::move(n)), action_space(a) {}
  std::unique_ptr<Policy> NewPolicy() const override;
  const ThresholdNetwork net;
  const Space action_space;
};

class ThresholdPolicy : public Policy {
 public:
  explicit ThresholdPolicy(std::shared_ptr<const ThresholdController> c)
      : c_(std::move(c)), state_(c_->net), y_(c_->net.outputs), outputs_(c_->net.outputs) {}
  void Reset(uint64_t) override { state_.Reset(); }
  void Act(std::span<const double> observation, std::span<double> action) override {
    state_.Step(observation, y_);
    for (size_t k = 0; k < y_.size(); ++k) outputs_[k] = SaturatingFloat(y_[k]);
    if (c_->action_space.discrete()) {
      action[0] = static_cast<double>(std::max_element(y_.begin(), y_.end()) - y_.begin());
      return;
    }
    std::copy(y_.begin(), y_.end(), action.begin());  // raw: the reference's wheel drives
  }
  bool healthy() const override { return state_.healthy(); }
  std::span<const float> outputs() const override { return outputs_; }

 private:
  const std::shared_ptr<const ThresholdController> c_;
  ThresholdState state_;
  std::vector<double> y_;
  std::vector<float> outputs_;
};

std::unique_ptr<Policy> ThresholdController::NewPolicy() const {
  return std::make_unique<ThresholdPolicy>(std::static_pointer_cast<const ThresholdController>(shared_from_this()));
}

// CSR rows of `edges` grouped by `from` over [0, rows), keeping their order within a row.
void Group(std::vector<Edge> edges, int first, int rows, std::vector<int>& begin, std::vector<int>& target,
           std::vector<double>& weight) {
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.from < b.from; });
  begin.assign(rows + 1, 0);
  for (const Edge& e : edges) ++begin[e.from - first + 1];
  for (int r = 0; r < rows; ++r) begin[r + 1] += begin[r];
  target.clear();
  weight.clear();
  for (const Edge& e : edges) {
    target.push_back(e.to);
    weight.push_back(e.weight);
  }
}

}  // namespace

ThresholdState::ThresholdState(const ThresholdNetwork& net) : net_(net), v_(net.neurons, 0.0) {
  firing_.reserve(net.neurons);
}

void ThresholdState::Reset() { std::fill(v_.begin(), v_.end(), 0.0); }

void ThresholdState::SetValues(std::span<const double> values) {
  if (values.size() != v_.size())
    throw std::invalid_argument(fmt::format("SetValues: {} values for {} neurons", values.size(), v_.size()));
  std::copy(values.begin(), values.end(), v_.begin());
}

void ThresholdState::Step(std::span<const double> observation, std::span<double> y) {
  const ThresholdNetwork& n = net_;
  if (observation.size() < static_cast<size_t>(n.inputs) || y.size() < static_cast<size_t>(n.outputs))
    throw std::invalid_argument(fmt::format("ThresholdState::Step: {} observations and {} outputs for {} inputs and "
                                            "{} outputs",
                                            observation.size(), y.size(), n.inputs, n.outputs));
  // 1. Who fires, from the values the step starts with.
  firing_.clear();
  for (int i = n.inputs; i < n.output_begin; ++i)
    if (std::abs(v_[i]) > n.threshold[i]) firing_.push_back(i);
  // 2. Stimulus: a stimulated neuron's outgoing weights reach its targets, its own value untouched.
  for (int k = 0; k < n.inputs; ++k) {
    const double x = observation[k];
    if (x == 0.0) continue;
    for (int e = n.stim_begin[k]; e < n.stim_begin[k + 1]; ++e) {
      const int s = n.stim_target[e];
      const double scale = x * n.stim_weight[e];
      for (int o = n.out_begin[s]; o < n.out_begin[s + 1]; ++o) v_[n.out_target[o]] += scale * n.out_weight[o];
    }
  }
  // 3. Firing in index order: the neuron's weights go out, then its value resets.
  for (const int i : firing_) {
    for (int o = n.out_begin[i]; o < n.out_begin[i + 1]; ++o) v_[n.out_target[o]] += n.out_weight[o];
    v_[i] = 0.0;
  }
  // 4. Read-out: each output sums its sources and clears them.
  for (int k = 0; k < n.outputs; ++k) {
    double sum = 0.0;
    for (int e = n.read_begin[k]; e < n.read_begin[k + 1]; ++e) sum += n.read_weight[e] * v_[n.read_source[e]];
    for (int e = n.read_begin[k]; e < n.read_begin[k + 1]; ++e) v_[n.read_source[e]] = 0.0;
    y[k] = sum;
  }
}

bool ThresholdState::healthy() const {
  return std::all_of(v_.begin(), v_.end(), [](double x) { return std::isfinite(x); });
}

ThresholdModel::ThresholdModel(const ModelOptions& options, const Space& observation, const Space& action)
    : action_(action) {
  if (options.encoding.input_encoding != "single")
    throw ConfigError(fmt::format("model.input_encoding: '{}' for a threshold network; allowed: single (input "
                                  "neuron k carries observation k)",
                                  options.encoding.input_encoding));
  if (options.readout.source != "neurons")
    throw ConfigError("model.readout: a threshold network's actions are its output population's sums; allowed: neurons");
  if (action.discrete() && options.readout.binary_readout != "argmax")
    throw ConfigError("model.binary_readout: a threshold network acts by the largest of its outputs; allowed: argmax");
  if (!action.discrete() && options.readout.continuous_readout != "single")
    throw ConfigError("model.continuous_readout: a threshold network gives one raw output per action dimension; "
                      "allowed: single");
  network_ = InstantiateForTask(options, observation, action);
  layout_ = InstanceLayout(network_, &genes_);
  for (const InstanceFamily& f : network_.families)
    if (f.name == "delays" && f.size() > 0)
      throw ConfigError("network.projections: delays are evolved, and a threshold network has none (one hop per "
                        "step); allowed: a constant delay");
  const NeuronParameter* threshold = network_.Parameter("threshold");
  for (const NeuronParameter& p : network_.parameters)
    for (size_t i = 0; i < p.gene.size(); ++i)
      if (p.gene[i] >= 0 && &p != threshold)
        throw ConfigError(fmt::format("network.populations: {} is evolved, and threshold neurons have no such "
                                      "parameter; allowed: threshold",
                                      p.name));
  for (const InstancePopulation& p : network_.populations) {
    if (p.role == Role::kInput) inputs_ += p.size;
    if (p.role == Role::kOutput) outputs_ += p.size;
  }
  // Roles of the synapses: inputs stimulate hidden neurons, hidden neurons
  // drive hidden neurons, outputs read hidden neurons.
  const int output_begin = network_.neurons - outputs_;
  const auto role = [&](int neuron) {
    return neuron < inputs_ ? Role::kInput : neuron >= output_begin ? Role::kOutput : Role::kHidden;
  };
  const auto check = [&](int pre, int post, const std::string& what) {
    const Role a = role(pre), b = role(post);
    if (a == Role::kOutput)
      Fail(fmt::format("{} leaves output neuron {}: a threshold network's outputs only read", what,
                       network_.NeuronLabel(pre)));
    if (a == Role::kInput && b != Role::kHidden)
      Fail(fmt::format("{} from input neuron {} reaches {}: inputs stimulate hidden neurons only", what,
                       network_.NeuronLabel(pre), network_.NeuronLabel(post)));
  };
  for (const InstanceSynapse& s : network_.synapses) check(s.pre, s.post, "a synapse");
  for (const GapJunction& g : network_.gaps) {
    check(g.a, g.b, "a gap junction");
    if (role(g.a) != Role::kHidden || role(g.b) != Role::kHidden)
      Fail(fmt::format("a gap junction joins {} and {}: in a threshold network gap junctions join hidden neurons",
                       network_.NeuronLabel(g.a), network_.NeuronLabel(g.b)));
  }
}

long long ThresholdModel::synapses() const {
  return static_cast<long long>(network_.synapses.size() + network_.gaps.size());
}

ThresholdNetwork ThresholdModel::Decode(std::span<const double> genome) const {
  const NetworkInstance& t = network_;
  ThresholdNetwork n;
  n.neurons = t.neurons;
  n.inputs = inputs_;
  n.outputs = outputs_;
  n.output_begin = t.neurons - n.outputs;
  // Thresholds (inputs and outputs never fire).
  n.threshold.assign(t.neurons, std::numeric_limits<double>::infinity());
  if (const NeuronParameter* p = t.Parameter("threshold"))
    for (int i = n.inputs; i < n.output_begin; ++i)
      n.threshold[i] = p->gene[i] >= 0 ? genes_.Value(genome, p->gene[i]) : p->value[i];
  std::vector<Edge> out, stim, read;
  const auto add = [&](int pre, int post, double w) {
    (pre < n.inputs ? stim : post >= n.output_begin ? read : out).push_back({pre, post, w});
  };
  for (const InstanceSynapse& s : t.synapses) {
    const double magnitude = s.weight_gene >= 0 ? genes_.Magnitude(genome, s.weight_gene) : s.weight;
    const bool excitatory = s.receptor == kAmpa ? true
                            : s.receptor == kGaba ? false
                                                  : t.receptors[s.receptor - kReceptors].excitatory;
    add(s.pre, s.post, excitatory ? magnitude : -magnitude);
  }
  for (const GapJunction& g : t.gaps)
    add(g.a, g.b, g.weight_gene >= 0 ? genes_.Magnitude(genome, g.weight_gene) : g.weight);
  // Within a neuron's row: the order of the instance (synapses by target), then gap junctions.
  Group(std::move(out), 0, t.neurons, n.out_begin, n.out_target, n.out_weight);
  Group(std::move(stim), 0, n.inputs, n.stim_begin, n.stim_target, n.stim_weight);
  // Outputs read their sources in the instance's synapse order (by presynaptic neuron).
  for (Edge& e : read) std::swap(e.from, e.to);
  Group(std::move(read), n.output_begin, n.outputs, n.read_begin, n.read_source, n.read_weight);
  return n;
}

std::shared_ptr<const Controller> ThresholdModel::DecodeController(std::span<const double> genome) const {
  return std::make_shared<ThresholdController>(Decode(genome), action_);
}

}  // namespace neurevo
