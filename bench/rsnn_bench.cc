// The cost of backpropagation through time against the forward pass alone,
// for the neocortical RSNN presets (configs/rsnn/cortical_n{32,64,128}.toml)
// on NBack-2's inputs. One iteration is one task step (3 network steps) of
// one network:
//   BM_Forward      what evolution runs: RsnnState::Step, no tape;
//   BM_ForwardTape  what BPTT runs forward: the same, keeping the tape;
//   BM_Backward     the backward pass, per task step (an episode of 22 steps
//                   is run and taped outside the timing, then its Backward is
//                   timed and divided by 22).
// Counter: items_per_second = task steps per second. BPTT's cost per step is
// ForwardTape's plus Backward's.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "model/rsnn/rsnn_model.h"
#include "neurevo/config.h"
#include "neurevo/random.h"
#include "neurevo/task.h"

namespace {
using namespace neurevo;

struct Setup {
  std::unique_ptr<RsnnModel> model;
  RsnnNetwork net;
  std::vector<double> inputs;  // steps x 4 one-hot symbols of an NBack-2 trial
  int steps = 0;
};

Setup Make(int n) {
  const RunConfig c = LoadConfigFile(std::string(NEUREVO_SOURCE_DIR) + "/configs/rsnn/cortical_n" +
                                     std::to_string(n) + ".toml", {});
  auto task = MakeTask(c.task_name, c.task_options);
  Setup s;
  s.model = std::make_unique<RsnnModel>(c.model, task->observation_space(), task->action_space());
  std::vector<double> genome(s.model->layout().size());
  RandomStream rng(7);
  for (double& g : genome) g = rng.Uniform();
  s.net = s.model->DecodeNetwork(genome);
  std::vector<double> obs(4);
  task->Reset(1, obs);
  for (;;) {
    s.inputs.insert(s.inputs.end(), obs.begin(), obs.end());
    ++s.steps;
    if (task->Step(std::vector<double>{0.0}, obs).terminated) break;
  }
  return s;
}

void Forward(benchmark::State& state, bool tape) {
  const Setup s = Make(static_cast<int>(state.range(0)));
  RsnnState net(s.net, tape);
  std::vector<double> y(2);
  int t = 0;
  for (auto _ : state) {
    if (t == s.steps) {
      net.Reset();
      t = 0;
    }
    net.Step(std::span(s.inputs).subspan(t * 4, 4), y);
    benchmark::DoNotOptimize(y.data());
    ++t;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Forward(benchmark::State& state) { Forward(state, false); }
void BM_ForwardTape(benchmark::State& state) { Forward(state, true); }

void BM_Backward(benchmark::State& state) {
  const Setup s = Make(static_cast<int>(state.range(0)));
  RsnnState net(s.net, true);
  std::vector<double> y(2), dy(static_cast<size_t>(s.steps) * 2);
  RandomStream rng(3);
  for (double& d : dy) d = rng.Normal();
  for (int t = 0; t < s.steps; ++t) net.Step(std::span(s.inputs).subspan(t * 4, 4), y);
  for (auto _ : state) {
    auto g = net.Backward(dy);
    benchmark::DoNotOptimize(g.w_rec.data());
  }
  state.SetItemsProcessed(state.iterations() * s.steps);
}

BENCHMARK(BM_Forward)->Arg(32)->Arg(64)->Arg(128);
BENCHMARK(BM_ForwardTape)->Arg(32)->Arg(64)->Arg(128);
BENCHMARK(BM_Backward)->Arg(32)->Arg(64)->Arg(128);

}  // namespace

BENCHMARK_MAIN();
