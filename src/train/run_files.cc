#include "train/run_files.h"

#include "neurevo/train.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>

#include "core/files.h"
#include "neurevo/error.h"

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

SavedGenome ParseGenomeFile(const std::string& path, const GenomeLayout& layout, int obs_dim) {
  return ParseGenomeText(ReadFile(path), path, layout, obs_dim);
}

SavedGenome ParseGenomeText(const std::string& text, const std::string& path, const GenomeLayout& layout,
                            int obs_dim) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
  try {
    if (j.value("format", "") != "neurevo-genome")
      throw ConfigError(fmt::format("{}: not a neurevo genome file", path));
    const int version = j.at("version").get<int>();
    if (version < 1 || version > kGenomeFormatVersion)
      throw ConfigError(fmt::format("{}: genome format version {} is not supported (this build reads 1 .. {})",
                                    path, version, kGenomeFormatVersion));
    SavedGenome g;
    g.genes = j.at("genome").at("genes").get<std::vector<double>>();
    if (static_cast<int>(g.genes.size()) != layout.size())
      throw ConfigError(fmt::format("{}: {} genes, but the run's model has {}", path, g.genes.size(),
                                    layout.size()));
    const auto& families = j.at("genome").at("families");
    if (families.size() != layout.families().size())
      throw ConfigError(fmt::format("{}: gene families do not match the run's model", path));
    for (size_t i = 0; i < families.size(); ++i)
      if (families[i].at("name").get<std::string>() != layout.families()[i].name ||
          families[i].at("size").get<int>() != layout.families()[i].size)
        throw ConfigError(fmt::format("{}: gene family {} ('{}') does not match the run's model ('{}')",
                                      path, i, families[i].at("name").get<std::string>(),
                                      layout.families()[i].name));
    for (double x : g.genes)
      if (!std::isfinite(x)) throw ConfigError(fmt::format("{}: a gene is not a finite number", path));
    g.fitness = j.at("fitness").get<double>();
    // Version 1 counted generations from 0; version 2 from 1.
    g.generation = j.at("generation").get<long long>() - (version >= 2 ? 1 : 0);
    g.normalizer = ObsNormalizer::FromJson(j.at("obs_normalizer"), obs_dim, path);
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
    // half-written temporary file) do not count.
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() != ".tmp")
        throw ConfigError(fmt::format("--out {}: directory exists and is not empty; choose a new one", dir));
    for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove(entry.path(), ec);
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) throw ConfigError(fmt::format("--out {}: cannot create: {}", dir, ec.message()));
}

}  // namespace neurevo
