// Where a Table 2 run's time goes (issue 19, item 5): for each config, the
// three costs a training run is made of, measured apart on one thread with
// the thread's CPU clock, and the run's time projected from them.
//
//   table2_cost [--steps N] [--generations G] CONFIG...
//
// physics_us    task step per env step (MuJoCo: mj_step x frame_skip and the
//               observation), resets not counted
// network_us    the config's model per env step (Act: every substep and the readout)
// optimizer     the config's optimizer over G generations of Ask + Tell with
//               random fitness: ms per generation, and apart from it the
//               background work (CMA-ES's eigendecomposition above n = 100,
//               run inline here), its seconds each and the generations
//               between two (the first one's iteration; a warning when G
//               holds none: raise G)
// The network runs a random genome (genes uniform in [0, 1]) in closed loop,
// as bench/network_bench's BM_TaskStep does; it falls over early on the
// locomotion tasks, so the states differ from a trained run's, not the
// per-step arithmetic. The projection is a run that uses its whole budget:
// budget.env_steps x (physics + network) + budget.generations x (optimizer
// per generation) + the decompositions due in budget.generations
// (observation normalisation, validation bookkeeping and checkpoints not
// counted; runs that stop at their generation limit with short episodes
// use fewer env steps). One JSON line per config.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neurevo/config.h"
#include "neurevo/model.h"
#include "neurevo/optimizer.h"
#include "neurevo/random.h"
#include "neurevo/task.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct StepCost {
  double physics_us = 0, network_us = 0;
  long long episodes = 0;
  int genes = 0;  // the model's genome size (the optimizer's dimension)
};

StepCost MeasureSteps(const neurevo::RunConfig& config, long long steps) {
  auto task = neurevo::MakeTask(config.task_name, config.task_options);
  auto model = neurevo::MakeModel(config.model, task->observation_space(), task->action_space());
  neurevo::RandomStream rng(42);
  std::vector<double> genome(model->layout().size());
  for (double& g : genome) g = rng.Uniform();
  auto policy = model->Decode(genome);
  std::vector<double> obs(task->observation_space().vector_size()), input(obs.size()),
      action(task->action_space().vector_size());
  StepCost cost;
  cost.genes = static_cast<int>(genome.size());
  task->Reset(0, obs);
  policy->Reset(0);
  double physics = 0, network = 0;
  for (long long s = 0; s < steps; ++s) {
    for (size_t i = 0; i < obs.size(); ++i) input[i] = std::clamp(obs[i], -config.obs_clip, config.obs_clip);
    const double t0 = ThreadCpuSeconds();
    policy->Act(input, action);
    const double t1 = ThreadCpuSeconds();
    const neurevo::StepResult r = task->Step(action, obs);
    const double t2 = ThreadCpuSeconds();
    network += t1 - t0;
    physics += t2 - t1;
    if (r.terminated || r.truncated) {
      ++cost.episodes;
      task->Reset(static_cast<uint64_t>(cost.episodes), obs);
      policy->Reset(static_cast<uint64_t>(cost.episodes));
    }
  }
  cost.physics_us = physics * 1e6 / static_cast<double>(steps);
  cost.network_us = network * 1e6 / static_cast<double>(steps);
  return cost;
}

struct OptimizerCost {
  double per_generation_ms = 0;  // Ask + Tell, background work excluded
  double background_s_each = 0;
  int background_jobs = 0, first_job_generation = -1, dimension = 0, population = 0;
};

OptimizerCost MeasureOptimizer(const neurevo::RunConfig& config, int dimension, int generations) {
  auto optimizer = neurevo::MakeOptimizer(config.optimizer, dimension, config.seed);
  neurevo::RandomStream rng(7);
  OptimizerCost cost;
  cost.dimension = dimension;
  cost.population = optimizer->population();
  double total = 0, background = 0;
  for (int g = 0; g < generations; ++g) {
    const double t0 = ThreadCpuSeconds();
    const auto candidates = optimizer->Ask();
    double job_s = 0;
    if (auto job = optimizer->BackgroundWork()) {
      const double b0 = ThreadCpuSeconds();
      job();
      job_s = ThreadCpuSeconds() - b0;
      background += job_s;
      if (cost.background_jobs++ == 0) cost.first_job_generation = g;
    }
    std::vector<double> fitness(candidates.size());
    for (double& f : fitness) f = rng.Uniform();
    optimizer->Tell(fitness);
    total += ThreadCpuSeconds() - t0 - job_s;
  }
  cost.per_generation_ms = total * 1e3 / generations;
  if (cost.background_jobs > 0) cost.background_s_each = background / cost.background_jobs;
  return cost;
}

