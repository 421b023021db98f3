#include "train/run_files.h"

#include "neurevo/train.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>

#include "core/files.h"
#include "core/nesting_guard.h"
#include "model/lif_model.h"
#include "neurevo/error.h"
#include "optim/state_json.h"

namespace neurevo {

namespace fs = std::filesystem;

nlohmann::json GenomeFileJson(const RunConfig& config, const GenomeLayout& layout,
                              const SavedGenome& g) {
  return {{"format", "neurevo-genome"},
          {"version", kGenomeFormatVersion},
          {"task", config.task_name},
          {"model", config.model.kind},
          {"fitness", g.fitness},
          {"validation_mean", std::isnan(g.validation) ? nlohmann::json(nullptr) : nlohmann::json(g.validation)},
          {"validation_episodes", g.validation_episodes},
          // Counted from 1 (generations complete when it was found), as in
          // metrics.jsonl and summary.json; the state keeps the 0-based index.
          {"generation", g.generation + 1},
          {"genome", layout.GenomeToJson(g.genes)},
          {"obs_normalizer", g.normalizer.ToJson()}};
}

std::string ReadGenomeFileText(const std::string& path, const GenomeLayout& layout, int obs_dim) {
  // A genome file holds each gene as one line of JSON (about 30 bytes) plus
  // its model's description and the normalizer: anything far larger is not
  // one (and /dev/zero is refused as not a regular file).
  const uint64_t cap = (uint64_t{16} << 20) + 64ull * static_cast<uint64_t>(layout.size()) +
                       128ull * static_cast<uint64_t>(std::max(obs_dim, 0));
  return ReadFile(path, cap);
}

SavedGenome ParseGenomeFile(const std::string& path, const GenomeLayout& layout, int obs_dim,
                            const RunConfig* config) {
  return ParseGenomeText(ReadGenomeFileText(path, layout, obs_dim), path, layout, obs_dim, config);
}

SavedGenome ParseGenomeText(const std::string& text, const std::string& path, const GenomeLayout& layout,
                            int obs_dim, const RunConfig* config) {
  CheckJsonNesting(text, path);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
  try {
    if (j.value("format", "") != "neurevo-genome")
      throw ConfigError(fmt::format("{}: not a neurevo genome file", path));
    const int version = state_json::Integer<int>(j, "version", path);
    if (version < 1 || version > kGenomeFormatVersion)
      throw ConfigError(fmt::format("{}: genome format version {} is not supported (this build reads 1 .. {})",
                                    path, version, kGenomeFormatVersion));
    // The model the genome was trained for, against the one the config builds.
    if (config) {
      const std::string task = j.at("task").get<std::string>(), model = j.at("model").get<std::string>();
      if (task != config->task_name || model != config->model.kind)
        throw ConfigError(fmt::format("{}: a genome of task {} and model {}, but the run's config builds task {} "
                                      "and model {}; allowed: the config the genome was trained with",
                                      path, Echo(task), Echo(model), config->task_name, config->model.kind));
    }
    SavedGenome g;
    const auto& genome = j.at("genome");
    g.genes = genome.at("genes").get<std::vector<double>>();
    const long long declared = genome.at("size").get<long long>();
    if (static_cast<long long>(g.genes.size()) != layout.size() || declared != layout.size())
      throw ConfigError(fmt::format("{}: {} genes (size {}), but the run's model has {}", path, g.genes.size(),
                                    declared, layout.size()));
    // Every family, as GenomeLayout::GenomeToJson wrote it: same name, place,
    // size, unit, range and labels, and its genes the same slice of `genes`.
    // A genome evolved for other ranges (an edited weight_max_nS) or another
    // topology would decode into a different network.
    const auto& families = genome.at("families");
    if (families.size() != layout.families().size())
      throw ConfigError(fmt::format("{}: {} gene families, but the run's model has {}", path, families.size(),
                                    layout.families().size()));
    for (size_t i = 0; i < families.size(); ++i) {
      const auto& f = families[i];
      const GeneFamily& want = layout.families()[i];
      const std::string name = f.at("name").get<std::string>();
      const auto mismatch = [&](const std::string& what) {
        return ConfigError(fmt::format("{}: gene family {} ('{}'): its {} does not match the run's model ('{}')",
                                       path, i, Echo(name), what, want.name));
      };
      if (name != want.name) throw mismatch("name");
      if (state_json::Integer<long long>(f, "size", path) != want.size ||
          state_json::Integer<long long>(f, "offset", path) != want.offset)
        throw mismatch("size or offset");
      // Files written before weights into lif_curr neurons were labelled pA
      // say nS for them: the same numbers under the old label.
      const std::string unit = f.at("unit").get<std::string>();
      const bool relabelled =
          unit == "nS" && name.ends_with("_weights") && (want.unit == "pA" || want.unit == "nS or pA");
      if (unit != want.unit && !relabelled) throw mismatch("unit");
      // A family's range: one number, or one per gene (GeneFamily::lows).
      const auto range_matches = [&](const char* key, double one, const std::vector<double>& per_gene) {
        const auto& v = f.at(key);
        return per_gene.empty() ? v.is_number() && v.get<double>() == one
                                : v.is_array() && v.get<std::vector<double>>() == per_gene;
      };
      if (!range_matches("low", want.low, want.lows) || !range_matches("high", want.high, want.highs))
        throw mismatch("range");
      const std::vector<double> slice = f.at("genes").get<std::vector<double>>();
      if (static_cast<long long>(slice.size()) != want.size ||
          !std::equal(slice.begin(), slice.end(), g.genes.begin() + want.offset,
                      g.genes.begin() + want.offset + want.size) ||
          static_cast<long long>(f.at("values").size()) != want.size)
        throw mismatch("genes");
      if (f.contains("labels") ? f.at("labels").get<std::vector<std::string>>() != want.labels
                               : !want.labels.empty())
        throw mismatch("labels (its topology)");
    }
    for (double x : g.genes)
      if (!std::isfinite(x)) throw ConfigError(fmt::format("{}: a gene is not a finite number", path));
    g.fitness = j.at("fitness").get<double>();
    // Version 1 counted generations from 0; version 2 from 1.
    g.generation = state_json::Integer<long long>(j, "generation", path) - (version >= 2 ? 1 : 0);
    g.normalizer = ObsNormalizer::FromJson(j.at("obs_normalizer"), obs_dim, path);
    if (config && (g.normalizer.enabled() != config->obs_normalization ||
                   (config->obs_normalization && g.normalizer.clip() != config->obs_clip)))
      throw ConfigError(fmt::format("{}: its observation normaliser (enabled {}, clip {}) does not match the run's "
                                    "config (train.obs_normalization = {}, train.obs_clip = {})",
                                    path, g.normalizer.enabled(), g.normalizer.clip(), config->obs_normalization,
                                    config->obs_clip));
    return g;
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(fmt::format("{}: malformed genome file ({})", path, e.what()));
  }
}

RunConfig LoadRunConfig(const std::string& run_dir) {
  if (!fs::is_directory(run_dir))
    throw ConfigError(fmt::format("{}: not a run directory", run_dir));
  return LoadConfigFile((fs::path(run_dir) / "config.toml").string(), {});
}

LoadedRun LoadRun(const std::string& run_dir) {
  LoadedRun r;
  r.config = LoadRunConfig(run_dir);
  r.task = MakeTask(r.config.task_name, r.config.task_options);
  r.model = MakeModel(r.config.model, r.task->observation_space(), r.task->action_space());
  r.genome = ParseGenomeFile((fs::path(run_dir) / "best_genome.json").string(), r.model->layout(),
                             r.task->observation_space().vector_size(), &r.config);
  return r;
}

std::string DefaultRunDir(const RunConfig& c) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  const std::string base =
      fmt::format("runs/{}-{}-{}-seed{}-{}", c.task_name, c.model.kind, c.optimizer.kind, c.seed, stamp);
  std::string dir = base;
  for (int i = 2; fs::exists(dir); ++i) dir = fmt::format("{}-{}", base, i);
  return dir;
}

void CreateRunDir(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw ConfigError(fmt::format("--out {}: exists and is not a directory", dir));
    // Only leftovers of a run killed while creating this directory (a
    // half-written temporary file of neurevo's own naming) do not count; any
    // other file is a user's, and is never touched.
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (!IsNeurevoTempFile(entry.path().filename().string()))
        throw ConfigError(fmt::format("--out {}: directory exists and is not empty; choose a new one", dir));
    if (ec) throw ConfigError(fmt::format("--out {}: cannot list: {}", dir, ec.message()));
    RemoveStaleTempFiles(dir);
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) throw ConfigError(fmt::format("--out {}: cannot create: {}", dir, ec.message()));
}

const LifModel& RequireLifModel(const LoadedRun& run, const std::string& run_dir, const std::string& command) {
  const auto* lif = dynamic_cast<const LifModel*>(run.model.get());
  if (lif == nullptr)
    throw ConfigError(fmt::format("{}: model.kind = \"{}\" is not a LIF network; {} takes bnn, snn and network runs",
                                  run_dir, run.config.model.kind, command));
  return *lif;
}

}  // namespace neurevo
