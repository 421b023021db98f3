#include "train/rollout_recording.h"

#include <fmt/format.h>

#include <algorithm>
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

void RecordRolloutToFile(const std::string& run_dir, int episodes, const uint64_t* seed,
                         const std::vector<std::string>& fields, uint64_t max_bytes, const std::string& path) {
  if (episodes < 1) throw ConfigError(fmt::format("--episodes: {} is less than 1", episodes));
  LoadedRun run = LoadRun(run_dir);
  const auto* lif = dynamic_cast<const LifModel*>(run.model.get());
  if (lif == nullptr)
    throw ConfigError(fmt::format("{}: model.kind = \"{}\" has no neurons to record (--record takes bnn, snn and "
                                  "network runs); without --record, rollout writes the episode",
                                  run_dir, run.config.model.kind));
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
  uint64_t bytes = 0;
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
    RunEpisode(*policy, *run.task, run.genome.normalizer, HeldOutEnvSeed(s, e), HeldOutNoiseKey(s, e), options);
  }
  const uint64_t t = static_cast<uint64_t>(row), n = static_cast<uint64_t>(neurons);
  NpzWriter npz;
  npz.Add("observation", "<f8", {t, static_cast<uint64_t>(obs_size)}, observation);
  npz.Add("action", "<f8", {t, static_cast<uint64_t>(act_size)}, action);
  npz.Add("reward", "<f8", {t}, reward);
  npz.Add("episode", "<i4", {t}, episode_of);
  npz.Add("step", "<i4", {t}, step_of);
  if (has("v")) npz.Add("v", "<f4", {t, n}, v);
  if (has("g")) {
    npz.Add("g_exc", "<f4", {t, n}, g_exc);
    npz.Add("g_inh", "<f4", {t, n}, g_inh);
  }
  if (has("activity")) npz.Add("activity", "<f4", {t, n}, activity);
  if (has("spikes")) {
    const uint64_t k = spike_row.size();
    npz.Add("spike_row", "<i4", {k}, spike_row);
    npz.Add("spike_substep", "<i4", {k}, spike_substep);
    npz.Add("spike_neuron", "<i4", {k}, spike_neuron);
  }
  // Populations: each neuron's index, and the names as fixed-width UTF-32 (NumPy's <U).
  std::vector<int32_t> population_of(n, -1);
  size_t width = 1;
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const auto& pop = net.populations[p];
    std::fill_n(population_of.begin() + pop.begin, pop.size, static_cast<int32_t>(p));
    width = std::max(width, pop.name.size());
  }
  std::vector<uint32_t> names(net.populations.size() * width, 0);
  for (size_t p = 0; p < net.populations.size(); ++p)
    for (size_t c = 0; c < net.populations[p].name.size(); ++c)
      names[p * width + c] = static_cast<unsigned char>(net.populations[p].name[c]) < 0x80
                                 ? static_cast<unsigned char>(net.populations[p].name[c])
                                 : '?';  // ASCII as is; other bytes of UTF-8 names shown as '?'

  npz.Add("neuron_population", "<i4", {n}, population_of);
  npz.Add("population_names", fmt::format("<U{}", width), {net.populations.size()}, names);
  const double dt_ms = run.config.model.dt_ms;
  const int32_t substeps = run.config.model.substeps;
  npz.Add("dt_ms", "<f8", {}, &dt_ms, sizeof dt_ms);
  npz.Add("substeps", "<i4", {}, &substeps, sizeof substeps);
  npz.Write(path);
}

}  // namespace neurevo
