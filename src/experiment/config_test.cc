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
  EXPECT_EQ(c.model.baselines.mlp_hidden, (std::vector<int>{32, 16}));
  EXPECT_DOUBLE_EQ(c.optimizer.sigma0, 0.25);
  EXPECT_EQ(c.model.connectivity.size(), 2u);
  EXPECT_TRUE(std::isinf(c.budget.target_fitness));
}

// The snn's own defaults (input pairs, SNES) apply to the keys neither the
// file nor --set gives; a given value always wins, and the resolved file
// records the values, so a run reads back as it ran.
TEST(Config, SomeDefaultsFollowTheModel) {
  const RunConfig bnn = ParseConfig("", {});
  EXPECT_EQ(bnn.model.encoding.input_encoding, "single");
  EXPECT_EQ(bnn.optimizer.kind, "cma_es");
  const RunConfig snn = ParseConfig("", {"model.kind=snn"});
  EXPECT_EQ(snn.model.encoding.input_encoding, "pair");
  EXPECT_EQ(snn.optimizer.kind, "snes");
  const RunConfig from_file = ParseConfig("[model]\nkind = \"snn\"\n", {});
  EXPECT_EQ(from_file.model.encoding.input_encoding, "pair");
  EXPECT_EQ(from_file.optimizer.kind, "snes");
  const RunConfig cma = ParseConfig("", {"model.kind=snn", "optimizer.kind=\"cma_es\""});
  EXPECT_EQ(cma.optimizer.kind, "cma_es");
  EXPECT_EQ(cma.model.encoding.input_encoding, "pair");
  const RunConfig single = ParseConfig("[model]\nkind = \"snn\"\ninput_encoding = \"single\"\n", {});
  EXPECT_EQ(single.model.encoding.input_encoding, "single");
  EXPECT_EQ(single.optimizer.kind, "snes");
  // Quoted dotted keys are given keys too (the Python package writes a flat dict so).
  const RunConfig quoted =
      ParseConfig("\"model.kind\" = \"snn\"\n\"model.input_encoding\" = \"single\"\n\"optimizer.kind\" = \"cma_es\"\n", {});
  EXPECT_EQ(quoted.model.encoding.input_encoding, "single");
  EXPECT_EQ(quoted.optimizer.kind, "cma_es");
  const RunConfig inline_table = ParseConfig("model = { kind = \"snn\", input_encoding = \"current\" }\n", {});
  EXPECT_EQ(inline_table.model.encoding.input_encoding, "current");
  // A CMA-ES-only key keeps CMA-ES (it would refuse SNES).
  EXPECT_EQ(ParseConfig("", {"model.kind=snn", "optimizer.restarts=ipop"}).optimizer.kind, "cma_es");
  EXPECT_EQ(ParseConfig("[model]\nkind = \"snn\"\n[optimizer]\nactive = true\n", {}).optimizer.kind, "cma_es");
  // A bnn config given the snn by --set takes the snn's defaults too.
  const RunConfig switched = ParseConfig("[model]\nkind = \"bnn\"\n", {"model.kind=snn"});
  EXPECT_EQ(switched.optimizer.kind, "snes");
  // The resolved file names the values: they read back the same.
  const RunConfig back = ParseConfig(ConfigToToml(cma), {});
  EXPECT_EQ(back.optimizer.kind, "cma_es");
  EXPECT_EQ(back.model.encoding.input_encoding, "pair");
  EXPECT_EQ(ConfigToToml(back), ConfigToToml(cma));
}

