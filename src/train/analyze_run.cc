#include "train/analyze_run.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/files.h"
#include "core/npz_writer.h"
#include "model/lif_model.h"
#include "neurevo/error.h"
#include "train/analysis_stats.h"
#include "train/episode.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace fs = std::filesystem;

namespace neurevo {
namespace {

struct Structure {
  std::vector<double> sc, delay;                 // n x n
  std::vector<double> weight, delay_ms;          // per synapse
  std::vector<int32_t> pre, post, receptor;      // per synapse
};

// Every synapse of every receptor (AMPA, GABA, a description's own), with
// its weight as the description gives it (nS: `magnitudes`, Decode's order),
// signed by its receptor (AMPA and excitatory receptors +, GABA and
// inhibitory ones -).
Structure StructureOf(const LifNetwork& net, const std::vector<double>& magnitudes, double dt_ms) {
  const size_t n = static_cast<size_t>(net.neurons);
  const int extras = net.receptors - 2;
  Structure s;
  s.sc.assign(n * n, 0.0);
  s.delay.assign(n * n, 0.0);
  std::vector<int> count(n * n, 0);
  for (int j = 0; j < net.neurons; ++j) {
    const int end = extras > 0 ? net.extra_end[static_cast<size_t>(j) * extras + extras - 1] : net.syn_end[j];
    for (int k = net.ampa_begin[j]; k < end; ++k) {
      int receptor = k < net.gaba_begin[j] ? 0 : k < net.syn_end[j] ? 1 : 2;
      while (receptor >= 2 && k >= net.extra_end[static_cast<size_t>(j) * extras + receptor - 2]) ++receptor;
      const double sign = receptor == 0 ? 1.0 : receptor == 1 ? -1.0 : net.extra_sign[receptor - 2];
      const int pre = net.presynaptic(k);
      const double w = magnitudes[k];
      s.pre.push_back(pre);
      s.post.push_back(j);
      s.receptor.push_back(receptor);
      s.weight.push_back(sign * w);
      s.delay_ms.push_back(net.delay[k] * dt_ms);
      const size_t cell = static_cast<size_t>(j) * n + pre;  // row: post, column: pre
      s.sc[cell] += sign * w;
      s.delay[cell] += net.delay[k] * dt_ms;
      ++count[cell];
    }
  }
  for (size_t c = 0; c < n * n; ++c)
    s.delay[c] = count[c] > 0 ? s.delay[c] / count[c] : std::numeric_limits<double>::quiet_NaN();
  return s;
}

// The neurons' step activity over `episodes` held-out rollouts (rows: steps).
std::vector<double> Activity(LoadedRun& run, const LifModel& model, const LifNetwork& net,
                             const ObsNormalizer& normalizer, int episodes, uint64_t seed, int* rows) {
  std::vector<double> out;
  auto policy = model.ControllerOf(net)->NewPolicy();
  policy->SetRecording(true);
  *rows = 0;
  for (int e = 0; e < episodes; ++e) {
    EpisodeOptions options;
    options.on_step = [&](const StepRecord&) {
      for (const auto& probe : policy->Probes())
        if (probe.name == "activity") {
          out.insert(out.end(), probe.values.begin(), probe.values.end());
          ++*rows;
        }
    };
    options.held_out_episode = e;
    RunEpisode(*policy, *run.task, normalizer, HeldOutEnvSeed(seed, e), HeldOutNoiseKey(seed, e), options);
  }
  return out;
}

nlohmann::json Describe(std::vector<double> values) {
  nlohmann::json j;
  const double n = static_cast<double>(values.size());
  double mean = 0, var = 0, lo = values.front(), hi = values.front();
  for (double v : values) mean += v, lo = std::min(lo, v), hi = std::max(hi, v);
  mean /= n;
  for (double v : values) var += (v - mean) * (v - mean);
  j = {{"count", values.size()}, {"mean", mean}, {"std", std::sqrt(var / n)}, {"min", lo}, {"max", hi}};
  // Fits for positive values that vary by more than rounding (a constant
  // rebuilt from float constants differs in its last bits).
  if (lo > 0 && hi - lo > 1e-6 * hi && values.size() >= 2) {
    try {
      const LognormalFit ln = FitLognormal(values);
      const GammaFit g = FitGamma(values);
      j["lognormal"] = {{"mu", ln.mu}, {"sigma", ln.sigma}, {"mean_log_likelihood", ln.mean_log_likelihood}};
      j["gamma"] = {{"shape", g.shape}, {"scale", g.scale}, {"mean_log_likelihood", g.mean_log_likelihood}};
      j["better_fit"] = ln.mean_log_likelihood >= g.mean_log_likelihood ? "lognormal" : "gamma";
    } catch (const std::invalid_argument& e) {
      j["fit"] = std::string("none: ") + e.what();
    }
  } else {
    j["fit"] = lo > 0 ? "none: the values do not vary" : "none: not all values are positive";
  }
  return j;
}

nlohmann::json Parameters(const LifNetwork& net, const NetworkInstance& instance, double dt_ms) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& pop : instance.populations) {
    if (pop.size == 0) continue;
    auto slice = [&](auto value) {
      std::vector<double> v;
      for (int i = pop.begin; i < pop.begin + pop.size; ++i) v.push_back(value(i));
      return Describe(std::move(v));
    };
    const auto c_m = [&](int i) { return dt_ms / net.dt_over_c_per_neuron[i]; };
    out[pop.name] = {
        {"tau_m_ms", slice([&](int i) { return c_m(i) / net.g_leak_per_neuron[i]; })},
        {"c_m_pF", slice(c_m)},
        {"g_leak_nS", slice([&](int i) { return static_cast<double>(net.g_leak_per_neuron[i]); })},
        {"v_rest_mV", slice([&](int i) { return static_cast<double>(net.v_rest_per_neuron[i]); })},
        {"v_threshold_mV", slice([&](int i) { return static_cast<double>(net.v_threshold_per_neuron[i]); })},
        {"offset_pA", slice([&](int i) { return static_cast<double>(net.offset_current[i]); })},
        {"noise_pA", slice([&](int i) { return static_cast<double>(net.noise_std[i]); })},
    };
  }
  return out;
}

}  // namespace

