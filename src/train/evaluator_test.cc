// The training objective: train.drop_survival_bonus leaves the task's
// survival bonus out of training (and validation) returns, never out of the
// held-out evaluation.
#include "train/evaluator.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "core/thread_pool.h"
#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

// n genomes of U[0, 1] genes for `model`.
std::vector<std::vector<double>> RandomGenomes(const Model& model, int n) {
  RandomStream rng(7);
  std::vector<std::vector<double>> genomes(n, std::vector<double>(model.layout().size()));
  for (auto& g : genomes)
    for (double& x : g) x = rng.Uniform();
  return genomes;
}

TEST(Evaluator, DroppingTheSurvivalBonusSubtractsOnePerHealthyStep) {
  auto task = MakeTask("Hopper-v5");
  ModelOptions options;
  options.excitatory = options.inhibitory = 3;
  auto model = MakeModel(options, task->observation_space(), task->action_space());
  ThreadPool pool(1);
  Evaluator full(*model, "Hopper-v5", pool), dropped(*model, "Hopper-v5", pool, nullptr, nullptr, true);
  const ObsNormalizer normalizer(task->observation_space().vector_size(), false, 5.0);
  const auto genomes = RandomGenomes(*model, 3);

  const auto a = full.EvaluateGeneration(genomes, normalizer, 1, 0, 1, nullptr);
  const auto b = dropped.EvaluateGeneration(genomes, normalizer, 1, 0, 1, nullptr);
  for (size_t i = 0; i < genomes.size(); ++i) {
    ASSERT_EQ(a[i].steps, b[i].steps);
    ASSERT_LT(a[i].steps, 1000) << "the test wants an episode that ends by falling";
    // Hopper-v5 pays 1 per healthy step; the step that ends the episode is
    // unhealthy and pays none.
    EXPECT_NEAR(a[i].fitness - b[i].fitness, static_cast<double>(a[i].steps - 1), 1e-9) << i;
  }
  const auto va = full.EvaluateValidation(genomes[0], normalizer, 1, 0, 2);
  const auto vb = dropped.EvaluateValidation(genomes[0], normalizer, 1, 0, 2);
  for (size_t e = 0; e < va.size(); ++e)
    EXPECT_NEAR(va[e].total_reward - vb[e].total_reward, static_cast<double>(va[e].steps - 1), 1e-9);
  // The held-out evaluation keeps the task's own reward.
  const auto ha = full.EvaluateHeldOut(genomes[0], normalizer, 1, 2);
  const auto hb = dropped.EvaluateHeldOut(genomes[0], normalizer, 1, 2);
  for (size_t e = 0; e < ha.size(); ++e) EXPECT_EQ(ha[e].total_reward, hb[e].total_reward);
}

}  // namespace
}  // namespace neurevo
