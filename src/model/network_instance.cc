#include "model/network_instance.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <set>
#include <tuple>

#include "model/connectors.h"
#include "model/value_spec.h"
#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Neurons and synapses a description may ask for: far above any seed
// system (the largest, a 10^4-neuron benchmark, has 10^6 synapses), far
// below what an int index can hold, and small enough that drawing them
// (about 80 bytes a synapse while instantiating) fits a 24 GB machine.
constexpr long long kMaxNeurons = 10'000'000;
constexpr long long kMaxSynapses = 100'000'000;

std::string ProjectionName(const ProjectionSpec& p) { return p.name.empty() ? p.pre + "->" + p.post : p.name; }

// Offsets and noise keep the family names the BNN-EA genome always had.
std::string FamilyName(const std::string& parameter) {
  if (parameter == "offset_pA") return "offsets";
  if (parameter == "noise_pA") return "noise";
  return parameter;
}
std::string LabelName(const std::string& parameter) {
  if (parameter == "offset_pA") return "offset";
  if (parameter == "noise_pA") return "noise";
  return parameter;
}
std::string UnitOf(const std::string& parameter) {
  const size_t underscore = parameter.rfind('_');
  return underscore == std::string::npos ? "1" : parameter.substr(underscore + 1);
}

// Collects genes family by family, in the documented order.
class GeneCollector {
 public:
  // Starts a family (added even if it stays empty when `always`).
  void Begin(std::string name, std::string unit, bool always, bool whole = false) {
    current_ = {std::move(name), std::move(unit), {}, {}, {}, 0, whole};
    always_ = always;
  }
  int Add(std::string label, double low, double high) {
    current_.labels.push_back(std::move(label));
    current_.low.push_back(low);
    current_.high.push_back(high);
    return genes_++;
  }
  void End(std::vector<InstanceFamily>& families) {
    if (current_.labels.empty() && !always_) return;
    current_.offset = genes_ - current_.size();
    families.push_back(std::move(current_));
  }
  int genes() const { return genes_; }

 private:
  InstanceFamily current_;
  bool always_ = false;
  int genes_ = 0;
};

void CheckPopulation(const PopulationSpec& p, const std::string& what) {
  if (p.name.empty() || p.name.find_first_of(" ,.[]>-\"'\t\n") != std::string::npos)
    throw ConfigError(fmt::format("{}: name '{}' must be non-empty, without spaces, commas, dots, brackets, "
                                  "quotes, '-' or '>'",
                                  what, p.name.substr(0, 40)));
  if (p.size < 0 || p.size > kMaxNeurons)
    throw ConfigError(fmt::format("{}: size {} is outside 0 .. {}", what, p.size, kMaxNeurons));
  if (p.dale.size() != 1 && static_cast<int>(p.dale.size()) != p.size)
    throw ConfigError(fmt::format("{}: {} Dale types for {} neurons (give one, or one per neuron)", what,
                                  p.dale.size(), p.size));
  if (!p.labels.empty()) {
    if (static_cast<int>(p.labels.size()) != p.size)
      throw ConfigError(fmt::format("{}: {} labels for {} neurons", what, p.labels.size(), p.size));
    std::set<std::string> seen;
    for (const auto& l : p.labels)
      if (!seen.insert(l).second) throw ConfigError(fmt::format("{}: label '{}' appears twice", what, l.substr(0, 40)));
  }
}

}  // namespace

std::string WeightUnit(const NetworkSpec& spec, const ProjectionSpec& projection) {
  const int post = spec.Find(projection.post);
  if (post >= 0 && spec.populations[post].model == "threshold") return "1";  // added to a unitless value
  const bool current = projection.kind == SynapseKind::kChemical && post >= 0 &&
                       spec.populations[post].model == "lif_curr";
  return current ? "pA" : "nS";
}

int DelaySubsteps(double ms, double dt_ms) {
  return std::max(static_cast<int>(std::lround(ms / dt_ms)), 1);
}

