// The run configuration: the schema of every key, parsing (TOML and --set),
// validation and writing back. The experiment layer: it sits above the
// models, optimizers and tasks it configures (src/core stays below them all).
#include "neurevo/config.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <filesystem>
#include <fmt/ranges.h>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "core/files.h"
#include "core/nesting_guard.h"
#include "model/network_toml.h"
#include "neurevo/error.h"
#include "neurevo/task.h"
#include "optim/fitness_shaping.h"

namespace neurevo {

namespace {

// One key: how to read it from a TOML node into a RunConfig and write it back.
struct Entry {
  ConfigKeyInfo info;
  std::function<void(RunConfig&, const toml::node&)> set;
  std::function<void(const RunConfig&, toml::table&, const std::string&)> put;
};

[[noreturn]] void Fail(const std::string& key, const std::string& message) {
  throw ConfigError(fmt::format("{}: {}", Echo(key), message));
}

std::string FormatNumber(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{}", x);
}

// Puts `value` at dotted `key` in `root`, creating sub-tables.
template <class V>
void PutAt(toml::table& root, const std::string& key, V&& value) {
  toml::table* t = &root;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    const std::string part = key.substr(start, dot - start);
    if (!t->contains(part)) t->insert(part, toml::table{});
    t = t->get_as<toml::table>(part);
  }
  t->insert_or_assign(key.substr(start), std::forward<V>(value));
}

#define FIELD(path) [](RunConfig& c) -> auto& { return c.path; }

template <class Acc>
Entry Int(std::string key, Acc acc, long long min, long long max, std::string doc) {
  using T = std::remove_reference_t<decltype(acc(std::declval<RunConfig&>()))>;
  std::string allowed = max == std::numeric_limits<long long>::max()
                            ? fmt::format(">= {}", min)
                            : fmt::format("{} .. {}", min, max);
  RunConfig defaults;
  Entry e{{key, "int", std::to_string(acc(defaults)), allowed, std::move(doc)}, {}, {}};
  e.set = [key, acc, min, max, allowed](RunConfig& c, const toml::node& n) {
    if (!n.is_integer()) Fail(key, fmt::format("expected an integer ({}), got {}", allowed, TomlTypeName(n)));
    const long long v = n.as_integer()->get();
    if (v < min || v > max) Fail(key, fmt::format("{} is out of range; allowed: {}", v, allowed));
    acc(c) = static_cast<T>(v);
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    PutAt(t, k, static_cast<int64_t>(acc(const_cast<RunConfig&>(c))));
  };
  return e;
}

// Floats in [min, max] (`min_open` excludes `min` itself); integers are
// accepted. Every bound is finite: NaN and the infinities are refused, except
// +inf where `inf_means` says what it means (budget.target_fitness: never).
template <class Acc>
Entry Float(std::string key, Acc acc, double min, double max, bool min_open, std::string doc,
            std::string inf_means = "") {
  std::string allowed =
      fmt::format("{} {} .. {}", FormatNumber(min), min_open ? "(exclusive)" : "", FormatNumber(max));
  if (!inf_means.empty()) allowed += fmt::format(", or inf ({})", inf_means);
  RunConfig defaults;
  Entry e{{key, "float", FormatNumber(acc(defaults)), allowed, std::move(doc)}, {}, {}};
  const bool inf_ok = !inf_means.empty();
  e.set = [key, acc, min, max, min_open, allowed, inf_ok](RunConfig& c, const toml::node& n) {
    double v;
    if (n.is_floating_point()) v = n.as_floating_point()->get();
    else if (n.is_integer()) v = static_cast<double>(n.as_integer()->get());
    else Fail(key, fmt::format("expected a number ({}), got {}", allowed, TomlTypeName(n)));
    const bool below = min_open ? !(v > min) : !(v >= min);
    const bool allowed_inf = inf_ok && std::isinf(v) && v > 0;
    if (!allowed_inf && (!std::isfinite(v) || below || v > max))
      Fail(key, fmt::format("{} is out of range; allowed: {}", std::isnan(v) ? "nan" : FormatNumber(v), allowed));
    acc(c) = v;
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    PutAt(t, k, acc(const_cast<RunConfig&>(c)));
  };
  return e;
}

template <class Acc>
Entry Bool(std::string key, Acc acc, std::string doc) {
  RunConfig defaults;
  Entry e{{key, "bool", acc(defaults) ? "true" : "false", "true | false", std::move(doc)}, {}, {}};
  e.set = [key, acc](RunConfig& c, const toml::node& n) {
    if (!n.is_boolean()) Fail(key, fmt::format("expected true or false, got {}", TomlTypeName(n)));
    acc(c) = n.as_boolean()->get();
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    PutAt(t, k, acc(const_cast<RunConfig&>(c)));
  };
  return e;
}

// A string from a fixed set of choices (empty choices: any string).
template <class Acc>
Entry Choice(std::string key, Acc acc, std::vector<std::string> choices, std::string doc) {
  RunConfig defaults;
  const std::string allowed = choices.empty() ? "any string" : fmt::format("{}", fmt::join(choices, " | "));
  Entry e{{key, "string", fmt::format("\"{}\"", acc(defaults)), allowed, std::move(doc)}, {}, {}};
  e.set = [key, acc, choices, allowed](RunConfig& c, const toml::node& n) {
    if (!n.is_string()) Fail(key, fmt::format("expected a string ({}), got {}", allowed, TomlTypeName(n)));
    const std::string v = n.as_string()->get();
    if (!choices.empty() && std::find(choices.begin(), choices.end(), v) == choices.end())
      Fail(key, fmt::format("unknown value '{}'; allowed: {}", Echo(v), allowed));
    acc(c) = v;
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    PutAt(t, k, acc(const_cast<RunConfig&>(c)));
  };
  return e;
}

// task.name: a registered id or a member of a task family (MemoryLength-10).
Entry TaskName(std::string key, std::string doc) {
  RunConfig defaults;
  std::vector<std::string> ids = TaskNames();
  for (const auto& f : TaskFamilies()) ids.push_back(f);
  const std::string allowed = fmt::format("{}", fmt::join(ids, " | "));
  Entry e{{key, "string", fmt::format("\"{}\"", defaults.task_name), allowed, std::move(doc)}, {}, {}};
  e.set = [key](RunConfig& c, const toml::node& n) {
    if (!n.is_string()) Fail(key, fmt::format("expected a string (a task id), got {}", TomlTypeName(n)));
    const std::string v = n.as_string()->get();
    if (!IsTaskName(v)) Fail(key, fmt::format("unknown value '{}'; allowed: {}", Echo(v), TaskNamesAllowed()));
    c.task_name = v;
  };
  e.put = [](const RunConfig& c, toml::table& t, const std::string& k) { PutAt(t, k, c.task_name); };
  return e;
}

template <class Acc>
Entry StringList(std::string key, Acc acc, std::string allowed, std::string doc) {
  RunConfig defaults;
  std::vector<std::string> quoted;
  for (const auto& s : acc(defaults)) quoted.push_back(fmt::format("\"{}\"", s));
  Entry e{{key, "string list", fmt::format("[{}]", fmt::join(quoted, ", ")), allowed, std::move(doc)}, {}, {}};
  e.set = [key, acc](RunConfig& c, const toml::node& n) {
    const toml::array* a = n.as_array();
    if (!a) Fail(key, fmt::format("expected an array of strings, got {}", TomlTypeName(n)));
    std::vector<std::string> out;
    for (const auto& item : *a) {
      if (!item.is_string()) Fail(key, fmt::format("expected an array of strings, found {} in it", TomlTypeName(item)));
      out.push_back(item.as_string()->get());
    }
    acc(c) = out;
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    toml::array a;
    for (const auto& s : acc(const_cast<RunConfig&>(c))) a.push_back(s);
    PutAt(t, k, std::move(a));
  };
  return e;
}

template <class Acc>
Entry IntList(std::string key, Acc acc, long long min, std::string doc) {
  RunConfig defaults;
  const std::string allowed = fmt::format("non-empty, each >= {}", min);
  Entry e{{key, "int list", fmt::format("[{}]", fmt::join(acc(defaults), ", ")), allowed, std::move(doc)}, {}, {}};
  e.set = [key, acc, min, allowed](RunConfig& c, const toml::node& n) {
    const toml::array* a = n.as_array();
    if (!a || a->empty()) Fail(key, fmt::format("expected a non-empty array of integers ({})", allowed));
    std::vector<int> out;
    for (const auto& item : *a) {
      if (!item.is_integer() || item.as_integer()->get() < min || item.as_integer()->get() > 1000000)
        Fail(key, fmt::format("expected an array of integers ({})", allowed));
      out.push_back(static_cast<int>(item.as_integer()->get()));
    }
    acc(c) = out;
  };
  e.put = [acc](const RunConfig& c, toml::table& t, const std::string& k) {
    toml::array a;
    for (int v : acc(const_cast<RunConfig&>(c))) a.push_back(static_cast<int64_t>(v));
    PutAt(t, k, std::move(a));
  };
  return e;
}

// task.options: a table of the task's own options; which names and types a
// task accepts is the task registry's to check (MakeTask, from Validate).
void SetTaskOption(RunConfig& c, const std::string& name, const toml::node& n) {
  const std::string key = "task.options." + name;
  if (n.is_boolean()) c.task_options[name] = n.as_boolean()->get();
  else if (n.is_integer()) c.task_options[name] = static_cast<long long>(n.as_integer()->get());
  else if (n.is_floating_point()) c.task_options[name] = n.as_floating_point()->get();
  else if (n.is_string()) c.task_options[name] = n.as_string()->get();
  else Fail(key, fmt::format("expected a boolean, number or string, got {}", TomlTypeName(n)));
}

Entry TaskOptionsTable(std::string key, std::string doc) {
  Entry e{{key, "table", "{}", "the task's options (README: Tasks)", std::move(doc)}, {}, {}};
  e.set = [key](RunConfig& c, const toml::node& n) {
    const toml::table* t = n.as_table();
    if (!t) Fail(key, fmt::format("expected a table (e.g. {{ name = value }}), got {}", TomlTypeName(n)));
    c.task_options.clear();
    for (const auto& [name, value] : *t) SetTaskOption(c, std::string(name.str()), value);
  };
  e.put = [](const RunConfig& c, toml::table& t, const std::string& k) {
    toml::table options;
    // (not a structured binding: clang 14 cannot capture one in a lambda)
    for (const auto& option : c.task_options)
      std::visit([&](const auto& v) { options.insert(option.first, v); }, option.second);
    PutAt(t, k, std::move(options));
  };
  return e;
}

constexpr long long kNoMax = std::numeric_limits<long long>::max();

const std::vector<Entry>& Schema() {
  static const std::vector<Entry> schema = [] {
    std::vector<Entry> s;
    s.push_back(TaskName("task.name", "Task (Gymnasium-style id; MemoryLength-N is bsuite's memory_len)."));
    s.push_back(TaskOptionsTable("task.options",
                                 "The task's own options: CartPole-v1's `max_episode_steps` (its TimeLimit), "
                                 "Ant-v5's `include_cfrc_ext_in_observation` "
                                 "(Gymnasium's keyword; true), ImageClassification's `data` (the data set's "
                                 "directory, relative to the config), TMaze's `first_food` (\"random\" or "
                                 "\"green\"), `swap_meals_min` and `swap_meals_max` (3 and 5), `swap_schedule` (\"uniform\" or \"geometric\"), "
                                 "`max_energy` (40), StdpMimic's "
                                 "`potentiation` and `depression` (0.25 and 0.3); other tasks have none. "
                                 "`--set task.options.NAME=value` sets one."));
    // Model.
    s.push_back(Choice("model.kind", FIELD(model.kind), ModelKindNames(),
                       "bnn: graded LIF network; snn: spiking LIF network (both presets of a network "
                       "description, `neurevo config --expand` shows it); network: the config's own "
                       "[[network.populations]] and [[network.projections]] (README: Networks as populations "
                       "and projections); rnn, mlp: tanh baselines; enu: networks of evolvable neural units "
                       "(README: ENU networks); rsnn: a discrete-time recurrent spiking network with a gradient "
                       "path (README: Neocortical RSNN)."));
    s.push_back(Int("model.excitatory", FIELD(model.excitatory), 0, 100000, "Excitatory neurons (rnn: hidden units = E + I)."));
    s.push_back(Int("model.inhibitory", FIELD(model.inhibitory), 0, 100000, "Inhibitory neurons."));
    s.push_back(StringList("model.connectivity", FIELD(model.connectivity), "FROM->TO over in, E, I, out; nothing into in",
                           "Connected group pairs (dense within each pair, no self-synapses)."));
    s.push_back(Float("model.dt_ms", FIELD(model.dt_ms), 0, 10, true, "Substep length (ms)."));
    s.push_back(Int("model.substeps", FIELD(model.substeps), 0, 1000000,
                    "Substeps per environment step; 0: as many as fill the task's step time (its dt), "
                    "a network running in real time."));
    s.push_back(Float("model.v_rest_mV", FIELD(model.neuron.v_rest_mV), -200, 100, false, "Resting potential."));
    s.push_back(Float("model.v_reset_mV", FIELD(model.neuron.v_reset_mV), -200, 100, false, "Reset potential after a spike."));
    s.push_back(Float("model.v_init_mV", FIELD(model.neuron.v_init_mV), -200, 100, false, "Potential at the start of each episode."));
    s.push_back(Float("model.v_threshold_mV", FIELD(model.neuron.v_threshold_mV), -200, 100, false, "Spike threshold; centre of the graded signal."));
    s.push_back(Float("model.c_m_pF", FIELD(model.neuron.c_m_pF), 0.001, 1e6, false, "Membrane capacitance."));
    s.push_back(Float("model.tau_m_ms", FIELD(model.neuron.tau_m_ms), 0, 1e6, true, "Membrane time constant (>= 2 dt)."));
    s.push_back(Float("model.input_tau_m_ms", FIELD(model.neuron.input_tau_m_ms), 0, 1e6, true,
                      "Membrane time constant of input neurons (fast sensory relays; >= 2 dt)."));
    s.push_back(Float("model.tau_syn_ms", FIELD(model.neuron.tau_syn_ms), 0, 1e6, true, "Synaptic (AMPA and GABA) time constant."));
    s.push_back(Float("model.tau_ref_ms", FIELD(model.neuron.tau_ref_ms), 0, 10000, false, "Refractory period (snn)."));
    s.push_back(Float("model.e_exc_mV", FIELD(model.neuron.e_exc_mV), -200, 200, false, "AMPA reversal potential."));
    s.push_back(Float("model.e_inh_mV", FIELD(model.neuron.e_inh_mV), -200, 200, false, "GABA reversal potential."));
    s.push_back(Float("model.graded_halfwidth_mV", FIELD(model.neuron.graded_halfwidth_mV), 0.001, 1000, false,
                      "Graded signal rises from V_th - w to V_th + w (smoothstep)."));
    s.push_back(Float("model.weight_max_nS", FIELD(model.weight_max_nS), 0, 1e6, false,
                      "Steady conductance of a weight gene of 1 at presynaptic activation 1 (bnn, snn: "
                      "dt_ms * weight_max_nS * max(1, inhibitory_weight_scale) / c_m_pF <= 1, forward-Euler "
                      "stability)."));
    s.push_back(Float("model.inhibitory_weight_scale", FIELD(model.inhibitory_weight_scale), 0, 1e6, false,
                      "GABA weight genes map to [0, weight_max_nS * scale] (relative inhibition)."));
    s.push_back(Float("model.input_fan_in_reference", FIELD(model.encoding.input_fan_in_reference), 0, 1e6, false,
                      "With more input neurons than this, input synapse weights scale by reference / inputs "
                      "(total input drive bounded); 0: never."));
    s.push_back(Choice("model.snn_readout", FIELD(model.readout.snn_readout), {"potential", "rate"},
                       "snn: spiking outputs read by rate (every neuron spikes), or non-spiking output integrators read by potential."));
    s.push_back(Float("model.spike_reference_hz", FIELD(model.neuron.spike_reference_hz), 10, 10000, false,
                      "snn: firing rate that counts as activation 1 (weights and readout; at most one spike per substep)."));
    s.push_back(Float("model.min_delay_ms", FIELD(model.min_delay_ms), 0, 1000, true, "Shortest synaptic delay (>= one substep)."));
    s.push_back(Float("model.max_delay_ms", FIELD(model.max_delay_ms), 0, 1000, true, "Longest synaptic delay."));
    s.push_back(Choice("model.binary_readout", FIELD(model.readout.binary_readout), {"argmax", "threshold"},
                       "Two discrete actions: argmax of two outputs, or threshold one output."));
    s.push_back(Choice("model.readout", FIELD(model.readout.source), {"neurons", "linear"},
                       "bnn, snn: actions from the output group (neurons) or from a signed linear decoder "
                       "of the E and I neurons' activity (linear; no output group)."));
    s.push_back(Choice("model.continuous_readout", FIELD(model.readout.continuous_readout), {"single", "push_pull"},
                       "Continuous actions: one output per dimension mapped linearly, or a push-pull pair "
                       "whose difference is mapped (0: the middle)."));
    s.push_back(Int("model.warmup_steps", FIELD(model.warmup_steps), 0, 100000,
                    "bnn, snn: network steps run on the first observation before the first action (settles "
                    "the reset transient)."));
    s.push_back(Choice("model.input_encoding", FIELD(model.encoding.input_encoding), {"single", "pair", "current"},
                       "single: one input neuron per observation; pair: two, driven by bias +- gain x; "
                       "current: no input neurons, each neuron that `in` projects to gets a signed evolved "
                       "weighted sum of the observations as injected current. Default single; pair when "
                       "model.kind = snn and this key is not given."));
    s.push_back(Float("model.input_gain_pA", FIELD(model.encoding.input_gain_pA), -1e6, 1e6, false,
                      "Input current per unit of (normalised) observation (current encoding: input weights "
                      "in +-2 gain / sqrt(observations))."));
    s.push_back(Float("model.input_bias_pA", FIELD(model.encoding.input_bias_pA), -1e6, 1e6, false, "Input current at observation 0."));
    s.push_back(Float("model.offset_max_pA", FIELD(model.offset_max_pA), 0, 1e6, false, "Offset genes map to [-max, +max]."));
    s.push_back(Float("model.noise_max_pA", FIELD(model.noise_max_pA), 0, 1e6, false, "Noise genes map to [0, max] (std of the noise current)."));
    s.push_back(Int("model.noise_interval_substeps", FIELD(model.neuron.noise_interval_substeps), 1, 1000000,
                    "Noise current is redrawn every this many substeps."));
    s.push_back(Bool("model.evolve_delays", FIELD(model.evolve_delays), "Evolve per-synapse delays (else all = min delay)."));
    s.push_back(Bool("model.evolve_offsets", FIELD(model.evolve_offsets), "Evolve per-neuron offset currents (else 0)."));
    s.push_back(Bool("model.evolve_noise", FIELD(model.evolve_noise), "Evolve per-neuron noise amplitudes (else no noise)."));
    s.push_back(IntList("model.mlp_hidden", FIELD(model.baselines.mlp_hidden), 1, "mlp: hidden layer sizes."));
    s.push_back(Choice("model.enu_topology", FIELD(model.enu.enu_topology), {"network", "unit"},
                       "enu: the paper's network of ENU neurons and synapses, or one unit fed the observation."));
    s.push_back(Int("model.enu_memory", FIELD(model.enu.enu_memory), 1, 4096, "enu: memory values per unit (M)."));
    s.push_back(Int("model.enu_channels", FIELD(model.enu.enu_channels), 1, 1024, "enu: output channels per unit (C)."));
    s.push_back(Int("model.enu_neurons", FIELD(model.enu.enu_neurons), 1, 10000,
                    "enu: ENU neurons, the motor neurons included."));
    s.push_back(Int("model.enu_reward_inputs", FIELD(model.enu.enu_reward_inputs), 0, 1024,
                    "enu: trailing observations that drive the reward neuron (one channel each)."));
    s.push_back(Int("model.enu_network_steps", FIELD(model.enu.enu_network_steps), 1, 1000,
                    "enu: network steps per environment step."));
    s.push_back(Float("model.enu_output_noise", FIELD(model.enu.enu_output_noise), 0, 1, false,
                      "enu: std of the uniform noise on every output pre-activation."));
    s.push_back(Float("model.enu_weight_scale", FIELD(model.enu.enu_weight_scale), 0, 1000, true,
                      "enu: unit weights in +-scale/sqrt(fan_in)."));
    s.push_back(Bool("model.enu_stateless", FIELD(model.enu.enu_stateless),
                     "enu: no unit memory (h and o from 0 every step): cannot change within a lifetime."));
    s.push_back(Bool("model.enu_shuffle", FIELD(model.enu.enu_shuffle),
                     "enu: permute sensory and motor neurons every episode."));
    s.push_back(Float("model.rsnn_input_max_pA", FIELD(model.rsnn.rsnn_input_max_pA), 0, 1e6, true,
                      "rsnn: input weights in +-max (pA per unit of observation)."));
    s.push_back(Float("model.rsnn_readout_scale", FIELD(model.rsnn.rsnn_readout_scale), 0, 1e6, true,
                      "rsnn: readout weights in +-scale/sqrt(neurons)."));
    s.push_back(Float("model.rsnn_surrogate_slope", FIELD(model.rsnn.rsnn_surrogate_slope), 0, 1e6, true,
                      "rsnn: slope of the fast-sigmoid surrogate gradient (bptt), per V_th - V_rest."));
    s.push_back(Bool("model.enu_idle_action", FIELD(model.enu.enu_idle_action),
                     "enu: the task's last discrete action when no motor neuron is active."));
    s.push_back(Float("model.baseline_weight_scale", FIELD(model.baselines.baseline_weight_scale), 0, 1e6, true,
                      "rnn/mlp: weights and biases in +-scale/sqrt(fan_in)."));
    // Optimizer.
    s.push_back(Choice("optimizer.kind", FIELD(optimizer.kind), OptimizerKinds(),
                       "Evolution strategy (README: Optimizers). Default cma_es; snes when model.kind = snn "
                       "and neither this key nor optimizer.restarts or optimizer.active is given."));
    s.push_back(Int("optimizer.population", FIELD(optimizer.population), 2, 1000000,
                    "Candidates per generation per island (lambda); with restarts the first run's. "
                    "mads: opportunistic batch size."));
    s.push_back(Int("optimizer.parents", FIELD(optimizer.parents), 0, 1000000,
                    "cma_es, sep_cma_es: parents mu (0: lambda / 2); ga, enomad: truncation size T "
                    "(0: lambda / 5, lambda / 2)."));
    s.push_back(Float("optimizer.sigma0", FIELD(optimizer.sigma0), 0, 1e3, true,
                      "Initial step size (CMA-ES, NES), noise std (openai_es, pgpe), mutation std "
                      "(ga, enomad) or poll size (mads), in gene units."));
    s.push_back(Choice("optimizer.init_mean", FIELD(optimizer.init_mean), {"uniform", "center"},
                       "Initial mean: uniform draws U[0,1] per gene; center puts 0.5."));
    s.push_back(Choice("optimizer.init_genome", FIELD(init_genome), {},
                       "A genome file (a run's best_genome.json or final_mean.json, same task and model) that "
                       "every island's search starts from, with its observation normaliser; relative to the "
                       "config's folder (--set: the working directory). Read once, when the run starts; a resumed run does "
                       "not need it. "
                       "Empty: optimizer.init_mean."));
    s.push_back(Float("optimizer.learning_rate", FIELD(optimizer.learning_rate), 0, 1e3, true,
                      "openai_es, bptt: Adam step size; pgpe: the centre's step size."));
    s.push_back(Float("optimizer.weight_decay", FIELD(optimizer.weight_decay), 0, 1e3, false, "openai_es: L2 coefficient."));
    s.push_back(Choice("optimizer.es_update", FIELD(optimizer.es_update), {"adam", "momentum"},
                       "openai_es: Adam (the reference code's) or heavy-ball momentum (the ENU paper's)."));
    s.push_back(Float("optimizer.momentum", FIELD(optimizer.momentum), 0, 0.999999, false,
                      "openai_es (es_update = momentum): momentum of the centre's velocity."));
    s.push_back(Float("optimizer.adam_beta1", FIELD(optimizer.adam_beta1), 0, 0.999999, false, "openai_es, pgpe (adam), bptt: Adam beta1."));
    s.push_back(Float("optimizer.adam_beta2", FIELD(optimizer.adam_beta2), 0, 0.999999999, false, "openai_es, pgpe (adam), bptt: Adam beta2."));
    s.push_back(Float("optimizer.gradient_clip", FIELD(optimizer.gradient_clip), 0, 1e300, false,
                      "bptt: the minibatch gradient is rescaled to this L2 norm when longer; 0: never."));
    s.push_back(Float("optimizer.reinforce_gamma", FIELD(optimizer.reinforce_gamma), 0, 1, false,
                      "bptt on a task without a teacher (REINFORCE): the returns' discount."));
    s.push_back(Bool("optimizer.active", FIELD(optimizer.active),
                     "cma_es, sep_cma_es: active covariance update (negative weights for the worst)."));
    s.push_back(Choice("optimizer.restarts", FIELD(optimizer.restarts), {"none", "ipop", "bipop"},
                       "cma_es, sep_cma_es: restart on termination criteria with doubled (ipop) or "
                       "interleaved small/large (bipop) populations; Ask().size() then varies."));
    s.push_back(Choice("optimizer.fitness_shaping", FIELD(optimizer.fitness_shaping), FitnessShapingModes(),
                       "openai_es, xnes, snes, pgpe: fitness to utilities (auto: centered_rank for "
                       "openai_es and pgpe, nes for xnes and snes)."));
    s.push_back(Choice("optimizer.pgpe_optimizer", FIELD(optimizer.pgpe_optimizer), {"clipup", "adam", "sgd"},
                       "pgpe: update of the centre."));
    s.push_back(Float("optimizer.pgpe_sigma_lr", FIELD(optimizer.pgpe_sigma_lr), 0, 1e3, false,
                      "pgpe: learning rate of the per-gene sigma."));
    s.push_back(Int("optimizer.elites", FIELD(optimizer.elites), 0, 1000000,
                    "ga, enomad: best individuals carried unmutated (< population)."));
    s.push_back(Float("optimizer.crossover", FIELD(optimizer.crossover), -1, 1, false,
                      "ga, enomad: uniform crossover probability (-1: strategy default, ga 0, enomad 0.5)."));
    s.push_back(Choice("optimizer.mads_poll", FIELD(optimizer.mads_poll), {"complete", "opportunistic"},
                       "mads: whole 2n poll per generation, or batches of population points stopping "
                       "at the first improvement."));
    s.push_back(Choice("optimizer.enomad_variant", FIELD(optimizer.enomad_variant), {"many_small", "few_large"},
                       "enomad: MADS refinement of many genes with small steps, or few genes with large steps."));
    s.push_back(Int("optimizer.enomad_refine", FIELD(optimizer.enomad_refine), 0, 1000000,
                    "enomad: best individuals refined by MADS per generation (<= population)."));
    s.push_back(Int("optimizer.mads_iterations", FIELD(optimizer.mads_iterations), 0, 1000000,
                    "enomad: MADS polls per refinement phase."));
    s.push_back(Int("optimizer.enomad_subset", FIELD(optimizer.enomad_subset), 0, 1000000,
                    "enomad: genes per refined subset (0: the variant's default)."));
    s.push_back(Float("optimizer.enomad_mutation", FIELD(optimizer.enomad_mutation), -1, 1e3, false,
                      "enomad: Gaussian mutation std of children and of the first generation (-1: sigma0; 0: "
                      "none, the first generation is copies of the initial mean)."));
    s.push_back(Int("optimizer.enomad_reset_genes", FIELD(optimizer.enomad_reset_genes), 0, 1000000,
                    "enomad: genes per child redrawn uniformly in [0, 1] (sparse large changes)."));
    s.push_back(Float("optimizer.mads_poll0", FIELD(optimizer.mads_poll0), 0, 1e3, false,
                      "enomad: initial MADS poll size (0: the variant's, from sigma0)."));
    s.push_back(Choice("optimizer.enomad_parents", FIELD(optimizer.enomad_parents), {"uniform", "fitness"},
                       "enomad: parents drawn uniformly from the top T, or in proportion to fitness with "
                       "fitness-biased crossover (the reference code's)."));
    s.push_back(Choice("optimizer.enomad_subset_mode", FIELD(optimizer.enomad_subset_mode), {"random", "changed"},
                       "enomad: MADS on random genes, or on the genes an individual changed from the initial "
                       "mean (individuals with 1 .. enomad_subset changed genes)."));
    s.push_back(Float("optimizer.enomad_penalty", FIELD(optimizer.enomad_penalty), 0, 1e6, false,
                      "enomad: fitness minus penalty * (genes changed from the initial mean)^enomad_penalty_power "
                      "(the reference's sparse variant: 0.1)."));
    s.push_back(Float("optimizer.enomad_penalty_power", FIELD(optimizer.enomad_penalty_power), 0, 10, false,
                      "enomad: exponent of the change-count penalty."));
    // Budget.
    s.push_back(Int("budget.env_steps", FIELD(budget.env_steps), 0, kNoMax,
                    "Training env steps (0: no limit). A generation starts only if its worst case fits; a budget "
                    "below the first generation's worst case is refused."));
    s.push_back(Int("budget.generations", FIELD(budget.generations), 0, 1000000000, "Generations (0: no limit)."));
    s.push_back(Float("budget.target_fitness", FIELD(budget.target_fitness), -1e300, 1e300, false,
                      "Stop once a generation's best fitness reaches this (inf: never).", "never"));
    s.push_back(Float("budget.wall_seconds", FIELD(budget.wall_seconds), 0, 1e9, false, "Wall-clock limit (0: none)."));
    // Training and evaluation.
    s.push_back(Int("train.episodes", FIELD(train_episodes), 1, 1000000, "Episodes per individual per generation (fitness = mean return)."));
    s.push_back(Int("train.validation_episodes", FIELD(validation_episodes), 0, 1000000,
                    "Elite validation: a generation's best that could match the incumbent plays this many "
                    "fresh episodes, and if it does the incumbent replays them into its pooled mean (all "
                    "counted in the budget); the best genome is the one with the best validated mean. "
                    "0: the best training fitness."));
    s.push_back(Bool("train.drop_survival_bonus", FIELD(drop_survival_bonus),
                     "Training and validation returns leave out the task's per-step survival bonus "
                     "(Hopper, Walker2d, Ant, InvertedDoublePendulum; as ARS does); the final evaluation "
                     "keeps the full reward."));
    s.push_back(Bool("train.obs_normalization", FIELD(obs_normalization),
                     "Normalise observations by running mean/std shared by the population."));
    s.push_back(Float("train.obs_clip", FIELD(obs_clip), 0, 1e6, true, "Clip normalised observations to [-clip, clip]."));
    s.push_back(Int("eval.episodes", FIELD(eval_episodes), 0, 100000000, "Held-out episodes for the final evaluation (0: skip)."));
    s.push_back(Int("islands.count", FIELD(islands), 1, 100000, "Islands (independent optimizers) in this process."));
    s.push_back(Int("islands.migration_interval", FIELD(migration_interval), 1, 1000000000,
                    "Every this many generations each island's best replaces the worst of the next island (ring)."));
    s.push_back(Choice("islands.topology", FIELD(migration_topology), {"ring", "all_to_all"},
                       "Migration: ring (island k's best replaces the worst of island k + 1) or all_to_all "
                       "(each island receives the best of the others)."));
    s.push_back(Int("checkpoint.interval", FIELD(checkpoint_interval), 1, 1000000000,
                    "Every this many generations the whole run state is checkpointed (and on stop); "
                    "`neurevo train --resume DIR` continues exactly. The last two checkpoints are kept."));
    s.push_back(Int("run.seed", FIELD(seed), 0, kNoMax, "Seed of every random stream."));
    s.push_back(Int("run.threads", FIELD(threads), 0, 4096, "Worker threads (0: all hardware threads). Never changes results."));
    s.push_back(Bool("run.record_diversity", FIELD(record_diversity),
                     "Record the population's gene diversity in metrics.jsonl every generation (gene_std, "
                     "kl_uniform; README, \"Analysis\")."));
    return s;
  }();
  return schema;
}

const Entry* FindEntry(const std::string& key) {
  for (const auto& e : Schema())
    if (e.info.key == key) return &e;
  return nullptr;
}

// Whether some key of the schema lives under the table `prefix`.
bool IsKeyPrefix(const std::string& prefix) {
  for (const auto& e : Schema())
    if (e.info.key.size() > prefix.size() && e.info.key.starts_with(prefix) && e.info.key[prefix.size()] == '.')
      return true;
  return false;
}

[[noreturn]] void UnknownKey(const std::string& key) {
  const std::string section = key.substr(0, key.find('.'));
  std::vector<std::string> same_section, sections;
  for (const auto& e : Schema()) {
    const std::string sec = e.info.key.substr(0, e.info.key.find('.'));
    if (sec == section) same_section.push_back(e.info.key);
    if (std::find(sections.begin(), sections.end(), sec) == sections.end()) sections.push_back(sec);
  }
  if (!same_section.empty())
    Fail(key, fmt::format("unknown key; allowed keys in [{}]: {}", section, fmt::join(same_section, ", ")));
  sections.push_back("network");
  Fail(key, fmt::format("unknown key; allowed sections: {}", fmt::join(sections, ", ")));
}

// A path as a config names it: relative to the config's directory
// (`base_dir`; empty: the working directory, for --set), made absolute so
// that the run directory's config.toml names the same file.
std::string ConfigPath(const std::string& path, const std::string& base_dir) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_relative() && !base_dir.empty()) p = fs::path(base_dir) / p;
  return fs::absolute(p).lexically_normal().string();
}

