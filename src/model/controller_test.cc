// A decoded genome (Controller) is read-only and shared: policies made from
// it run independently, interleaved or on threads at once, exactly as
// policies of separately decoded copies, and outlive the caller's handle.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

// The policy outputs of `steps` steps of one episode, one step at a time
// through `step` (so that callers can interleave policies).
struct Episode {
  std::unique_ptr<Policy> policy;
  std::unique_ptr<Task> task;
  std::vector<double> obs, action;
  std::vector<float> trace;
  Episode(std::unique_ptr<Policy> p, const std::string& task_name, uint64_t seed)
      : policy(std::move(p)), task(MakeTask(task_name)) {
    obs.resize(task->observation_space().vector_size());
    action.resize(task->action_space().vector_size());
    task->Reset(seed, obs);
    policy->Reset(seed + 100);
  }
  void Step() {
    policy->Act(obs, action);
    for (float y : policy->outputs()) trace.push_back(y);
    const StepResult r = task->Step(action, obs);
    if (r.terminated || r.truncated) task->Reset(7, obs);
  }
};

TEST(Controller, PoliciesOfOneDecodedGenomeRunIndependently) {
  for (const std::vector<std::string>& sets :
       {std::vector<std::string>{}, {"model.kind=snn"}, {"model.kind=rnn"}, {"model.kind=mlp"},
        {"model.readout=linear", "task.name=Pendulum-v1"}}) {
    SCOPED_TRACE(::testing::PrintToString(sets));
    const RunConfig c = ParseConfig("", sets);
    const auto task = MakeTask(c.task_name);
    const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
    RandomStream rng(3, 1);
    std::vector<double> genome(model->layout().size());
    for (double& x : genome) x = rng.Uniform();
    constexpr int kSteps = 40;
    // Reference: separately decoded copies, run one after the other.
    std::vector<std::vector<float>> reference;
    for (uint64_t seed : {1, 2, 3, 4}) {
      Episode r(model->Decode(genome), c.task_name, seed);
      for (int t = 0; t < kSteps; ++t) r.Step();
      reference.push_back(r.trace);
    }
    // Interleaved policies of one controller, whose handle is dropped first.
    std::shared_ptr<const Controller> controller = model->DecodeController(genome);
    std::vector<Episode> runs;
    for (uint64_t seed : {1, 2, 3, 4}) runs.emplace_back(controller->NewPolicy(), c.task_name, seed);
    controller.reset();
    for (int t = 0; t < kSteps; ++t)
      for (Episode& r : runs) r.Step();
    for (size_t k = 0; k < runs.size(); ++k) EXPECT_EQ(runs[k].trace, reference[k]) << "interleaved " << k;
    // On threads at once.
    controller = model->DecodeController(genome);
    std::vector<std::vector<float>> threaded(4);
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
      threads.emplace_back([&, k] {
        Episode r(controller->NewPolicy(), c.task_name, static_cast<uint64_t>(k + 1));
        for (int t = 0; t < kSteps; ++t) r.Step();
        threaded[k] = r.trace;
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(threaded, reference);
  }
}

}  // namespace
}  // namespace neurevo