const InstancePopulation& NetworkInstance::PopulationOf(int neuron) const {
  for (const auto& p : populations)
    if (neuron >= p.begin && neuron < p.begin + p.size) return p;
  return populations.back();
}

std::string NetworkInstance::NeuronLabel(int neuron) const {
  const InstancePopulation& p = PopulationOf(neuron);
  const int i = neuron - p.begin;
  return i < static_cast<int>(p.labels.size()) ? p.labels[i] : fmt::format("{}{}", p.name, i);
}

const NeuronParameter* NetworkInstance::Parameter(const std::string& name) const {
  for (const auto& p : parameters)
    if (p.name == name) return &p;
  return nullptr;
}

NetworkInstance Instantiate(const NetworkSpec& spec, const InstanceOptions& options) {
  NetworkInstance net;
  // Populations.
  // net.populations[i] describes spec.populations[i]; neurons are numbered
  // by role (inputs receive no synapses and outputs are read: the simulation
  // wants each in one block).
  std::set<std::string> names;
  for (const PopulationSpec& p : spec.populations) {
    const std::string what = fmt::format("population '{}'", p.name.substr(0, 40));
    CheckPopulation(p, what);
    if (!names.insert(p.name).second) throw ConfigError(fmt::format("{}: the name appears twice", what));
    if (p.reset_to_rest &&
        std::any_of(p.params.begin(), p.params.end(), [](const auto& e) { return e.first == "v_reset_mV"; }))
      throw ConfigError(fmt::format("{}: v_reset_mV is given, but reset = \"rest\" resets to v_rest_mV; allowed: "
                                    "one of the two",
                                    what));
    net.populations.push_back({p.name, 0, p.size, p.role, p.model, p.spiking, p.reset_to_rest, p.labels});
  }
  long long neurons = 0;
  for (const Role role : {Role::kInput, Role::kHidden, Role::kOutput})
    for (InstancePopulation& p : net.populations) {
      if (p.role != role) continue;
      p.begin = static_cast<int>(neurons);
      neurons += p.size;
      if (neurons > kMaxNeurons) throw ConfigError(fmt::format("the network has more than {} neurons", kMaxNeurons));
    }
  net.neurons = static_cast<int>(neurons);
  const auto label = [&](int pop, int i) {
    const PopulationSpec& p = spec.populations[pop];
    return p.labels.empty() ? fmt::format("{}", i) : p.labels[i];
  };

  // Neuron parameters: the listed ones first, then any other a population gives.
  std::vector<std::string> parameter_names = options.parameters;
  for (const auto& p : spec.populations)
    for (const auto& [name, value] : p.params)
      if (std::find(parameter_names.begin(), parameter_names.end(), name) == parameter_names.end())
        parameter_names.push_back(name);
  for (const auto& name : parameter_names) net.parameters.push_back({name, std::vector<double>(net.neurons, kNaN),
                                                                       std::vector<int>(net.neurons, -1)});
  std::vector<std::vector<const ValueSpec*>> evolved_params(parameter_names.size(),
                                                            std::vector<const ValueSpec*>(spec.populations.size()));
  for (size_t pi = 0; pi < spec.populations.size(); ++pi) {
    const PopulationSpec& p = spec.populations[pi];
    for (const auto& param : p.params) {
      const std::string& name = param.first;  // a plain reference: lambdas below capture it (clang 14)
      if (std::count_if(p.params.begin(), p.params.end(), [&](const auto& e) { return e.first == name; }) > 1)
        throw ConfigError(fmt::format("population '{}': parameter {} is given twice", p.name, name));
    }
    for (size_t k = 0; k < parameter_names.size(); ++k) {
      const std::string& name = parameter_names[k];
      const std::string what = fmt::format("population '{}': {}", p.name, name);
      const auto given = std::find_if(p.params.begin(), p.params.end(), [&](const auto& e) { return e.first == name; });
      ValueSpec value;
      const std::optional<double> fallback =
          options.parameter_default ? options.parameter_default(p.model, name) : std::nullopt;
      if (given != p.params.end()) {
        if (options.parameter_default && !fallback)
          throw ConfigError(fmt::format("population '{}': neuron model {} has no parameter '{}'", p.name, p.model,
                                        name.substr(0, 40)));
        value = given->second;
      } else {
        if (!fallback) continue;  // not a parameter of this population's model
        value = ValueSpec::Constant(*fallback);
      }
      CheckValueSpec(value, what);
      if (value.evolved()) {
        evolved_params[k][pi] = &given->second;
        continue;
      }
      RandomStream rng(options.seed, pi, k, 0, StreamPurpose::kFrozenValues);
      const std::vector<double> v = RealizeValues(value, p.size, rng, what);
      std::copy(v.begin(), v.end(), net.parameters[k].value.begin() + net.populations[pi].begin);
    }
  }

  // Receptors beyond AMPA and GABA.
  for (size_t r = 0; r < spec.receptors.size(); ++r) {
    const ReceptorSpec& rec = spec.receptors[r];
    const std::string what = fmt::format("receptor '{}'", rec.name.substr(0, 40));
    if (rec.name.empty() || rec.name == "AMPA" || rec.name == "GABA" ||
        rec.name.find_first_of(" ,.[]>-\"'\t\n") != std::string::npos)
      throw ConfigError(fmt::format("{}: a receptor needs its own name (not AMPA or GABA), without spaces, commas, "
                                    "dots, brackets, quotes, '-' or '>'",
                                    what));
    for (size_t q = 0; q < r; ++q)
      if (spec.receptors[q].name == rec.name) throw ConfigError(fmt::format("{}: the name appears twice", what));
    if (!(rec.tau_syn_ms > 0) || !std::isfinite(rec.tau_syn_ms))
      throw ConfigError(fmt::format("{}: tau_syn_ms {} must be positive", what, rec.tau_syn_ms));
    if (!std::isfinite(rec.e_rev_mV)) throw ConfigError(fmt::format("{}: e_rev_mV must be finite", what));
  }
  if (spec.receptors.size() > 6) throw ConfigError("network.receptors: at most 6 beyond AMPA and GABA");
  net.receptors = spec.receptors;
  const auto ReceptorExcitatory = [&](int receptor) {
    return receptor == kAmpa || (receptor >= kReceptors && spec.receptors[receptor - kReceptors].excitatory);
  };

  // Projections.
  long long chemical = 0;
  for (size_t j = 0; j < spec.projections.size(); ++j) {
    const ProjectionSpec& p = spec.projections[j];
    const std::string name = ProjectionName(p);
    const std::string what = fmt::format("projection {}", name.substr(0, 80));
    const int pre = spec.Find(p.pre), post = spec.Find(p.post);
    if (pre < 0) throw ConfigError(fmt::format("{}: unknown population '{}'", what, p.pre.substr(0, 40)));
    if (post < 0) throw ConfigError(fmt::format("{}: unknown population '{}'", what, p.post.substr(0, 40)));
    if (spec.populations[post].role == Role::kInput && p.kind == SynapseKind::kChemical)
      throw ConfigError(fmt::format("{}: population '{}' is an input population, which receives only "
                                    "observations",
                                    what, p.post));
    CheckValueSpec(p.weight, what + ": weight");
    CheckValueSpec(p.delay, what + ": delay");
    // Weights are magnitudes (the sign follows Dale's law), delays durations.
    if (p.weight.evolved() && p.weight.low < 0 && !p.weight.around_list)
      throw ConfigError(fmt::format("{}: weight: an evolved range must lie in [0, inf) (the sign follows Dale's law)",
                                    what));
    if (p.weight.around_list && p.connector.kind != ConnectorSpec::Kind::kList)
      throw ConfigError(fmt::format("{}: weight: around = \"list\" needs a list connector, whose rows give the "
                                    "weights the range lies around",
                                    what));
    if (p.delay.evolved() && p.delay.low < 0)
      throw ConfigError(fmt::format("{}: delay: an evolved range must lie in [0, inf) ms", what));
    // The receptor a projection names (-1: by Dale type).
    int receptor = -1;
    if (!p.receptor.empty()) {
      if (p.kind == SynapseKind::kElectrical)
        throw ConfigError(fmt::format("{}: receptor: gap junctions have no receptor", what));
      receptor = p.receptor == "AMPA" ? kAmpa : p.receptor == "GABA" ? kGaba : -1;
      for (size_t r = 0; receptor < 0 && r < spec.receptors.size(); ++r)
        if (spec.receptors[r].name == p.receptor) receptor = kReceptors + static_cast<int>(r);
      if (receptor < 0) {
        std::string names = "AMPA, GABA";
        for (const auto& r : spec.receptors) names += ", " + r.name;
        throw ConfigError(fmt::format("{}: unknown receptor '{}'; allowed: {}", what, p.receptor.substr(0, 40), names));
      }
    }
    const std::string text = p.connector.kind == ConnectorSpec::Kind::kList && options.read_list
                                 ? options.read_list(p.connector.file)
                                 : std::string();
    // Refused before any is drawn: a description can ask for 10^14.
    const long long expected = ExpectedConnections(p.connector, spec.populations[pre].size,
                                                   spec.populations[post].size, pre == post);
    if (expected > kMaxSynapses - chemical)
      throw ConfigError(fmt::format("{}: about {} connections would make the network more than {} synapses; allowed: "
                                    "at most {}",
                                    what, expected, kMaxSynapses, kMaxSynapses));
    const std::vector<Connection> connections =
        Connect(p, static_cast<int>(j), spec.populations[pre], spec.populations[post], options.seed, text);
    if (static_cast<long long>(connections.size()) + chemical > kMaxSynapses)
      throw ConfigError(fmt::format("{}: the network has more than {} synapses", what, kMaxSynapses));
    chemical += static_cast<long long>(connections.size());
    RandomStream weight_rng(options.seed, j, 1, 0, StreamPurpose::kFrozenValues);
    RandomStream delay_rng(options.seed, j, 2, 0, StreamPurpose::kFrozenValues);
    const int n = static_cast<int>(connections.size());
    const std::vector<double> weights = p.weight.evolved() ? std::vector<double>(n, kNaN)
                                                           : RealizeValues(p.weight, n, weight_rng, what + ": weight");
    const std::vector<double> delays = p.delay.evolved() ? std::vector<double>(n, kNaN)
                                                         : RealizeValues(p.delay, n, delay_rng, what + ": delay");
    for (const double w : weights)
      if (w < 0)
        throw ConfigError(fmt::format("{}: weight {} is negative: weights are magnitudes (the sign follows Dale's "
                                      "law); give low >= 0",
                                      what, w));
    for (const double d : delays)
      if (d < 0) throw ConfigError(fmt::format("{}: delay {} ms is negative; give low >= 0", what, d));
    for (int k = 0; k < n; ++k) {
      const Connection& c = connections[k];
      const int a = net.populations[pre].begin + c.pre, b = net.populations[post].begin + c.post;
      if (p.weight.around_list && !c.weight)
        throw ConfigError(fmt::format("{}: weight: around = \"list\", and row {} of {} gives no weight", what, k + 1,
                                      p.connector.file.substr(0, 200)));
      // An evolved weight around its row's value keeps that value as the base of its range.
      const double w = c.weight && (!p.weight.evolved() || p.weight.around_list) ? *c.weight * p.connector.weight_scale
                                                                                 : weights[k];
      if (p.weight.around_list && !(std::isfinite(w + p.weight.low) && std::isfinite(w + p.weight.high) &&
                                    std::isfinite(p.weight.high - p.weight.low)))
        throw ConfigError(fmt::format("{}: weight: row {}'s range around its weight {} is not finite", what, k + 1, w));
      // A weight so large that the range around it rounds away (a count of 1e18) is no count.
      if (p.weight.around_list && p.weight.high > p.weight.low &&
          !((w + p.weight.high) - (w + p.weight.low) > 0.5 * (p.weight.high - p.weight.low)))
        throw ConfigError(fmt::format("{}: weight: row {}'s weight {} is too large for a range of {} around it", what,
                                      k + 1, w, p.weight.high - p.weight.low));
      if (!std::isfinite(w) && !p.weight.evolved())
        throw ConfigError(fmt::format("{}: weight: row {} scaled by weight_scale is not finite", what, k + 1));
      if (p.kind == SynapseKind::kElectrical) {
        net.gaps.push_back({a, b, static_cast<int>(j), k, w, p.weight.evolved() ? 0 : -1});
        continue;
      }
      InstanceSynapse s;
      s.pre = a;
      s.post = b;
      const bool inhibitory = spec.populations[pre].DaleOf(c.pre) == DaleType::kInhibitory;
      s.receptor = receptor < 0 ? (inhibitory ? kGaba : kAmpa) : receptor;
      // Dale's law: a neuron releases onto receptors of its own sign only.
      if (receptor >= 0 && inhibitory != !ReceptorExcitatory(receptor))
        throw ConfigError(fmt::format("{}: receptor {} takes {} synapses, and neuron {} of '{}' is {} (Dale's law)",
                                      what, p.receptor.substr(0, 40),
                                      ReceptorExcitatory(receptor) ? "excitatory" : "inhibitory", c.pre,
                                      spec.populations[pre].name, inhibitory ? "inhibitory" : "excitatory"));
      s.projection = static_cast<int>(j);
      s.index = k;
      s.weight = w;
      s.weight_gene = p.weight.evolved() ? 0 : -1;  // numbered below
      const double d_ms = c.delay_ms && !p.delay.evolved() ? *c.delay_ms : delays[k];
      s.delay_substeps = p.delay.evolved() ? 0 : DelaySubsteps(d_ms, options.dt_ms);
      s.delay_gene = p.delay.evolved() ? 0 : -1;
      net.synapses.push_back(s);
    }
  }
  std::stable_sort(net.synapses.begin(), net.synapses.end(), [](const InstanceSynapse& x, const InstanceSynapse& y) {
    return std::tie(x.post, x.receptor, x.pre, x.projection, x.index) <
           std::tie(y.post, y.receptor, y.pre, y.projection, y.index);
  });

  // Genes, family by family.
  GeneCollector genes;
  const auto synapse_label = [&](int projection, int index, const char* quantity) {
    return fmt::format("{}.{}[{}]", ProjectionName(spec.projections[projection]), quantity, index);
  };
  std::vector<std::string> projection_unit;  // WeightUnit of each projection, looked up once
  for (const ProjectionSpec& p : spec.projections) projection_unit.push_back(WeightUnit(spec, p));
  for (int receptor = 0; receptor < kReceptors + static_cast<int>(spec.receptors.size()); ++receptor) {
    // The presets' two families always exist; a description's own
    // receptors add theirs, named after them.
    std::string family = receptor == kAmpa ? "ampa_weights" : receptor == kGaba ? "gaba_weights" : "";
    if (family.empty()) {
      for (char ch : spec.receptors[receptor - kReceptors].name) family += static_cast<char>(std::tolower(ch));
      family += "_weights";
    }
    // A family's unit is its synapses' (both when it reaches both neuron models).
    std::string unit;
    for (const auto& s : net.synapses) {
      if (s.receptor != receptor || s.weight_gene < 0) continue;
      const std::string& u = projection_unit[s.projection];
      if (unit.empty()) unit = u;
      if (u != unit) {
        unit = "nS or pA";
        break;
      }
    }
    genes.Begin(family, unit.empty() ? "nS" : unit, /*always=*/receptor < kReceptors);
    for (auto& s : net.synapses) {
      if (s.receptor != receptor || s.weight_gene < 0) continue;
      const ValueSpec& w = spec.projections[s.projection].weight;
      const double base = w.around_list ? s.weight : 0.0;
      s.weight_gene = genes.Add(synapse_label(s.projection, s.index, "weight"), base + w.low, base + w.high);
    }
    genes.End(net.families);
  }
  std::string gap_unit;  // nS, or 1 in threshold networks
  for (const auto& g : net.gaps)
    if (g.weight_gene >= 0) gap_unit = projection_unit[g.projection];
  genes.Begin("gap_weights", gap_unit.empty() ? "nS" : gap_unit, false);
  for (auto& g : net.gaps) {
    if (g.weight_gene < 0) continue;
    const ValueSpec& w = spec.projections[g.projection].weight;
    const double base = w.around_list ? g.weight : 0.0;
    g.weight_gene = genes.Add(synapse_label(g.projection, g.index, "weight"), base + w.low, base + w.high);
  }
  genes.End(net.families);
  genes.Begin("delays", "substeps", false, /*whole=*/true);
  for (auto& s : net.synapses) {
    if (s.delay_gene < 0) continue;
    const ValueSpec& d = spec.projections[s.projection].delay;
    const int low = DelaySubsteps(d.low, options.dt_ms);
    const int high = std::max(DelaySubsteps(d.high, options.dt_ms), low);
    s.delay_gene = genes.Add(synapse_label(s.projection, s.index, "delay"), low, high);
  }
  genes.End(net.families);
  for (size_t k = 0; k < parameter_names.size(); ++k) {
    genes.Begin(FamilyName(parameter_names[k]), UnitOf(parameter_names[k]), false);
    for (size_t pi = 0; pi < spec.populations.size(); ++pi) {
      const ValueSpec* v = evolved_params[k][pi];
      if (!v) continue;
      const InstancePopulation& pop = net.populations[pi];
      for (int i = 0; i < pop.size; ++i)
        net.parameters[k].gene[pop.begin + i] =
            genes.Add(fmt::format("{}.{}[{}]", pop.name, LabelName(parameter_names[k]), label(pi, i)), v->low,
                      v->high);
    }
    genes.End(net.families);
  }
  net.genes = genes.genes();
  return net;
}

