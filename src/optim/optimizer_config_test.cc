// The optimizer keys of the config schema: every strategy and option is
// reachable from a config, and bad values (including cross-key ones) stop
// with a ConfigError naming the key.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/optimizer.h"

namespace neurevo {
namespace {

std::string ErrorOf(const std::vector<std::string>& overrides) {
  try {
    ParseConfig("", overrides, "test.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(OptimizerConfig, EveryKindParsesAndBuilds) {
  for (const std::string& kind : OptimizerKinds()) {
    if (kind == "bptt") {  // needs a model with a backward pass (rsnn_train_test.cc builds one)
      EXPECT_THROW(ParseConfig("", {"optimizer.kind=bptt", "budget.generations=1"}, "test.toml"), ConfigError);
      continue;
    }
    // (mads polls 2n + 1 points at once: no budget limit, so that every kind fits.)
    const RunConfig c =
        ParseConfig("", {"optimizer.kind=" + kind, "budget.env_steps=0", "budget.generations=1"}, "test.toml");
    auto es = MakeOptimizer(c.optimizer, 8, 1);
    EXPECT_EQ(es->name(), kind);
    EXPECT_EQ(static_cast<int>(es->Ask().size()), es->population());
  }
  const RunConfig c = ParseConfig(
      "[optimizer]\nkind = \"sep_cma_es\"\nactive = true\nrestarts = \"bipop\"\n", {}, "test.toml");
  EXPECT_TRUE(c.optimizer.active);
  EXPECT_EQ(c.optimizer.restarts, "bipop");
  EXPECT_EQ(MakeOptimizer(c.optimizer, 8, 1)->name(), "sep_cma_es");
}

TEST(OptimizerConfig, BadValuesNameTheKey) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"optimizer.kind=nes"}, "optimizer.kind"},
      {{"optimizer.restarts=lpop"}, "optimizer.restarts"},
      {{"optimizer.kind=openai_es", "optimizer.restarts=ipop"}, "optimizer.restarts"},
      {{"optimizer.kind=ga", "optimizer.active=true"}, "optimizer.active"},
      {{"optimizer.fitness_shaping=rank6"}, "optimizer.fitness_shaping"},
      {{"optimizer.kind=cma_es", "optimizer.fitness_shaping=rank5"}, "optimizer.fitness_shaping"},
      {{"optimizer.kind=pgpe", "optimizer.population=9"}, "optimizer.population"},
      {{"optimizer.kind=pgpe", "optimizer.pgpe_optimizer=rmsprop"}, "optimizer.pgpe_optimizer"},
      {{"optimizer.kind=ga", "optimizer.elites=10"}, "optimizer.elites"},
      {{"optimizer.kind=ga", "optimizer.crossover=-0.5"}, "optimizer.crossover"},
      {{"optimizer.crossover=1.5"}, "optimizer.crossover"},
      {{"optimizer.kind=mads", "optimizer.mads_poll=lazy"}, "optimizer.mads_poll"},
      {{"optimizer.kind=enomad", "optimizer.enomad_variant=medium"}, "optimizer.enomad_variant"},
      {{"optimizer.kind=enomad", "optimizer.enomad_refine=11"}, "optimizer.enomad_refine"},
      {{"optimizer.kind=enomad", "optimizer.enomad_subset_mode=changed"}, "optimizer.enomad_subset_mode"},
      {{"optimizer.kind=enomad", "optimizer.enomad_penalty_power=11"}, "optimizer.enomad_penalty_power"},
      {{"optimizer.kind=enomad", "optimizer.enomad_parents=roulette"}, "optimizer.enomad_parents"},
      {{"optimizer.kind=enomad", "optimizer.enomad_mutation=-0.5"}, "optimizer.enomad_mutation"},
      {{"optimizer.mads_iterations=-1"}, "optimizer.mads_iterations"},
      {{"optimizer.pgpe_sigma_lr=-1"}, "optimizer.pgpe_sigma_lr"},
  };
  for (const auto& [overrides, key] : cases) {
    const std::string e = ErrorOf(overrides);
    EXPECT_NE(e.find(key), std::string::npos) << overrides.back() << " -> '" << e << "'";
  }
}

TEST(OptimizerConfig, DefaultsKeepTheHistoricalBehaviour) {
  const RunConfig c = ParseConfig("", {}, "test.toml");
  EXPECT_EQ(c.optimizer.kind, "cma_es");
  EXPECT_FALSE(c.optimizer.active);
  EXPECT_EQ(c.optimizer.restarts, "none");
  EXPECT_EQ(c.optimizer.fitness_shaping, "auto");  // openai_es: centred ranks
}

}  // namespace
}  // namespace neurevo
