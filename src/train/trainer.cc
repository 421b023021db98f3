// The training loop: islands of ask -> evaluate -> tell, budgets, migration,
// the final held-out evaluation, and the run directory.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "core/files.h"
#include "core/thread_pool.h"
#include "neurevo/optimizer.h"
#include "neurevo/random.h"
#include "neurevo/train.h"
#include "train/evaluator.h"
#include "train/progress.h"
#include "train/run_files.h"

namespace neurevo {

namespace fs = std::filesystem;

namespace {

struct EvalStats {
  double mean = 0, std = 0, min = 0, max = 0;
  long long steps = 0;
  int failed = 0;
};

EvalStats Summarise(const std::vector<EpisodeResult>& episodes) {
  EvalStats s;
  if (episodes.empty()) return s;
  s.min = s.max = episodes.front().total_reward;
  for (const auto& e : episodes) {
    s.mean += e.total_reward;
    s.min = std::min(s.min, e.total_reward);
    s.max = std::max(s.max, e.total_reward);
    s.steps += e.steps;
    s.failed += e.failed ? 1 : 0;
  }
  s.mean /= static_cast<double>(episodes.size());
  for (const auto& e : episodes) s.std += (e.total_reward - s.mean) * (e.total_reward - s.mean);
  s.std = std::sqrt(s.std / static_cast<double>(episodes.size()));
  return s;
}

// Index of the best (highest) fitness; the lowest index wins ties.
int ArgBest(std::span<const double> f) {
  return static_cast<int>(std::max_element(f.begin(), f.end()) - f.begin());
}
int ArgWorst(std::span<const double> f) {
  return static_cast<int>(std::min_element(f.begin(), f.end()) - f.begin());
}

}  // namespace

nlohmann::json Train(const RunConfig& config, const TrainOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto task_probe = MakeTask(config.task_name);
  auto model = MakeModel(config.model, task_probe->observation_space(), task_probe->action_space());
  const GenomeLayout& layout = model->layout();
  const int obs_dim = task_probe->observation_space().vector_size();
  const int islands = config.islands;
  std::vector<std::unique_ptr<Optimizer>> optimizers;
  for (int k = 0; k < islands; ++k)
    optimizers.push_back(MakeOptimizer(
        config.optimizer, layout.size(),
        HashKey({config.seed, static_cast<uint64_t>(k), static_cast<uint64_t>(StreamPurpose::kOptimizer)})));

  ThreadPool pool(config.threads);
  Evaluator evaluator(*model, config.task_name, pool);
  ObsNormalizer normalizer(obs_dim, config.obs_normalization, config.obs_clip);
  Progress progress(options.terminal, options.quiet);

  std::ofstream metrics;
  const bool write = !options.out_dir.empty();
  const fs::path dir(options.out_dir);
  if (write) {
    CreateRunDir(options.out_dir);
    WriteFileAtomic((dir / "config.toml").string(), ConfigToToml(config));
    metrics.open(dir / "metrics.jsonl", std::ios::app);
  }
  progress.Message(fmt::format("training {} on {} with {} ({} genes, {} island(s) x {}, {} thread(s)){}",
                               config.model.kind, config.task_name, config.optimizer.kind,
                               layout.size(), islands, config.optimizer.population, pool.size(),
                               write ? ", run directory " + options.out_dir : ""));

  const int lambda = config.optimizer.population;
  const long long max_generation_steps =
      (static_cast<long long>(islands) * lambda * config.train_episodes + config.validation_episodes) *
      task_probe->max_episode_steps();
  const BudgetOptions& budget = config.budget;
  SavedGenome best;
  best.fitness = -std::numeric_limits<double>::infinity();
  // The selection score of the best genome: its validation mean with elite
  // validation (Such et al. 2018), else its training fitness.
  double best_score = -std::numeric_limits<double>::infinity();
  long long env_steps = 0, generation = 0, failed_total = 0;
  std::string stop_reason;

  for (;;) {
    // A generation starts only if its worst case fits every budget.
    if (budget.generations > 0 && generation >= budget.generations) stop_reason = "generations";
    else if (budget.env_steps > 0 && env_steps + max_generation_steps > budget.env_steps)
      stop_reason = "env_steps";
    else if (budget.wall_seconds > 0 && elapsed() >= budget.wall_seconds) stop_reason = "wall_seconds";
    else if (options.stop_requested && options.stop_requested->load()) stop_reason = "interrupted";
    if (!stop_reason.empty()) break;

    std::vector<std::vector<double>> genomes;
    for (auto& opt : optimizers) {
      auto pop = opt->Ask();
      genomes.insert(genomes.end(), pop.begin(), pop.end());
    }
    ObsStats seen(obs_dim);
    const auto results = evaluator.EvaluateGeneration(genomes, normalizer, config.seed, generation,
                                                      config.train_episodes, &seen);
    std::vector<double> fitness(results.size());
    long long generation_steps = 0;
    int failed = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      fitness[i] = results[i].fitness;
      generation_steps += results[i].steps;
      failed += results[i].failed_episodes;
    }
    env_steps += generation_steps;
    failed_total += failed;

    // Best so far (ties go to the newer genome: it has survived more
    // selection). With elite validation, a generation's best that could beat
    // the incumbent is re-run on fresh episodes, counted in the budget.
    const int gen_best = ArgBest(fitness);
    const double gen_best_fitness = fitness[gen_best];  // before migration edits `fitness`
    double score = gen_best_fitness;
    bool validated = false;
    if (config.validation_episodes > 0 && results[gen_best].failed_episodes == 0 &&
        gen_best_fitness >= best_score) {
      const EvalStats v = Summarise(evaluator.EvaluateValidation(
          genomes[gen_best], normalizer, config.seed, generation, config.validation_episodes));
      env_steps += v.steps;
      score = v.failed > 0 ? kFailedFitness : v.mean;
      validated = true;
    }
    if ((config.validation_episodes == 0 || validated) && score >= best_score) {
      best_score = score;
      best.fitness = gen_best_fitness;
      best.validation = validated ? score : std::numeric_limits<double>::quiet_NaN();
      best.genes = genomes[gen_best];
      best.generation = generation;
      best.normalizer = normalizer;
      if (write)
        WriteFileAtomic((dir / "best_genome.json").string(),
                        GenomeFileJson(config, layout, best).dump(1) + "\n");
    }

    // Migration (ring): island k's best replaces the worst of island k + 1.
    std::vector<double> island_best(islands);
    for (int k = 0; k < islands; ++k)
      island_best[k] = *std::max_element(fitness.begin() + k * lambda, fitness.begin() + (k + 1) * lambda);
    if (islands > 1 && (generation + 1) % config.migration_interval == 0) {
      std::vector<int> best_index(islands);
      for (int k = 0; k < islands; ++k)
        best_index[k] = k * lambda + ArgBest(std::span(fitness).subspan(k * lambda, lambda));
      const std::vector<double> before = fitness;
      for (int k = 0; k < islands; ++k) {
        const int from = best_index[(k + islands - 1) % islands];
        const int worst = ArgWorst(std::span(fitness).subspan(k * lambda, lambda));
        if (before[from] <= fitness[k * lambda + worst]) continue;
        optimizers[k]->ReplaceCandidate(worst, genomes[from]);
        fitness[k * lambda + worst] = before[from];
      }
    }
    for (int k = 0; k < islands; ++k) optimizers[k]->Tell(std::span(fitness).subspan(k * lambda, lambda));
    normalizer.Update(seen);

    double mean = 0;
    int counted = 0;
    for (const auto& r : results)
      if (r.failed_episodes == 0) mean += r.fitness, ++counted;
    mean = counted ? mean / counted : kFailedFitness;
    ++generation;
    if (write) {
      nlohmann::json line = {{"generation", generation},
                             {"env_steps", env_steps},
                             {"best_fitness", gen_best_fitness},
                             {"mean_fitness", mean},
                             {"best_so_far", best_score},
                             {"failed_episodes", failed},
                             {"wall_seconds", elapsed()}};
      if (islands > 1) line["island_best"] = island_best;
      if (validated) line["validation_mean"] = score;
      metrics << line.dump() << "\n";
      metrics.flush();
    }
    double fraction = 0;
    if (budget.env_steps > 0) fraction = std::max(fraction, double(env_steps) / budget.env_steps);
    if (budget.generations > 0) fraction = std::max(fraction, double(generation) / budget.generations);
    if (budget.wall_seconds > 0) fraction = std::max(fraction, elapsed() / budget.wall_seconds);
    progress.Update({generation, env_steps, best_score, mean, env_steps / std::max(elapsed(), 1e-9),
                     std::min(fraction, 1.0), elapsed()});
    if (gen_best_fitness >= budget.target_fitness) {
      stop_reason = "target_fitness";
      break;
    }
  }
  progress.Finish();
  const double train_seconds = elapsed();

