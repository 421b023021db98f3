#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <optional>

#include "core/checked_math.h"
#include "core/files.h"
#include "neurevo/error.h"
#include "neurevo/random.h"
#include "train/analysis_stats.h"
#include "train/eval_stats.h"
#include "train/memory_estimate.h"
#include "train/run_files.h"

namespace neurevo {

namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Index of the best (highest) fitness; the lowest index wins ties.
int ArgBest(std::span<const double> f) {
  return static_cast<int>(std::max_element(f.begin(), f.end()) - f.begin());
}
int ArgWorst(std::span<const double> f) {
  return static_cast<int>(std::min_element(f.begin(), f.end()) - f.begin());
}

// A result's info sums as they travel between ranks, and back (both
// EvaluatePopulation's and EvaluateEpisodes' gathers).
template <class Result>
std::vector<double> InfoToSend(const Result& r) {
  return {r.info.begin(), r.info.begin() + r.info_count};
}
template <class Result>
void InfoReceived(const nlohmann::json& values, Result& r) {
  const auto info = values.get<std::vector<double>>();
  if (info.size() > r.info.size()) throw std::runtime_error("a rank sent more info values than a task has");
  std::copy(info.begin(), info.end(), r.info.begin());
  r.info_count = static_cast<int>(info.size());
}

bool AllFinite(std::span<const double> x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

// A config with the keys a resume may change set to those of `like`, so two
// configs of the same run compare equal.
std::string ComparableToml(RunConfig c, const RunConfig& like) {
  c.budget = like.budget;
  c.threads = like.threads;
  return ConfigToToml(c);
}

// An optimizer tells once per generation of the run: its generation counter,
// as stored (an integer that a narrowing read did not wrap) and as loaded,
// is at most the run's.
void CheckOptimizerGeneration(const Optimizer& optimizer, const nlohmann::json& state, long long run_generation) {
  const nlohmann::json* stored = state.is_object() && state.contains("generation") ? &state["generation"] : nullptr;
  if (!stored || !stored->is_number_integer() || stored->get<long long>() != optimizer.generation() ||
      optimizer.generation() > run_generation)
    throw ConfigError(fmt::format("optimizer state: 'generation' is {}; allowed: 0 .. the run's generation ({})",
                                  stored ? stored->dump() : "missing", run_generation));
}

// The largest checkpoint this config can write, with a wide margin (4x, and
// 16 bytes for each double CBOR stores in 8 or 9): per island an optimizer
// state and its restore point (vectors of n genes; full CMA-ES's two n x n
// matrices; ga's and enomad's population matrices, enomad's refinement
// frames), the best genome, the normaliser; and never more than the
// machine's memory. A larger file is not one of this run's checkpoints.
uint64_t CheckpointBytesBound(const RunConfig& c, double n) {
  const OptimizerOptions& o = c.optimizer;
  double doubles = 64 * n + 1e6;
  if (o.kind == "cma_es") doubles += 2 * n * n;
  if (o.kind == "ga" || o.kind == "enomad") doubles += 2 * n * o.population;
  if (o.kind == "enomad") doubles += 5 * n * o.enomad_refine;
  const double bytes = 4 * 16 * doubles * 2 * c.islands + (256 << 20);
  return static_cast<uint64_t>(std::min(bytes, static_cast<double>(MachineMemoryBytes())));
}

}  // namespace

Trainer::Trainer(const RunConfig& config, const TrainOptions& options)
    : config_(config),
      options_(options),
      local_cluster_(options.cluster ? nullptr : MakeLocalCluster()),
      cluster_(options.cluster ? *options.cluster : *local_cluster_),
      write_(!options.out_dir.empty() && cluster_.root()),
      dir_(options.out_dir),
      task_probe_(MakeTask(config.task_name, config.task_options)),
      info_names_(task_probe_->info_names()),
      model_(MakeModel(config.model, task_probe_->observation_space(), task_probe_->action_space())),
      pool_(config.threads),
      evaluator_(*model_, config.task_name, pool_, options.stop_requested, &options_.faults,
                 config.drop_survival_bonus, config.task_options),
      progress_(options.terminal, options.quiet || !cluster_.root()),
      session_start_(std::chrono::steady_clock::now()) {}

std::vector<std::unique_ptr<Optimizer>> Trainer::MakeOptimizers(std::span<const double> initial_mean) const {
  if (config_.optimizer.kind == "bptt" && cluster_.size() > 1)
    throw ConfigError(fmt::format("optimizer.kind: bptt runs in one process (its minibatch is split over "
                                  "run.threads); this run has {} MPI ranks; allowed: one",
                                  cluster_.size()));
  std::vector<std::unique_ptr<Optimizer>> out;
  for (int k = 0; k < config_.islands; ++k)
    out.push_back(MakeOptimizer(config_.optimizer, model_->layout().size(),
                                HashKey({config_.seed, static_cast<uint64_t>(k),
                                         static_cast<uint64_t>(StreamPurpose::kOptimizer)}),
                                initial_mean));
  // The optimizers' own matrix work may use the pool between evaluations
  // (in blocks fixed by the dimension: the thread count changes no result).
  if (pool_.size() > 1)
    for (auto& o : out)
      o->SetParallelFor([this](int count, const std::function<void(int)>& body) {
        pool_.ParallelFor(count, [&body](int i, int) { body(i); });
      });
  return out;
}

RunState Trainer::FreshState() const {
  RunState s;
  s.config_toml = ConfigToToml(config_);
  s.normalizer = ObsNormalizer(task_probe_->observation_space().vector_size(), config_.obs_normalization,
                               config_.obs_clip);
  for (const auto& o : optimizers_) s.optimizers.push_back(o->SaveState());
  s.restore_points = s.optimizers;
  return s;
}

void Trainer::OnRootFirst(const std::function<void()>& fn) {
  std::string error;
  if (cluster_.root()) {
    try {
      fn();
    } catch (const ConfigError& e) {
      error = e.what();
      if (cluster_.size() == 1) throw;
    }
  }
  error = cluster_.Broadcast(error);
  if (!error.empty()) throw ConfigError(error);
}

Range Trainer::Share(int n, int rank) const {
  const long long p = cluster_.size();
  return {static_cast<int>(n * rank / p), static_cast<int>(n * (rank + 1LL) / p)};
}

long long Trainer::WorstCaseSteps(long long individuals) const {
  return SaturatingMul(SaturatingAdd(SaturatingMul(individuals, config_.train_episodes),
                                     2LL * config_.validation_episodes),
                       task_probe_->max_episode_steps());
}

// optimizer.init_genome's genome from `path` (its text read into `text`
// when that is empty), checked against this run's model and config; errors
// name the key.
SavedGenome Trainer::ReadStartGenome(const std::string& path, std::string& text) const {
  const int obs_dim = task_probe_->observation_space().vector_size();
  try {
    if (text.empty()) text = ReadGenomeFileText(path, model_->layout(), obs_dim);
    return ParseGenomeText(text, path, model_->layout(), obs_dim, &config_);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("optimizer.init_genome: {}", e.what()));
  }
}

