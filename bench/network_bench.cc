// Single-thread network simulation throughput (issue: neurevo core, item 7).
//
// One benchmark iteration is one environment step of one individual: inject
// an observation, run all substeps, decode the action. Counters:
//   us_per_env_step    wall time per environment step (target: graded BNN at
//                      Hopper size <= 30 us)
//   env_steps_per_s    its inverse
//   syn_updates_per_s  synapses * substeps per second
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "neurevo/model.h"
#include "neurevo/random.h"

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

const Size kCartPole{"cartpole", 4, Space::Discrete(2)};
const Size kHopper{"hopper", 11, Space::Box({-1, -1, -1}, {1, 1, 1})};
}  // namespace

BENCHMARK_CAPTURE(BM_NetworkStep, bnn_cartpole, "bnn", kCartPole);
BENCHMARK_CAPTURE(BM_NetworkStep, snn_cartpole, "snn", kCartPole);
BENCHMARK_CAPTURE(BM_NetworkStep, bnn_hopper, "bnn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, snn_hopper, "snn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, rnn_hopper, "rnn", kHopper);
BENCHMARK_CAPTURE(BM_NetworkStep, mlp_hopper, "mlp", kHopper);

BENCHMARK_MAIN();
