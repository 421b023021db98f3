#include "train/rollout_recording.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/npz_writer.h"
#include "model/lif_model.h"
#include "neurevo/error.h"
#include "train/episode.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace neurevo {

std::vector<std::string> RecordFields() { return {"spikes", "v", "g", "activity"}; }

std::vector<std::string> ParseRecordFields(const std::string& list) {
  std::vector<std::string> fields;
  std::stringstream in(list);
  std::string field;
  const auto allowed = RecordFields();
  while (std::getline(in, field, ',')) {
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
      throw ConfigError(fmt::format("--record: {} is not a field; allowed: spikes, v, g, activity (comma-separated)",
                                    Echo(field)));
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
  }
  if (fields.empty()) throw ConfigError("--record: name at least one field: spikes, v, g, activity");
  return fields;
}

namespace {

// Adds `values` and frees them: at most one copy of an array exists at a time.
template <class T>
void AddAndFree(NpzWriter& npz, const std::string& name, const std::string& descr, const std::vector<uint64_t>& shape,
                std::vector<T>& values) {
  npz.Add(name, descr, shape, values);
  std::vector<T>().swap(values);
}

// UTF-8 to code points (NumPy's <U is UTF-32); a malformed byte becomes U+FFFD.
std::vector<uint32_t> CodePoints(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int extra = b < 0x80 ? 0 : (b >> 5) == 0x6 ? 1 : (b >> 4) == 0xe ? 2 : (b >> 3) == 0x1e ? 3 : -1;
    if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) {
      out.push_back(0xfffd);
      ++i;
      continue;
    }
    uint32_t c = extra == 0 ? b : b & (0x3f >> extra);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      ok = ok && (t >> 6) == 0x2;
      c = (c << 6) | (t & 0x3f);
    }
    out.push_back(ok ? c : 0xfffd);
    i += ok ? extra + 1 : 1;
  }
  return out;
}

}  // namespace