void Trainer::StartFresh(const std::optional<SavedGenome>& start) {
  optimizers_ = start ? MakeOptimizers(start->genes) : MakeOptimizers();
  state_ = FreshState();
  // The genome acted on observations scaled by its normaliser: the run goes
  // on from it (the statistics keep accumulating), so the first candidates
  // around it see what it saw.
  if (start) state_.normalizer = start->normalizer;
}

void Trainer::Start() {
  // optimizer.init_genome: read by rank 0 and checked against this run's
  // model before anything is written; every rank parses the same text (a
  // file another node cannot see, or sees changed, makes no difference). A
  // resumed run has it in its checkpoints, or in initial_genome.json.
  std::optional<SavedGenome> start;
  if (!config_.init_genome.empty()) {
    std::string text;
    OnRootFirst([&] { start = ReadStartGenome(config_.init_genome, text); });
    if (cluster_.size() > 1) {
      text = cluster_.Broadcast(text);
      start = ReadStartGenome(config_.init_genome, text);
    }
  }
  StartFresh(start);
  OnRootFirst([&] {
    if (!write_) return;
    CreateRunDir(dir_);
    WriteFileAtomic((fs::path(dir_) / "config.toml").string(), state_.config_toml);
    // Where island 0's search starts (its mean, or bptt's first genome):
    // what an analysis of how far each layer moved compares final_mean.json
    // with (bench/rsnn).
    WriteMeanGenome("initial_genome.json");
    metrics_.Create((fs::path(dir_) / "metrics.jsonl").string());
  });
}

void Trainer::WriteMeanGenome(const std::string& name) const {
  SavedGenome mean;
  mean.genes = optimizers_[0]->Mean();
  mean.generation = state_.generation - 1;  // -1 before the first: "generation" 0 in the file
  mean.normalizer = state_.normalizer;
  WriteFileAtomic((fs::path(dir_) / name).string(), GenomeFileJson(config_, model_->layout(), mean).dump(1) + "\n");
}

// Results travel between ranks as CBOR (doubles bit for bit).
std::vector<IndividualResult> Trainer::EvaluatePopulation(const std::vector<std::vector<double>>& genomes,
                                                          std::vector<ObsStats>& seen) {
  const int n = static_cast<int>(genomes.size());
  const int ranks = cluster_.size();
  // What an optimizer can compute meanwhile (CMA-ES's eigendecomposition)
  // goes to the pool's background lane (behind a checkpoint being written);
  // with one thread the optimizer does it itself when it needs it. Either
  // way the same bits.
  if (pool_.size() > 1)
    for (const auto& o : optimizers_)
      if (auto work = o->BackgroundWork()) {
        if (!pool_.StartBackground(work)) work();
        break;
      }
  auto results = evaluator_.EvaluateGeneration(genomes, state_.normalizer, config_.seed, state_.generation,
                                               config_.train_episodes, &seen,
                                               ranks > 1 ? Share(n, cluster_.rank()) : Range{});
  if (ranks == 1) return results;
  nlohmann::json mine = nlohmann::json::array();
  const Range own = Share(n, cluster_.rank());
  for (int i = own.begin; i < own.end; ++i) {
    const IndividualResult& r = results[i];
    mine.push_back({r.fitness, r.steps, r.failed_episodes, r.aborted, seen[i].count, seen[i].mean, seen[i].m2,
                    InfoToSend(r)});
  }
  const auto cbor = nlohmann::json::to_cbor(mine);
  const auto all = cluster_.AllGather(std::string(cbor.begin(), cbor.end()));
  for (int rank = 0; rank < ranks; ++rank) {
    const auto part = nlohmann::json::from_cbor(all[rank]);
    const Range range = Share(n, rank);
    for (int i = range.begin; i < range.end; ++i) {
      const auto& r = part.at(i - range.begin);
      results[i] = {r[0].get<double>(), r[1].get<long long>(), r[2].get<int>(), r[3].get<bool>()};
      InfoReceived(r[7], results[i]);
      seen[i].count = r[4].get<double>();
      seen[i].mean = r[5].get<std::vector<double>>();
      seen[i].m2 = r[6].get<std::vector<double>>();
    }
  }
  return results;
}

