// `neurevo describe`: what a config builds, before any training.
#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/lif_model.h"
#include "model/lif_preset.h"
#include "model/network_model.h"
#include "model/enu/enu_model.h"
#include "model/threshold_network.h"
#include "neurevo/train.h"
#include "train/memory_estimate.h"

namespace neurevo {

namespace {

using nlohmann::json;

std::string Describe(const ValueSpec& v, const std::string& unit) {
  using K = ValueSpec::Kind;
  const auto clip = [&] {
    return v.low > -1e300 || v.high < 1e300 ? fmt::format(", clipped to [{}, {}]", v.low, v.high) : std::string();
  };
  switch (v.kind) {
    case K::kConstant: return fmt::format("{} {}", v.value, unit);
    case K::kEvolved: return fmt::format("evolved in [{}, {}] {}", v.low, v.high, unit);
    case K::kUniform: return fmt::format("frozen uniform [{}, {}) {}{}", v.a, v.b, unit, clip());
    case K::kNormal: return fmt::format("frozen normal (mean {}, std {}) {}{}", v.a, v.b, unit, clip());
    case K::kLognormal: return fmt::format("frozen lognormal (mu {}, sigma {} of ln) {}{}", v.a, v.b, unit, clip());
    case K::kList: {
      if (v.list.empty()) return "an empty list";
      const auto [lo, hi] = std::minmax_element(v.list.begin(), v.list.end());
      return fmt::format("a list of {} values in [{}, {}] {}", v.list.size(), *lo, *hi, unit);
    }
  }
  return "";
}

std::string UnitOf(const std::string& parameter) {
  const size_t underscore = parameter.rfind('_');
  return underscore == std::string::npos ? "" : parameter.substr(underscore + 1);
}

// A list's rows keep their own weights and delays unless the projection
// evolves them (or evolves weights around them); weights are scaled.
std::string FromList(const ProjectionSpec& p, const ValueSpec& v, const std::string& unit, bool weight = false) {
  if (p.connector.kind != ConnectorSpec::Kind::kList) return Describe(v, unit);
  const double scale = weight ? p.connector.weight_scale : 1.0;
  const std::string own = scale == 1.0 ? "each row's own" : fmt::format("each row's own x {}", scale);
  if (v.evolved() && v.around_list) return fmt::format("evolved in {} + [{}, {}] {}", own, v.low, v.high, unit);
  if (v.evolved()) return Describe(v, unit);
  return fmt::format("{} (rows without one: {})", own, Describe(v, unit));
}

const char* ConnectorName(ConnectorSpec::Kind k) {
  switch (k) {
    case ConnectorSpec::Kind::kAllToAll: return "all_to_all";
    case ConnectorSpec::Kind::kOneToOne: return "one_to_one";
    case ConnectorSpec::Kind::kFixedProbability: return "fixed_probability";
    case ConnectorSpec::Kind::kFixedInDegree: return "fixed_in_degree";
    case ConnectorSpec::Kind::kList: return "list";
  }
  return "";
}

// The populations and projections of a description (LIF or threshold).
void DescribeNetwork(const NetworkSpec& spec, const NetworkInstance& net, json& out) {
  json populations = json::array();
  for (size_t i = 0; i < spec.populations.size(); ++i) {
    const PopulationSpec& p = spec.populations[i];
    const InstancePopulation& ip = net.populations[i];
    int inhibitory = 0;
    for (int k = 0; k < ip.size; ++k) inhibitory += p.DaleOf(k) == DaleType::kInhibitory;
    json params = json::object();
    for (const auto& param : p.params) params[param.first] = Describe(param.second, UnitOf(param.first));
    populations.push_back({{"name", p.name},
                           {"size", ip.size},
                           {"model", p.model},
                           {"role", p.role == Role::kInput ? "input" : p.role == Role::kOutput ? "output" : "hidden"},
                           // (a threshold neuron has neither: it fires a hop and resets to 0)
                           {"transmission", p.model == "threshold" ? "hop" : p.spiking ? "spiking" : "graded"},
                           {"reset", p.model == "threshold" ? "0" : p.reset_to_rest ? "rest" : "v_reset"},
                           {"excitatory", ip.size - inhibitory},
                           {"inhibitory", inhibitory},
                           {"parameters", params}});
  }
  std::vector<long long> chemical(spec.projections.size()), electrical(spec.projections.size());
  for (const InstanceSynapse& s : net.synapses) ++chemical[s.projection];
  for (const GapJunction& g : net.gaps) ++electrical[g.projection];
  json projections = json::array();
  const bool threshold = IsThresholdNetwork(spec);
  for (size_t j = 0; j < spec.projections.size(); ++j) {
    const ProjectionSpec& p = spec.projections[j];
    const bool gap = p.kind == SynapseKind::kElectrical;
    const std::string unit = WeightUnit(spec, p);
    json c = {{"kind", ConnectorName(p.connector.kind)}};
    if (p.connector.kind == ConnectorSpec::Kind::kFixedProbability) c["probability"] = p.connector.probability;
    if (p.connector.kind == ConnectorSpec::Kind::kFixedInDegree) c["in_degree"] = p.connector.in_degree;
    if (p.connector.kind == ConnectorSpec::Kind::kList) c["file"] = p.connector.file;
    projections.push_back({{"name", p.name.empty() ? p.pre + "->" + p.post : p.name},
                           {"pre", p.pre},
                           {"post", p.post},
                           {"connector", c},
                           {"synapse", gap ? "electrical" : "chemical"},
                           {"receptor", gap ? "" : p.receptor.empty() ? "AMPA or GABA (Dale)" : p.receptor},
                           {"synapses", gap ? electrical[j] : chemical[j]},
                           {"weight", FromList(p, p.weight, unit == "1" ? "" : unit, true)},  // (a count is unitless)
                           {"delay", gap ? "none (instantaneous)"
                                     : threshold ? "none (one hop per step)"
                                                 : FromList(p, p.delay, "ms")}});
  }
  out["neurons"] = net.neurons;
  out["chemical_synapses"] = net.synapses.size();
  out["gap_junctions"] = net.gaps.size();
  out["populations"] = populations;
  out["projections"] = projections;
}

}  // namespace

json DescribeRun(const RunConfig& c) {
  const auto task = MakeTask(c.task_name, c.task_options);
  const Space& obs = task->observation_space();
  const Space& act = task->action_space();
  const std::unique_ptr<Model> model = MakeModel(c.model, obs, act);
  json out = {{"task", c.task_name},
              {"observations", obs.vector_size()},
              {"actions", act.discrete() ? fmt::format("{} discrete", act.size) : fmt::format("{} continuous", act.size)},
              {"model", c.model.kind}};
  if (const auto* lif = dynamic_cast<const LifModel*>(model.get())) {
    const NetworkSpec spec = c.model.kind == "network"
                                 ? NetworkSpecForTask(c.model, obs, act)
                                 : LifPresetSpec(c.model, LifInputs(c.model, obs), LifOutputNeurons(c.model, act));
    DescribeNetwork(spec, lif->decoder().network(), out);
  } else if (const auto* threshold = dynamic_cast<const ThresholdModel*>(model.get())) {
    DescribeNetwork(NetworkSpecForTask(c.model, obs, act), threshold->network(), out);
  } else if (const auto* enu = dynamic_cast<const EnuModel*>(model.get())) {
    const EnuOptions& e = c.model.enu;
    const EnuTopology& t = enu->topology();
    out["enu"] = {{"topology", e.enu_topology},
                  {"memory", e.enu_memory},
                  {"channels", e.enu_channels},
                  {"network_steps", e.enu_network_steps},
                  {"sensory_neurons", t.sensors},
                  {"reward_inputs", t.reward_inputs},
                  {"enu_neurons", t.neurons},
                  {"motor_neurons", t.motors},
                  {"enu_synapses", t.synapse_source.size()},
                  {"stateless", e.enu_stateless},
                  {"shuffle", e.enu_shuffle}};
  }
  json families = json::array();
  for (const GeneFamily& f : model->layout().families()) {
    json first = json::array();
    for (size_t k = 0; k < std::min<size_t>(3, f.labels.size()); ++k) first.push_back(f.labels[k]);
    double low = f.low, high = f.high;
    if (!f.lows.empty()) {
      low = *std::min_element(f.lows.begin(), f.lows.end());
      high = *std::max_element(f.highs.begin(), f.highs.end());
    }
    families.push_back({{"name", f.name},
                        {"genes", f.size},
                        {"unit", f.unit},
                        {"low", low},
                        {"high", high},
                        {"ranges_differ", !f.lows.empty()},
                        {"first_labels", first}});
  }
  out["genes"] = model->layout().size();
  out["families"] = families;
  const MemoryEstimate m = EstimateMemory(c);
  out["memory"] = {{"per_individual_bytes", m.per_individual_bytes},
                   {"per_island_bytes", m.per_island_bytes},
                   {"per_thread_bytes", m.per_thread_bytes},
                   {"fixed_bytes", m.fixed_bytes},
                   {"islands", m.islands},
                   {"threads", m.threads},
                   {"total_bytes", m.total_bytes()},
                   {"available_bytes", AvailableMemoryBytes()}};
  return out;
}

std::string DescribeText(const json& d) {
  std::string s = fmt::format("task {}: {} observations, {} actions\nmodel {}", d["task"].get<std::string>(),
                              d["observations"].get<int>(), d["actions"].get<std::string>(),
                              d["model"].get<std::string>());
  if (d.contains("populations")) {
    s += fmt::format(": {} neurons, {} chemical synapses, {} gap junctions\n\npopulations\n",
                     d["neurons"].get<long long>(), d["chemical_synapses"].get<long long>(),
                     d["gap_junctions"].get<long long>());
    for (const json& p : d["populations"]) {
      s += fmt::format("  {:<10} {:>7} {} {} {}{} ({} E, {} I)\n", p["name"].get<std::string>(), p["size"].get<int>(),
                       p["role"].get<std::string>(), p["model"].get<std::string>(), p["transmission"].get<std::string>(),
                       p["reset"] == "rest" ? " (reset to rest)" : "", p["excitatory"].get<int>(),
                       p["inhibitory"].get<int>());
      for (const auto& [name, value] : p["parameters"].items())
        s += fmt::format("  {:<10}   {} = {}\n", "", name, value.get<std::string>());
    }
    s += "\nprojections\n";
    for (const json& p : d["projections"]) {
      std::string connector = p["connector"]["kind"].get<std::string>();
      if (p["connector"].contains("probability"))
        connector += fmt::format(" p={}", p["connector"]["probability"].get<double>());
      if (p["connector"].contains("in_degree"))
        connector += fmt::format(" k={}", p["connector"]["in_degree"].get<int>());
      if (p["connector"].contains("file")) connector += " " + p["connector"]["file"].get<std::string>();
      const std::string receptor = p["receptor"].get<std::string>();
      s += fmt::format("  {:<16} {:>9} {} synapses{}, {}; weight {}; delay {}\n", p["name"].get<std::string>(),
                       p["synapses"].get<long long>(), p["synapse"].get<std::string>(),
                       receptor.empty() ? "" : " (" + receptor + ")", connector, p["weight"].get<std::string>(),
                       p["delay"].get<std::string>());
    }
  } else if (d.contains("enu")) {
    const json& e = d["enu"];
    s += fmt::format(": units of memory {} and {} output channels, {} network step(s) per env step{}{}\n",
                     e["memory"].get<int>(), e["channels"].get<int>(), e["network_steps"].get<int>(),
                     e["stateless"].get<bool>() ? ", stateless (no unit memory)" : "",
                     e["shuffle"].get<bool>() && e["topology"] == "network" ? ", sensors and motors shuffled per episode"
                                                                             : "");
    if (e["topology"] == "unit")
      s += "  one unit fed the observation; its channels are the outputs\n";
    else
      s += fmt::format("  {} sensory neurons, {}, {} ENU neurons ({} motor), {} ENU synapses\n",
                       e["sensory_neurons"].get<int>(),
                       e["reward_inputs"].get<int>() > 0
                           ? fmt::format("a reward neuron ({} channels)", e["reward_inputs"].get<int>())
                           : std::string("no reward neuron"),
                       e["enu_neurons"].get<int>(), e["motor_neurons"].get<int>(), e["enu_synapses"].get<int>());
  } else {
    s += "\n";
  }
  s += fmt::format("\ngenes: {}\n", d["genes"].get<long long>());
  for (const json& f : d["families"]) {
    std::vector<std::string> first;
    for (const json& l : f["first_labels"]) first.push_back(l.get<std::string>());
    s += fmt::format("  {:<20} {:>8}  in [{}, {}] {}{}{}\n", f["name"].get<std::string>(), f["genes"].get<int>(),
                     f["low"].get<double>(), f["high"].get<double>(), f["unit"].get<std::string>(),
                     f["ranges_differ"].get<bool>() ? " (ranges differ by gene)" : "",
                     first.empty() ? "" : fmt::format("  e.g. {}", fmt::join(first, ", ")));
  }
  const json& m = d["memory"];
  s += fmt::format("\nmemory: {} per individual, {} per island ({}), {} per thread ({}), {} in all; {} available\n",
                   FormatBytes(m["per_individual_bytes"].get<double>()),
                   FormatBytes(m["per_island_bytes"].get<double>()), m["islands"].get<int>(),
                   FormatBytes(m["per_thread_bytes"].get<double>()), m["threads"].get<int>(),
                   FormatBytes(m["total_bytes"].get<double>()), FormatBytes(m["available_bytes"].get<double>()));
  return s;
}

}  // namespace neurevo