TEST(Config, ResolvedTomlRoundTrips) {
  RunConfig c = ParseConfig("", {"model.kind=snn", "optimizer.sigma0=0.123456789012345",
                                 "run.seed=18446744073709", "budget.env_steps=123457"});
  const std::string toml = ConfigToToml(c);
  const RunConfig back = ParseConfig(toml, {});
  EXPECT_EQ(ConfigToToml(back), toml);
  EXPECT_EQ(back.model.kind, "snn");
  EXPECT_EQ(back.optimizer.sigma0, 0.123456789012345);
  EXPECT_EQ(back.seed, 18446744073709u);
  EXPECT_EQ(back.budget.env_steps, 123457);
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
  EXPECT_NE(e.find("bnn | snn | network | rnn | mlp"), std::string::npos) << e;
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

namespace neurevo {
namespace {

// Issue 17: every float key refuses NaN and both infinities (only
// budget.target_fitness keeps inf, "never"), whatever "allowed" says.
TEST(ConfigHostile, NonFiniteFloatsAreRefusedInEveryKey) {
  int cases = 0;
  for (const auto& key : ConfigKeys()) {
    if (key.type != "float") continue;
    for (const std::string v : {"nan", "inf", "-inf", "+nan", "-nan"}) {
      if (key.key == "budget.target_fitness" && v == "inf") continue;
      ++cases;
      const std::string e = ErrorOf("", {key.key + "=" + v});
      EXPECT_NE(e.find(key.key), std::string::npos) << key.key << "=" << v << ": " << e;
      EXPECT_NE(e.find("out of range"), std::string::npos) << key.key << "=" << v << ": " << e;
      // The same in a file.
      const std::string section = key.key.substr(0, key.key.find('.'));
      const std::string leaf = key.key.substr(key.key.find('.') + 1);
      EXPECT_NE(ErrorOf("[" + section + "]\n" + leaf + " = " + v + "\n"), "") << key.key << "=" << v;
    }
  }
  EXPECT_GT(cases, 100);
  EXPECT_TRUE(std::isinf(ParseConfig("", {"budget.target_fitness=inf"}).budget.target_fitness));
}

// Degenerate physical parameters that made every rollout fail are refused
// by range or by the forward-Euler stability conditions, naming the key.
TEST(ConfigHostile, DegenerateModelParametersAreRefused) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"model.tau_m_ms=1e-300"}, "model.tau_m_ms"},
      {{"model.tau_m_ms=0.15"}, "model.tau_m_ms"},  // below 2 dt
      {{"model.tau_m_ms=1e300"}, "model.tau_m_ms"},
      {{"model.c_m_pF=1e-300"}, "model.c_m_pF"},
      {{"model.c_m_pF=0.01"}, "model.weight_max_nS"},  // dt * 0.05 * 4 / 0.01 = 2: unstable
      {{"model.weight_max_nS=1e308"}, "model.weight_max_nS"},
      {{"model.weight_max_nS=3"}, "model.weight_max_nS"},
      {{"model.inhibitory_weight_scale=1000"}, "model.weight_max_nS"},
      {{"model.kind=snn", "model.weight_max_nS=2.6"}, "model.weight_max_nS"},
      {{"model.dt_ms=1", "model.min_delay_ms=1", "model.tau_m_ms=20", "model.input_tau_m_ms=2",
        "model.weight_max_nS=0.3"}, "model.weight_max_nS"},
      {{"model.input_gain_pA=1e300"}, "model.input_gain_pA"},
      {{"model.input_bias_pA=-1e300"}, "model.input_bias_pA"},
      {{"model.graded_halfwidth_mV=1e-300"}, "model.graded_halfwidth_mV"},
      {{"model.tau_ref_ms=1e300"}, "model.tau_ref_ms"},
      {{"model.spike_reference_hz=1e-300"}, "model.spike_reference_hz"},
      {{"model.kind=snn", "model.dt_ms=1", "model.min_delay_ms=1", "model.input_tau_m_ms=2",
        "model.spike_reference_hz=2000"}, "model.spike_reference_hz"},
      {{"model.offset_max_pA=1e300"}, "model.offset_max_pA"},
      {{"model.noise_max_pA=1e300"}, "model.noise_max_pA"},
      {{"optimizer.sigma0=1e300"}, "optimizer.sigma0"},
      {{"optimizer.learning_rate=1e300"}, "optimizer.learning_rate"},
      {{"budget.wall_seconds=1e300"}, "budget.wall_seconds"},
      {{"train.obs_clip=1e300"}, "train.obs_clip"},
      {{"model.baseline_weight_scale=1e300"}, "model.baseline_weight_scale"},
  };
  for (const auto& [sets, key] : cases) {
    const std::string e = ErrorOf("", sets);
    EXPECT_EQ(e.rfind(key + ":", 0), 0u) << sets.front() << " -> " << e;
  }
  // The paper's values and the Table 2 ones stay allowed.
  EXPECT_EQ(ErrorOf("", {"model.tau_m_ms=0.2"}), "");
  EXPECT_EQ(ErrorOf("", {"model.weight_max_nS=2.5"}), "");  // 0.1 * 2.5 * 4 / 1 = 1
  EXPECT_EQ(ErrorOf("", {"model.kind=snn", "model.tau_m_ms=5", "model.graded_halfwidth_mV=20"}), "");
  // rnn and mlp have no conductances: their LIF keys do not bind them.
  EXPECT_EQ(ErrorOf("", {"model.kind=mlp", "model.weight_max_nS=100"}), "");
}