std::vector<EpisodeResult> Trainer::EvaluateEpisodes(int episodes,
                                                     const std::function<std::vector<EpisodeResult>(Range)>& run) {
  const int ranks = cluster_.size();
  if (ranks == 1) return run({});
  auto results = run(Share(episodes, cluster_.rank()));
  nlohmann::json mine = nlohmann::json::array();
  const Range own = Share(episodes, cluster_.rank());
  // With the task's info sums: the evaluation's eval_info counts every rank's episodes.
  for (int e = own.begin; e < own.end; ++e)
    mine.push_back({results[e].total_reward, results[e].steps, results[e].failed, results[e].aborted,
                    InfoToSend(results[e])});
  const auto cbor = nlohmann::json::to_cbor(mine);
  const auto all = cluster_.AllGather(std::string(cbor.begin(), cbor.end()));
  for (int rank = 0; rank < ranks; ++rank) {
    const auto part = nlohmann::json::from_cbor(all[rank]);
    const Range range = Share(episodes, rank);
    for (int e = range.begin; e < range.end; ++e) {
      const auto& r = part.at(e - range.begin);
      results[e] = {r[0].get<double>(), r[1].get<long long>(), r[2].get<bool>(), r[3].get<bool>()};
      InfoReceived(r.at(4), results[e]);
    }
  }
  return results;
}

std::vector<std::unique_ptr<Optimizer>> Trainer::Adopt(const RunState& s, const std::string& what) const {
  RunConfig saved;
  try {
    saved = ParseConfig(s.config_toml, {}, what + " (its config)");
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: its config is invalid: {}", what, e.what()));
  }
  if (ComparableToml(saved, config_) != ComparableToml(config_, config_))
    throw ConfigError(fmt::format("{}: belongs to a different config than {}/config.toml (only budget.* and "
                                  "run.threads may change between sessions)",
                                  what, dir_));
  if (static_cast<int>(s.optimizers.size()) != config_.islands)
    throw ConfigError(fmt::format("{}: holds {} island(s), the config has {}", what, s.optimizers.size(),
                                  config_.islands));
  const int obs_dim = task_probe_->observation_space().vector_size();
  if (s.normalizer.dim() != obs_dim)
    throw ConfigError(fmt::format("{}: observation size {} does not match the task's {}", what,
                                  s.normalizer.dim(), obs_dim));
  if (s.normalizer.enabled() != config_.obs_normalization ||
      (s.best && s.best->normalizer.enabled() != config_.obs_normalization))
    throw ConfigError(fmt::format("{}: observation normalisation is {} in the checkpoint, {} in the config", what,
                                  s.normalizer.enabled() ? "on" : "off", config_.obs_normalization ? "on" : "off"));
  if (s.best && static_cast<int>(s.best->genes.size()) != model_->layout().size())
    throw ConfigError(fmt::format("{}: best genome has {} genes, the model has {}", what, s.best->genes.size(),
                                  model_->layout().size()));
  CheckCounters(s, what);
  auto optimizers = MakeOptimizers();
  for (size_t k = 0; k < optimizers.size(); ++k) {
    try {
      // Both must load: a restore point is used after a fault.
      optimizers[k]->LoadState(s.restore_points[k]);
      CheckOptimizerGeneration(*optimizers[k], s.restore_points[k], s.restore_generation);
      optimizers[k]->LoadState(s.optimizers[k]);
      CheckOptimizerGeneration(*optimizers[k], s.optimizers[k], s.generation);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("{}: island {}: {}", what, k, e.what()));
    } catch (const std::exception& e) {
      throw ConfigError(fmt::format("{}: island {}: unusable optimizer state ({})", what, k, e.what()));
    }
  }
  return optimizers;
}

void Trainer::CheckCounters(const RunState& s, const std::string& what) const {
  // What the config allows per generation: every training episode of the
  // largest population the optimizer may use, and the validation of a
  // challenger and of the incumbent, each at most the task's step limit.
  // Populations vary with restarts (up to the config's cap of 10^6), mads
  // and enomad (polls of up to 2 x genes per frame); a generous bound there.
  // Doubles: the bounds need not be exact, only free of overflow.
  const OptimizerOptions& o = config_.optimizer;
  const bool varies = (o.restarts != "none" && !o.restarts.empty()) || o.kind == "mads" || o.kind == "enomad";
  const double population = static_cast<double>(o.population);
  const double individuals =
      config_.islands *
      (varies ? std::max(1e6, (2.0 * model_->layout().size() + 1) * std::max(population, 1.0)) : population);
  const double train_episodes = individuals * config_.train_episodes;
  const double episodes = train_episodes + 2.0 * config_.validation_episodes;
  const auto g = static_cast<double>(s.generation);
  auto within = [&](double value, double bound, const char* name) {
    if (value > bound)
      throw ConfigError(fmt::format("{}: counter '{}' is {}, more than {} generations of this config allow ({})",
                                    what, name, value, s.generation, bound));
  };
  within(static_cast<double>(s.env_steps), g * episodes * task_probe_->max_episode_steps(), "env_steps");
  within(static_cast<double>(s.failed_episodes), g * train_episodes, "failed_episodes");
  within(static_cast<double>(s.failed_individuals), g * individuals, "failed_individuals");
  if (s.best)
    within(static_cast<double>(s.best->validation_episodes), g * config_.validation_episodes,
           "best.validation_episodes");
}

