#include "model/rsnn/rsnn_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/files.h"
#include "model/lif_preset.h"
#include "neurevo/error.h"

namespace neurevo {

namespace {

// The parameters the rsnn reads, as lif_curr names them; only these may evolve.
constexpr const char* kEvolvable[] = {"offset_pA", "tau_m_ms", "resistance_GOhm", "v_rest_mV", "v_threshold_mV"};

void CheckSpec(const NetworkSpec& spec) {
  if (spec.populations.empty())
    throw ConfigError("network.populations: model.kind = \"rsnn\" needs a description of its recurrent layer: "
                      "[[network.populations]] and [[network.projections]] (configs/rsnn/ has presets)");
  if (!spec.receptors.empty())
    throw ConfigError("network.receptors: the rsnn's synapses are AMPA or GABA by Dale's law; allowed: none");
  for (size_t i = 0; i < spec.populations.size(); ++i) {
    const PopulationSpec& p = spec.populations[i];
    const std::string where = fmt::format("network.populations[{}] ('{}')", i, p.name);
    if (p.role != Role::kHidden)
      throw ConfigError(fmt::format("{}.role: the rsnn's input and output layers are dense weights, not "
                                    "populations; allowed: hidden",
                                    where));
    if (p.model != "lif_curr")
      throw ConfigError(fmt::format("{}.model: '{}'; the rsnn's neurons are discrete-time current-based LIF "
                                    "neurons; allowed: lif_curr",
                                    where, p.model));
    if (!p.spiking)
      throw ConfigError(fmt::format("{}.transmission: the rsnn's neurons spike; allowed: \"spiking\"", where));
    if (p.reset_to_rest)
      throw ConfigError(fmt::format("{}.reset: the rsnn resets to v_reset_mV; allowed: leave reset out", where));
    for (const auto& entry : p.params) {
      // Plain references: clang 14 cannot capture a structured binding in a lambda.
      const std::string& name = entry.first;
      const ValueSpec& value = entry.second;
      const bool evolvable = std::any_of(std::begin(kEvolvable), std::end(kEvolvable),
                                         [&](const char* e) { return name == e; });
      if (value.evolved() && !evolvable)
        throw ConfigError(fmt::format("{}.{}: cannot evolve in an rsnn; allowed to evolve: offset_pA, tau_m_ms, "
                                      "resistance_GOhm, v_rest_mV, v_threshold_mV",
                                      where, name));
      if (name == "noise_pA" && !(value.kind == ValueSpec::Kind::kConstant && value.value == 0.0))
        throw ConfigError(fmt::format("{}.noise_pA: the rsnn has no noise current; allowed: 0", where));
      if (name == "graded_halfwidth_mV")
        throw ConfigError(fmt::format("{}.graded_halfwidth_mV: the rsnn's neurons spike; allowed: leave it out",
                                      where));
    }
  }
  for (size_t i = 0; i < spec.projections.size(); ++i) {
    const ProjectionSpec& p = spec.projections[i];
    const std::string where = fmt::format("network.projections[{}] ('{}->{}')", i, p.pre, p.post);
    if (p.kind != SynapseKind::kChemical)
      throw ConfigError(fmt::format("{}.kind: the rsnn has chemical synapses only; allowed: chemical", where));
    if (!(p.delay.kind == ValueSpec::Kind::kConstant && p.delay.value == 1.0))
      throw ConfigError(fmt::format("{}.delay: an rsnn synapse delivers its spike on the next step; allowed: "
                                    "leave delay out",
                                    where));
    if (!p.receptor.empty() && p.receptor != "AMPA" && p.receptor != "GABA")
      throw ConfigError(fmt::format("{}.receptor: allowed: AMPA, GABA (or leave it out)", where));
  }
}

// A neuron parameter's value range over genes and draws.
struct Span2 {
  double low, high;
};
Span2 ParameterRange(const NetworkInstance& net, const GeneRanges& r, const char* name, int i) {
  const NeuronParameter* p = net.Parameter(name);
  if (!p) return {NAN, NAN};
  if (p->gene[i] >= 0) return {r.low[p->gene[i]], r.high[p->gene[i]]};
  return {p->value[i], p->value[i]};
}

}  // namespace

RsnnModel::RsnnModel(const ModelOptions& options, const Space& observation, const Space& action)
    : options_(options), action_(action) {
  const RsnnOptions& ro = options.rsnn;
  if (options.readout.binary_readout != "argmax")
    throw ConfigError("model.binary_readout: the rsnn reads one output per discrete action; allowed: argmax");
  if (options.readout.continuous_readout != "single")
    throw ConfigError("model.continuous_readout: the rsnn reads one output per action dimension; allowed: single");
  CheckSpec(options.network);
  // Each decoded network holds dense N x N weights (and BPTT a dense
  // backward pass): 4096 neurons are 134 MB per network. Checked before
  // anything is drawn.
  long long neurons = 0;
  for (const PopulationSpec& p : options.network.populations) neurons += std::max(p.size, 0);
  if (neurons > kMaxRsnnNeurons)
    throw ConfigError(fmt::format("network.populations: the rsnn's recurrent layer has {} neurons; allowed: at most "
                                  "{} (its weights are a dense N x N matrix)",
                                  neurons, kMaxRsnnNeurons));
  InstanceOptions io = LifInstanceOptions(options, options.network_seed);
  io.read_list = [](const std::string& path) { return ReadFile(path, kNetworkFileMaxBytes); };
  try {
    net_ = Instantiate(options.network, io);
  } catch (const ConfigError& e) {
    if (std::string_view(e.what()).starts_with("network")) throw;
    throw ConfigError(fmt::format("network: {}", e.what()));
  }
  // Every synapse takes exactly one network step, whatever dt: the
  // description's default delay (1 ms) is read as "the next step", and a
  // delay of its own (a projection's, or a list row's) is refused, not
  // silently replaced.
  const int default_delay = DelaySubsteps(1.0, options.dt_ms);
  for (const InstanceSynapse& syn : net_.synapses)
    if (syn.delay_gene >= 0 || syn.delay_substeps != default_delay)
      throw ConfigError(fmt::format("network.projections[{}] ('{}->{}'): synapse {} has a delay of its own (a list "
                                    "row's or the projection's); an rsnn synapse delivers its spike on the next "
                                    "step; allowed: no delay (leave it out of the projection and its list rows)",
                                    syn.projection, options.network.projections[syn.projection].pre,
                                    options.network.projections[syn.projection].post, syn.index));
  layout_ = InstanceLayout(net_, &ranges_);
  const int n = net_.neurons;
  if (n < 1) throw ConfigError("network.populations: the rsnn's recurrent layer has no neurons");
  for (int i = 0; i < n; ++i) {
    const std::string who = net_.NeuronLabel(i);
    const Span2 tau = ParameterRange(net_, ranges_, "tau_m_ms", i), r = ParameterRange(net_, ranges_, "resistance_GOhm", i),
                th = ParameterRange(net_, ranges_, "v_threshold_mV", i), rest = ParameterRange(net_, ranges_, "v_rest_mV", i),
                ref = ParameterRange(net_, ranges_, "tau_ref_ms", i);
    if (!(tau.low > 0)) throw ConfigError(fmt::format("network: neuron {}: tau_m_ms reaches {}; allowed: > 0", who, tau.low));
    if (!(r.low > 0))
      throw ConfigError(fmt::format("network: neuron {}: resistance_GOhm reaches {}; allowed: > 0", who, r.low));
    if (!(th.low > rest.high))
      throw ConfigError(fmt::format("network: neuron {}: v_threshold_mV (from {}) must stay above v_rest_mV (up to "
                                    "{}) for every gene",
                                    who, th.low, rest.high));
    if (!(ref.low >= 0 && ref.high / options.dt_ms <= 1e6))
      throw ConfigError(fmt::format("network: neuron {}: tau_ref_ms {}; allowed: 0 .. 1e6 steps", who, ref.low));
  }
  inputs_ = observation.vector_size();
  outputs_ = action.size;
  const double input_max = ro.rsnn_input_max_pA;
  const double readout_max = ro.rsnn_readout_scale / std::sqrt(static_cast<double>(n));
  auto labels = [&](int rows, int cols, auto name) {
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(rows) * cols);
    for (int a = 0; a < rows; ++a)
      for (int b = 0; b < cols; ++b) out.push_back(name(a, b));
    return out;
  };
  input_family_ = layout_.Add({.name = "input_weights",
               .unit = "pA",
               .size = n * inputs_,
               .low = -input_max,
               .high = input_max,
               .labels = labels(n, inputs_, [&](int i, int k) { return fmt::format("in{}->{}", k, net_.NeuronLabel(i)); })});
  readout_family_ = layout_.Add({.name = "readout_weights",
               .unit = "1",
               .size = outputs_ * n,
               .low = -readout_max,
               .high = readout_max,
               .labels = labels(outputs_, n, [&](int k, int i) { return fmt::format("{}->out{}", net_.NeuronLabel(i), k); })});
  bias_family_ = layout_.Add({.name = "readout_bias",
               .unit = "1",
               .size = outputs_,
               .low = -1.0,
               .high = 1.0,
               .labels = labels(1, outputs_, [](int, int k) { return fmt::format("out{}", k); })});
}