// [network]: the description of a kind "network" model. Files it names are
// found beside the config (`base_dir`); neuron tables are read now, list
// files when the network is built, so their paths are made absolute (the
// run directory's config.toml then names the same files).
void ApplyNetwork(RunConfig& c, const toml::node& node, const std::string& base_dir) {
  const toml::table* t = node.as_table();
  if (!t)
    Fail("network", fmt::format("expected tables ([[network.populations]], [[network.projections]]), got {}",
                                TomlTypeName(node)));
  const auto resolve = [&base_dir](const std::string& path) { return ConfigPath(path, base_dir); };
  c.model.network = ParseNetworkSpec(*t, "network", [&resolve](const std::string& path) {
    return ReadFile(resolve(path), kNetworkFileMaxBytes);
  });
  for (ProjectionSpec& p : c.model.network.projections)
    if (p.connector.kind == ConnectorSpec::Kind::kList) p.connector.file = resolve(p.connector.file);
}

void ApplyTable(RunConfig& c, const toml::table& table, const std::string& prefix, const std::string& base_dir) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const Entry* e = FindEntry(key)) {
      e->set(c, node);
    } else if (key == "network") {
      ApplyNetwork(c, node, base_dir);
    } else if (const toml::table* sub = node.as_table(); sub && IsKeyPrefix(key)) {
      ApplyTable(c, *sub, key, base_dir);
    } else {
      // Also a table that no key lives in, even an empty one ([foo]).
      UnknownKey(key);
    }
  }
}