  EvalStats eval;
  if (config.eval_episodes > 0 && !best.genes.empty()) {
    progress.Message(fmt::format("evaluating the best genome on {} held-out episodes", config.eval_episodes));
    eval = Summarise(evaluator.EvaluateHeldOut(best.genes, best.normalizer, config.seed, config.eval_episodes));
  }
  nlohmann::json summary = {{"task", config.task_name},
                            {"model", config.model.kind},
                            {"optimizer", config.optimizer.kind},
                            {"seed", config.seed},
                            {"islands", islands},
                            {"genome_size", layout.size()},
                            {"generations", generation},
                            {"env_steps", env_steps},
                            {"stop_reason", stop_reason},
                            {"failed_episodes", failed_total},
                            {"best_fitness", best.genes.empty() ? 0.0 : best.fitness},
                            {"best_generation", best.generation},
                            {"best_validation", best.genes.empty() || std::isnan(best.validation)
                                                    ? nlohmann::json(nullptr)
                                                    : nlohmann::json(best.validation)},
                            {"eval_episodes", config.eval_episodes},
                            {"eval_mean", eval.mean},
                            {"eval_std", eval.std},
                            {"eval_min", eval.min},
                            {"eval_max", eval.max},
                            {"eval_env_steps", eval.steps},
                            {"eval_failed_episodes", eval.failed},
                            {"train_seconds", train_seconds},
                            {"wall_seconds", elapsed()}};
  if (write) WriteFileAtomic((dir / "summary.json").string(), summary.dump(2) + "\n");
  return summary;
}

