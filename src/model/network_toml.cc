#include "model/network_toml.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <string_view>

#include "neurevo/error.h"

namespace neurevo {

namespace {

// Descriptions larger than these are not networks anyone writes by hand or
// imports; they bound the work a hostile config can ask for.
constexpr size_t kMaxPopulations = 10'000;
constexpr size_t kMaxProjections = 100'000;
constexpr long long kMaxListValues = 10'000'000;
constexpr size_t kMaxName = 64;

[[noreturn]] void Fail(const std::string& key, const std::string& message) {
  throw ConfigError(fmt::format("{}: {}", key, message));
}

double Number(const toml::node& n, const std::string& key) {
  if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
  if (const auto* f = n.as_floating_point()) {
    if (!std::isfinite(f->get())) Fail(key, fmt::format("must be a finite number, not {}", f->get()));
    return f->get();
  }
  Fail(key, fmt::format("must be a number, not {}", TomlTypeName(n)));
}

std::string String(const toml::node& n, const std::string& key) {
  const auto* s = n.as_string();
  if (!s) Fail(key, fmt::format("must be a string, not {}", TomlTypeName(n)));
  return s->get();
}

std::string Choice(const toml::node& n, const std::string& key, std::initializer_list<const char*> allowed) {
  const std::string v = String(n, key);
  for (const char* a : allowed)
    if (v == a) return v;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : " / ") + std::string(a);
  Fail(key, fmt::format("'{}' is not one of {}", Echo(v), list));
}

long long Integer(const toml::node& n, const std::string& key, long long low, long long high) {
  const auto* i = n.as_integer();
  if (!i) Fail(key, fmt::format("must be an integer, not {}", TomlTypeName(n)));
  if (i->get() < low || i->get() > high) Fail(key, fmt::format("{} is outside {} .. {}", i->get(), low, high));
  return i->get();
}

std::pair<double, double> Pair(const toml::node& n, const std::string& key) {
  const auto* a = n.as_array();
  if (!a || a->size() != 2) Fail(key, "must be a pair of numbers [a, b]");
  return {Number(*a->get(0), key + "[0]"), Number(*a->get(1), key + "[1]")};
}

// A number, a list of numbers, or a table {evolve | uniform | normal |
// lognormal = [a, b], low = ..., high = ...}.
ValueSpec ParseValue(const toml::node& n, const std::string& key) {
  ValueSpec v;
  if (n.is_number()) return ValueSpec::Constant(Number(n, key));
  if (const auto* a = n.as_array()) {
    if (static_cast<long long>(a->size()) > kMaxListValues)
      Fail(key, fmt::format("a list of more than {} values", kMaxListValues));
    v.kind = ValueSpec::Kind::kList;
    v.list.reserve(a->size());
    for (size_t i = 0; i < a->size(); ++i) v.list.push_back(Number(*a->get(i), fmt::format("{}[{}]", key, i)));
    return v;
  }
  const auto* t = n.as_table();
  if (!t)
    Fail(key, fmt::format("must be a number, a list of numbers or a table such as {{ evolve = [low, high] }}, "
                          "not {}",
                          TomlTypeName(n)));
  int forms = 0;
  for (const auto& [k, node] : *t) {
    const std::string name(k.str()), sub = key + "." + name;
    if (name == "low") {
      v.low = Number(node, sub);
    } else if (name == "high") {
      v.high = Number(node, sub);
    } else if (name == "around") {
      if (Choice(node, sub, {"list"}) == "list") v.around_list = true;
    } else if (name == "evolve" || name == "uniform" || name == "normal" || name == "lognormal") {
      ++forms;
      const auto [a, b] = Pair(node, sub);
      v.a = a;
      v.b = b;
      v.kind = name == "evolve"    ? ValueSpec::Kind::kEvolved
               : name == "uniform" ? ValueSpec::Kind::kUniform
               : name == "normal"  ? ValueSpec::Kind::kNormal
                                   : ValueSpec::Kind::kLognormal;
    } else {
      Fail(sub, "unknown key; allowed: evolve, uniform, normal, lognormal (each [a, b]), low, high, around");
    }
  }
  if (forms != 1) Fail(key, "give exactly one of evolve, uniform, normal, lognormal");
  if (v.kind == ValueSpec::Kind::kEvolved) {
    if (t->contains("low") || t->contains("high")) Fail(key, "an evolved range is evolve = [low, high] alone");
    v.low = v.a;
    v.high = v.b;
    if (v.low > v.high) Fail(key + ".evolve", fmt::format("low {} is above high {}", v.low, v.high));
  } else if (v.around_list) {
    Fail(key + ".around", "only an evolved range can lie around the listed values: { evolve = [low, high], around = \"list\" }");
  }
  return v;
}

const toml::array& Tables(const toml::node& n, const std::string& key) {
  const auto* a = n.as_array();
  if (!a || !(a->empty() || a->is_array_of_tables()))
    Fail(key, fmt::format("must be an array of tables ([[{}]]), not {}", key, TomlTypeName(n)));
  return *a;
}

// Label and Dale columns of a population's neuron table.
void ReadNeuronTable(const std::string& text, const std::string& path, PopulationSpec& p) {
  int line_no = 0, label_col = -1, dale_col = -1;
  size_t columns = 0;
  bool header = false;
  std::vector<DaleType> dale;
  std::string_view rest(text);
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> cells;
    for (size_t start = 0;;) {
      const size_t comma = line.find(',', start);
      std::string_view c = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
      while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
      cells.push_back(c);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    const std::string where = fmt::format("{}:{}", path, line_no);
    if (!header) {
      for (size_t c = 0; c < cells.size(); ++c) {
        if (cells[c] == "label") label_col = static_cast<int>(c);
        else if (cells[c] == "dale") dale_col = static_cast<int>(c);
        else if (cells[c] != "transmitter")  // informational (a connectome's), not read
          Fail(where, fmt::format("unknown column '{}' (allowed: label, dale, transmitter)", Echo(cells[c])));
      }
      if (label_col < 0) Fail(where, "the header must name the column label");
      columns = cells.size();
      header = true;
      continue;
    }
    if (cells.size() != columns) Fail(where, fmt::format("{} cells, the header has {}", cells.size(), columns));
    if (static_cast<long long>(p.labels.size()) >= kMaxListValues)
      Fail(where, fmt::format("more than {} neurons", kMaxListValues));
    if (cells[label_col].empty()) Fail(where, "an empty label");
    p.labels.emplace_back(cells[label_col]);
    if (dale_col >= 0) {
      const std::string_view d = cells[dale_col];
      if (d == "E" || d == "excitatory") dale.push_back(DaleType::kExcitatory);
      else if (d == "I" || d == "inhibitory") dale.push_back(DaleType::kInhibitory);
      else Fail(where, fmt::format("dale '{}' is not E, I, excitatory or inhibitory", Echo(d)));
    }
  }
  if (!header) Fail(path, "no header line (columns label[, dale])");
  if (dale_col >= 0) p.dale = std::move(dale);
}

PopulationSpec ParsePopulation(const toml::table& t, const std::string& key,
                               const std::function<std::string(const std::string&)>& read_file) {
  PopulationSpec p;
  p.size = kSizeFromTask;
  bool has_size = false, has_dale = false;
  for (const auto& [k, node] : t) {
    const std::string name(k.str()), sub = key + "." + name;
    if (name == "name") {
      p.name = String(node, sub);
      if (p.name.size() > kMaxName) Fail(sub, fmt::format("longer than {} characters", kMaxName));
    } else if (name == "size") {
      p.size = static_cast<int>(Integer(node, sub, 0, kMaxListValues));
      has_size = true;
    } else if (name == "model") {
      p.model = Choice(node, sub, {"lif_cond", "lif_curr", "threshold"});
    } else if (name == "role") {
      const std::string r = Choice(node, sub, {"input", "hidden", "output"});
      p.role = r == "input" ? Role::kInput : r == "output" ? Role::kOutput : Role::kHidden;
    } else if (name == "transmission") {
      p.spiking = Choice(node, sub, {"graded", "spiking"}) == "spiking";
    } else if (name == "reset") {
      p.reset_to_rest = Choice(node, sub, {"v_reset", "rest"}) == "rest";
    } else if (name == "dale") {
      has_dale = true;
      if (const auto* a = node.as_array()) {
        if (static_cast<long long>(a->size()) > kMaxListValues) Fail(sub, "too many entries");
        p.dale.clear();
        for (size_t i = 0; i < a->size(); ++i) {
          const std::string d = Choice(*a->get(i), fmt::format("{}[{}]", sub, i), {"E", "I", "excitatory", "inhibitory"});
          p.dale.push_back(d == "E" || d == "excitatory" ? DaleType::kExcitatory : DaleType::kInhibitory);
        }
      } else {
        p.dale = {Choice(node, sub, {"excitatory", "inhibitory"}) == "excitatory" ? DaleType::kExcitatory
                                                                                  : DaleType::kInhibitory};
      }
    } else if (name == "labels") {
      const auto* a = node.as_array();
      if (!a) Fail(sub, fmt::format("must be a list of strings, not {}", TomlTypeName(node)));
      if (static_cast<long long>(a->size()) > kMaxListValues) Fail(sub, "too many labels");
      for (size_t i = 0; i < a->size(); ++i) p.labels.push_back(String(*a->get(i), fmt::format("{}[{}]", sub, i)));
    } else if (name == "table") {
      const std::string path = String(node, sub);
      if (!read_file) Fail(sub, "neuron tables cannot be read here");
      ReadNeuronTable(read_file(path), path, p);
    } else {
      p.params.emplace_back(name, ParseValue(node, sub));
      if (p.params.back().second.around_list) Fail(sub + ".around", "only weights evolve around a list's values");
    }
  }
  if (p.name.empty()) Fail(key + ".name", "every population needs a name");
  if (!has_size) {
    if (!p.labels.empty()) p.size = static_cast<int>(p.labels.size());
    else if (p.role == Role::kHidden) Fail(key + ".size", "a hidden population needs a size");
  }
  if (has_dale && t.contains("table") && p.dale.size() > 1)
    Fail(key + ".dale", "give the Dale types in the table or here, not both");
  return p;
}

ProjectionSpec ParseProjection(const toml::table& t, const std::string& key) {
  ProjectionSpec p;
  p.weight = ValueSpec::Evolved(0.0, 0.05);
  p.delay = ValueSpec::Constant(1.0);
  std::string connector = "all_to_all";
  bool probability = false, in_degree = false, file = false, scale = false;
  for (const auto& [k, node] : t) {
    const std::string name(k.str()), sub = key + "." + name;
    if (name == "pre") p.pre = String(node, sub);
    else if (name == "post") p.post = String(node, sub);
    else if (name == "name") p.name = String(node, sub);
    else if (name == "connector")
      connector = Choice(node, sub, {"all_to_all", "one_to_one", "fixed_probability", "fixed_in_degree", "list"});
    else if (name == "probability") {
      p.connector.probability = Number(node, sub);
      if (p.connector.probability < 0 || p.connector.probability > 1)
        Fail(sub, fmt::format("{} is outside [0, 1]", p.connector.probability));
      probability = true;
    } else if (name == "in_degree") {
      p.connector.in_degree = static_cast<int>(Integer(node, sub, 0, kMaxListValues));
      in_degree = true;
    } else if (name == "file") {
      p.connector.file = String(node, sub);
      file = true;
    } else if (name == "weight_scale") {
      p.connector.weight_scale = Number(node, sub);
      if (!(p.connector.weight_scale > 0) || p.connector.weight_scale > 1e6)
        Fail(sub, fmt::format("{} is outside (0, 1e6]", p.connector.weight_scale));
      scale = true;
    } else if (name == "allow_self") {
      const auto* b = node.as_boolean();
      if (!b) Fail(sub, fmt::format("must be true or false, not {}", TomlTypeName(node)));
      p.connector.allow_self = b->get();
    } else if (name == "synapse") {
      p.kind = Choice(node, sub, {"chemical", "electrical"}) == "chemical" ? SynapseKind::kChemical
                                                                           : SynapseKind::kElectrical;
    } else if (name == "weight") {
      p.weight = ParseValue(node, sub);
    } else if (name == "delay") {
      p.delay = ParseValue(node, sub);
      if (p.delay.around_list) Fail(sub + ".around", "only weights evolve around a list's values");
    } else if (name == "receptor") {
      p.receptor = String(node, sub);
      if (p.receptor.size() > kMaxName) Fail(sub, fmt::format("longer than {} characters", kMaxName));
    } else {
      Fail(sub, "unknown key; allowed: pre, post, name, connector, probability, in_degree, file, weight_scale, "
                "allow_self, synapse, receptor, weight, delay");
    }
  }
  if (p.pre.empty()) Fail(key + ".pre", "every projection needs a presynaptic population");
  if (p.post.empty()) Fail(key + ".post", "every projection needs a postsynaptic population");
  using K = ConnectorSpec::Kind;
  p.connector.kind = connector == "all_to_all"          ? K::kAllToAll
                     : connector == "one_to_one"        ? K::kOneToOne
                     : connector == "fixed_probability" ? K::kFixedProbability
                     : connector == "fixed_in_degree"   ? K::kFixedInDegree
                                                        : K::kList;
  if ((p.connector.kind == K::kFixedProbability) != probability)
    Fail(key + ".probability", "is given with, and only with, connector = \"fixed_probability\"");
  if ((p.connector.kind == K::kFixedInDegree) != in_degree)
    Fail(key + ".in_degree", "is given with, and only with, connector = \"fixed_in_degree\"");
  if ((p.connector.kind == K::kList) != file) Fail(key + ".file", "is given with, and only with, connector = \"list\"");
  if (scale && p.connector.kind != K::kList) Fail(key + ".weight_scale", "is given only with connector = \"list\"");
  return p;
}

ReceptorSpec ParseReceptor(const toml::table& t, const std::string& key) {
  ReceptorSpec r;
  bool has_e = false;
  for (const auto& [k, node] : t) {
    const std::string name(k.str()), sub = key + "." + name;
    if (name == "name") {
      r.name = String(node, sub);
      if (r.name.size() > kMaxName) Fail(sub, fmt::format("longer than {} characters", kMaxName));
    } else if (name == "tau_syn_ms") {
      r.tau_syn_ms = Number(node, sub);
      if (!(r.tau_syn_ms > 0)) Fail(sub, fmt::format("{} ms; allowed: > 0", r.tau_syn_ms));
    } else if (name == "e_rev_mV") {
      r.e_rev_mV = Number(node, sub);
      has_e = true;
    } else if (name == "excitatory") {
      const auto* b = node.as_boolean();
      if (!b) Fail(sub, fmt::format("must be true or false, not {}", TomlTypeName(node)));
      r.excitatory = b->get();
    } else {
      Fail(sub, "unknown key; allowed: name, tau_syn_ms, e_rev_mV, excitatory");
    }
  }
  if (r.name.empty()) Fail(key + ".name", "every receptor needs a name");
  if (!has_e) Fail(key + ".e_rev_mV", "every receptor needs its reversal potential");
  return r;
}

toml::array ValueToToml(const std::vector<double>& list) {
  toml::array a;
  for (double x : list) a.push_back(x);
  return a;
}

void PutValue(toml::table& t, const std::string& key, const ValueSpec& v) {
  using K = ValueSpec::Kind;
  const auto pair = [](double a, double b) { return toml::array{a, b}; };
  toml::table spec;
  switch (v.kind) {
    case K::kConstant: t.insert_or_assign(key, v.value); return;
    case K::kList: t.insert_or_assign(key, ValueToToml(v.list)); return;
    case K::kEvolved:
      spec.insert("evolve", pair(v.low, v.high));
      if (v.around_list) spec.insert("around", "list");
      break;
    case K::kUniform: spec.insert("uniform", pair(v.a, v.b)); break;
    case K::kNormal: spec.insert("normal", pair(v.a, v.b)); break;
    case K::kLognormal: spec.insert("lognormal", pair(v.a, v.b)); break;
  }
  if (v.kind != K::kEvolved) {
    if (v.low > -1e300) spec.insert("low", v.low);
    if (v.high < 1e300) spec.insert("high", v.high);
  }
  spec.is_inline(true);  // tau_m_ms = { evolve = [5.0, 50.0] }, as a user writes it
  t.insert_or_assign(key, std::move(spec));
}

}  // namespace