// A budget that no generation fits (the probe's λ = 10^6 spent minutes
// sampling 10^9 genes before finding out) is refused with the config.
TEST(ConfigHostile, ABudgetBelowOneGenerationIsRefused) {
  for (const std::vector<std::string>& sets : std::vector<std::vector<std::string>>{
           {"optimizer.population=1000000"}, {"islands.count=100000"}, {"budget.env_steps=14999"},
           {"train.episodes=1000000"}, {"train.validation_episodes=1000000"},
           {"optimizer.kind=mads", "budget.env_steps=100000"}}) {
    const std::string e = ErrorOf("", sets);
    EXPECT_EQ(e.rfind("budget.env_steps:", 0), 0u) << sets.front() << ": " << e;
    EXPECT_NE(e.find("no generation could run"), std::string::npos) << e;
  }
  EXPECT_EQ(ErrorOf("", {"budget.env_steps=15000"}), "");  // (10 + 2 x 10) x 500
  EXPECT_EQ(ErrorOf("", {"optimizer.population=1000000", "budget.env_steps=0", "budget.generations=1"}), "");
}

TEST(ConfigHostile, EmptyUnknownTablesAreRefused) {
  for (const std::string toml : {"[foo]\n", "[model.foo]\n", "[foo.bar]\n", "[model]\n[model.kind2]\n",
                                 "[run.seed2]\nx = 1\n", "foo = {}\n"}) {
    const std::string e = ErrorOf(toml);
    EXPECT_NE(e.find("unknown key"), std::string::npos) << toml << ": " << e;
  }
  // Known tables may be empty.
  EXPECT_EQ(ErrorOf("[model]\n[task]\n[budget]\n"), "");
}

TEST(ConfigHostile, SetValuesMustBeOneLine) {
  for (const std::string set : {"task.name=CartPole-v1\nmodel.kind=snn", "model.kind=bnn\r\nx", "run.seed=1\n",
                                "model.connectivity=[\"in->E\",\n\"E->out\"]"}) {
    const std::string e = ErrorOf("", {set});
    EXPECT_NE(e.find("a value must be one line"), std::string::npos) << e;
  }
}

TEST(ConfigHostile, IntegersBeyond64BitsAreOutOfRangeNotStrings) {
  for (const std::string set : {"run.seed=99999999999999999999", "run.seed=18446744073709551615",
                                "model.excitatory=-99999999999999999999", "eval.episodes=1_000_000_000_000_000_000_000",
                                "run.threads=+99999999999999999999", "run.seed=-1"}) {
    const std::string e = ErrorOf("", {set});
    const std::string key = set.substr(0, set.find('='));
    EXPECT_EQ(e.rfind(key + ":", 0), 0u) << e;
    EXPECT_NE(e.find("out of range"), std::string::npos) << e;
    EXPECT_EQ(e.find("a string"), std::string::npos) << e;
  }
}

// A huge value or key is quoted in at most 80 characters plus its size.
TEST(ConfigHostile, EchoedValuesAreTruncated) {
  const std::string huge(1 << 22, 'A');
  for (const std::vector<std::string>& sets :
       std::vector<std::vector<std::string>>{{"task.name=" + huge}, {"model.kind=" + huge},
                                             {"model." + huge + "=1"}, {huge}, {huge + "=1"},
                                             {"optimizer.kind=" + huge}}) {
    const std::string e = ErrorOf("", sets);
    EXPECT_FALSE(e.empty());
    EXPECT_LT(e.size(), 2000u) << e.substr(0, 300);
    EXPECT_NE(e.find("bytes)"), std::string::npos) << e.substr(0, 300);
  }
  EXPECT_LT(ErrorOf("task.name = \"" + huge + "\"\n").size(), 2000u);
  EXPECT_LT(ErrorOf(huge + " = 1\n").size(), 2000u);
  EXPECT_EQ(Echo("a\nb"), "a\\nb");
  EXPECT_EQ(Echo(std::string(80, 'x')), std::string(80, 'x'));
  EXPECT_EQ(Echo(std::string(81, 'x')), std::string(80, 'x') + "… (81 bytes)");
}

}  // namespace
}  // namespace neurevo
