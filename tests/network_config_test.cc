// model.kind = "network" from a run config: the [[network.*]] tables, their
// files, their errors, the presets written out (`neurevo config --expand`),
// and `neurevo describe`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "model/lif_model.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"
#include "neurevo/train.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / "..";

fs::path Scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("neurevo_network_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string ErrorOf(const std::string& toml, const std::vector<std::string>& sets = {},
                    const std::string& base_dir = "") {
  try {
    ParseConfig(toml, sets, "net.toml", base_dir);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Every policy output and action of `genomes` random genomes over a few
// episodes' steps, concatenated: two models that agree on all of it behave
// identically.
// With `by_label`, each gene takes the value of the gene of that label (in
// the first genome) instead of its random draw: two layouts that order the
// same genes differently then decode the same network.
std::vector<double> Behaviour(const RunConfig& c, int genomes = 3, int steps = 60,
                              std::map<std::string, double>* by_label = nullptr) {
  const auto task = MakeTask(c.task_name, c.task_options);
  const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
  std::vector<double> out;
  for (int g = 0; g < genomes; ++g) {
    RandomStream rng(11, static_cast<uint64_t>(g));
    std::vector<double> genome(model->layout().size());
    for (double& x : genome) x = rng.Uniform(-0.2, 1.2);
    if (by_label && g == 0) {
      const bool record = by_label->empty();
      int i = 0;
      for (const GeneFamily& f : model->layout().families())
        for (const std::string& label : f.labels) {
          if (record) (*by_label)[label] = genome[i];
          else genome[i] = by_label->at(label);
          ++i;
        }
    }
    auto policy = model->Decode(genome);
    policy->Reset(5 + g);
    std::vector<double> obs(task->observation_space().vector_size());
    task->Reset(3 + g, obs);
    std::vector<double> action(task->action_space().vector_size());
    for (int t = 0; t < steps; ++t) {
      policy->Act(obs, action);
      for (float y : policy->outputs()) out.push_back(y);
      out.insert(out.end(), action.begin(), action.end());
      const StepResult r = task->Step(action, obs);
      if (r.terminated || r.truncated) task->Reset(100 + t, obs);
    }
  }
  return out;
}

const char* kSmallNetwork = R"(
[model]
kind = "network"
input_encoding = "pair"

[[network.populations]]
name = "in"
role = "input"
tau_m_ms = 1.0
c_m_pF = 0.05

[[network.populations]]
name = "E"
size = 12
offset_pA = { evolve = [0.25, 0.75] }

[[network.populations]]
name = "I"
size = 4
dale = "inhibitory"
tau_m_ms = { normal = [15.0, 3.0], low = 5.0, high = 30.0 }

[[network.populations]]
name = "out"
role = "output"

[[network.projections]]
pre = "in"
post = "E"
connector = "fixed_probability"
probability = 0.5

[[network.projections]]
pre = "E"
post = "I"
connector = "fixed_in_degree"
in_degree = 3
weight = { uniform = [0.0, 0.04] }
delay = { evolve = [1.0, 3.0] }

[[network.projections]]
pre = "I"
post = "E"
weight = { evolve = [0.0, 0.2] }

[[network.projections]]
pre = "E"
post = "out"
)";

TEST(NetworkConfig, ADescriptionInTheConfigBuildsAndNamesItsGenes) {
  const RunConfig c = ParseConfig(kSmallNetwork, {});
  ASSERT_EQ(c.model.kind, "network");
  ASSERT_EQ(c.model.network.populations.size(), 4u);
  const auto task = MakeTask(c.task_name);
  const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
  const auto* lif = dynamic_cast<const LifModel*>(model.get());
  ASSERT_NE(lif, nullptr);
  const NetworkInstance& net = lif->decoder().network();
  // Sizes from the task: CartPole's 4 observations in pairs, 2 actions.
  EXPECT_EQ(net.populations[0].size, 8);
  EXPECT_EQ(net.populations[3].size, 2);
  EXPECT_EQ(net.neurons, 8 + 12 + 4 + 2);
  // E->I: exactly three distinct presynaptic neurons per I neuron.
  int e_to_i = 0;
  for (const InstanceSynapse& s : net.synapses) e_to_i += s.projection == 1;
  EXPECT_EQ(e_to_i, 4 * 3);
  std::vector<std::string> labels;
  for (const GeneFamily& f : model->layout().families())
    labels.insert(labels.end(), f.labels.begin(), f.labels.end());
  const auto has = [&](const std::string& l) { return std::find(labels.begin(), labels.end(), l) != labels.end(); };
  EXPECT_TRUE(has("I->E.weight[0]"));
  EXPECT_TRUE(has("E->I.delay[11]"));
  EXPECT_TRUE(has("E.offset[11]"));
  EXPECT_FALSE(has("E->I.weight[0]"));  // frozen draws are not genes
  EXPECT_EQ(CountGenes(c.model, task->observation_space(), task->action_space()), model->layout().size());
}

TEST(NetworkConfig, FrozenDrawsComeFromTheRunSeed) {
  const auto connections = [](uint64_t seed) {
    const RunConfig c = ParseConfig(kSmallNetwork, {fmt::format("run.seed={}", seed)});
    const auto task = MakeTask(c.task_name);
    const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
    std::vector<int> pairs;
    for (const InstanceSynapse& s : dynamic_cast<const LifModel&>(*model).decoder().network().synapses)
      pairs.insert(pairs.end(), {s.pre, s.post});
    return std::make_pair(pairs, Behaviour(c, 1, 20));
  };
  EXPECT_EQ(connections(4), connections(4));
  EXPECT_NE(connections(4).first, connections(5).first);
}

// The run directory's config.toml holds the description; read back, it is
// the same network (every frozen draw and gene), and writing it again gives
// the same text.
TEST(NetworkConfig, ConfigTomlRoundTripsTheDescription) {
  const RunConfig c = ParseConfig(kSmallNetwork, {"run.seed=9"});
  const std::string text = ConfigToToml(c);
  EXPECT_NE(text.find("[[network.populations]]"), std::string::npos);
  EXPECT_NE(text.find("tau_m_ms = { high = 30.0, low = 5.0, normal = [ 15.0, 3.0 ] }"), std::string::npos) << text;
  const RunConfig back = ParseConfig(text, {}, "config.toml");
  EXPECT_EQ(ConfigToToml(back), text);
  EXPECT_EQ(Behaviour(back), Behaviour(c));
}

// `neurevo config --expand`: the bnn and snn presets written out as
// descriptions decode every genome to the same network.
TEST(NetworkConfig, ThePresetsWrittenOutBehaveAsThePresets) {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"model.input_encoding=pair"},
      {"model.readout=linear"},
      {"model.kind=snn", "model.snn_readout=rate"},
      {"task.name=Pendulum-v1", "model.excitatory=7", "model.connectivity=[\"in->E\", \"E->I\", \"I->E\", \"E->out\"]"},
      {"model.evolve_delays=false", "model.evolve_noise=false"},
  };
  for (const auto& sets : cases) {
    SCOPED_TRACE(::testing::PrintToString(sets));
    RunConfig preset = ParseConfig("", sets);
    RunConfig expanded = preset;
    expanded.model = ExpandPreset(preset.model);
    ASSERT_EQ(expanded.model.kind, "network");
    // Through the text a user would copy.
    const RunConfig reread = ParseConfig(ConfigToToml(expanded), {}, "expanded.toml");
    const auto task = MakeTask(preset.task_name);
    const auto a = MakeModel(preset.model, task->observation_space(), task->action_space());
    const auto b = MakeModel(reread.model, task->observation_space(), task->action_space());
    ASSERT_EQ(a->layout().size(), b->layout().size());
    for (size_t f = 0; f < a->layout().families().size(); ++f) {
      EXPECT_EQ(a->layout().families()[f].name, b->layout().families()[f].name);
      EXPECT_EQ(a->layout().families()[f].labels, b->layout().families()[f].labels);
    }
    EXPECT_EQ(Behaviour(preset), Behaviour(reread));
  }
  // snn with its potential readout: the output integrators' synapses are
  // rescaled (graded units, a wider range): the same conductances up to
  // rounding.
  const RunConfig snn = ParseConfig("", {"model.kind=snn", "model.snn_readout=potential"});
  RunConfig expanded = snn;
  expanded.model = ExpandPreset(snn.model);
  const auto task = MakeTask(snn.task_name);
  const auto a = dynamic_cast<const LifModel*>(MakeModel(snn.model, task->observation_space(), task->action_space()).release());
  const auto b =
      dynamic_cast<const LifModel*>(MakeModel(expanded.model, task->observation_space(), task->action_space()).release());
  std::unique_ptr<const LifModel> own_a(a), own_b(b);
  std::vector<double> genome(a->layout().size(), 0.37);
  const LifNetwork na = a->decoder().Decode(genome), nb = b->decoder().Decode(genome);
  ASSERT_EQ(na.weight.size(), nb.weight.size());
  for (size_t s = 0; s < na.weight.size(); ++s) EXPECT_NEAR(nb.weight[s], na.weight[s], 1e-6f * std::abs(na.weight[s]));
  EXPECT_THROW(ExpandPreset(ParseConfig("", {"model.kind=mlp"}).model), ConfigError);
  EXPECT_THROW(ExpandPreset(ParseConfig("", {"model.input_encoding=current"}).model), ConfigError);
}