void RecordRolloutToFile(const std::string& run_dir, int episodes, const uint64_t* seed,
                         const std::vector<std::string>& fields, uint64_t max_bytes, const std::string& path) {
  if (episodes < 1) throw ConfigError(fmt::format("--episodes: {} is less than 1", episodes));
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty() && !std::filesystem::is_directory(parent))
    throw ConfigError(fmt::format("--out {}: {} is not a directory", path, parent.string()));
  LoadedRun run = LoadRun(run_dir);
  const LifModel* lif = &RequireLifModel(run, run_dir, "--record");
  const auto has = [&](const char* f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); };
  const uint64_t s = seed ? *seed : run.config.seed;
  const Space& action_space = run.task->action_space();
  const int obs_size = run.task->observation_space().vector_size();
  const int act_size = action_space.vector_size();
  const NetworkInstance& net = lif->decoder().network();
  int neurons = 0;
  for (const auto& p : net.populations) neurons = std::max(neurons, p.begin + p.size);

  std::vector<double> observation, action, reward;
  std::vector<int32_t> episode_of, step_of, spike_row, spike_substep, spike_neuron;
  std::vector<float> v, g_exc, g_inh, activity;
  // The archive's fixed part (headers of at most 16 members, populations) counts from the start.
  uint64_t bytes = 16 * 256 + 4ULL * neurons;
  for (const auto& p : net.populations) bytes += 4 * (p.name.size() + 1);
  const uint64_t row_bytes = 8ULL * (obs_size + act_size + 1) + 8 +
                             4ULL * neurons * ((has("v") ? 1 : 0) + (has("g") ? 2 : 0) + (has("activity") ? 1 : 0));
  auto policy = run.model->Decode(run.genome.genes);
  policy->SetRecording(true);
  long long row = 0;
  for (int e = 0; e < episodes; ++e) {
    EpisodeOptions options;
    options.on_step = [&](const StepRecord& r) {
      bytes += row_bytes;
      const auto spikes = policy->Spikes();
      if (has("spikes")) bytes += 12ULL * spikes.size();
      if (bytes > max_bytes)
        throw ConfigError(fmt::format("the recording would pass --max-bytes {} (at episode {} step {}): record fewer "
                                      "episodes or fields, or raise --max-bytes",
                                      max_bytes, e, r.step));
      observation.insert(observation.end(), r.observation.begin(), r.observation.end());
      const auto applied = ActionAsApplied(action_space, r.action);
      action.insert(action.end(), applied.begin(), applied.end());
      reward.push_back(r.result.reward);
      episode_of.push_back(e);
      step_of.push_back(static_cast<int32_t>(r.step));
      for (const auto& probe : policy->Probes()) {
        std::vector<float>* to = probe.name == "v" && has("v")                  ? &v
                                 : probe.name == "g_exc" && has("g")            ? &g_exc
                                 : probe.name == "g_inh" && has("g")            ? &g_inh
                                 : probe.name == "activity" && has("activity")  ? &activity
                                                                                : nullptr;
        if (to != nullptr) to->insert(to->end(), probe.values.begin(), probe.values.end());
      }
      if (has("spikes"))
        for (const auto& [substep, neuron] : spikes) {
          spike_row.push_back(static_cast<int32_t>(row));
          spike_substep.push_back(substep);
          spike_neuron.push_back(neuron);
        }
      ++row;
    };
    options.held_out_episode = e;  // a task's own test set, as `eval` and `export` use it
    RunEpisode(*policy, *run.task, run.genome.normalizer, HeldOutEnvSeed(s, e), HeldOutNoiseKey(s, e), options);
  }
  const uint64_t t = static_cast<uint64_t>(row), n = static_cast<uint64_t>(neurons);
  NpzWriter npz;
  AddAndFree(npz, "observation", "<f8", {t, static_cast<uint64_t>(obs_size)}, observation);
  AddAndFree(npz, "action", "<f8", {t, static_cast<uint64_t>(act_size)}, action);
  AddAndFree(npz, "reward", "<f8", {t}, reward);
  AddAndFree(npz, "episode", "<i4", {t}, episode_of);
  AddAndFree(npz, "step", "<i4", {t}, step_of);
  if (has("v")) AddAndFree(npz, "v", "<f4", {t, n}, v);
  if (has("g")) {
    AddAndFree(npz, "g_exc", "<f4", {t, n}, g_exc);
    AddAndFree(npz, "g_inh", "<f4", {t, n}, g_inh);
  }
  if (has("activity")) AddAndFree(npz, "activity", "<f4", {t, n}, activity);
  if (has("spikes")) {
    const uint64_t k = spike_row.size();
    AddAndFree(npz, "spike_row", "<i4", {k}, spike_row);
    AddAndFree(npz, "spike_substep", "<i4", {k}, spike_substep);
    AddAndFree(npz, "spike_neuron", "<i4", {k}, spike_neuron);
  }
  // Populations: each neuron's index, and the names as fixed-width UTF-32 (NumPy's <U).
  const std::vector<int32_t> population_of = NeuronPopulations(net.populations, neurons);
  size_t width = 1;
  std::vector<std::vector<uint32_t>> points;
  for (const auto& pop : net.populations) {
    points.push_back(CodePoints(pop.name));
    width = std::max(width, points.back().size());
  }
  std::vector<uint32_t> names(net.populations.size() * width, 0);
  for (size_t p = 0; p < points.size(); ++p) std::copy(points[p].begin(), points[p].end(), names.begin() + p * width);

  npz.Add("neuron_population", "<i4", {n}, population_of);
  npz.Add("population_names", fmt::format("<U{}", width), {net.populations.size()}, names);
  const double dt_ms = run.config.model.dt_ms;
  const int32_t substeps = run.config.model.substeps;
  npz.Add("dt_ms", "<f8", {}, &dt_ms, sizeof dt_ms);
  npz.Add("substeps", "<i4", {}, &substeps, sizeof substeps);
  if (npz.size() > max_bytes)  // the estimate above is an upper bound; this is the archive's own count
    throw ConfigError(fmt::format("the recording would pass --max-bytes {} ({} bytes): record fewer episodes or "
                                  "fields, or raise --max-bytes",
                                  max_bytes, npz.size()));
  npz.Write(path);
}

}  // namespace neurevo
