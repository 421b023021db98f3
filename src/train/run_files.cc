#include "train/run_files.h"

#include "neurevo/train.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>

#include "core/files.h"
#include "core/nesting_guard.h"
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
          {"generation", g.generation},
          {"genome", layout.GenomeToJson(g.genes)},
          {"obs_normalizer", g.normalizer.ToJson()}};
}

SavedGenome ParseGenomeFile(const std::string& path, const GenomeLayout& layout, int obs_dim) {
  // A genome file holds each gene as one line of JSON (about 30 bytes) plus
  // its model's description and the normalizer: anything far larger is not
  // one (and /dev/zero is refused as not a regular file).
  const uint64_t cap = (uint64_t{16} << 20) + 64ull * static_cast<uint64_t>(layout.size()) +
                       128ull * static_cast<uint64_t>(std::max(obs_dim, 0));
  return ParseGenomeText(ReadFile(path, cap), path, layout, obs_dim);
}

SavedGenome ParseGenomeText(const std::string& text, const std::string& path, const GenomeLayout& layout,
                            int obs_dim) {
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
    if (version != kGenomeFormatVersion)
      throw ConfigError(fmt::format("{}: genome format version {} is not supported (this build reads {})",
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
          state_json::Integer<int>(families[i], "size", path) != layout.families()[i].size)
        throw ConfigError(fmt::format("{}: gene family {} ('{}') does not match the run's model ('{}')",
                                      path, i, families[i].at("name").get<std::string>(),
                                      layout.families()[i].name));
    for (double x : g.genes)
      if (!std::isfinite(x)) throw ConfigError(fmt::format("{}: a gene is not a finite number", path));
    g.fitness = j.at("fitness").get<double>();
    g.generation = state_json::Integer<long long>(j, "generation", path);
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

}  // namespace neurevo