// A task's path options (TaskOptionInfo type "path") and optimizer.init_genome, as
// ConfigPath resolves them.
void ResolveConfigPaths(RunConfig& c, const std::string& base_dir) {
  if (!c.init_genome.empty()) c.init_genome = ConfigPath(c.init_genome, base_dir);
  for (const TaskOptionInfo& info : TaskOptionsOf(c.task_name)) {
    if (info.type != "path") continue;
    const auto it = c.task_options.find(info.name);
    if (it == c.task_options.end()) continue;
    std::string* path = std::get_if<std::string>(&it->second);
    if (path && !path->empty()) *path = ConfigPath(*path, base_dir);
  }
}

void ApplyOverride(RunConfig& c, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(fmt::format("--set '{}': expected key=value", Echo(assignment)));
  const std::string key = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  const std::string text = "v = " + value;
  CheckTomlNesting(text, fmt::format("--set {}", Echo(key)));  // toml++ recurses per level
  // TOML would end the value at a line break and silently drop the rest.
  if (value.find_first_of("\r\n") != std::string::npos)
    Fail(Echo(key), "--set: a value must be one line");
  if (key == "network" || key.starts_with("network."))
    Fail("network", "the network description is read from the config file ([[network.populations]], "
                    "[[network.projections]]); --set cannot change it: copy the config and edit it");
  if (key.starts_with("task.options.") && key.size() > 13) {  // one task option
    toml::table parsed;
    try {
      parsed = toml::parse(text);
    } catch (const toml::parse_error&) {
      parsed.insert("v", value);  // a bare word is a string
    }
    SetTaskOption(c, key.substr(13), *parsed.get("v"));
    return;
  }
  const Entry* e = FindEntry(key);
  if (!e) UnknownKey(key);
  std::optional<toml::table> parsed;
  try {
    parsed = toml::parse(text);
  } catch (const toml::parse_error&) {
    // An integer TOML cannot hold (beyond 64 bits) is not a bare word.
    const size_t digits = !value.empty() && (value[0] == '+' || value[0] == '-') ? 1 : 0;
    const bool integer =
        value.size() > digits && value.find_first_not_of("0123456789_", digits) == std::string::npos;
    if (e->info.type == "int" && integer)
      Fail(key, fmt::format("{} is out of range; allowed: {}", Echo(value), e->info.allowed));
  }
  if (parsed) {
    e->set(c, *parsed->get("v"));
  } else {
    // Bare words (task names, kinds) are strings.
    toml::table t;
    t.insert("v", value);
    e->set(c, *t.get("v"));
  }
}