namespace {
struct LoadedRun {
  RunConfig config;
  std::unique_ptr<Task> task;
  std::unique_ptr<Model> model;
  SavedGenome genome;
};

LoadedRun LoadRun(const std::string& run_dir) {
  LoadedRun r;
  r.config = LoadRunConfig(run_dir);
  r.task = MakeTask(r.config.task_name);
  r.model = MakeModel(r.config.model, r.task->observation_space(), r.task->action_space());
  r.genome = ParseGenomeFile((fs::path(run_dir) / "best_genome.json").string(), r.model->layout(),
                             r.task->observation_space().vector_size());
  return r;
}
}  // namespace

nlohmann::json EvaluateRun(const std::string& run_dir, int episodes, const uint64_t* seed, int threads) {
  LoadedRun run = LoadRun(run_dir);
  const uint64_t s = seed ? *seed : run.config.seed;
  ThreadPool pool(threads);
  Evaluator evaluator(*run.model, run.config.task_name, pool);
  const EvalStats e = Summarise(evaluator.EvaluateHeldOut(run.genome.genes, run.genome.normalizer, s, episodes));
  return {{"run_dir", run_dir}, {"task", run.config.task_name}, {"model", run.config.model.kind},
          {"episodes", episodes}, {"seed", s},           {"mean", e.mean},
          {"std", e.std},         {"min", e.min},        {"max", e.max},
          {"env_steps", e.steps}, {"failed_episodes", e.failed}};
}

void RolloutRun(const std::string& run_dir, int episodes, const uint64_t* seed, std::ostream& out) {
  LoadedRun run = LoadRun(run_dir);
  const uint64_t s = seed ? *seed : run.config.seed;
  auto policy = run.model->Decode(run.genome.genes);
  for (int e = 0; e < episodes; ++e) {
    const auto on_step = [&](const StepRecord& r) {
      nlohmann::json line = {{"episode", e},
                             {"step", r.step},
                             {"observation", std::vector<double>(r.observation.begin(), r.observation.end())},
                             {"next_observation", std::vector<double>(r.next_observation.begin(), r.next_observation.end())},
                             {"action", std::vector<double>(r.action.begin(), r.action.end())},
                             {"reward", r.result.reward},
                             {"terminated", r.result.terminated},
                             {"truncated", r.result.truncated},
                             {"state", r.task->PhysicalState()}};
      out << line.dump() << "\n";
    };
    RunEpisode(*policy, *run.task, run.genome.normalizer, HeldOutEnvSeed(s, e), HeldOutNoiseKey(s, e),
               nullptr, on_step);
  }
  out.flush();
}

}  // namespace neurevo
