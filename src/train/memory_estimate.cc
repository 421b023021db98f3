#include "train/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <limits>
#include <sstream>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include "model/network_model.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"

namespace neurevo {

namespace {

// Bytes per gene (or per gene squared) of each term, from the peak RSS of
// one-generation runs (2M genes with sep_cma_es, 4802 genes with cma_es,
// xnes and mads), rounded up.
constexpr double kFixedPerGene = 400;         // layout labels, topology, best genome + JSON + text
constexpr double kThreadPerGene = 16;         // a decoded network's synapses and weights
constexpr double kCandidatePerGene = 16;      // a sample in the optimizer and its copy in the trainer
constexpr double kCheckpointedPerDouble = 48;  // a saved double: JSON twice (state, restore point) + CBOR
constexpr double kProcessBytes = 64e6;        // code, libraries, MuJoCo's model
constexpr double kThreadBytes = 16e6;         // a task (MuJoCo data), stack, scratch
constexpr double kMargin = 1.2;

struct OptimizerCost {
  double matrix_doubles_per_n2 = 0;   // held n x n matrices (incl. decomposition workspace)
  double saved_matrices = 0;          // n x n matrices in its saved state
  double vectors = 0;                 // held n-vectors
  double saved_vectors = 0;           // n-vectors in its saved state
  double saved_candidates = 0;        // candidate sets (lambda x n) in its saved state
};

OptimizerCost CostOf(const std::string& kind) {
  if (kind == "cma_es") return {4, 2, 6, 4, 0};  // C, B, eigen workspace; mean ps pc D
  if (kind == "xnes") return {4, 1, 3, 1, 0};    // B, exponential workspace; mean
  if (kind == "sep_cma_es") return {0, 0, 6, 4, 0};
  if (kind == "openai_es") return {0, 0, 4, 3, 0};
  if (kind == "snes") return {0, 0, 3, 2, 0};
  if (kind == "pgpe") return {0, 0, 7, 5, 0};
  if (kind == "ga") return {0, 0, 2, 1, 1};
  if (kind == "enomad") return {0, 0, 4, 1, 2};  // candidates and the ranked last generation
  if (kind == "bptt") return {0, 0, 4, 3, 0};    // theta, Adam's m and v; the gradient
  return {0, 0, 4, 2, 0};                        // mads
}

int Threads(int configured) {
  return configured > 0 ? configured : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

MemoryEstimate EstimateMemory(const RunConfig& c) {
  const ModelOptions& m = c.model;
  const auto task = MakeTask(c.task_name, c.task_options);
  const Space& obs = task->observation_space();
  const Space& act = task->action_space();
  MemoryEstimate e;
  e.genes = CountGenes(m, obs, act);
  e.islands = c.islands;
  e.threads = Threads(c.threads);
  const double n = static_cast<double>(e.genes);
  const OptimizerCost cost = CostOf(c.optimizer.kind);
  // mads' complete poll asks 2n + 1 points at once.
  double lambda = c.optimizer.kind == "bptt" ? 1.0 : c.optimizer.population;  // bptt asks for one genome
  if (c.optimizer.kind == "mads" && c.optimizer.mads_poll == "complete") lambda = 2 * n + 1;
  e.per_individual_bytes = n * (kCandidatePerGene + cost.saved_candidates * kCheckpointedPerDouble);
  e.per_island_bytes = n * n * (8 * cost.matrix_doubles_per_n2 + cost.saved_matrices * kCheckpointedPerDouble) +
                       n * (8 * cost.vectors + cost.saved_vectors * kCheckpointedPerDouble) +
                       lambda * e.per_individual_bytes;
  // A LIF network's delay rings: each neuron's signal history, twice as long
  // as the longest delay in substeps (lif_network.cc).
  double ring_bytes = 0;
  if (m.kind == "bnn" || m.kind == "snn") {
    const double neurons = m.excitatory + m.inhibitory +
                           (m.encoding.input_encoding == "current" ? 0.0 : obs.vector_size() * (m.encoding.input_encoding == "pair" ? 2.0 : 1.0)) +
                           2.0 * act.vector_size();
    const double ring = std::ceil(m.max_delay_ms / m.dt_ms) + 1;
    ring_bytes = (neurons + 1) * (2 * ring + 8) * sizeof(float);
  }
  // A description: its drawn synapses, held once by the model (about 40
  // bytes each with its labels' share) and by each thread's decoded network
  // (offset, weight, delay, the pass's copy: about 16 bytes).
  double synapse_fixed_bytes = 0, synapse_thread_bytes = 0;
  if (m.kind == "network") {
    const NetworkInstance net = InstantiateForTask(m, obs, act);
    int max_delay = DelaySubsteps(m.max_delay_ms, m.dt_ms);
    for (const InstanceFamily& f : net.families)
      if (f.whole)
        for (double h : f.high) max_delay = std::max(max_delay, static_cast<int>(h));
    for (const InstanceSynapse& syn : net.synapses) max_delay = std::max(max_delay, syn.delay_substeps);
    ring_bytes = (net.neurons + 1.0) * (2.0 * (max_delay + 1) + 8) * sizeof(float);
    const double synapses = static_cast<double>(net.synapses.size() + net.gaps.size());
    synapse_fixed_bytes = 40.0 * synapses;
    synapse_thread_bytes = 16.0 * synapses;
  }
  // An ENU policy's unit states and scratch (enu_unit.h: [h, o, x] rows,
  // gates, candidate, memory, output, input and noise: K + 4M + 2C + X
  // floats per unit); a network has 8 synapse units per neuron at most.
  double enu_thread_bytes = 0;
  if (m.kind == "enu") {
    const double mem = m.enu.enu_memory, ch = m.enu.enu_channels;
    auto unit_floats = [&](double x) { return (mem + ch + x) + 4 * mem + 2 * ch + x; };
    enu_thread_bytes = m.enu.enu_topology == "unit"
                           ? unit_floats(obs.vector_size()) * sizeof(float)
                           : m.enu.enu_neurons * (unit_floats(ch) + 8 * unit_floats(2 * ch) + ch) * sizeof(float);
  }
  // An rsnn: each thread's decoded network holds dense N x N recurrent
  // weights; bptt adds each thread's tape (potential, spikes, input and a
  // flag per neuron per network step of an episode) and one gradient per
  // minibatch episode, summed at the end of the generation.
  double rsnn_thread_bytes = 0, rsnn_fixed_bytes = 0;
  if (m.kind == "rsnn") {
    double neurons = 0;
    for (const PopulationSpec& p : m.network.populations) neurons += std::max(p.size, 0);
    rsnn_thread_bytes = 8.0 * neurons * (neurons + obs.vector_size() + act.vector_size() + 16);
    if (c.optimizer.kind == "bptt") {
      const double steps = static_cast<double>(task->max_episode_steps()) * m.substeps;
      // The tape, and the backward pass's dense N x N weight gradient.
      rsnn_thread_bytes += steps * (neurons * 17.0 + obs.vector_size() * 8.0) + 8.0 * neurons * neurons;
      rsnn_fixed_bytes = 8.0 * n * c.train_episodes;
    }
  }
  e.delay_ring_bytes = ring_bytes * kMargin;
  e.per_thread_bytes =
      kThreadBytes + n * kThreadPerGene + ring_bytes + synapse_thread_bytes + enu_thread_bytes + rsnn_thread_bytes;
  // The final evaluation holds one chunk of episode results at a time.
  e.fixed_bytes = kProcessBytes + n * kFixedPerGene + 32.0 * std::min(c.eval_episodes, 1 << 20) + synapse_fixed_bytes +
                  rsnn_fixed_bytes;
  e.per_individual_bytes *= kMargin;
  e.per_island_bytes *= kMargin;
  e.per_thread_bytes *= kMargin;
  e.fixed_bytes *= kMargin;
  return e;
}

void CheckMemoryFits(const RunConfig& c) {
  std::string source;
  const double available = AvailableMemoryBytes(&source);
  const MemoryEstimate e = EstimateMemory(c);
  const double needed = e.total_bytes();
  if (needed <= available) return;
  // Name the keys that set the size and differ from the defaults; the
  // dominant term's own key always.
  const RunConfig d;
  std::vector<std::string> keys;
  auto add = [&](const std::string& key, const std::string& value, bool changed) {
    const std::string item = fmt::format("{}={}", key, Echo(value));
    if (changed && std::find(keys.begin(), keys.end(), item) == keys.end()) keys.push_back(item);
  };
  const ModelOptions& m = c.model;
  add("task.name", c.task_name, c.task_name != d.task_name);
  add("model.kind", m.kind, m.kind != d.model.kind);
  add("model.excitatory", std::to_string(m.excitatory), m.excitatory != d.model.excitatory);
  add("model.inhibitory", std::to_string(m.inhibitory), m.inhibitory != d.model.inhibitory);
  add("model.input_encoding", m.encoding.input_encoding, m.encoding.input_encoding != d.model.encoding.input_encoding);
  if (m.kind == "mlp") add("model.mlp_hidden", fmt::format("[{}]", fmt::join(m.baselines.mlp_hidden, ", ")), true);
  const double rings = e.threads * e.delay_ring_bytes;
  add("model.max_delay_ms", fmt::format("{}", m.max_delay_ms), rings > needed / 4);
  add("model.dt_ms", fmt::format("{}", m.dt_ms), rings > needed / 4 && m.dt_ms != d.model.dt_ms);
  const double islands = e.islands * e.per_island_bytes;
  add("optimizer.kind", c.optimizer.kind, c.optimizer.kind != d.optimizer.kind || islands > needed / 2);
  add("optimizer.population", std::to_string(c.optimizer.population),
      c.optimizer.population != d.optimizer.population);
  add("islands.count", std::to_string(c.islands), c.islands != d.islands);
  add("run.threads", std::to_string(c.threads), e.threads * e.per_thread_bytes > needed / 4);
  throw ConfigError(fmt::format("{}: needs about {} ({} genes, {} island(s) x {} + {} thread(s) x {} + {}), "
                                "{} available ({}); allowed: a config that fits",
                                fmt::join(keys, ", "), FormatBytes(needed), e.genes, e.islands,
                                FormatBytes(e.per_island_bytes), e.threads, FormatBytes(e.per_thread_bytes),
                                FormatBytes(e.fixed_bytes), FormatBytes(available), source));
}

}  // namespace neurevo