void Trainer::Resume(bool config_changed) {
  std::string encoded;
  OnRootFirst([&] {
    ResumeOnRoot(config_changed);
    if (cluster_.size() > 1) encoded = EncodeCheckpoint(state_);
  });
  if (cluster_.size() == 1) return;
  // The other ranks take rank 0's state as it is.
  encoded = cluster_.Broadcast(encoded);
  if (cluster_.root()) return;
  state_ = DecodeCheckpoint(encoded, "the state sent by rank 0");
  optimizers_ = Adopt(state_, "the state sent by rank 0");
  last_checkpoint_ = state_.generation;
}

void Trainer::ResumeOnRoot(bool config_changed) {
  const fs::path dir(dir_);
  const std::string metrics_path = (dir / "metrics.jsonl").string();
  // A run directory whose checkpoints/ is not a directory (or cannot be
  // listed) is not one that stopped before its first checkpoint: refuse,
  // before anything is changed.
  const fs::path checkpoints = dir / "checkpoints";
  std::error_code ec;
  const auto kind = fs::symlink_status(checkpoints, ec).type();
  if (kind != fs::file_type::not_found && !fs::is_directory(checkpoints, ec))
    throw ConfigError(fmt::format("{}: not a directory (a run directory's checkpoints/ must be one)",
                                  checkpoints.string()));
  // The files a resume rewrites must be regular files (or missing): a
  // directory or FIFO in their place is refused now, not half-way.
  for (const char* name : {"best_genome.json", "summary.json", "metrics.jsonl", "config.toml", "initial_genome.json",
                           "final_mean.json"}) {
    const auto type = fs::symlink_status(dir / name, ec).type();
    if (type != fs::file_type::not_found && type != fs::file_type::regular)
      throw ConfigError(fmt::format("{}: not a regular file; a run directory's files must be", (dir / name).string()));
  }
  if (kind != fs::file_type::not_found) {
    fs::directory_iterator probe(checkpoints, ec);
    if (ec) throw ConfigError(fmt::format("{}: cannot list: {}", checkpoints.string(), ec.message()));
  }
  std::vector<std::string> problems;
  std::vector<std::string> unusable;
  bool found = false;
  for (const std::string& file : ListCheckpoints(dir_)) {
    try {
      RunState s = DecodeCheckpoint(ReadFile(file, CheckpointBytesBound(config_, model_->layout().size())), file);
      auto optimizers = Adopt(s, file);
      // The newest checkpoint whose metrics prefix still matches wins (the
      // file may have been cut between two checkpoints).
      MetricsLog::Check(metrics_path, s.metrics_bytes, s.metrics_crc);
      optimizers_ = std::move(optimizers);
      state_ = std::move(s);
      found = true;
      break;
    } catch (const ConfigError& e) {
      problems.push_back(e.what());
      unusable.push_back(file);
    }
  }
  if (!found && !problems.empty())
    throw ConfigError(fmt::format("{}: no usable checkpoint: {}", dir_, fmt::join(problems, "; ")));
  if (!found) {
    MetricsLog::Check(metrics_path, 0, 0);  // a FIFO or directory in its place is refused here too
    // Stopped before its first checkpoint: it starts again where Start
    // started it, the genome Start wrote beside config.toml (the named file
    // only if the run stopped before that was written).
    std::optional<SavedGenome> start;
    if (!config_.init_genome.empty()) {
      const fs::path written = dir / "initial_genome.json";
      std::string text;
      start = ReadStartGenome(fs::exists(written, ec) ? written.string() : config_.init_genome, text);
    }
    StartFresh(start);
  }
  // Every check has passed; from here on the directory is brought in line
  // with the state. Leftover temporary files (a write that failed, e.g. on a
  // full disk) go first.
  RemoveStaleTempFiles(dir_);
  if (kind != fs::file_type::not_found) RemoveStaleTempFiles(checkpoints.string());
  metrics_.Resume(metrics_path, state_.metrics_bytes, state_.metrics_crc);
  for (const std::string& p : problems) progress_.Message("skipping a checkpoint: " + p);
  for (const std::string& file : unusable) fs::rename(file, file + ".unusable", ec);
  if (config_changed) WriteFileAtomic((dir / "config.toml").string(), ConfigToToml(config_));
  // best_genome.json may hold a best found after the checkpoint; the rerun
  // finds it again.
  if (state_.best)
    WriteFileAtomic((dir / "best_genome.json").string(),
                    GenomeFileJson(config_, model_->layout(), *state_.best).dump(1) + "\n");
  else
    fs::remove(dir / "best_genome.json", ec);
  last_checkpoint_ = state_.generation;
  progress_.Message(found ? fmt::format("resuming {} at generation {} ({} env steps)", dir_, state_.generation,
                                        state_.env_steps)
                          : fmt::format("resuming {} from the start (it stopped before its first checkpoint)",
                                        dir_));
}

double Trainer::Elapsed() const {
  return state_.train_seconds +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start_).count();
}

std::string Trainer::StopReason() {
  const BudgetOptions& b = config_.budget;
  if (state_.generation > 0 && state_.last_generation_best >= b.target_fitness) return "target_fitness";
  if (b.generations > 0 && state_.generation >= b.generations) return "generations";
  if (b.wall_seconds > 0 && Elapsed() >= b.wall_seconds) return "wall_seconds";
  if (options_.stop_requested && options_.stop_requested->load()) return "interrupted";
  return "";
}

void Trainer::ShapeFailures(std::span<double> fitness) {
  double lo = kInf, hi = -kInf;
  for (double f : fitness)
    if (f != kFailedFitness) lo = std::min(lo, f), hi = std::max(hi, f);
  if (lo == kInf) lo = hi = 0.0;  // every individual failed: all tie
  const double worst = lo - (hi - lo) - 1.0;
  for (double& f : fitness)
    if (f == kFailedFitness) f = worst;
}

