// What a checkpoint costs, piece by piece, for a full CMA-ES state of the
// default CartPole BNN's size (1100 genes: C and B are 1100 x 1100).
//   neurevo checkpoint_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "neurevo/optimizer.h"
#include "train/checkpoint.h"

namespace {

constexpr int kGenes = 1100;

std::unique_ptr<neurevo::Optimizer> Cma() {
  neurevo::OptimizerOptions o;
  auto opt = neurevo::MakeOptimizer(o, kGenes, 1);
  opt->Ask();
  return opt;
}

neurevo::RunState State(const neurevo::Optimizer& opt) {
  neurevo::RunState s;
  s.normalizer = neurevo::ObsNormalizer(4, true, 5.0);
  s.optimizers = {opt.SaveState()};
  s.restore_points = {nlohmann::json(nullptr)};
  return s;
}

void BM_SaveState(benchmark::State& state) {
  auto opt = Cma();
  for (auto _ : state) benchmark::DoNotOptimize(opt->SaveState());
}
BENCHMARK(BM_SaveState)->Unit(benchmark::kMillisecond);

void BM_Encode(benchmark::State& state) {
  auto opt = Cma();
  const auto s = State(*opt);
  for (auto _ : state) benchmark::DoNotOptimize(neurevo::EncodeCheckpoint(s));
}
BENCHMARK(BM_Encode)->Unit(benchmark::kMillisecond);

void BM_Decode(benchmark::State& state) {
  auto opt = Cma();
  const std::string bytes = neurevo::EncodeCheckpoint(State(*opt));
  state.counters["file_MB"] = bytes.size() / 1e6;
  for (auto _ : state) benchmark::DoNotOptimize(neurevo::DecodeCheckpoint(bytes, "bench"));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_WriteCheckpoint(benchmark::State& state) {
  auto opt = Cma();
  auto s = State(*opt);
  const auto dir = std::filesystem::temp_directory_path() / ("neurevo_ckpt_bench_" + std::to_string(::getpid()));
  for (auto _ : state) {
    ++s.generation;
    neurevo::WriteCheckpoint(dir.string(), s);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_WriteCheckpoint)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
