#include "neurevo/config.h"

#include <gtest/gtest.h>

#include "neurevo/error.h"

namespace neurevo {
namespace {

std::string ErrorOf(const std::string& toml, const std::vector<std::string>& sets = {}) {
  try {
    ParseConfig(toml, sets, "test.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, DefaultsAreThePapersBnnOnCartPole) {
  const RunConfig c = ParseConfig("", {});
  EXPECT_EQ(c.task_name, "CartPole-v1");
  EXPECT_EQ(c.model.kind, "bnn");
  EXPECT_EQ(c.model.excitatory, 10);
  EXPECT_EQ(c.model.inhibitory, 10);
  EXPECT_EQ(c.optimizer.kind, "cma_es");
  EXPECT_EQ(c.optimizer.population, 10);
  EXPECT_EQ(c.optimizer.parents, 5);
  EXPECT_DOUBLE_EQ(c.optimizer.sigma0, 0.1);
  EXPECT_DOUBLE_EQ(c.model.dt_ms, 0.1);
  EXPECT_EQ(c.model.substeps, 100);
}

TEST(Config, FileAndOverridesApplyInOrder) {
  const RunConfig c = ParseConfig(
      "[task]\nname = \"Pendulum-v1\"\n[model]\nkind = \"snn\"\nmlp_hidden = [32, 16]\n",
      {"model.kind=rnn", "optimizer.sigma0=0.25", "model.connectivity=[\"in->E\", \"E->out\"]",
       "budget.target_fitness=inf"});
  EXPECT_EQ(c.task_name, "Pendulum-v1");
  EXPECT_EQ(c.model.kind, "rnn");
  EXPECT_EQ(c.model.mlp_hidden, (std::vector<int>{32, 16}));
  EXPECT_DOUBLE_EQ(c.optimizer.sigma0, 0.25);
  EXPECT_EQ(c.model.connectivity.size(), 2u);
  EXPECT_TRUE(std::isinf(c.budget.target_fitness));
}

TEST(Config, ResolvedTomlRoundTrips) {
  RunConfig c = ParseConfig("", {"model.kind=snn", "optimizer.sigma0=0.123456789012345",
                                 "run.seed=18446744073709", "budget.env_steps=12345"});
  const std::string toml = ConfigToToml(c);
  const RunConfig back = ParseConfig(toml, {});
  EXPECT_EQ(ConfigToToml(back), toml);
  EXPECT_EQ(back.model.kind, "snn");
  EXPECT_EQ(back.optimizer.sigma0, 0.123456789012345);
  EXPECT_EQ(back.seed, 18446744073709u);
  // Every key of the schema is in the resolved file.
  for (const auto& key : ConfigKeys()) {
    const std::string leaf = key.key.substr(key.key.find('.') + 1);
    EXPECT_NE(toml.find(leaf), std::string::npos) << key.key;
  }
}

TEST(Config, UnknownKeyNamesTheKeyAndTheAllowedOnes) {
  const std::string e = ErrorOf("[model]\nkindd = \"bnn\"\n");
  EXPECT_NE(e.find("model.kindd"), std::string::npos) << e;
  EXPECT_NE(e.find("model.kind"), std::string::npos) << e;
  EXPECT_NE(e.find("test.toml"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("", {"nosuch.key=1"}).find("allowed sections"), std::string::npos);
}

TEST(Config, WrongTypeAndRangeNameTheKeyAndWhatIsAllowed) {
  std::string e = ErrorOf("", {"model.substeps=ten"});
  EXPECT_NE(e.find("model.substeps"), std::string::npos) << e;
  EXPECT_NE(e.find("integer"), std::string::npos) << e;
  e = ErrorOf("", {"model.substeps=-1"});
  EXPECT_NE(e.find("out of range"), std::string::npos) << e;
  EXPECT_NE(e.find("0 .. 1000000"), std::string::npos) << e;
  e = ErrorOf("", {"model.kind=lstm"});
  EXPECT_NE(e.find("bnn | snn | rnn | mlp"), std::string::npos) << e;
  e = ErrorOf("", {"task.name=Nope-v0"});
  EXPECT_NE(e.find("task.name"), std::string::npos) << e;
  EXPECT_NE(e.find("CartPole-v1"), std::string::npos) << e;
  e = ErrorOf("", {"optimizer.sigma0=0"});
  EXPECT_NE(e.find("optimizer.sigma0"), std::string::npos) << e;
  e = ErrorOf("", {"model.evolve_noise=1"});
  EXPECT_NE(e.find("true or false"), std::string::npos) << e;
}

TEST(Config, CrossKeyChecks) {
  EXPECT_NE(ErrorOf("", {"optimizer.kind=openai_es", "optimizer.population=9"}).find("optimizer.population"),
            std::string::npos);
  EXPECT_NE(ErrorOf("", {"optimizer.parents=11"}).find("optimizer.parents"), std::string::npos);
  EXPECT_NE(ErrorOf("", {"model.min_delay_ms=0.05"}).find("model.min_delay_ms"), std::string::npos);
  EXPECT_NE(ErrorOf("", {"model.max_delay_ms=0.5"}).find("model.max_delay_ms"), std::string::npos);
  EXPECT_NE(ErrorOf("", {"model.connectivity=[\"E->in\"]"}).find("model.connectivity"), std::string::npos);
  EXPECT_NE(ErrorOf("", {"budget.env_steps=0"}).find("unlimited"), std::string::npos);
  // Only tasks whose reward has a survival bonus can leave it out; the
  // message lists those that do.
  const std::string no_bonus = ErrorOf("", {"train.drop_survival_bonus=true"});
  EXPECT_NE(no_bonus.find("train.drop_survival_bonus"), std::string::npos);
  EXPECT_NE(no_bonus.find("Hopper-v5"), std::string::npos);
  EXPECT_EQ(no_bonus.find("Swimmer-v5"), std::string::npos);
  EXPECT_TRUE(ParseConfig("", {"task.name=Walker2d-v5", "train.drop_survival_bonus=true"}).drop_survival_bonus);
}

// substeps = 0 fills the task's step time with substeps of dt_ms; the
// parsed config (saved with a run, read on resume) holds the count.
TEST(Config, ZeroSubstepsRunsTheNetworkInRealTime) {
  EXPECT_EQ(ParseConfig("", {"model.substeps=0"}).model.substeps, 200);  // CartPole: 20 ms / 0.1 ms
  EXPECT_EQ(ParseConfig("", {"task.name=HalfCheetah-v5", "model.substeps=0"}).model.substeps, 500);
  EXPECT_EQ(ParseConfig("", {"task.name=Hopper-v5", "model.substeps=0"}).model.substeps, 80);
  EXPECT_EQ(ParseConfig("", {"task.name=Acrobot-v1", "model.substeps=0", "model.dt_ms=0.5"}).model.substeps, 400);
  // Rounded to the nearest whole substep: Hopper's 8 ms in 0.3 ms substeps is 26.7.
  EXPECT_EQ(ParseConfig("", {"task.name=Hopper-v5", "model.substeps=0", "model.dt_ms=0.3"}).model.substeps, 27);
  EXPECT_EQ(ParseConfig("", {"task.name=Hopper-v5", "model.substeps=7"}).model.substeps, 7);
  const RunConfig resolved = ParseConfig("", {"model.substeps=0"});
  EXPECT_EQ(ParseConfig(ConfigToToml(resolved), {}).model.substeps, 200);
  // A task without a step time is refused, naming the key and the tasks that have one.
  const std::string e = ErrorOf("", {"task.name=MountainCarContinuous-v0", "model.substeps=0"});
  EXPECT_NE(e.find("model.substeps"), std::string::npos) << e;
  EXPECT_NE(e.find("CartPole-v1"), std::string::npos) << e;
  const size_t listed = e.find("timed task (");
  ASSERT_NE(listed, std::string::npos) << e;
  EXPECT_EQ(e.find("MountainCarContinuous", listed), std::string::npos) << e;
}

// A network too large for full-covariance CMA-ES is refused by counting its
// genes, not by building its millions of synapses (which took seconds and
// gigabytes, enough to stall the config fuzzer).
TEST(Config, HugeNetworkIsRefusedByCountingGenes) {
  // CartPole: 4 inputs, 2 outputs; by default every non-input neuron (E, I,
  // out) connects to every other one, and every input to all of them.
  const std::string e = ErrorOf("", {"model.excitatory=2000", "model.inhibitory=2000"});
  EXPECT_NE(e.find("optimizer.kind"), std::string::npos) << e;
  const long long n = 4 + 4000 + 2, syn = 4002LL * 4001 + 4LL * 4002;
  const long long genes = 2 * syn + 2 * n;  // weights and delays; offsets and noise
  EXPECT_NE(e.find(std::to_string(genes) + " genes"), std::string::npos) << e << " expected " << genes;
  EXPECT_EQ(ErrorOf("", {"model.excitatory=2000", "model.inhibitory=2000", "optimizer.kind=openai_es"}), "");
}

TEST(Config, SyntaxErrorsNameFileAndLine) {
  const std::string e = ErrorOf("[model\nkind = 1\n");
  EXPECT_NE(e.find("test.toml:1"), std::string::npos) << e;
}

TEST(Config, ReferenceListsEveryKey) {
  const std::string md = ConfigReferenceMarkdown();
  for (const auto& key : ConfigKeys()) EXPECT_NE(md.find("`" + key.key + "`"), std::string::npos);
}

}  // namespace
}  // namespace neurevo
