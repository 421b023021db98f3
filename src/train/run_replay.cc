// What can be done with a finished run directory: re-evaluate its best
// genome (`neurevo eval`) or record its behaviour step by step
// (`neurevo rollout`).
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <fmt/format.h>

#include "core/thread_pool.h"
#include "neurevo/error.h"
#include "neurevo/train.h"
#include "train/eval_stats.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace neurevo {

namespace fs = std::filesystem;

nlohmann::json EvaluateRun(const std::string& run_dir, const int* episodes_or_null, const uint64_t* seed,
                           int threads) {
  LoadedRun run = LoadRun(run_dir);
  const uint64_t s = seed ? *seed : run.config.seed;
  // The run's own count by default, so that the result is its summary's.
  const int episodes = episodes_or_null ? *episodes_or_null : run.config.eval_episodes;
  if (episodes < 1)
    throw ConfigError(fmt::format("{}: the run has eval.episodes = 0 (it skipped its evaluation); allowed: "
                                  "--episodes N with N >= 1",
                                  (fs::path(run_dir) / "config.toml").string()));
  ThreadPool pool(threads);
  Evaluator evaluator(*run.model, run.config.task_name, pool, nullptr, nullptr, false, run.config.task_options);
  bool aborted = false;
  const EvalStats e = StreamEpisodes(
      episodes,
      [&](int first, int count) {
        return evaluator.EvaluateHeldOut(run.genome.genes, run.genome.normalizer, s, count, {}, first);
      },
      &aborted);
  nlohmann::json result = {{"run_dir", run_dir}, {"task", run.config.task_name}, {"model", run.config.model.kind},
                            {"episodes", episodes}, {"seed", s},           {"mean", e.mean},
                            {"std", e.std},         {"min", e.min},        {"max", e.max},
                            {"env_steps", e.steps}, {"failed_episodes", e.failed}};
  // The task's info terms per episode, as summary.json's eval_info.
  if (!run.task->info_names().empty()) {
    result["info"] = nlohmann::json::object();
    for (const auto& [name, mean] : InfoMeans(e, run.task->info_names())) result["info"][name] = mean;
  }
  return result;
}

void RolloutRun(const std::string& run_dir, int episodes, const uint64_t* seed, std::ostream& out) {
  LoadedRun run = LoadRun(run_dir);
  const uint64_t s = seed ? *seed : run.config.seed;
  auto policy = run.model->Decode(run.genome.genes);
  const Space& action_space = run.task->action_space();
  const std::vector<std::string> info_names = run.task->info_names();
  // Each line is written as it happens: memory stays flat however many
  // episodes, and the output is in episode and step order.
  for (int e = 0; e < episodes; ++e) {
    EpisodeOptions options;
    options.on_reset = [&](std::span<const double> observation, const Task& task) {
      nlohmann::json line = {{"kind", "reset"},
                             {"episode", e},
                             {"step", 0},
                             {"observation", std::vector<double>(observation.begin(), observation.end())},
                             {"state", task.PhysicalState()}};
      out << line.dump() << "\n";
    };
    options.on_step = [&](const StepRecord& r) {
      nlohmann::json line = {{"kind", "step"},
                             {"episode", e},
                             {"step", r.step},
                             {"observation", std::vector<double>(r.observation.begin(), r.observation.end())},
                             {"next_observation", std::vector<double>(r.next_observation.begin(), r.next_observation.end())},
                             {"action", ActionAsApplied(action_space, r.action)},
                             {"reward", r.result.reward},
                             {"terminated", r.result.terminated},
                             {"truncated", r.result.truncated},
                             {"state", r.task->PhysicalState()}};
      if (r.result.info_count > 0) {
        nlohmann::json info = nlohmann::json::object();
        for (int k = 0; k < r.result.info_count; ++k) info[info_names[k]] = r.result.info_values[k];
        line["info"] = std::move(info);
      }
      out << line.dump() << "\n";
    };
    RunEpisode(*policy, *run.task, run.genome.normalizer, HeldOutEnvSeed(s, e), HeldOutNoiseKey(s, e), options);
    if (!out) throw std::runtime_error("rollout: writing the output failed");
  }
  out.flush();
  if (!out) throw std::runtime_error("rollout: writing the output failed");
}

void RolloutRunToFile(const std::string& run_dir, int episodes, const uint64_t* seed, const std::string& path) {
  LoadRun(run_dir);  // a bad run directory is refused before any file exists
  // Streamed into FILE.partial and renamed to FILE once complete: a killed
  // or failed rollout never leaves a FILE that looks complete, and an
  // existing FILE is replaced only by a whole new one.
  const std::string partial = path + ".partial";
  try {
    {
      std::ofstream out(partial, std::ios::binary | std::ios::trunc);
      if (!out) throw ConfigError(fmt::format("--out {}: cannot create {}", path, partial));
      RolloutRun(run_dir, episodes, seed, out);
      out.close();
      if (!out) throw std::runtime_error(fmt::format("rollout: writing {} failed", partial));
    }
    const int fd = ::open(partial.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error(fmt::format("rollout: cannot sync {}", partial));
    }
    ::close(fd);
    fs::rename(partial, path);
  } catch (...) {
    std::error_code ec;
    fs::remove(partial, ec);
    throw;
  }
}

}  // namespace neurevo