// Beyond these a run cannot fit in memory (full CMA-ES holds three n x n
// matrices of doubles: 20000 genes is 9.6 GB).
constexpr double kMaxGenes = 5e7;
constexpr int kMaxFullCmaGenes = 20000;

// The registered tasks for which `holds` is true, for error messages that
// list what a key accepts (built only on the failure path).
std::vector<std::string> TasksWhere(const std::function<bool(const Task&)>& holds) {
  std::vector<std::string> names;
  for (const auto& name : TaskNames()) {
    std::unique_ptr<Task> task;
    try {
      task = MakeTask(name);
    } catch (const ConfigError&) {
      continue;  // needs options to exist (ImageClassification's data)
    }
    if (holds(*task)) names.push_back(name);
  }
  return names;
}

// model.substeps = 0 asks for a network that runs in real time: as many
// substeps as fill the task's step time. Resolved when the config is read,
// so that the run's saved config (and a resumed run) holds the number
// actually simulated.
void ResolveRealTimeSubsteps(RunConfig& c) {
  if (c.model.substeps != 0) return;
  const double task_dt_s = MakeTask(c.task_name, c.task_options)->dt();
  if (task_dt_s <= 0) {
    const auto timed = TasksWhere([](const Task& t) { return t.dt() > 0; });
    Fail("model.substeps", fmt::format("0 (real time) needs the task's step time, and {} has none; allowed: "
                                       "1 .. 1000000 for it, or 0 with a timed task ({})",
                                       c.task_name, fmt::join(timed, ", ")));
  }
  const double substeps = std::round(task_dt_s * 1000.0 / c.model.dt_ms);
  if (substeps < 1 || substeps > 1e6)
    Fail("model.substeps", fmt::format("0 (real time) gives {:.0f} substeps of model.dt_ms = {} for {}'s step of "
                                       "{} s; allowed: 1 .. 1000000 substeps",
                                       substeps, c.model.dt_ms, c.task_name, task_dt_s));
  c.model.substeps = static_cast<int>(substeps);
}