void Trainer::TellAndContain(std::vector<std::vector<double>>& told, int generation_index,
                             std::span<const double> gradient) {
  const long long poison = options_.faults.poison_optimizer_generation;
  for (int k = 0; k < config_.islands; ++k) {
    ShapeFailures(told[k]);
    if (k == 0 && poison == generation_index + 1) {
      // Fault injection: a NaN candidate told as the best poisons the mean.
      optimizers_[0]->ReplaceCandidate(
          0, std::vector<double>(model_->layout().size(), std::numeric_limits<double>::quiet_NaN()));
      told[0][0] = std::numeric_limits<double>::max();
    }
    if (optimizers_[k]->uses_gradient())
      optimizers_[k]->TellGradient(told[k][0], gradient);
    else
      optimizers_[k]->Tell(told[k]);
    if (!AllFinite(optimizers_[k]->Mean())) {
      optimizers_[k]->LoadState(state_.restore_points[k]);
      ++state_.optimizer_restores;
      progress_.Message(fmt::format("island {}: the optimizer state became non-finite in generation {}; "
                                    "restored its last good state (generation {})",
                                    k, generation_index + 1, state_.restore_generation));
    }
  }
}

// One generation, as six steps. Each step reads what the earlier ones left
// in `g`; none changes the run's state before the generation is complete
// (an abandoned one leaves no trace), and the steps' order is the order of
// every random draw and floating-point operation.
Trainer::Outcome Trainer::RunGeneration() {
  Generation g;
  g.index = state_.generation;
  if (!Ask(g)) return Outcome::kAbandoned;
  if (!Evaluate(g)) return Outcome::kAbandoned;
  if (!ValidateElites(g)) return Outcome::kAbandoned;
  Migrate(g);
  Tell(g);
  Record(g);
  return Outcome::kComplete;
}

bool Trainer::Ask(Generation& g) {
  g.offset.assign(config_.islands + 1, 0);
  for (int k = 0; k < config_.islands; ++k) {
    auto pop = optimizers_[k]->Ask();
    g.offset[k + 1] = g.offset[k] + static_cast<int>(pop.size());
    for (auto& genome : pop) g.genomes.push_back(std::move(genome));
  }
  // A generation starts only if its worst case fits the env-step budget
  // (population sizes may change between generations, e.g. with restarts).
  const long long max_steps = WorstCaseSteps(static_cast<long long>(g.genomes.size()));
  if (config_.budget.env_steps > 0 && SaturatingAdd(state_.env_steps, max_steps) > config_.budget.env_steps) {
    stop_reason_ = "env_steps";
    return false;
  }
  return true;
}

bool Trainer::Evaluate(Generation& g) {
  if (optimizers_[0]->uses_gradient()) {
    // Gradient training: one genome, its minibatch's gradient (bptt).
    g.seen.assign(1, ObsStats(state_.normalizer.dim()));
    auto r = evaluator_.EvaluateGradient(g.genomes[0], state_.normalizer, config_.seed, state_.generation,
                                         config_.train_episodes, config_.optimizer.reinforce_gamma, &g.seen[0]);
    g.results = {r.result};
    g.gradient = std::move(r.gradient);
    g.loss = r.loss;
    double norm = 0;
    for (double x : g.gradient) norm += x * x;
    g.gradient_norm = std::sqrt(norm);
  } else {
    g.results = EvaluatePopulation(g.genomes, g.seen);
  }
  g.fitness.resize(g.results.size());
  for (size_t i = 0; i < g.results.size(); ++i) {
    if (g.results[i].aborted) return false;
    g.fitness[i] = g.results[i].fitness;
    g.steps += g.results[i].steps;
    g.failed_episodes += g.results[i].failed_episodes;
    g.failed_individuals += g.results[i].fitness == kFailedFitness ? 1 : 0;
  }
  g.best = ArgBest(g.fitness);
  g.best_fitness = g.fitness[g.best];
  g.score = g.best_fitness;
  g.island_best.resize(config_.islands);
  for (int k = 0; k < config_.islands; ++k) g.island_best[k] = *std::ranges::max_element(g.Island(g.fitness, k));
  return true;
}

