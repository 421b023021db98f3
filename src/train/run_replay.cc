// What can be done with a finished run directory: re-evaluate its best
// genome (`neurevo eval`) or record its behaviour step by step
// (`neurevo rollout`).
#include <filesystem>

#include "core/thread_pool.h"
#include "neurevo/train.h"
#include "train/eval_stats.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace neurevo {

namespace fs = std::filesystem;

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
                             r.task->observation_space().vector_size(), &r.config);
  return r;
}
}  // namespace

nlohmann::json EvaluateRun(const std::string& run_dir, int episodes, const uint64_t* seed, int threads) {
  LoadedRun run = LoadRun(run_dir);
  const uint64_t s = seed ? *seed : run.config.seed;
  ThreadPool pool(threads);
  Evaluator evaluator(*run.model, run.config.task_name, pool);
  bool aborted = false;
  const EvalStats e = StreamEpisodes(
      episodes,
      [&](int first, int count) {
        return evaluator.EvaluateHeldOut(run.genome.genes, run.genome.normalizer, s, count, {}, first);
      },
      &aborted);
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
    EpisodeOptions options;
    options.on_step = [&](const StepRecord& r) {
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
    RunEpisode(*policy, *run.task, run.genome.normalizer, HeldOutEnvSeed(s, e), HeldOutNoiseKey(s, e), options);
  }
  out.flush();
}

}  // namespace neurevo