// A whole number >= 1 (at most `max`), or -1.
long long ParseCount(const char* text, long long max) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 1 || value > max) return -1;
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage = "usage: table2_cost [--steps N] [--generations G] CONFIG...\n";
  long long steps = 20000;
  int generations = 100;
  std::vector<std::string> configs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--steps" || arg == "--generations") && i + 1 < argc) {
      const long long value = ParseCount(argv[++i], arg == "--steps" ? 1'000'000'000LL : 1'000'000LL);
      if (value < 0) {
        std::fprintf(stderr, "table2_cost: %s: '%s' is not a whole number from 1 to %s\n", arg.c_str(), argv[i],
                     arg == "--steps" ? "1e9" : "1e6");
        return 2;
      }
      if (arg == "--steps") steps = value;
      else generations = static_cast<int>(value);
    } else if (!arg.empty() && arg[0] == '-') {
      std::fputs(usage, stderr);
      return 2;
    } else {
      configs.push_back(arg);
    }
  }
  if (configs.empty()) {
    std::fputs(usage, stderr);
    return 2;
  }
  try {
    for (const std::string& path : configs) {
      const neurevo::RunConfig config = neurevo::LoadConfigFile(path, {});
      const StepCost step = MeasureSteps(config, steps);
      const int dimension = step.genes;
      const OptimizerCost opt = MeasureOptimizer(config, dimension, generations);
      if (opt.background_jobs == 0 && config.optimizer.kind.find("cma") != std::string::npos &&
          dimension >= 100) {
        std::fprintf(stderr, "table2_cost: %s: no eigendecomposition within %d generations; raise --generations\n",
                     path.c_str(), generations);
      }
      const double env_steps = static_cast<double>(config.budget.env_steps);
      const int budget_generations = config.budget.generations;
      if (budget_generations == 0)
        std::fprintf(stderr, "table2_cost: %s: budget.generations is 0 (no limit): optimizer not projected\n",
                     path.c_str());
      // A decomposition made due by the Tell that ends generation t is handed
      // out at the next Ask, iteration t: t generations apart.
      const double decompositions =
          opt.first_job_generation > 0 ? static_cast<double>(budget_generations) / opt.first_job_generation : 0.0;
      nlohmann::json projected = {
          {"physics", std::round(env_steps * step.physics_us * 1e-6)},
          {"network", std::round(env_steps * step.network_us * 1e-6)},
          {"optimizer", std::round(budget_generations * opt.per_generation_ms * 1e-3 +
                                   decompositions * opt.background_s_each)}};
      projected["total"] = projected["physics"].get<double>() + projected["network"].get<double>() +
                           projected["optimizer"].get<double>();
      const auto round2 = [](double x) { return std::round(x * 100) / 100; };
      const nlohmann::json line = {
          {"config", path}, {"task", config.task_name}, {"model", config.model.kind},
          {"optimizer", config.optimizer.kind}, {"genes", dimension}, {"population", opt.population},
          {"physics_us", round2(step.physics_us)}, {"network_us", round2(step.network_us)},
          {"episodes", step.episodes}, {"optimizer_ms_per_generation", round2(opt.per_generation_ms)},
          {"generations_timed", generations}, {"background_jobs", opt.background_jobs},
          {"background_s_each", round2(opt.background_s_each)},
          {"generations_between_background_jobs", std::max(opt.first_job_generation, 0)},
          {"projected_s", projected}};
      std::printf("%s\n", line.dump().c_str());
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "table2_cost: %s\n", e.what());
    return 1;
  }
}