// Best so far. Without validation: the best training fitness (a strictly
// better one replaces the incumbent). With elite validation (Such et al.
// 2018), a generation's best that could match the incumbent plays
// `validation_episodes` fresh episodes (counted in the budget); if it
// matches or beats the incumbent's score there, the incumbent replays the
// same episodes, which join its pooled mean, and the challenger replaces it
// only with a strictly better mean. At a capped return (CartPole's 500)
// ten episodes cannot tell a robust genome from one that fails now and
// then; pooling lets the incumbent's score fall to its true mean, so that a
// robust incumbent is kept and a brittle one is replaced. (Measured at the
// paper's budget, letting ties go to the newer genome kept whichever
// validated last; BENCHMARKS.md.)
bool Trainer::ValidateElites(Generation& g) {
  double incumbent_score = state_.best_score;
  auto validate = [&](std::span<const double> genome, const ObsNormalizer& normalizer,
                      EvalStats& stats) -> bool {
    const auto episodes = EvaluateEpisodes(config_.validation_episodes, [&](Range range) {
      return evaluator_.EvaluateValidation(genome, normalizer, config_.seed, g.index, config_.validation_episodes,
                                           range);
    });
    for (const auto& e : episodes)
      if (e.aborted) return false;
    stats = Summarise(episodes);
    g.steps += stats.steps;
    return true;
  };
  if (config_.validation_episodes > 0 && g.results[g.best].fitness != kFailedFitness &&
      g.best_fitness >= state_.best_score) {
    EvalStats challenger;
    if (!validate(g.genomes[g.best], state_.normalizer, challenger)) return false;
    g.score = challenger.failed > 0 ? kFailedFitness : challenger.mean;
    g.validated = true;
    if (state_.best && state_.best->validation_episodes > 0 && g.score >= incumbent_score) {
      EvalStats incumbent;
      if (!validate(state_.best->genes, state_.best->normalizer, incumbent)) return false;
      g.incumbent_revalidated = true;
      g.incumbent_replay = incumbent.failed > 0 ? kFailedFitness : incumbent.mean;
      if (incumbent.failed > 0) {
        incumbent_score = kFailedFitness;  // it broke on fresh episodes: any challenger beats it
      } else {
        const auto n = static_cast<double>(state_.best->validation_episodes);
        const auto v = static_cast<double>(config_.validation_episodes);
        incumbent_score = (state_.best->validation * n + incumbent.mean * v) / (n + v);
      }
    }
  }

  // The generation is complete: from here on the state changes.
  if (g.incumbent_revalidated) {
    state_.best_score = incumbent_score;
    state_.best->validation = incumbent_score;
    state_.best->validation_episodes += config_.validation_episodes;
  }
  const bool replaced = (config_.validation_episodes == 0 || g.validated) && g.score > state_.best_score;
  if (replaced) {
    state_.best_score = g.score;
    SavedGenome best;
    best.fitness = g.best_fitness;
    best.validation = g.validated ? g.score : std::numeric_limits<double>::quiet_NaN();
    best.validation_episodes = g.validated ? config_.validation_episodes : 0;
    best.genes = g.genomes[g.best];
    best.generation = g.index;
    best.normalizer = state_.normalizer;
    state_.best = std::move(best);
  }
  if ((replaced || g.incumbent_revalidated) && write_)
    WriteFileAtomic((fs::path(dir_) / "best_genome.json").string(),
                    GenomeFileJson(config_, model_->layout(), *state_.best).dump(1) + "\n");
  return true;
}

// With the ring topology island k's best replaces the worst of island k + 1;
// with all_to_all each island receives the best of all the other islands.
// Migrants come from the fitness before any replacement.
void Trainer::Migrate(Generation& g) {
  const int islands = config_.islands;
  if (islands == 1 || (g.index + 1) % config_.migration_interval != 0) return;
  std::vector<int> best_index(islands);
  for (int k = 0; k < islands; ++k) best_index[k] = g.offset[k] + ArgBest(g.Island(g.fitness, k));
  const std::vector<double> before = g.fitness;
  for (int k = 0; k < islands; ++k) {
    int from = best_index[(k + islands - 1) % islands];
    if (config_.migration_topology == "all_to_all")
      for (int j = 0; j < islands; ++j)
        if (j != k && before[best_index[j]] > before[from]) from = best_index[j];
    const int worst = ArgWorst(g.Island(g.fitness, k));
    if (before[from] <= g.fitness[g.offset[k] + worst]) continue;
    optimizers_[k]->ReplaceCandidate(worst, g.genomes[from]);
    g.fitness[g.offset[k] + worst] = before[from];
  }
}

void Trainer::Tell(Generation& g) {
  std::vector<std::vector<double>> told(config_.islands);
  for (int k = 0; k < config_.islands; ++k) {
    const auto island = g.Island(g.fitness, k);
    told[k].assign(island.begin(), island.end());
  }
  const long long restores_before = state_.optimizer_restores;
  TellAndContain(told, static_cast<int>(g.index), g.gradient);
  g.restores = state_.optimizer_restores - restores_before;
  // Merged in individual order, so the statistics never depend on threads
  // or ranks.
  ObsStats merged(state_.normalizer.dim());
  for (const ObsStats& st : g.seen) merged.Merge(st);
  state_.normalizer.Update(merged);
}

void Trainer::Record(const Generation& g) {
  state_.env_steps = SaturatingAdd(state_.env_steps, g.steps);
  state_.failed_episodes += g.failed_episodes;
  state_.failed_individuals += g.failed_individuals;
  state_.last_generation_best = g.best_fitness;
  ++state_.generation;

  double mean = 0;
  int counted = 0;
  for (const auto& r : g.results)
    if (r.fitness != kFailedFitness) mean += r.fitness, ++counted;
  mean = counted ? mean / counted : kFailedFitness;
  if (write_) {
    nlohmann::json line = {{"generation", state_.generation},
                           {"env_steps", state_.env_steps},
                           {"best_fitness", g.best_fitness},
                           {"mean_fitness", mean},
                           {"best_so_far", state_.best_score},
                           {"failed_episodes", g.failed_episodes},
                           {"failed_individuals", g.failed_individuals},
                           {"individuals", static_cast<int>(g.genomes.size())},
                           {"wall_seconds", Elapsed()}};
    if (config_.islands > 1) line["island_best"] = g.island_best;
    // Within each island (the spread between islands is not a population's),
    // averaged over the islands; gradient training has no population.
    if (config_.record_diversity && g.gradient.empty()) {
      Diversity mean_d;
      for (int k = 0; k < config_.islands; ++k) {
        const std::vector<std::vector<double>> island(g.genomes.begin() + g.offset[k],
                                                      g.genomes.begin() + g.offset[k + 1]);
        const Diversity d = PopulationDiversity(island);
        mean_d.gene_std += d.gene_std / config_.islands;
        mean_d.kl_uniform += d.kl_uniform / config_.islands;
      }
      line["diversity"] = {{"gene_std", mean_d.gene_std}, {"kl_uniform", mean_d.kl_uniform}};
    }
    if (g.validated) line["validation_mean"] = g.score;
    if (g.incumbent_revalidated) line["incumbent_replay_mean"] = g.incumbent_replay;
    if (g.restores > 0) line["optimizer_restores"] = g.restores;
    if (!g.gradient.empty()) {
      line["loss"] = g.loss;
      line["gradient_norm"] = g.gradient_norm;
    }
    // The task's info terms: per episode, summed over its steps, averaged
    // over the generation's individuals that did not fail.
    if (!info_names_.empty() && counted > 0) {
      nlohmann::json info = nlohmann::json::object();
      for (size_t k = 0; k < info_names_.size(); ++k) {
        double sum = 0;
        for (const auto& r : g.results)
          if (r.fitness != kFailedFitness && static_cast<size_t>(r.info_count) > k) sum += r.info[k];
        info[info_names_[k]] = sum / (static_cast<double>(counted) * config_.train_episodes);
      }
      line["info"] = std::move(info);
    }
    metrics_.Append(line.dump());
  }
  double fraction = 0;
  const BudgetOptions& budget = config_.budget;
  if (budget.env_steps > 0) fraction = std::max(fraction, double(state_.env_steps) / budget.env_steps);
  if (budget.generations > 0) fraction = std::max(fraction, double(state_.generation) / budget.generations);
  if (budget.wall_seconds > 0) fraction = std::max(fraction, Elapsed() / budget.wall_seconds);
  progress_.Update({state_.generation, state_.env_steps, state_.best_score, config_.validation_episodes > 0, mean,
                    state_.env_steps / std::max(Elapsed(), 1e-9), std::min(fraction, 1.0), Elapsed()});
}