// Files a description names are found beside the config; config.toml names
// them by absolute path, so a run directory reads the same files.
TEST(NetworkConfig, ListFilesAreFoundBesideTheConfig) {
  const fs::path dir = Scratch("files");
  fs::create_directories(dir / "data");
  Write(dir / "data" / "neurons.csv", "label,dale\nA,E\nB,E\nC,I\n");
  Write(dir / "data" / "synapses.csv", "pre,post,weight,delay,kind\nA,B,0.02,2.0,chemical\nC,A,-0.03,,chemical\n"
                                       "A,C,0.01,,electrical\n");
  Write(dir / "net.toml", R"(
[model]
kind = "network"
[[network.populations]]
name = "in"
role = "input"
[[network.populations]]
name = "c"
table = "data/neurons.csv"
[[network.populations]]
name = "out"
role = "output"
[[network.projections]]
pre = "in"
post = "c"
[[network.projections]]
pre = "c"
post = "c"
connector = "list"
file = "data/synapses.csv"
weight = 0.0
[[network.projections]]
pre = "c"
post = "c"
connector = "list"
file = "data/synapses.csv"
synapse = "electrical"
weight = 0.0
[[network.projections]]
pre = "c"
post = "out"
)");
  const RunConfig c = LoadConfigFile((dir / "net.toml").string(), {});
  EXPECT_EQ(c.model.network.populations[1].size, 3);  // from the table
  EXPECT_EQ(c.model.network.populations[1].labels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(fs::path(c.model.network.projections[1].connector.file).is_absolute());
  const nlohmann::json d = DescribeRun(c);
  EXPECT_EQ(d["chemical_synapses"].get<long long>(), 4 * 3 + 2 + 3 * 2);
  EXPECT_EQ(d["gap_junctions"].get<long long>(), 1);
  EXPECT_EQ(d["projections"][1]["synapses"].get<long long>(), 2);
  // The run directory's config, read from elsewhere, finds the same list.
  const fs::path run = Scratch("run");
  Write(run / "config.toml", ConfigToToml(c));
  EXPECT_EQ(Behaviour(LoadConfigFile((run / "config.toml").string(), {}), 1, 30), Behaviour(c, 1, 30));
}

TEST(NetworkConfig, BadDescriptionsNameTheKeyOrFileLine) {
  const std::string base = R"(
[model]
kind = "network"
[[network.populations]]
name = "in"
role = "input"
[[network.populations]]
name = "E"
size = 4
[[network.populations]]
name = "I"
size = 2
dale = "inhibitory"
[[network.populations]]
name = "out"
role = "output"
)";
  const auto with = [&](const std::string& extra) { return ErrorOf(base + extra); };
  EXPECT_NE(with("[[network.projections]]\npre = \"X\"\npost = \"E\"\n").find("unknown population 'X'"),
            std::string::npos);
  EXPECT_NE(with("[[network.projections]]\npre = \"in\"\npost = \"E\"\nconnector = \"fixed_probability\"\n"
                 "probability = 1.5\n")
                .find("network.projections[0].probability: 1.5 is outside [0, 1]"),
            std::string::npos);
  EXPECT_NE(with("[[network.projections]]\npre = \"in\"\npost = \"E\"\ndelay = -1.0\n").find("negative"),
            std::string::npos);
  // A neuron parameter outside what the simulation can integrate.
  std::string fast = base;
  fast.replace(fast.find("size = 4"), 8, "size = 4\ntau_m_ms = 0.1");
  EXPECT_NE(ErrorOf(fast).find("network.populations[1].tau_m_ms: 0.1"), std::string::npos) << ErrorOf(fast);
  // Input and output sizes are the task's.
  std::string sized = base;
  sized.replace(sized.find("role = \"output\""), 15, "role = \"output\"\nsize = 3");
  EXPECT_NE(ErrorOf(sized).find("network.populations[3].size: 3"), std::string::npos) << ErrorOf(sized);
  // A description needs model.kind = "network", and the kind a description.
  EXPECT_NE(ErrorOf(base, {"model.kind=bnn"}).find("network: a network description is used only with"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[model]\nkind = \"network\"\n").find("network.populations: model.kind = \"network\" needs"),
            std::string::npos);
  EXPECT_NE(ErrorOf(base, {"network.populations=[]"}).find("--set cannot change it"), std::string::npos);
  EXPECT_NE(ErrorOf(base, {"model.input_encoding=current"}).find("model.input_encoding"), std::string::npos);
  // A description whose draw cannot fit in the memory available is refused
  // before anything is drawn (here 10^7 synapses against 100 MB).
  {
    std::string big = base;
    big.replace(big.find("size = 4"), 8, "size = 3200");
    setenv("NEUREVO_MEMORY_LIMIT_BYTES", "1e8", 1);
    const std::string error = ErrorOf(big + "[[network.projections]]\npre = \"E\"\npost = \"E\"\n");
    unsetenv("NEUREVO_MEMORY_LIMIT_BYTES");
    EXPECT_NE(error.find("network: drawing about 10236800 synapses needs about"), std::string::npos) << error;
  }
  // Absurd sizes are refused before anything is drawn.
  std::string huge = base;
  huge.replace(huge.find("size = 4"), 8, "size = 1000000");
  const std::string huge_error = ErrorOf(huge + "[[network.projections]]\npre = \"E\"\npost = \"E\"\n");
  // (by the memory it would need; on a machine of unknown memory, by the 10^8 bound)
  EXPECT_NE(huge_error.find("999999000000 synapses"), std::string::npos) << huge_error;

  // Lists: a row naming a neuron outside its population, a weight whose sign
  // contradicts Dale's law: file:line.
  const fs::path dir = Scratch("bad_lists");
  Write(dir / "outside.csv", "pre,post\n0,1\n5,1\n");
  Write(dir / "sign.csv", "pre,post,weight\n0,1,0.01\n1,0,-0.02\n");
  const std::string list = base + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nconnector = \"list\"\nfile = ";
  EXPECT_NE(ErrorOf(list + "\"outside.csv\"\n", {}, dir.string()).find("outside.csv:3"), std::string::npos)
      << ErrorOf(list + "\"outside.csv\"\n", {}, dir.string());
  const std::string sign = ErrorOf(list + "\"sign.csv\"\nweight = 0.0\n", {}, dir.string());
  EXPECT_NE(sign.find("sign.csv:3"), std::string::npos) << sign;
  EXPECT_NE(ErrorOf(list + "\"missing.csv\"\n", {}, dir.string()).find("missing.csv"), std::string::npos);
  // Ranges around a list's weights: only for weights, only with a list, finite; a positive scale.
  const std::string plain = base + "[[network.projections]]\npre = \"in\"\npost = \"E\"\n";
  EXPECT_NE(with("[[network.projections]]\npre = \"in\"\npost = \"E\"\ndelay = { evolve = [1.0, 2.0], around = \"list\" }\n")
                .find("network.projections[0].delay.around: only weights"),
            std::string::npos);
  EXPECT_NE(ErrorOf(plain + "weight = { evolve = [-1.0, 1.0], around = \"list\" }\n").find("needs a list connector"),
            std::string::npos)
      << ErrorOf(plain + "weight = { evolve = [-1.0, 1.0], around = \"list\" }\n");
  EXPECT_NE(ErrorOf(plain + "weight = { uniform = [0.0, 1.0], around = \"list\" }\n").find("only an evolved range"),
            std::string::npos);
  EXPECT_NE(ErrorOf(list + "\"sign.csv\"\nweight_scale = 0.0\n", {}, dir.string()).find("weight_scale: 0 is outside"),
            std::string::npos);
  EXPECT_NE(ErrorOf(plain + "weight_scale = 2.0\n").find("weight_scale: is given only with connector = \"list\""),
            std::string::npos)
      << ErrorOf(plain + "weight_scale = 2.0\n");
  Write(dir / "big.csv", "pre,post,weight\n0,1,1e300\n");
  const std::string big_range =
      ErrorOf(list + "\"big.csv\"\nweight = { evolve = [-1e308, 1e308], around = \"list\" }\n", {}, dir.string());
  EXPECT_NE(big_range.find("is not finite"), std::string::npos) << big_range;
  const std::string collapsed =
      ErrorOf(list + "\"big.csv\"\nweight = { evolve = [-4.0, 4.0], around = \"list\" }\n", {}, dir.string());
  EXPECT_NE(collapsed.find("row 1's weight 1e+300 is too large for a range of 8 around it"), std::string::npos)
      << collapsed;
}