// Keys whose default follows model.kind when neither the file nor --set
// gives them (README, "Defaults that follow the model"): the spiking
// network's input pairs and SNES solved CartPole on 10 of 10 seeds where the
// graded network's defaults (one input neuron per observation, CMA-ES) gave
// it 4 of 10 (BENCHMARKS.md, "SNN on CartPole-v1"). The resolved values are
// what a run directory's config.toml records.
// A default is not applied either when one of `unless` is given: keys that
// only another value of it accepts (a CMA-ES restart or active update asks
// for CMA-ES, the graded network's default).
struct ModelDefault {
  const char* model;
  const char* key;
  const char* value;
  std::vector<const char*> unless;
};
const ModelDefault kModelDefaults[] = {
    {"snn", "model.input_encoding", "pair", {}},
    {"snn", "optimizer.kind", "snes", {"optimizer.restarts", "optimizer.active"}},
};

// The schema keys a table sets, found as ApplyTable finds them (a quoted
// "model.kind" key included).
void CollectGivenKeys(const toml::table& table, const std::string& prefix, std::set<std::string>& given) {
  for (const auto& [k, node] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (FindEntry(key))
      given.insert(key);
    else if (const toml::table* sub = node.as_table(); sub && IsKeyPrefix(key))
      CollectGivenKeys(*sub, key, given);
  }
}

