// Throughput of ENU evaluation on this CPU (BENCHMARKS.md, "ENU networks"):
// unit-steps per second and FLOP/s of the batched unit kernel at several
// batch sizes, of whole T-maze networks (Act), and a large float GEMM on one
// thread as the practical peak they are measured against.
//
//   build/bench/enu_bench [seconds per case, default 1]
//
// One JSON line per case. FLOP counts only the four matrix products
// (2 * EnuShape::multiply_adds per unit step); the gate nonlinearities and
// the gathers come on top, so FLOP/s here is a lower bound of the work done.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 inside Eigen's AVX-512 code
#endif
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "model/enu/enu_model.h"
#include "model/enu/enu_unit.h"
#include "neurevo/random.h"

using namespace neurevo;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Runs `body` in rounds until `budget` seconds pass; returns calls per second.
template <class F>
double Rate(double budget, F&& body) {
  long long calls = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < budget) {
    for (int i = 0; i < 16; ++i) body();
    calls += 16;
    elapsed = Seconds(start);
  }
  return static_cast<double>(calls) / elapsed;
}

EnuWeights RandomWeights(const EnuShape& shape) {
  GenomeLayout layout;
  EnuWeights::AddFamilies(layout, "u", shape, 1.0);
  RandomStream rng(1);
  std::vector<double> genome(static_cast<size_t>(layout.size()));
  for (double& g : genome) g = rng.Uniform();
  return EnuWeights::Decode(layout, "u", shape, genome);
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 1.0;
  {
    const int n = 1024;
    EnuMatrix a = EnuMatrix::Random(n, n), b = EnuMatrix::Random(n, n), c(n, n);
    const double rate = Rate(budget, [&] { c.noalias() = a * b; });
    std::printf("{\"case\": \"gemm_peak\", \"n\": %d, \"gflops\": %.2f}\n", n, rate * 2.0 * n * n * n / 1e9);
  }
  const EnuShape shapes[] = {{32, 16, 32}, {8, 4, 8}};  // synapse units: paper size, the T-maze runs' size
  for (const EnuShape& shape : shapes) {
    const EnuWeights w = RandomWeights(shape);
    for (int units : {1, 8, 54, 256, 1024, 4096}) {
      EnuBatch batch(units, shape);
      batch.input.setRandom();
      EnuMatrix noise = EnuMatrix::Constant(units, shape.channels, 0.001f);
      const double rate = Rate(budget, [&] { CpuEnuKernel().Step(w, batch, &noise, false); });
      const double unit_steps = rate * units;
      std::printf("{\"case\": \"kernel\", \"memory\": %d, \"channels\": %d, \"inputs\": %d, \"units\": %d, "
                  "\"unit_steps_per_s\": %.4g, \"gflops\": %.3f}\n",
                  shape.memory, shape.channels, shape.inputs, units, unit_steps,
                  unit_steps * 2.0 * static_cast<double>(shape.multiply_adds()) / 1e9);
    }
  }
  // Whole T-maze networks: 3 sensors, a reward neuron, 6 ENU neurons, 48 synapses, 4 network steps.
  for (int size : {32, 8}) {
    ModelOptions o;
    o.kind = "enu";
    o.enu.enu_memory = size;
    o.enu.enu_channels = size / 2;
    o.enu.enu_reward_inputs = 2;
    o.enu.enu_idle_action = true;
    const Space obs = Space::Box(std::vector<double>(5, 0.0), std::vector<double>(5, 1.0));
    const Space act = Space::Discrete(4);
    EnuModel model(o, obs, act);
    RandomStream rng(3);
    std::vector<double> genome(static_cast<size_t>(model.layout().size()));
    for (double& g : genome) g = rng.Uniform();
    auto policy = model.Decode(genome);
    policy->Reset(1);
    std::vector<double> x = {0, 1, 0, 0, 0}, a(1);
    const double rate = Rate(budget, [&] { policy->Act(x, a); });
    const int units = static_cast<int>(model.topology().synapse_source.size()) + model.topology().neurons;
    std::printf("{\"case\": \"tmaze_network\", \"memory\": %d, \"channels\": %d, \"genes\": %lld, "
                "\"env_steps_per_s\": %.4g, \"unit_steps_per_s\": %.4g, \"gflops\": %.3f}\n",
                o.enu.enu_memory, o.enu.enu_channels, static_cast<long long>(model.layout().size()), rate,
                rate * units * o.enu.enu_network_steps, rate * 2.0 * static_cast<double>(model.synapses()) * model.substeps() / 1e9);
  }
  return 0;
}