long long RsnnModel::synapses() const {
  return static_cast<long long>(net_.synapses.size()) +
         static_cast<long long>(net_.neurons) * (inputs_ + outputs_);
}

RsnnNetwork RsnnModel::DecodeNetwork(std::span<const double> genome) const {
  if (static_cast<int>(genome.size()) != layout_.size())
    throw std::invalid_argument(fmt::format("rsnn: genome of {} genes, the layout has {}", genome.size(), layout_.size()));
  const int n = net_.neurons;
  RsnnNetwork r;
  r.neurons = n;
  r.inputs = inputs_;
  r.outputs = outputs_;
  r.dt_ms = options_.dt_ms;
  r.substeps = options_.substeps;
  r.slope = options_.rsnn.rsnn_surrogate_slope;
  r.smooth = smooth_;
  r.w_rec.assign(static_cast<size_t>(n) * n, 0.0);
  for (const InstanceSynapse& s : net_.synapses) {
    const double magnitude = s.weight_gene >= 0 ? ranges_.Magnitude(genome, s.weight_gene) : s.weight;
    r.w_rec[static_cast<size_t>(s.pre) * n + s.post] += s.receptor == kGaba ? -magnitude : magnitude;
  }
  auto value = [&](const char* name, std::vector<double>& out) {
    const NeuronParameter* p = net_.Parameter(name);
    out.resize(n);
    for (int i = 0; i < n; ++i) out[i] = p->gene[i] >= 0 ? ranges_.Value(genome, p->gene[i]) : p->value[i];
  };
  value("tau_m_ms", r.tau_ms);
  value("resistance_GOhm", r.resistance);
  value("v_rest_mV", r.v_rest);
  value("v_reset_mV", r.v_reset);
  value("v_init_mV", r.v_init);
  value("v_threshold_mV", r.v_threshold);
  value("offset_pA", r.offset);
  std::vector<double> ref;
  value("tau_ref_ms", ref);
  r.refractory_steps.resize(n);
  for (int i = 0; i < n; ++i) r.refractory_steps[i] = static_cast<int>(std::lround(ref[i] / options_.dt_ms));
  auto dense = [&](int family, std::vector<double>& out) {
    const GeneFamily& f = layout_.families()[family];
    out.resize(f.size);
    for (int k = 0; k < f.size; ++k) out[k] = GenomeLayout::Map(f, genome, k);
  };
  dense(input_family_, r.w_in);
  dense(readout_family_, r.w_out);
  dense(bias_family_, r.b_out);
  return r;
}