void Trainer::Checkpoint() {
  // The write in flight reads state_'s optimizer states: they change only
  // once it is done.
  writer_.Wait();
  std::vector<nlohmann::json> states;
  bool finite = true;
  for (const auto& o : optimizers_) {
    states.push_back(o->SaveState());
    for (double m : o->Mean()) finite = finite && std::isfinite(m);
  }
  // Restore points advance on the checkpoint schedule only, so a resumed run
  // restores exactly what the uninterrupted one would. The state and its
  // restore point are then one value (n x n matrices are not copied here:
  // state_.optimizers stays empty, and the writer copies what it encodes).
  if (state_.generation % config_.checkpoint_interval == 0 && finite) {
    state_.restore_points = std::move(states);
    state_.restore_generation = state_.generation;
    state_.optimizers.clear();
  } else {
    state_.optimizers = std::move(states);
  }
  if (!write_ || last_checkpoint_ == state_.generation) return;
  // The small fields now (state_ without its optimizer states); those on
  // the writer's thread.
  auto small = std::make_shared<RunState>();
  {
    std::vector<nlohmann::json> optimizers = std::move(state_.optimizers);
    std::vector<nlohmann::json> restore_points = std::move(state_.restore_points);
    *small = state_;
    state_.optimizers = std::move(optimizers);
    state_.restore_points = std::move(restore_points);
  }
  small->train_seconds = Elapsed();  // earlier sessions' time included
  small->metrics_bytes = metrics_.bytes();
  small->metrics_crc = metrics_.crc();
  const bool one_value = state_.restore_generation == state_.generation;
  writer_.Write(
      dir_,
      [this, small, one_value] {
        RunState s = std::move(*small);
        s.optimizers = one_value ? state_.restore_points : state_.optimizers;
        if (!one_value) s.restore_points = state_.restore_points;  // stored only then
        return s;
      },
      [this] { metrics_.Sync(); });
  last_checkpoint_ = state_.generation;
}

