// Where a Table 2 run's time goes (issue 19, item 5): for each config, the
// three costs a training run is made of, measured apart on one thread with
// the thread's CPU clock, and the run's time projected from them.
//
//   table2_cost [--steps N] [--generations G] CONFIG...
//
// physics_us    task step per env step (MuJoCo: mj_step x frame_skip and the
//               observation), resets not counted
// network_us    the config's model per env step (Act: every substep and the readout)
// optimizer_ms  the config's optimizer per generation: Ask + Tell with random
//               fitness, and its background work (CMA-ES's eigendecomposition)
//               run inline; over G generations, so that a large n's rare
//               decompositions are averaged in (G must span one: the tool says)
// The network runs a random genome (genes uniform in [0, 1]) in closed loop,
// as bench/network_bench's BM_TaskStep does; it falls over early on the
// locomotion tasks, so the states differ from a trained run's, not the
// per-step arithmetic. The projection is budget.env_steps x (physics +
// network) + budget.generations x optimizer: a lower bound of a run's time
// (observation normalisation, validation bookkeeping and checkpoints not
// counted). One JSON line per config.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

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
  double per_generation_ms = 0, background_s = 0;
  int background_jobs = 0, dimension = 0, population = 0;
};

OptimizerCost MeasureOptimizer(const neurevo::RunConfig& config, int dimension, int generations) {
  auto optimizer = neurevo::MakeOptimizer(config.optimizer, dimension, config.seed);
  neurevo::RandomStream rng(7);
  OptimizerCost cost;
  cost.dimension = dimension;
  cost.population = optimizer->population();
  double total = 0;
  for (int g = 0; g < generations; ++g) {
    const double t0 = ThreadCpuSeconds();
    const auto candidates = optimizer->Ask();
    if (auto job = optimizer->BackgroundWork()) {
      const double b0 = ThreadCpuSeconds();
      job();
      cost.background_s += ThreadCpuSeconds() - b0;
      ++cost.background_jobs;
    }
    std::vector<double> fitness(candidates.size());
    for (double& f : fitness) f = rng.Uniform();
    optimizer->Tell(fitness);
    total += ThreadCpuSeconds() - t0;
  }
  cost.per_generation_ms = total * 1e3 / generations;
  return cost;
}

}  // namespace

int main(int argc, char** argv) {
  long long steps = 20000;
  int generations = 100;
  std::vector<std::string> configs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--steps" || arg == "--generations") && i + 1 < argc) {
      const long long value = std::atoll(argv[++i]);
      if (value < 1) {
        std::fprintf(stderr, "table2_cost: %s must be >= 1\n", arg.c_str());
        return 2;
      }
      if (arg == "--steps") steps = value;
      else generations = static_cast<int>(std::min<long long>(value, 1 << 20));
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "usage: table2_cost [--steps N] [--generations G] CONFIG...\n");
      return 2;
    } else {
      configs.push_back(arg);
    }
  }
  if (configs.empty()) {
    std::fprintf(stderr, "usage: table2_cost [--steps N] [--generations G] CONFIG...\n");
    return 2;
  }
  try {
    for (const std::string& path : configs) {
      const neurevo::RunConfig config = neurevo::LoadConfigFile(path, {});
      const StepCost step = MeasureSteps(config, steps);
      auto task = neurevo::MakeTask(config.task_name, config.task_options);
      const int dimension = static_cast<int>(
          neurevo::MakeModel(config.model, task->observation_space(), task->action_space())->layout().size());
      const OptimizerCost opt = MeasureOptimizer(config, dimension, generations);
      const double env_steps = static_cast<double>(config.budget.env_steps);
      const double projected_physics = env_steps * step.physics_us * 1e-6;
      const double projected_network = env_steps * step.network_us * 1e-6;
      const double projected_optimizer = config.budget.generations * opt.per_generation_ms * 1e-3;
      std::printf(
          "{\"config\": \"%s\", \"task\": \"%s\", \"model\": \"%s\", \"optimizer\": \"%s\", \"genes\": %d, "
          "\"population\": %d, \"physics_us\": %.2f, \"network_us\": %.2f, \"episodes\": %lld, "
          "\"optimizer_ms_per_generation\": %.3f, \"generations_timed\": %d, \"background_jobs\": %d, "
          "\"background_s\": %.3f, \"projected_s\": {\"physics\": %.0f, \"network\": %.0f, "
          "\"optimizer\": %.0f, \"total\": %.0f}}\n",
          path.c_str(), config.task_name.c_str(), config.model.kind.c_str(), config.optimizer.kind.c_str(),
          dimension, opt.population, step.physics_us, step.network_us, step.episodes, opt.per_generation_ms,
          generations, opt.background_jobs, opt.background_s, projected_physics, projected_network,
          projected_optimizer, projected_physics + projected_network + projected_optimizer);
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "table2_cost: %s\n", e.what());
    return 1;
  }
}
