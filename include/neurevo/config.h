// Run configuration: every key, its type, default, allowed values and meaning.
//
// A config is a TOML file plus `--set key=value` overrides, parsed and
// validated once into a RunConfig of plain structs. Unknown keys, wrong types
// and out-of-range values throw ConfigError naming the key and what is
// allowed, before any work starts. The schema (ConfigKeys) is the single
// source of truth: the README's configuration reference is generated from it
// (`neurevo config --markdown`), and the resolved config written into every
// run directory lists every key.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "neurevo/model.h"
#include "neurevo/optimizer.h"
#include "neurevo/task.h"

namespace neurevo {

struct BudgetOptions {
  long long env_steps = 500000;  // training env steps (all individuals, all episodes)
  int generations = 0;           // 0: no limit
  double target_fitness = std::numeric_limits<double>::infinity();  // inf: none
  double wall_seconds = 0.0;     // 0: no limit
};

struct RunConfig {
  std::string task_name = "CartPole-v1";
  TaskOptions task_options;      // [task.options]: the task's own options (MakeTask checks them)
  ModelOptions model;
  OptimizerOptions optimizer;
  BudgetOptions budget;
  // A genome file (best_genome.json's format) whose genes and observation
  // normaliser a new run starts from (every island's initial mean); empty:
  // optimizer.init_mean decides. Absolute once parsed.
  std::string init_genome;
  int train_episodes = 1;        // episodes per individual per generation
  int validation_episodes = 10;  // elite validation episodes (0: select by training fitness)
  bool obs_normalization = true;
  bool drop_survival_bonus = false;  // training fitness without the task's survival bonus (ARS)
  double obs_clip = 5.0;
  int eval_episodes = 100;       // held-out episodes for the final evaluation
  int islands = 1;
  int migration_interval = 10;
  std::string migration_topology = "ring";  // ring | all_to_all
  int checkpoint_interval = 10;  // generations between checkpoints
  uint64_t seed = 1;
  int threads = 0;               // 0: all hardware threads
  bool record_diversity = false; // metrics.jsonl gets each generation's gene diversity
};

// One documented key of the schema.
struct ConfigKeyInfo {
  std::string key;          // "model.kind"
  std::string type;         // "int", "float", "bool", "string", "string list", "int list"
  std::string default_value;  // as TOML
  std::string allowed;      // "bnn | snn | rnn | mlp", ">= 1", ...
  std::string doc;
};

std::vector<ConfigKeyInfo> ConfigKeys();

// Parses `toml_text` (may be empty) and then applies `overrides` ("key=value",
// value in TOML syntax; bare words are taken as strings), validates, and
// returns the config. `source` names the file in error messages; files the
// config names ([network] tables and lists) are found relative to
// `base_dir` (empty: the working directory).
RunConfig ParseConfig(const std::string& toml_text, const std::vector<std::string>& overrides,
                      const std::string& source = "config", const std::string& base_dir = "");
// Reads and parses a file (ConfigError naming the file if unreadable).
RunConfig LoadConfigFile(const std::string& path, const std::vector<std::string>& overrides);
// The fully resolved config as TOML (every key).
std::string ConfigToToml(const RunConfig& config);
// The configuration reference as a Markdown table.
std::string ConfigReferenceMarkdown();

}  // namespace neurevo