std::string TomlTypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
  }
}

NetworkSpec ParseNetworkSpec(const toml::table& network, const std::string& prefix,
                             const std::function<std::string(const std::string&)>& read_file) {
  NetworkSpec spec;
  for (const auto& [k, node] : network) {
    const std::string name(k.str()), key = prefix + "." + name;
    if (name == "populations") {
      const toml::array& a = Tables(node, key);
      if (a.size() > kMaxPopulations) Fail(key, fmt::format("more than {} populations", kMaxPopulations));
      for (size_t i = 0; i < a.size(); ++i)
        spec.populations.push_back(ParsePopulation(*a.get(i)->as_table(), fmt::format("{}[{}]", key, i), read_file));
    } else if (name == "projections") {
      const toml::array& a = Tables(node, key);
      if (a.size() > kMaxProjections) Fail(key, fmt::format("more than {} projections", kMaxProjections));
      for (size_t i = 0; i < a.size(); ++i)
        spec.projections.push_back(ParseProjection(*a.get(i)->as_table(), fmt::format("{}[{}]", key, i)));
    } else if (name == "receptors") {
      const toml::array& a = Tables(node, key);
      if (a.size() > 6) Fail(key, "at most 6 receptors beyond AMPA and GABA");
      for (size_t i = 0; i < a.size(); ++i) spec.receptors.push_back(ParseReceptor(*a.get(i)->as_table(), fmt::format("{}[{}]", key, i)));
    } else {
      Fail(key, "unknown key; allowed in [network]: populations, projections, receptors");
    }
  }
  if (spec.populations.empty()) Fail(prefix + ".populations", "a network needs at least one population");
  return spec;
}