void RsnnModel::ChainGradient(std::span<const double> genome, const RsnnState::Gradient& g,
                              std::span<double> out) const {
  const int n = net_.neurons;
  auto add = [&](int gene, double low, double high, double d) {
    out[gene] += d * (high - low) * GenomeLayout::FoldSlope(genome[gene]);
  };
  for (const InstanceSynapse& s : net_.synapses) {
    if (s.weight_gene < 0 || ranges_.Value(genome, s.weight_gene) < 0) continue;  // frozen, or clamped at 0
    const double d = g.w_rec[static_cast<size_t>(s.pre) * n + s.post];
    add(s.weight_gene, ranges_.low[s.weight_gene], ranges_.high[s.weight_gene], s.receptor == kGaba ? -d : d);
  }
  auto neuron = [&](const char* name, const std::vector<double>& d) {
    const NeuronParameter* p = net_.Parameter(name);
    for (int i = 0; i < n; ++i)
      if (p->gene[i] >= 0) add(p->gene[i], ranges_.low[p->gene[i]], ranges_.high[p->gene[i]], d[i]);
  };
  neuron("tau_m_ms", g.tau_ms);
  neuron("resistance_GOhm", g.resistance);
  neuron("v_rest_mV", g.v_rest);
  neuron("v_threshold_mV", g.v_threshold);
  neuron("offset_pA", g.offset);
  auto dense = [&](int family, const std::vector<double>& d) {
    const GeneFamily& f = layout_.families()[family];
    for (int k = 0; k < f.size; ++k) add(f.offset + k, f.low, f.high, d[k]);
  };
  dense(input_family_, g.w_in);
  dense(readout_family_, g.w_out);
  dense(bias_family_, g.b_out);
}