// Receptors beyond AMPA and GABA: declared in [[network.receptors]], named
// by projections, with their own time constant and reversal potential.
TEST(NetworkConfig, ExtraReceptorsHaveTheirOwnKinetics) {
  // A direct in->out path with weights small enough to leave out in its
  // graded range, so that what the receptor does shows in the outputs.
  const std::string in_to_out = "[[network.projections]]\npre = \"in\"\npost = \"out\"\n";
  const std::string base = R"(
[model]
kind = "network"
input_encoding = "pair"
[[network.populations]]
name = "in"
role = "input"
tau_m_ms = 1.0
c_m_pF = 0.05
offset_pA = 0.5
[[network.populations]]
name = "out"
role = "output"
)" + in_to_out + "weight = { evolve = [0.0, 0.005] }\n";
  const std::string receptors = "[[network.receptors]]\nname = \"{}\"\ntau_syn_ms = {}\ne_rev_mV = {}\nexcitatory = true\n";
  const std::string in_to_e = in_to_out;
  // Declared and unused: nothing changes, bit for bit (its conductance stays 0).
  const RunConfig plain = ParseConfig(base, {});
  const RunConfig unused = ParseConfig(base + fmt::format(fmt::runtime(receptors), "NMDA", 100.0, 0.0), {});
  EXPECT_EQ(Behaviour(unused), Behaviour(plain));
  // A copy of AMPA (same time constant and reversal potential) carrying in->E
  // behaves as AMPA up to the order of the float sums.
  std::string copied = base;
  copied.replace(copied.find(in_to_e), in_to_e.size(), in_to_e + "receptor = \"AMPA2\"\n");
  const RunConfig copy = ParseConfig(copied + fmt::format(fmt::runtime(receptors), "AMPA2", 5.0, 0.0), {});
  const auto task = MakeTask(copy.task_name);
  const auto model = MakeModel(copy.model, task->observation_space(), task->action_space());
  const GeneFamily* family = model->layout().Find("ampa2_weights");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->labels[0], "in->out.weight[0]");
  // (Over a few steps: later, a last-bit difference can flip an argmax.)
  std::map<std::string, double> genes;
  const std::vector<double> a = Behaviour(plain, 1, 5, &genes), b = Behaviour(copy, 1, 5, &genes);
  ASSERT_EQ(a.size(), b.size());
  double worst = 0;
  for (size_t k = 0; k < a.size(); ++k) worst = std::max(worst, std::abs(a[k] - b[k]));
  EXPECT_LT(worst, 1e-4);
  // A slow receptor (100 ms) on the same synapses changes the outputs.
  const RunConfig slow = ParseConfig(copied + fmt::format(fmt::runtime(receptors), "AMPA2", 100.0, 0.0), {});
  const std::vector<double> c = Behaviour(slow, 1, 5, &genes);
  double differs = 0;
  for (size_t k = 0; k < a.size(); ++k) differs = std::max(differs, std::abs(a[k] - c[k]));
  EXPECT_GT(differs, 1e-3) << ::testing::PrintToString(a) << "\n" << ::testing::PrintToString(c);
  // The description's text round-trips.
  EXPECT_EQ(ConfigToToml(ParseConfig(ConfigToToml(copy), {}, "config.toml")), ConfigToToml(copy));
  // Errors: an unknown receptor; an inhibitory neuron onto an excitatory receptor.
  std::string unknown = base;
  unknown.replace(unknown.find(in_to_e), in_to_e.size(), in_to_e + "receptor = \"NMDA\"\n");
  EXPECT_NE(ErrorOf(unknown).find("unknown receptor 'NMDA'; allowed: AMPA, GABA"), std::string::npos) << ErrorOf(unknown);
  const std::string i_to_e = "[[network.projections]]\npre = \"I\"\npost = \"E\"\n";
  std::string dale = kSmallNetwork;
  dale.replace(dale.find(i_to_e), i_to_e.size(), i_to_e + "receptor = \"NMDA\"\n");
  const std::string dale_error = ErrorOf(dale + fmt::format(fmt::runtime(receptors), "NMDA", 100.0, 0.0));
  EXPECT_NE(dale_error.find("Dale's law"), std::string::npos) << dale_error;
  EXPECT_NE(ErrorOf(base + fmt::format(fmt::runtime(receptors), "GABA", 5.0, -80.0)).find("its own name"),
            std::string::npos);
}

