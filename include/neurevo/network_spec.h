// A network as data: populations of neurons joined by projections, in the
// vocabulary of NEST and PyNN (DESIGN.md §6).
//
// A NetworkSpec is a plain value: what the user wrote (in the run config or
// in C++), before any random draw. Instantiating it with a seed
// (network_instance.h) draws the connections and the frozen random values;
// the genome layout then says which quantities are genes. Every seed system
// is one spec: the BNN-EA presets (in, E, I, out; all-to-all between listed
// pairs), feed-forward current-LIF layers with frozen random weights
// (neuronal heterogeneity), a cortical layer with fixed-probability
// projections between typed populations, a connectome read from a list.
//
// Thread safety: values; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurevo {

// One per-neuron or per-synapse quantity: a constant, a seeded random draw
// clipped to [low, high], an explicit list (one value per element), or a gene
// that maps [0, 1] linearly onto [low, high].
struct ValueSpec {
  enum class Kind { kConstant, kUniform, kNormal, kLognormal, kList, kEvolved };
  Kind kind = Kind::kConstant;
  double value = 0.0;          // kConstant
  double a = 0.0, b = 0.0;     // kUniform: [a, b); kNormal: mean a, std b; kLognormal: mu a, sigma b (of log)
  double low = -1e300, high = 1e300;  // clip range of draws and lists; gene range of kEvolved
  std::vector<double> list;    // kList
  // kEvolved weights of a list projection: each synapse's gene range is
  // [w + low, w + high] around its row's own weight w (magnitude), so the
  // gene 0.5 is the listed network when the range is symmetric (a
  // connectome's biological weights as the search's start); a value below 0
  // is used as 0 (Dale's law keeps the sign). Config: { evolve = [low, high],
  // around = "list" }.
  bool around_list = false;

  static ValueSpec Constant(double v) {
    ValueSpec s;
    s.value = v;
    return s;
  }
  // A frozen draw, uniform in [a, b] (and clipped to it).
  static ValueSpec Uniform(double a, double b) {
    ValueSpec s;
    s.kind = Kind::kUniform;
    s.a = s.low = a;
    s.b = s.high = b;
    return s;
  }
  static ValueSpec Evolved(double low, double high) {
    ValueSpec s;
    s.kind = Kind::kEvolved;
    s.low = low;
    s.high = high;
    return s;
  }
  bool evolved() const { return kind == Kind::kEvolved; }
};

enum class Role { kInput, kHidden, kOutput };
// A population's size taken from the task: the input population's from the
// observations, the output population's from the actions.
inline constexpr int kSizeFromTask = -1;
// Dale's law: the transmitter every synapse of a neuron releases.
enum class DaleType : int8_t { kExcitatory = 0, kInhibitory = 1 };

struct PopulationSpec {
  std::string name;
  int size = 0;
  std::string model = "lif_cond";  // a registered neuron model (neuron_models.h): lif_cond, lif_curr, threshold
  Role role = Role::kHidden;
  // Transmission (conductance LIF): a graded signal of the potential, or spikes.
  bool spiking = false;
  // After a spike the potential goes to the neuron's own V_rest (`reset =
  // "rest"`, the heterogeneity paper's V_reset = V_rest, which then follows
  // an evolved V_rest) instead of v_reset_mV.
  bool reset_to_rest = false;
  // One entry (the whole population) or one per neuron (e.g. a connectome's
  // table of transmitters).
  std::vector<DaleType> dale = {DaleType::kExcitatory};
  // Optional per-neuron names (a connectome's "AVAL"); a list projection may
  // name neurons by them. Empty: neurons are named <population><index>.
  std::vector<std::string> labels;
  // Neuron parameters by name (tau_m_ms, v_threshold_mV, ...); a parameter
  // not given takes the neuron model's default.
  std::vector<std::pair<std::string, ValueSpec>> params;

  DaleType DaleOf(int neuron) const { return dale.size() == 1 ? dale[0] : dale[neuron]; }
};

// How pre- and postsynaptic neurons are paired (PyNN's connectors).
struct ConnectorSpec {
  enum class Kind { kAllToAll, kOneToOne, kFixedProbability, kFixedInDegree, kList };
  Kind kind = Kind::kAllToAll;
  // Self-connections (a neuron onto itself) when pre and post are one population.
  bool allow_self = false;
  double probability = 0.0;  // kFixedProbability, in [0, 1]
  int in_degree = 0;         // kFixedInDegree: distinct presynaptic neurons per postsynaptic neuron
  std::string file;          // kList: CSV with columns pre, post[, weight][, delay][, kind]
  // kList: the rows' weights are multiplied by this (a connectome's synapse
  // counts into conductances); it scales an `around = "list"` range's base too.
  double weight_scale = 1.0;
};

// A synaptic receptor beyond the two every network has, AMPA (index 0,
// excitatory neurons' default) and GABA (index 1, inhibitory neurons'),
// whose time constant and reversal potentials are the model's tau_syn_ms,
// e_exc_mV and e_inh_mV: e.g. a slow NMDA-like or GABA_B-like receptor.
struct ReceptorSpec {
  std::string name;
  double tau_syn_ms = 5.0;  // the conductance's (or current's) decay
  double e_rev_mV = 0.0;    // reversal potential (conductance-based neurons)
  // Dale's law: only excitatory (true) or only inhibitory neurons release
  // onto it; current-based neurons receive +w (excitatory) or -w.
  bool excitatory = true;
};

enum class SynapseKind {
  kChemical,    // transmitter (AMPA / GABA) of the presynaptic neuron's Dale type
  kElectrical,  // gap junction: symmetric conductance between two potentials
};

struct ProjectionSpec {
  std::string pre, post;  // population names
  ConnectorSpec connector;
  SynapseKind kind = SynapseKind::kChemical;
  ValueSpec weight = ValueSpec::Evolved(0.0, 1.0);  // nS (chemical: magnitude, sign from Dale)
  ValueSpec delay = ValueSpec::Constant(1.0);       // ms
  // "pre->post" unless given: the name genes and errors use.
  std::string name;
  // Chemical synapses: the receptor, by name ("AMPA", "GABA" or one of
  // NetworkSpec::receptors); empty: AMPA or GABA by the presynaptic
  // neuron's Dale type.
  std::string receptor;
};

struct NetworkSpec {
  std::vector<PopulationSpec> populations;
  std::vector<ProjectionSpec> projections;
  std::vector<ReceptorSpec> receptors;  // beyond AMPA and GABA, indices 2, 3, ...

  // Index of the population called `name`, or -1.
  int Find(const std::string& name) const {
    for (size_t i = 0; i < populations.size(); ++i)
      if (populations[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

}  // namespace neurevo