void ApplyModelDefaults(RunConfig& c, const toml::table& root, const std::vector<std::string>& overrides) {
  std::set<std::string> given;
  CollectGivenKeys(root, "", given);
  for (const std::string& o : overrides) given.insert(o.substr(0, o.find('=')));  // as ApplyOverride reads it
  for (const ModelDefault& d : kModelDefaults) {
    if (c.model.kind != d.model || given.count(d.key)) continue;
    if (std::any_of(d.unless.begin(), d.unless.end(), [&](const char* k) { return given.count(k) > 0; })) continue;
    FindEntry(d.key)->set(c, toml::value<std::string>(d.value));
  }
}

void Validate(const RunConfig& c) {
  const ModelOptions& m = c.model;
  // The kind's own checks live with the models (model_registry.cc), as the
  // strategies' live with the optimizers.
  ValidateModelOptions(m);
  const OptimizerOptions& o = c.optimizer;
  if (o.parents > o.population)
    Fail("optimizer.parents", fmt::format("{} exceeds optimizer.population ({}); allowed: 0 .. population",
                                          o.parents, o.population));
  if ((o.kind == "openai_es" || o.kind == "pgpe") && o.population % 2 != 0)
    Fail("optimizer.population", fmt::format("{} is odd; {} samples mirrored pairs, allowed: even numbers",
                                             o.population, o.kind));
  // Per-strategy and cross-key checks (restarts only for CMA-ES, elites <
  // population, ...) live with the optimizers.
  ValidateOptimizerOptions(o);
  if (c.budget.env_steps == 0 && c.budget.generations == 0 && std::isinf(c.budget.target_fitness) &&
      c.budget.wall_seconds == 0)
    Fail("budget.env_steps", "every budget is unlimited; set at least one of budget.env_steps, "
                             "budget.generations, budget.target_fitness, budget.wall_seconds");
  // Sizes that would exhaust memory are refused before anything is built.
  auto task = MakeTask(c.task_name, c.task_options);  // refuses options the task does not have
  if (c.drop_survival_bonus && !task->has_survival_bonus()) {
    const auto with_bonus = TasksWhere([](const Task& t) { return t.has_survival_bonus(); });
    Fail("train.drop_survival_bonus", fmt::format("{}'s reward has no survival bonus to leave out; allowed: true "
                                                  "only for {}",
                                                  c.task_name, fmt::join(with_bonus, ", ")));
  }
  const double units = static_cast<double>(m.excitatory) + m.inhibitory +
                       task->observation_space().vector_size() * (m.encoding.input_encoding == "pair" ? 2.0 : 1.0) +
                       task->action_space().vector_size() * 2.0;
  double mlp_genes = 0, width = task->observation_space().vector_size();
  for (int h : m.baselines.mlp_hidden) mlp_genes += (width + 1) * h, width = h;
  // (A description's size is bounded when it is drawn, network_instance.cc.)
  const double genes_bound = m.kind == "mlp" ? mlp_genes : 3.0 * units * units;
  if (m.kind != "network" && m.kind != "rsnn" && genes_bound > kMaxGenes)
    Fail(m.kind == "mlp" ? "model.mlp_hidden" : "model.excitatory",
         fmt::format("the network would have up to {:.3g} genes; allowed: at most {:.0e}", genes_bound, kMaxGenes));
  if (o.kind == "bptt") {
    if (m.kind != "rsnn")
      Fail("optimizer.kind", fmt::format("bptt needs a model with a backward pass; allowed with it: model.kind = "
                                         "\"rsnn\" (model.kind is \"{}\")",
                                         m.kind));
    if (c.islands != 1)
      Fail("islands.count", fmt::format("{}; bptt follows one genome; allowed: 1", c.islands));
    if (task->SupervisedTarget() == Task::kNoTeacher && !task->action_space().discrete())
      Fail("optimizer.kind", fmt::format("bptt trains {} neither on a teacher's answers (it has none) nor by "
                                         "REINFORCE (which needs discrete actions); allowed: a task with a "
                                         "teacher or with discrete actions",
                                         c.task_name));
  }
  // Connectivity and task/model compatibility are checked as building them
  // would, without building (a refused network must be refused quickly).
  const long long genes = CountGenes(c.model, task->observation_space(), task->action_space());
  // A generation starts only if its worst case fits the env-step budget
  // (trainer.cc): a budget below the first generation's runs nothing, and is
  // refused here, before any optimizer or thread exists.
  if (c.budget.env_steps > 0) {
    const double first_population =
        o.kind == "mads" && o.mads_poll == "complete" ? 2.0 * genes + 1
        : o.kind == "bptt"                            ? 1.0
                                                      : static_cast<double>(o.population);
    const double worst = (c.islands * first_population * c.train_episodes + 2.0 * c.validation_episodes) *
                         task->max_episode_steps();
    if (worst > static_cast<double>(c.budget.env_steps))
      Fail("budget.env_steps",
           fmt::format("{} is less than one generation's worst case, {:.0f} env steps ((islands.count {} x "
                       "optimizer.population {} x train.episodes {} + 2 x train.validation_episodes {}) x {}'s "
                       "{}-step limit): no generation could run; allowed: 0 (no limit) or >= {:.0f}",
                       c.budget.env_steps, worst, c.islands, first_population, c.train_episodes,
                       c.validation_episodes, c.task_name, task->max_episode_steps(), worst));
  }
  if (c.optimizer.kind == "cma_es" && genes > kMaxFullCmaGenes)
    Fail("optimizer.kind", fmt::format("cma_es keeps {0} x {0} matrices ({1:.1f} GB) for {0} genes; allowed: "
                                       "at most {2} genes with full covariance; use a separable strategy",
                                       genes, 3.0 * 8.0 * genes * genes / 1e9, kMaxFullCmaGenes));
}

}  // namespace