GenomeLayout InstanceLayout(const NetworkInstance& net, GeneRanges* ranges) {
  GenomeLayout layout;
  for (const InstanceFamily& f : net.families) {
    const bool uniform = std::all_of(f.low.begin(), f.low.end(), [&](double x) { return x == f.low[0]; }) &&
                         std::all_of(f.high.begin(), f.high.end(), [&](double x) { return x == f.high[0]; });
    GeneFamily g{.name = f.name,
                 .unit = f.unit,
                 .size = f.size(),
                 .low = f.size() > 0 ? f.low[0] : 0.0,
                 .high = f.size() > 0 ? f.high[0] : 0.0,
                 .labels = f.labels,
                 .whole = f.whole};
    if (!uniform) {
      g.lows = f.low;
      g.highs = f.high;
    }
    layout.Add(std::move(g));
    ranges->low.insert(ranges->low.end(), f.low.begin(), f.low.end());
    ranges->high.insert(ranges->high.end(), f.high.begin(), f.high.end());
  }
  return layout;
}

std::vector<int32_t> NeuronPopulations(const std::vector<InstancePopulation>& populations, int neurons) {
  std::vector<int32_t> out(static_cast<size_t>(neurons), -1);
  for (size_t p = 0; p < populations.size(); ++p)
    std::fill_n(out.begin() + populations[p].begin, populations[p].size, static_cast<int32_t>(p));
  return out;
}

}  // namespace neurevo
