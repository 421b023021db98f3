// Reading and writing the files of a run directory (see neurevo/train.h).
#pragma once

#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/model.h"
#include "train/obs_normalizer.h"

namespace neurevo {

// best_genome.json's format. 2: `generation` counts from 1 (the generations
// complete when the genome was found) and whole families (delays) list the
// rounded value the model uses. Version 1 files (generation from 0) are read.
inline constexpr int kGenomeFormatVersion = 2;

struct SavedGenome {
  std::vector<double> genes;
  double fitness = 0.0;                                        // training fitness
  // Elite validation: the mean over every validation episode this genome has
  // played (it replays each challenger's episodes), and how many those are.
  double validation = std::numeric_limits<double>::quiet_NaN();
  long long validation_episodes = 0;
  long long generation = 0;  // 0-based index of the generation that found it
  ObsNormalizer normalizer;
};

nlohmann::json GenomeFileJson(const RunConfig& config, const GenomeLayout& layout,
                              const SavedGenome& genome);
// Validates format, version, layout and values against `layout` (every
// family's name, place, size, unit, range, labels and genes, and the file's
// own counts against each other); with `config`, also the task, model kind
// and observation normaliser settings it records. Throws ConfigError naming
// `path` and the problem.
SavedGenome ParseGenomeFile(const std::string& path, const GenomeLayout& layout, int obs_dim,
                            const RunConfig* config = nullptr);
// A genome file's text, read as ParseGenomeFile reads it (a regular file, at
// most what a genome of `layout` can take).
std::string ReadGenomeFileText(const std::string& path, const GenomeLayout& layout, int obs_dim);
// The same for a genome file's text; `what` names it in errors.
SavedGenome ParseGenomeText(const std::string& text, const std::string& what, const GenomeLayout& layout,
                            int obs_dim, const RunConfig* config = nullptr);

// The resolved config of a run directory.
RunConfig LoadRunConfig(const std::string& run_dir);

// A finished run directory, read and checked: its config, a task and a model
// built from it, and its best genome (validated against the model's layout
// and the config). Throws ConfigError naming the file at fault.
struct LoadedRun {
  RunConfig config;
  std::unique_ptr<Task> task;
  std::unique_ptr<Model> model;
  SavedGenome genome;
};
LoadedRun LoadRun(const std::string& run_dir);

class LifModel;
// The run's model as a LIF network (bnn, snn, network), for the commands
// that read its neurons; ConfigError "<run_dir>: model.kind = ... is not a
// LIF network; <command> takes bnn, snn and network runs" otherwise.
const LifModel& RequireLifModel(const LoadedRun& run, const std::string& run_dir, const std::string& command);

// Creates an empty run directory; throws ConfigError if it exists and is not
// empty (nothing is ever overwritten).
void CreateRunDir(const std::string& dir);

}  // namespace neurevo