namespace {

class RsnnController;

class RsnnPolicy final : public Policy {
 public:
  RsnnPolicy(std::shared_ptr<const RsnnController> owner, const RsnnNetwork& net, const Space& action)
      : owner_(std::move(owner)), state_(net), action_(action), y_(net.outputs), out_(net.outputs) {}
  void Reset(uint64_t) override { state_.Reset(); }
  void Act(std::span<const double> observation, std::span<double> action) override {
    state_.Step(observation, y_);
    if (action_.discrete()) {
      // The argmax of the double outputs (lowest index on ties), as gradient
      // training takes it (gradient_episode.cc): a float cast could break a near-tie the other way.
      for (size_t k = 0; k < y_.size(); ++k) out_[k] = static_cast<float>(y_[k]);
      action[0] = static_cast<double>(std::max_element(y_.begin(), y_.end()) - y_.begin());
    } else {
      for (size_t k = 0; k < y_.size(); ++k) out_[k] = static_cast<float>(std::tanh(y_[k]));
      DecodeAction(out_, {-1.0, 1.0}, action_, action);
    }
  }
  bool healthy() const override { return state_.healthy(); }
  std::span<const float> outputs() const override { return out_; }

 private:
  std::shared_ptr<const RsnnController> owner_;  // keeps the network alive
  RsnnState state_;
  Space action_;
  std::vector<double> y_;
  std::vector<float> out_;
};

class RsnnController final : public Controller {
 public:
  RsnnController(RsnnNetwork net, Space action) : net_(std::move(net)), action_(std::move(action)) {}
  std::unique_ptr<Policy> NewPolicy() const override {
    return std::make_unique<RsnnPolicy>(std::static_pointer_cast<const RsnnController>(shared_from_this()), net_,
                                        action_);
  }

 private:
  RsnnNetwork net_;
  Space action_;
};

class RsnnDifferentiable final : public DifferentiablePolicy {
 public:
  RsnnDifferentiable(const RsnnModel& model, std::span<const double> genome)
      : model_(model),
        genome_(genome.begin(), genome.end()),
        net_(std::make_unique<RsnnNetwork>(model.DecodeNetwork(genome))),
        state_(*net_, /*keep_tape=*/true),
        y_(net_->outputs) {}
  void Reset(uint64_t) override { state_.Reset(); }
  std::span<const double> Forward(std::span<const double> observation) override {
    state_.Step(observation, y_);
    return y_;
  }
  bool healthy() const override { return state_.healthy(); }
  void Backward(std::span<const double> dl_doutputs, std::span<double> gradient) const override {
    model_.ChainGradient(genome_, state_.Backward(dl_doutputs), gradient);
  }

 private:
  const RsnnModel& model_;
  std::vector<double> genome_;
  std::unique_ptr<RsnnNetwork> net_;  // stable address: the state refers to it
  RsnnState state_;
  std::vector<double> y_;
};

}  // namespace

std::shared_ptr<const Controller> RsnnModel::DecodeController(std::span<const double> genome) const {
  return std::make_shared<RsnnController>(DecodeNetwork(genome), action_);
}

std::unique_ptr<DifferentiablePolicy> RsnnModel::NewDifferentiable(std::span<const double> genome) const {
  return std::make_unique<RsnnDifferentiable>(*this, genome);
}

}  // namespace neurevo