toml::table NetworkSpecToToml(const NetworkSpec& spec) {
  toml::array populations, projections;
  for (const PopulationSpec& p : spec.populations) {
    toml::table t;
    t.insert("name", p.name);
    if (p.size != kSizeFromTask) t.insert("size", p.size);
    t.insert("model", p.model);
    t.insert("role", p.role == Role::kInput ? "input" : p.role == Role::kOutput ? "output" : "hidden");
    t.insert("transmission", p.spiking ? "spiking" : "graded");
    if (p.reset_to_rest) t.insert("reset", "rest");
    if (p.dale.size() == 1) {
      t.insert("dale", p.dale[0] == DaleType::kExcitatory ? "excitatory" : "inhibitory");
    } else {
      toml::array d;
      for (DaleType x : p.dale) d.push_back(x == DaleType::kExcitatory ? "E" : "I");
      t.insert("dale", std::move(d));
    }
    if (!p.labels.empty()) {
      toml::array l;
      for (const auto& s : p.labels) l.push_back(s);
      t.insert("labels", std::move(l));
    }
    for (const auto& [name, value] : p.params) PutValue(t, name, value);
    populations.push_back(std::move(t));
  }
  for (const ProjectionSpec& p : spec.projections) {
    toml::table t;
    t.insert("pre", p.pre);
    t.insert("post", p.post);
    if (!p.name.empty()) t.insert("name", p.name);
    using K = ConnectorSpec::Kind;
    const auto& c = p.connector;
    t.insert("connector", c.kind == K::kAllToAll          ? "all_to_all"
                          : c.kind == K::kOneToOne        ? "one_to_one"
                          : c.kind == K::kFixedProbability ? "fixed_probability"
                          : c.kind == K::kFixedInDegree   ? "fixed_in_degree"
                                                          : "list");
    if (c.kind == K::kFixedProbability) t.insert("probability", c.probability);
    if (c.kind == K::kFixedInDegree) t.insert("in_degree", c.in_degree);
    if (c.kind == K::kList) t.insert("file", c.file);
    if (c.kind == K::kList && c.weight_scale != 1.0) t.insert("weight_scale", c.weight_scale);
    t.insert("allow_self", c.allow_self);
    t.insert("synapse", p.kind == SynapseKind::kChemical ? "chemical" : "electrical");
    if (!p.receptor.empty()) t.insert("receptor", p.receptor);
    PutValue(t, "weight", p.weight);
    PutValue(t, "delay", p.delay);
    projections.push_back(std::move(t));
  }
  toml::table network;
  network.insert("populations", std::move(populations));
  network.insert("projections", std::move(projections));
  if (!spec.receptors.empty()) {
    toml::array receptors;
    for (const ReceptorSpec& r : spec.receptors)
      receptors.push_back(toml::table{{"name", r.name}, {"tau_syn_ms", r.tau_syn_ms}, {"e_rev_mV", r.e_rev_mV},
                                      {"excitatory", r.excitatory}});
    network.insert("receptors", std::move(receptors));
  }
  return network;
}

}  // namespace neurevo
