#include "train/export_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/files.h"
#include "model/lif_export.h"
#include "model/lif_model.h"
#include "neurevo/error.h"
#include "neurevo/export_templates.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace neurevo {
namespace {

constexpr std::string_view kPayloadMark = "__NEUREVO_EXPORT_PAYLOAD__";

// neurevo's own run of the network on the first held-out episode: the
// normalised observations it was given, its spikes (substep from the first
// step after the warm-up, neuron), outputs and end-of-step potentials.
nlohmann::json RecordEpisode(const LoadedRun& run, const LifModel& model, const LifNetwork& net, int steps,
                             uint64_t seed) {
  Task& task = *run.task;
  const int obs_size = task.observation_space().vector_size();
  std::vector<double> obs(obs_size), normalized(obs_size), action(task.action_space().vector_size());
  auto policy = model.ControllerOf(net)->NewPolicy();
  policy->SetRecording(true);
  policy->Reset(HeldOutNoiseKey(seed, 0));
  if (!task.ResetHeldOut(0, obs)) task.Reset(HeldOutEnvSeed(seed, 0), obs);
  nlohmann::json observations = nlohmann::json::array(), outputs = nlohmann::json::array(),
                 potentials = nlohmann::json::array();
  std::vector<int> spike_substep, spike_neuron;
  const int substeps = model.substeps();
  for (int t = 0; t < steps; ++t) {
    run.genome.normalizer.Normalize(obs, normalized);
    observations.push_back(normalized);
    policy->Act(normalized, action);
    const auto out = policy->outputs();
    outputs.push_back(std::vector<float>(out.begin(), out.end()));
    for (const auto& probe : policy->Probes())
      if (probe.name == "v") potentials.push_back(std::vector<float>(probe.values.begin(), probe.values.end()));
    for (const auto& [substep, neuron] : policy->Spikes()) {
      spike_substep.push_back(t * substeps + substep);
      spike_neuron.push_back(neuron);
    }
    if (!policy->healthy()) break;
    const StepResult r = task.Step(action, obs);
    if (r.terminated || r.truncated) break;
  }
  return {{"observations", observations},
          {"outputs", outputs},
          {"v", potentials},
          {"spike_substep", spike_substep},
          {"spike_neuron", spike_neuron}};
}

}  // namespace

void ExportRun(const std::string& run_dir, const std::string& target, const std::string& out_path, int steps,
               const uint64_t* seed, bool without_noise) {
  if (target != "brian2" && target != "nest" && target != "nir")
    throw ConfigError(fmt::format("export --to: {} is not a target; allowed: brian2, nest, nir", Echo(target)));
  if (steps < 1 || steps > 100000) throw ConfigError(fmt::format("export --steps: {} outside 1 .. 100000", steps));
  if (std::filesystem::exists(out_path))
    throw ConfigError(fmt::format("{}: exists; export never overwrites a file", out_path));
  LoadedRun run = LoadRun(run_dir);
  const LifModel* lif = &RequireLifModel(run, run_dir, "export");
  LifNetwork net = lif->decoder().Decode(run.genome.genes);
  if (without_noise) {
    std::fill(net.noise_std.begin(), net.noise_std.end(), 0.f);
    net.has_noise = false;
  }
  nlohmann::json payload;
  try {
    payload["network"] = LifExportJson(net);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(fmt::format("{}: cannot export: {}", run_dir, e.what()));
  }
  if (target == "nest" || target == "nir")
    for (int j = 0; j < net.neurons; ++j)
      if (!net.spiking || !net.spiking_per_neuron[j])
        throw ConfigError(fmt::format(
            "{}: cannot export to {}: neuron {} is graded (model.kind = \"{}\"), and {} has no graded synapses; "
            "it takes networks whose every neuron spikes (snn with model.snn_readout = \"rate\"); "
            "--to brian2 takes any",
            run_dir, target == "nest" ? "NEST" : "NIR", j, run.config.model.kind, target == "nest" ? "NEST" : "NIR"));
  if (target == "nir" && net.readout_outputs > 0)
    throw ConfigError(fmt::format("{}: cannot export to NIR: model.readout = \"linear\" decodes each step's mean "
                                  "activity, which a NIR graph of spikes does not carry; --to brian2 or nest take it",
                                  run_dir));
  const uint64_t s = seed ? *seed : run.config.seed;
  payload["network"]["dt_ms"] = run.config.model.dt_ms;
  payload["network"]["warmup_steps"] = run.config.model.warmup_steps;
  payload["run"] = {{"run_dir", run_dir},
                    {"task", run.config.task_name},
                    {"model", run.config.model.kind},
                    {"generation", run.genome.generation},
                    {"seed", s},
                    {"episode", 0}};
  payload["run"]["without_noise"] = without_noise;
  payload["neurevo"] = RecordEpisode(run, *lif, net, steps, s);
  std::string script(target == "nest"  ? export_templates::kNest
                     : target == "nir" ? export_templates::kNir
                                       : export_templates::kBrian2);
  const size_t at = script.find(kPayloadMark);
  if (at == std::string::npos) throw std::logic_error("export template without its payload mark");
  // JSON never holds three quotes in a row, so it sits in a raw triple-quoted string.
  script.replace(at, kPayloadMark.size(), payload.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
  WriteFileAtomicWith(out_path, [&](const FileSink& put) { return put(script); }, /*no_replace=*/true);
}

}  // namespace neurevo
