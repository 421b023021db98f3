// Single-thread network simulation throughput (issue: neurevo core, item 7).
//
// One benchmark iteration is one environment step of one individual: inject
// an observation, run all substeps, decode the action. Counters:
//   us_per_env_step    wall time per environment step (target: graded BNN at
//                      Hopper size <= 30 us)
//   env_steps_per_s    its inverse
//   syn_updates_per_s  synapses * substeps per second
//
// BM_TaskStep (issue: MuJoCo tasks, item 3) runs a task and the default BNN
// (10 E, 10 I, graded, random genome) at that task's sizes in closed loop,
// observation -> network -> action -> task step, and times the two parts of
// every iteration separately with the thread's CPU clock (interleaved, and
// not counting time the shared machine spends on other processes). Resets
// are not timed. Counters:
//   physics_us         task step per environment step (MuJoCo: mj_step x
//                      frame_skip, mj_rnePostConstraint, reward, observation)
//   network_us         network per environment step (all substeps + decoding)
//   network_over_physics  their ratio (target: <= 0.25 on Hopper, Walker2d
//                      and Ant, <= 0.5 on the other MuJoCo tasks)
//   episodes, synapses episodes started, the network's synapse count
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <string>
#include <vector>

#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"

namespace {
using neurevo::Space;

struct Size {
  const char* name;
  int inputs;
  Space action;
};

void BM_NetworkStep(benchmark::State& state, std::string kind, Size size) {
  neurevo::ModelOptions options;
  options.kind = kind;
  Space observation = Space::Box(std::vector<double>(size.inputs, -1e9),
                                 std::vector<double>(size.inputs, 1e9));
  auto model = neurevo::MakeModel(options, observation, size.action);
  neurevo::RandomStream rng(42);
  std::vector<double> genome(model->layout().size());
  for (double& g : genome) g = rng.Uniform();
  auto policy = model->Decode(genome);
  policy->Reset(1);
  // A fixed bank of observations, cycled, so input generation is not timed.
  std::vector<std::vector<double>> observations(64, std::vector<double>(size.inputs));
  for (auto& obs : observations)
    for (double& x : obs) x = rng.Normal();
  std::vector<double> action(size.action.vector_size());
  size_t step = 0;
  for (auto _ : state) {
    policy->Act(observations[step++ % observations.size()], action);
    benchmark::DoNotOptimize(action.data());
  }
  const double steps = static_cast<double>(state.iterations());
  state.counters["synapses"] = static_cast<double>(model->synapses());
  state.counters["env_steps_per_s"] = benchmark::Counter(steps, benchmark::Counter::kIsRate);
  state.counters["us_per_env_step"] = benchmark::Counter(
      steps * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["syn_updates_per_s"] = benchmark::Counter(
      steps * static_cast<double>(model->synapses()) * model->substeps(),
      benchmark::Counter::kIsRate);
}

// This thread's CPU time in ns (about 0.1 us per call, small next to either
// part of a step).
double ThreadCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void BM_TaskStep(benchmark::State& state, std::string task_name) {
  auto task = neurevo::MakeTask(task_name);
  neurevo::ModelOptions options;  // the default: bnn, 10 E, 10 I
  auto model = neurevo::MakeModel(options, task->observation_space(),
                                  task->action_space());
  neurevo::RandomStream rng(42);
  std::vector<double> genome(model->layout().size());
  for (double& g : genome) g = rng.Uniform();
  auto policy = model->Decode(genome);
  std::vector<double> obs(task->observation_space().vector_size());
  std::vector<double> input(obs.size());
  std::vector<double> action(task->action_space().vector_size());
  uint64_t episode = 0;
  task->Reset(episode, obs);
  policy->Reset(episode);
  double physics_ns = 0, network_ns = 0;
  for (auto _ : state) {
    // What the trainer feeds the network: observations clipped to +-5
    // (normalisation itself is not part of either cost).
    for (size_t i = 0; i < obs.size(); ++i) input[i] = std::clamp(obs[i], -5.0, 5.0);
    const double t0 = ThreadCpuNs();
    policy->Act(input, action);
    const double t1 = ThreadCpuNs();
    const neurevo::StepResult r = task->Step(action, obs);
    const double t2 = ThreadCpuNs();
    network_ns += t1 - t0;
    physics_ns += t2 - t1;
    if (r.terminated || r.truncated) {
      ++episode;
      task->Reset(episode, obs);
      policy->Reset(episode);
    }
  }
  const double steps = static_cast<double>(state.iterations());
  const double physics_us = physics_ns * 1e-3 / steps;
  const double network_us = network_ns * 1e-3 / steps;
  state.counters["physics_us"] = physics_us;
  state.counters["network_us"] = network_us;
  state.counters["network_over_physics"] = network_us / physics_us;
  state.counters["episodes"] = static_cast<double>(episode);
  state.counters["synapses"] = static_cast<double>(model->synapses());
}

const Size kCartPole{"cartpole", 4, Space::Discrete(2)};
const Size kHopper{"hopper", 11, Space::Box({-1, -1, -1}, {1, 1, 1})};
}  // namespace

BENCHMARK_CAPTURE(BM_NetworkStep, bnn_cartpole, "bnn", kCartPole);
BENCHMARK_CAPTURE(BM_NetworkStep, snn_cartpole, "snn", kCartPole);
BENCHMARK_CAPTURE(BM_NetworkStep, bnn_hopper, "bnn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, snn_hopper, "snn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, rnn_hopper, "rnn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, mlp_hopper, "mlp", kHopper);

BENCHMARK_CAPTURE(BM_TaskStep, InvertedPendulum, "InvertedPendulum-v5");
BENCHMARK_CAPTURE(BM_TaskStep, InvertedDoublePendulum, "InvertedDoublePendulum-v5");
BENCHMARK_CAPTURE(BM_TaskStep, Swimmer, "Swimmer-v5");
BENCHMARK_CAPTURE(BM_TaskStep, Hopper, "Hopper-v5");
BENCHMARK_CAPTURE(BM_TaskStep, HalfCheetah, "HalfCheetah-v5");
BENCHMARK_CAPTURE(BM_TaskStep, Walker2d, "Walker2d-v5");
BENCHMARK_CAPTURE(BM_TaskStep, Ant, "Ant-v5");

BENCHMARK_MAIN();