std::vector<ConfigKeyInfo> ConfigKeys() {
  std::vector<ConfigKeyInfo> out;
  for (const auto& e : Schema()) out.push_back(e.info);
  return out;
}

RunConfig ParseConfig(const std::string& toml_text, const std::vector<std::string>& overrides,
                      const std::string& source, const std::string& base_dir) {
  RunConfig c;
  CheckTomlNesting(toml_text, source);  // toml++ recurses per level: bound it first
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
    ApplyTable(c, root, "", base_dir);
    ResolveConfigPaths(c, base_dir);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(fmt::format("{}:{}:{}: {}", source, where.line, where.column, e.description()));
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", source, e.what()));
  }
  for (const auto& o : overrides) ApplyOverride(c, o);
  ApplyModelDefaults(c, root, overrides);
  ResolveConfigPaths(c, "");
  c.model.network_seed = c.seed;  // frozen draws of a description come from the run's seed
  ResolveRealTimeSubsteps(c);
  Validate(c);
  return c;
}

RunConfig LoadConfigFile(const std::string& path, const std::vector<std::string>& overrides) {
  return ParseConfig(ReadFile(path, kConfigFileMaxBytes), overrides, path,
                     std::filesystem::path(path).parent_path().string());
}

namespace {
// The shortest text that reads back as the identical double ({fmt}'s
// default), as a TOML float: 0.1, 1e-300, -0.0, inf.
std::string TomlFloat(double x) {
  if (std::isnan(x)) return "nan";
  std::string text = FormatNumber(x);
  if (text.find_first_of(".eni") == std::string::npos) text += ".0";
  return text;
}

// Every float literal of a TOML line outside strings, written shortest.
std::string ShortestFloatTokens(const std::string& line) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < line.size();) {
    const char ch = line[i];
    if (quote) {
      if (ch == '\\' && quote == '"' && i + 1 < line.size()) {
        out += line.substr(i, 2);
        i += 2;
        continue;
      }
      if (ch == quote) quote = 0;
      out += ch;
      ++i;
      continue;
    }
    if (ch == '"' || ch == '\'') {
      quote = ch;
      out += ch;
      ++i;
      continue;
    }
    const bool starts = std::isdigit(static_cast<unsigned char>(ch)) ||
                        ((ch == '-' || ch == '+') && i + 1 < line.size() &&
                         std::isdigit(static_cast<unsigned char>(line[i + 1])));
    const bool after_word = i > 0 && (std::isalnum(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '_');
    if (!starts || after_word) {
      out += ch;
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) ||
                                 std::strchr(".+-_", line[end]) != nullptr))
      ++end;
    const std::string token = line.substr(i, end - i);
    if (token.find_first_of(".eE") != std::string::npos && token.find('_') == std::string::npos) {
      char* parsed_end = nullptr;
      const double x = std::strtod(token.c_str(), &parsed_end);
      out += parsed_end == token.c_str() + token.size() ? TomlFloat(x) : token;
    } else {
      out += token;
    }
    i = end;
  }
  return out;
}

