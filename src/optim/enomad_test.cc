// ENOMAD's reference-code knobs (enomad.h): copies without mutation, the
// change-count penalty, MADS on the changed genes, fitness-proportional
// parents, sparse resets.
#include "optim/enomad.h"

#include <gtest/gtest.h>

#include <set>

namespace neurevo {
namespace {

OptimizerOptions Reference(int lambda) {
  OptimizerOptions o;
  o.kind = "enomad";
  o.population = lambda;
  o.parents = 0;
  o.elites = 1;
  o.sigma0 = 0.1;
  o.enomad_mutation = 0.0;
  o.enomad_refine = 0;
  return o;
}

const std::vector<double> kMean = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};

std::set<int> Differs(const std::vector<double>& x, const std::vector<double>& y) {
  std::set<int> genes;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i] != y[i]) genes.insert(static_cast<int>(i));
  return genes;
}

TEST(Enomad, WithoutMutationTheFirstGenerationIsCopies) {
  Enomad e(Reference(5), 6, 1, kMean);
  for (const auto& x : e.Ask()) EXPECT_EQ(x, kMean);
  OptimizerOptions o = Reference(5);
  o.enomad_mutation = -1.0;  // sigma0
  Enomad spread(o, 6, 1, kMean);
  EXPECT_NE(spread.Ask()[1], kMean);
}

TEST(Enomad, PenaltyCountsChangedGenes) {
  OptimizerOptions o = Reference(4);
  o.enomad_penalty = 0.5;
  o.enomad_penalty_power = 1.0;
  Enomad e(o, 6, 1, kMean);
  std::vector<double> changed = kMean;
  changed[0] = changed[1] = changed[2] = 0.9;
  e.ReplaceCandidate(1, changed);
  e.Ask();
  // Raw 1.2 against 1.0, but three changes cost 1.5: the unchanged one is best.
  e.Tell(std::vector<double>{1.0, 1.2, 0.0, 0.0});
  EXPECT_EQ(e.Mean(), kMean);
  OptimizerOptions plain = Reference(4);
  Enomad f(plain, 6, 1, kMean);
  f.ReplaceCandidate(1, changed);
  f.Tell(std::vector<double>{1.0, 1.2, 0.0, 0.0});
  EXPECT_EQ(f.Mean(), changed);
}

TEST(Enomad, ChangedSubsetsPollExactlyTheChangedGenes) {
  OptimizerOptions o = Reference(4);
  o.enomad_refine = 4;
  o.enomad_subset = 3;
  o.enomad_subset_mode = "changed";
  o.mads_poll0 = 0.05;
  Enomad e(o, 6, 1, kMean);
  std::vector<double> two = kMean, four = kMean;
  two[2] = two[5] = 0.7;
  four[0] = four[1] = four[3] = four[4] = 0.2;
  e.ReplaceCandidate(1, two);
  e.ReplaceCandidate(2, four);
  e.Tell(std::vector<double>{1.0, 3.0, 2.0, 0.0});
  // Only `two` (2 changed genes, at most 3) gets a frame: 2 x 2 poll points,
  // each moving genes 2 and 5 only; unchanged and too-changed ones get none.
  ASSERT_TRUE(e.refining());
  ASSERT_EQ(e.population(), 4);
  ASSERT_EQ(e.frames().size(), 1u);
  for (const auto& x : e.Ask()) {
    const auto genes = Differs(x, two);
    EXPECT_TRUE(genes.empty() || genes == std::set<int>({2, 5}) || genes == std::set<int>({2}) ||
                genes == std::set<int>({5}));
  }
  e.Tell(std::vector<double>{0, 0, 0, 0});  // no improvement; 3 polls by default
  EXPECT_EQ(e.population(), 4);
}

TEST(Enomad, ChangedSubsetFramesOfDifferentSizesSurviveSaveAndLoad) {
  OptimizerOptions o = Reference(5);
  o.enomad_refine = 5;
  o.enomad_subset = 3;
  o.enomad_subset_mode = "changed";
  o.enomad_penalty = 0.01;
  o.mads_poll0 = 0.05;
  Enomad e(o, 6, 3, kMean);
  std::vector<double> a = kMean, b = kMean;
  a[1] = 0.6;                       // one changed gene
  b[0] = b[3] = b[4] = 0.4;         // three
  e.ReplaceCandidate(1, a);
  e.ReplaceCandidate(3, b);
  // Ranked: 3 (b), 1 (a), then the unchanged: frames for ranks 0 and 1, of 3 and 1 genes.
  e.Tell(std::vector<double>{1.0, 2.0, 0.5, 3.0, 0.0});
  ASSERT_TRUE(e.refining());
  ASSERT_EQ(e.frames().size(), 2u);
  EXPECT_EQ(e.population(), 2 * 3 + 2 * 1);
  const nlohmann::json mid = e.SaveState();
  Enomad f(o, 6, 3, kMean);
  f.LoadState(mid);
  EXPECT_EQ(f.SaveState(), mid);
  for (int round = 0; round < 4; ++round) {  // 3 polls, then breeding and the next generation
    const auto ask_e = e.Ask(), ask_f = f.Ask();
    ASSERT_EQ(ask_e, ask_f) << round;
    std::vector<double> fitness;
    for (size_t k = 0; k < ask_e.size(); ++k) fitness.push_back(1.0 + 0.1 * static_cast<double>(k % 3));
    e.Tell(fitness);
    f.Tell(fitness);
  }
  EXPECT_EQ(f.SaveState(), e.SaveState());
  // Frame sources out of order, or negative, are refused.
  nlohmann::json bad = mid;
  bad["frames"][1]["source"] = bad["frames"][0]["source"];
  EXPECT_THROW(f.LoadState(bad), std::exception);
  nlohmann::json negative = mid;
  negative["frames"][0]["source"] = -3;
  EXPECT_THROW(f.LoadState(negative), std::exception);
}

TEST(Enomad, FitnessProportionalParentsFavourTheFit) {
  OptimizerOptions o = Reference(6);
  o.parents = 3;
  o.crossover = 1.0;
  o.enomad_parents = "fitness";
  Enomad e(o, 6, 1, kMean);
  for (int k = 0; k < 6; ++k) {
    std::vector<double> x = kMean;
    x[0] = 0.1 * k;
    e.ReplaceCandidate(k, x);
  }
  // Only candidate 4 has positive fitness: every child is a copy of it.
  e.Tell(std::vector<double>{0.0, -1.0, -2.0, 0.0, 10.0, -3.0});
  for (const auto& x : e.Ask()) EXPECT_DOUBLE_EQ(x[0], 0.4);
}

TEST(Enomad, ResetGenesRedrawAFewGenesInTheBox) {
  OptimizerOptions o = Reference(8);
  o.enomad_reset_genes = 2;
  o.crossover = 0.0;
  Enomad e(o, 6, 1, kMean);
  e.Tell(std::vector<double>(8, 1.0));
  int changed = 0;
  for (const auto& x : e.Ask()) {
    const auto genes = Differs(x, kMean);
    EXPECT_LE(genes.size(), 2u);
    changed += !genes.empty();
    for (const int g : genes) {
      EXPECT_GE(x[g], 0.0);
      EXPECT_LE(x[g], 1.0);
    }
  }
  EXPECT_EQ(changed, 7);  // every child but the elite
}

}  // namespace
}  // namespace neurevo