nlohmann::json Trainer::Run() {
  const GenomeLayout& layout = model_->layout();
  progress_.Message(fmt::format("training {} on {} with {} ({} genes, {} island(s) x {}, {} thread(s)){}",
                                config_.model.kind, config_.task_name, config_.optimizer.kind, layout.size(),
                                config_.islands, config_.optimizer.population, pool_.size(),
                                write_ ? ", run directory " + dir_ : ""));
  for (;;) {
    // Rank 0 decides (the wall clock and signals differ between ranks).
    stop_reason_ = cluster_.Broadcast(StopReason());
    if (!stop_reason_.empty()) break;
    if (RunGeneration() == Outcome::kAbandoned) {
      if (stop_reason_.empty()) stop_reason_ = "interrupted";
      break;
    }
    if (state_.generation % config_.checkpoint_interval == 0) Checkpoint();
    writer_.ThrowIfFailed();
  }
  progress_.Finish();
  if (write_) Checkpoint();  // the state the run stopped in (budget spent, or interrupted)
  writer_.Wait();
  const double train_seconds = Elapsed();

  EvalStats eval;
  // Why there is no held-out evaluation (empty: it ran). An evaluation that
  // did not run is never reported as a number.
  std::string eval_skipped;
  if (stop_reason_ == "interrupted") eval_skipped = "interrupted";
  else if (config_.eval_episodes == 0) eval_skipped = "eval.episodes = 0";
  else if (!state_.best) eval_skipped = "no best genome";  // the run fails below
  if (eval_skipped.empty()) {
    progress_.Message(fmt::format("evaluating the best genome on {} held-out episodes", config_.eval_episodes));
    bool aborted = false;
    eval = StreamEpisodes(
        config_.eval_episodes,
        [&](int first, int count) {
          return EvaluateEpisodes(count, [&](Range range) {
            return evaluator_.EvaluateHeldOut(state_.best->genes, state_.best->normalizer, config_.seed, count,
                                              range, first);
          });
        },
        &aborted);
    // Stopped during the evaluation: the training state is checkpointed,
    // and a resumed run evaluates again.
    if (aborted) stop_reason_ = "interrupted";
  }
  if (stop_reason_ == "interrupted")
    return {{"stop_reason", stop_reason_},
            {"generations", state_.generation},
            {"env_steps", state_.env_steps},
            {"run_dir", dir_}};
  // A run with nothing to show: no genome ever finished its episodes (every
  // one failed, or no generation fit in the budget). There is no result to
  // summarise, so there is no summary.json; the checkpoint stays.
  if (!state_.best)
    throw RunFailed(state_.generation == 0
                        ? fmt::format("the run stopped ({}) before its first generation: no best genome, no "
                                      "summary.json", stop_reason_)
                        : fmt::format("every individual's episodes failed in all {} generations ({} failed "
                                      "episodes: the network's state became non-finite): no best genome, no "
                                      "summary.json; check the model.* parameters",
                                      state_.generation, state_.failed_episodes));
  const std::optional<SavedGenome>& best = state_.best;
  const bool evaluated = eval_skipped.empty();
  auto number_or_null = [](bool present, double x) { return present ? nlohmann::json(x) : nlohmann::json(nullptr); };
  // Generations count from 1 (the number complete when the genome was
  // found), as in metrics.jsonl and the progress line.
  nlohmann::json summary = {
      {"task", config_.task_name},
      {"model", config_.model.kind},
      {"optimizer", config_.optimizer.kind},
      {"seed", config_.seed},
      {"islands", config_.islands},
      {"genome_size", layout.size()},
      {"generations", state_.generation},
      {"env_steps", state_.env_steps},
      {"stop_reason", stop_reason_},
      {"reward_threshold", TaskRewardThreshold(config_.task_name) ? nlohmann::json(*TaskRewardThreshold(config_.task_name))
                                                                   : nlohmann::json(nullptr)},
      {"failed_episodes", state_.failed_episodes},
      {"failed_individuals", state_.failed_individuals},
      {"optimizer_restores", state_.optimizer_restores},
      {"best_generation", best ? nlohmann::json(best->generation + 1) : nlohmann::json(nullptr)},
      {"best_training_fitness", number_or_null(best.has_value(), best ? best->fitness : 0.0)},
      {"best_validated_mean", number_or_null(best && !std::isnan(best->validation), best ? best->validation : 0.0)},
      {"best_validated_episodes", best ? best->validation_episodes : 0},
      {"eval_episodes", evaluated ? config_.eval_episodes : 0},
      {"eval_skipped", evaluated ? nlohmann::json(nullptr) : nlohmann::json(eval_skipped)},
      {"eval_mean", number_or_null(evaluated, eval.mean)},
      {"eval_std", number_or_null(evaluated, eval.std)},
      {"eval_min", number_or_null(evaluated, eval.min)},
      {"eval_max", number_or_null(evaluated, eval.max)},
      {"eval_env_steps", eval.steps},
      {"eval_failed_episodes", eval.failed},
      {"train_seconds", train_seconds},
      {"wall_seconds", Elapsed()}};
  // The task's info terms, per held-out episode (MemoryLength's "correct"
  // is the evaluation's accuracy).
  if (evaluated && !info_names_.empty()) {
    summary["eval_info"] = nlohmann::json::object();
    for (const auto& [name, mean] : InfoMeans(eval, info_names_)) summary["eval_info"][name] = mean;
  }
  if (write_) {
    // Where island 0's search ended (its distribution's centre; bptt: its
    // genome), beside where it started (initial_genome.json): what moved
    // during training, without a best sample's exploration noise.
    WriteMeanGenome("final_mean.json");
    WriteFileAtomic((fs::path(dir_) / "summary.json").string(), summary.dump(2) + "\n");
  }
  return summary;
}

nlohmann::json Train(const RunConfig& config, const TrainOptions& options) {
  CheckMemoryFits(config);  // before the run directory exists
  Trainer trainer(config, options);
  trainer.Start();
  return trainer.Run();
}

nlohmann::json ResumeTraining(const std::vector<std::string>& overrides, const TrainOptions& options) {
  const std::string& dir = options.out_dir;
  for (const std::string& o : overrides) {
    const std::string key = o.substr(0, o.find('='));
    if (!key.starts_with("budget.") && key != "run.threads")
      throw ConfigError(fmt::format("--set {}: cannot change when resuming; allowed: budget.* and run.threads", key));
  }
  // Rank 0 reads the run directory; the others get its config from it.
  const std::string config_path = (fs::path(dir) / "config.toml").string();
  const bool root = !options.cluster || options.cluster->root();
  nlohmann::json read = {{"error", ""}, {"text", ""}};
  if (root) {
    if (dir.empty() || !fs::is_directory(dir))
      read["error"] = fmt::format("--resume {}: not a directory", dir);
    else if (!fs::exists(config_path))
      read["error"] = fmt::format("{}: not a run directory (no config.toml)", dir);
    else
      try {
        read["text"] = ReadFile(config_path, kConfigFileMaxBytes);
      } catch (const ConfigError& e) {
        read["error"] = e.what();
      }
  }
  if (options.cluster && options.cluster->size() > 1) read = nlohmann::json::parse(options.cluster->Broadcast(read.dump()));
  if (!read["error"].get<std::string>().empty()) throw ConfigError(read["error"].get<std::string>());
  const RunConfig config = ParseConfig(read["text"].get<std::string>(), overrides, config_path);
  CheckMemoryFits(config);
  Trainer trainer(config, options);
  trainer.Resume(!overrides.empty());
  return trainer.Run();
}

}  // namespace neurevo