// toml++ (the compiled Debian library) writes floats with 17 significant
// digits (0.1 as 0.10000000000000001): the float keys' values are written
// again, shortest. Lines are `key = value` under `[section]` headers.
std::string ShortestFloats(const std::string& toml, const toml::table& root) {
  std::stringstream in(toml), out;
  std::string line, section;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(' ');  // sub-tables are indented
    const std::string text = start == std::string::npos ? "" : line.substr(start);
    if (text.starts_with("[")) section = text.substr(1, text.find(']') - 1);
    const auto eq = text.find(" = ");
    if (section.starts_with("[network.") || section.starts_with("network.")) {  // values, lists, inline tables
      line = ShortestFloatTokens(line);
    } else if (eq != std::string::npos) {
      const toml::node_view<const toml::node> node = root.at_path(section + "." + text.substr(0, eq));
      if (const auto x = node.as_floating_point()) line = line.substr(0, start + eq + 3) + TomlFloat(x->get());
    }
    out << line << "\n";
  }
  return out.str();
}
}  // namespace

std::string ConfigToToml(const RunConfig& c) {
  toml::table root;
  for (const auto& e : Schema()) e.put(c, root, e.info.key);
  if (c.model.kind == "network" || c.model.kind == "rsnn") root.insert("network", NetworkSpecToToml(c.model.network));
  std::stringstream ss;
  ss << root << "\n";
  return ShortestFloats(ss.str(), root);
}

std::string ConfigReferenceMarkdown() {
  std::string out = "| key | type | default | allowed | meaning |\n|---|---|---|---|---|\n";
  for (const auto& e : Schema()) {
    std::string allowed = e.info.allowed;
    for (size_t p; (p = allowed.find('|')) != std::string::npos;) allowed.replace(p, 1, "/");
    out += fmt::format("| `{}` | {} | `{}` | {} | {} |\n", e.info.key, e.info.type, e.info.default_value,
                       allowed, e.info.doc);
  }
  return out;
}

}  // namespace neurevo