// The CLI: exit 2 with one line and no run directory; describe and config
// --expand print what they promise.
TEST(NetworkConfig, CliDescribeExpandAndRefusals) {
  const fs::path dir = Scratch("cli");
  const auto run = [&](const std::string& args, std::string* out = nullptr) {
    const std::string cmd = std::string(NEUREVO_BINARY) + " " + args + " > " + (dir / "out").string() + " 2> " +
                            (dir / "err").string();
    const int raw = std::system(cmd.c_str());
    if (out) {
      std::ifstream in(dir / "out");
      std::stringstream ss;
      ss << in.rdbuf();
      *out = ss.str();
    }
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  };
  Write(dir / "bad.toml", "[model]\nkind = \"network\"\n[[network.populations]]\nname = \"in\"\nrole = \"input\"\n"
                          "[[network.projections]]\npre = \"in\"\npost = \"nowhere\"\n");
  EXPECT_EQ(run("train " + (dir / "bad.toml").string() + " --out " + (dir / "never").string()), 2);
  EXPECT_FALSE(fs::exists(dir / "never"));
  std::string text;
  ASSERT_EQ(run("describe " + (kRepo / "configs/network/list_gap_junctions.toml").string(), &text), 0);
  EXPECT_NE(text.find("7 gap junctions"), std::string::npos) << text;
  EXPECT_NE(text.find("each row's own"), std::string::npos) << text;
  EXPECT_NE(text.find("electrical synapses, list"), std::string::npos) << text;
  ASSERT_EQ(run("describe --json " + (kRepo / "configs/network/cortical_layer.toml").string(), &text), 0);
  const nlohmann::json d = nlohmann::json::parse(text);
  EXPECT_EQ(d["populations"].size(), 6u);
  EXPECT_GT(d["memory"]["per_individual_bytes"].get<double>(), 0);
  ASSERT_EQ(run("config --expand --set model.kind=snn", &text), 0);
  Write(dir / "expanded.toml", text);
  std::string described;
  ASSERT_EQ(run("describe " + (dir / "expanded.toml").string(), &described), 0);
  // The snn's default input encoding: 8 input neurons, a pair per observation.
  EXPECT_NE(described.find("model network: 30 neurons, 638 chemical synapses"), std::string::npos) << described;
}

}  // namespace
}  // namespace neurevo