nlohmann::json AnalyzeRun(const std::string& run_dir, const std::string& out_dir_or_empty, int episodes,
                          const uint64_t* seed) {
  if (episodes < 1 || episodes > 100000) throw ConfigError(fmt::format("--episodes: {} outside 1 .. 100000", episodes));
  LoadedRun run = LoadRun(run_dir);
  const LifModel* lif = &RequireLifModel(run, run_dir, "analyze");
  const std::string initial_path = (fs::path(run_dir) / "initial_genome.json").string();
  if (!fs::exists(initial_path))
    throw ConfigError(fmt::format("{}: missing (runs written before it existed cannot be compared with their "
                                  "start)", initial_path));
  const SavedGenome initial = ParseGenomeFile(initial_path, run.model->layout(),
                                              run.task->observation_space().vector_size(), &run.config);
  const double dt_ms = run.config.model.dt_ms;
  const LifNetwork net_initial = lif->decoder().Decode(initial.genes);
  const LifNetwork net_best = lif->decoder().Decode(run.genome.genes);
  const uint64_t s = seed ? *seed : run.config.seed;
  const uint64_t n = static_cast<uint64_t>(net_best.neurons);
  const std::string out_dir = out_dir_or_empty.empty() ? (fs::path(run_dir) / "analysis").string() : out_dir_or_empty;
  if (fs::exists(fs::path(out_dir) / "config.toml"))
    throw ConfigError(fmt::format("--out {}: a run directory (it has config.toml); analyze writes into a directory "
                                  "of its own (default RUN_DIR/analysis)",
                                  out_dir));

  NpzWriter structure;
  const Structure a = StructureOf(net_initial, lif->decoder().SynapseMagnitudes(initial.genes), dt_ms);
  const Structure b = StructureOf(net_best, lif->decoder().SynapseMagnitudes(run.genome.genes), dt_ms);
  const uint64_t k = a.pre.size();
  structure.Add("sc_initial", "<f8", {n, n}, a.sc);
  structure.Add("sc_best", "<f8", {n, n}, b.sc);
  structure.Add("delay_initial", "<f8", {n, n}, a.delay);
  structure.Add("delay_best", "<f8", {n, n}, b.delay);
  structure.Add("synapse_pre", "<i4", {k}, a.pre);
  structure.Add("synapse_post", "<i4", {k}, a.post);
  structure.Add("synapse_receptor", "<i4", {k}, a.receptor);
  structure.Add("weight_initial", "<f8", {k}, a.weight);
  structure.Add("weight_best", "<f8", {k}, b.weight);
  structure.Add("delay_ms_initial", "<f8", {k}, a.delay_ms);
  structure.Add("delay_ms_best", "<f8", {k}, b.delay_ms);
  const NetworkInstance& instance = lif->decoder().network();
  structure.Add("neuron_population", "<i4", {n}, NeuronPopulations(instance.populations, static_cast<int>(n)));

  NpzWriter functional;
  int rows_initial = 0, rows_best = 0;
  // Each genome with its own normaliser: the initial one's is empty (identity), as it ran at the start.
  const auto act_initial = Activity(run, *lif, net_initial, initial.normalizer, episodes, s, &rows_initial);
  const auto act_best = Activity(run, *lif, net_best, run.genome.normalizer, episodes, s, &rows_best);
  functional.Add("fc_initial", "<f8", {n, n}, ColumnCorrelations(act_initial, rows_initial, static_cast<int>(n)));
  functional.Add("fc_best", "<f8", {n, n}, ColumnCorrelations(act_best, rows_best, static_cast<int>(n)));
  functional.Add("activity_initial", "<f8", {static_cast<uint64_t>(rows_initial), n}, act_initial);
  functional.Add("activity_best", "<f8", {static_cast<uint64_t>(rows_best), n}, act_best);

  nlohmann::json parameters = {{"initial", Parameters(net_initial, instance, dt_ms)},
                               {"best", Parameters(net_best, instance, dt_ms)}};
  nlohmann::json populations = nlohmann::json::array();
  for (const auto& p : instance.populations) populations.push_back({{"name", p.name}, {"begin", p.begin}, {"size", p.size}});
  nlohmann::json summary = {{"run_dir", run_dir},
                            {"task", run.config.task_name},
                            {"model", run.config.model.kind},
                            {"neurons", n},
                            {"synapses", k},
                            {"populations", populations},
                            {"episodes", episodes},
                            {"seed", s},
                            {"steps_initial", rows_initial},
                            {"steps_best", rows_best},
                            {"files", {"structure.npz", "functional.npz", "parameters.json"}}};
  fs::create_directories(out_dir);
  structure.Write((fs::path(out_dir) / "structure.npz").string());
  functional.Write((fs::path(out_dir) / "functional.npz").string());
  WriteFileAtomic((fs::path(out_dir) / "parameters.json").string(), parameters.dump(2) + "\n");
  WriteFileAtomic((fs::path(out_dir) / "summary.json").string(), summary.dump(2) + "\n");
  return summary;
}

}  // namespace neurevo
