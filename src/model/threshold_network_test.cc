// The threshold model's step, rule by rule, on a three-neuron network; and
// what a threshold network refuses.
#include "model/threshold_network.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "neurevo/error.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

// in (x) -> a; hidden a, b (excitatory), c (inhibitory), threshold 30;
// a -> b 50, b -> a 45, b -> c 40, c -> a 35 (inhibitory: -35), gap c -> b 5;
// outputs o0 and o1 both read c (weights -1 and -2: c is inhibitory).
struct Fixture {
  fs::path dir;
  ModelOptions options;
  Fixture() {
    dir = fs::temp_directory_path() / ("neurevo_threshold_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "hidden.csv") << "pre,post,weight,kind\na,b,50,chemical\nb,a,45,chemical\nb,c,40,chemical\n"
                                         "c,a,-35,chemical\nc,b,5,electrical\n";
    std::ofstream(dir / "in.csv") << "pre,post,weight\nx,a,1\n";
    std::ofstream(dir / "out.csv") << "pre,post,weight\nc,o0,-1\nc,o1,-2\n";
    options.kind = "network";
    PopulationSpec in{.name = "in", .size = kSizeFromTask, .model = "threshold", .role = Role::kInput};
    in.labels = {"x"};
    PopulationSpec h{.name = "h", .size = 3, .model = "threshold"};
    h.labels = {"a", "b", "c"};
    h.dale = {DaleType::kExcitatory, DaleType::kExcitatory, DaleType::kInhibitory};
    h.params = {{"threshold", ValueSpec::Constant(30)}};
    PopulationSpec out{.name = "out", .size = kSizeFromTask, .model = "threshold", .role = Role::kOutput};
    out.labels = {"o0", "o1"};
    options.network.populations = {in, h, out};
    const auto list = [&](std::string pre, std::string post, const char* file, SynapseKind kind) {
      ProjectionSpec p;
      p.pre = pre;
      p.post = post;
      p.connector.kind = ConnectorSpec::Kind::kList;
      p.connector.file = (dir / file).string();
      p.kind = kind;
      p.weight = ValueSpec::Constant(1);
      p.name = pre + "->" + post + (kind == SynapseKind::kElectrical ? ".gap" : "");
      return p;
    };
    options.network.projections = {list("in", "h", "in.csv", SynapseKind::kChemical),
                                   list("h", "h", "hidden.csv", SynapseKind::kChemical),
                                   list("h", "h", "hidden.csv", SynapseKind::kElectrical),
                                   list("h", "out", "out.csv", SynapseKind::kChemical)};
  }
  ~Fixture() { fs::remove_all(dir); }
  std::unique_ptr<Model> Make() const {
    return MakeModel(options, Space::Box({0.0}, {1.0}), Space::Box({-1.0, -1.0}, {1.0, 1.0}));
  }
};

// Neurons: x = 0, a = 1, b = 2, c = 3, o0 = 4, o1 = 5.
std::vector<double> StepFrom(const ThresholdNetwork& net, std::vector<double> v, double x, std::vector<double>* y) {
  ThresholdState s(net);
  s.SetValues(v);
  y->assign(2, -1.0);
  s.Step(std::vector<double>{x}, *y);
  return {s.values().begin(), s.values().end()};
}

TEST(ThresholdNetwork, OneStepFollowsTheReferenceRules) {
  const Fixture f;
  const auto model = f.Make();
  const auto* threshold = dynamic_cast<const ThresholdModel*>(model.get());
  ASSERT_NE(threshold, nullptr);
  EXPECT_EQ(model->layout().size(), 0);
  const ThresholdNetwork net = threshold->Decode({});
  std::vector<double> y;

  // Stimulus: a's outgoing weights reach b; a's own value is untouched.
  EXPECT_EQ(StepFrom(net, {0, 10, 0, 0, 0, 0}, 1.0, &y), (std::vector<double>{0, 10, 50, 0, 0, 0}));
  EXPECT_EQ(y, (std::vector<double>{0, 0}));
  // The stimulus scales with the observation.
  EXPECT_EQ(StepFrom(net, {0, 0, 0, 0, 0, 0}, 0.5, &y)[2], 25);
  // Firing is |V| > threshold, strictly; a negative value fires the same signed row.
  EXPECT_EQ(StepFrom(net, {0, 30, 0, 0, 0, 0}, 0, &y), (std::vector<double>{0, 30, 0, 0, 0, 0}));
  EXPECT_EQ(StepFrom(net, {0, -31, 0, 0, 0, 0}, 0, &y), (std::vector<double>{0, 0, 50, 0, 0, 0}));
  // a and b fire together, in index order: a gives b 50 and resets; b then
  // resets (losing a's 50) and gives a 45 (kept) and c 40, which the outputs
  // read: o0 takes c (-1 x 40) and clears it, so o1 reads 0.
  EXPECT_EQ(StepFrom(net, {0, 40, 40, 0, 0, 0}, 0, &y), (std::vector<double>{0, 45, 0, 0, 0, 0}));
  EXPECT_EQ(y, (std::vector<double>{-40, 0}));
  // a fires (b gets 50, a resets), then the inhibitory c: -35 to a (after
  // a's reset: kept) and, through its gap junction, +5 to b.
  EXPECT_EQ(StepFrom(net, {0, 45, 0, 31, 0, 0}, 0, &y), (std::vector<double>{0, -35, 50 + 5, 0, 0, 0}));
  // Two outputs reading the same neuron: the first takes it all.
  EXPECT_EQ(StepFrom(net, {0, 0, 0, 7, 0, 0}, 0, &y), (std::vector<double>{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(y, (std::vector<double>{-7, 0}));
}

TEST(ThresholdNetwork, EvolvedWeightsAroundTheListedOnesStartThere) {
  Fixture f;
  f.options.network.projections[1].weight = ValueSpec::Evolved(-4, 4);
  f.options.network.projections[1].weight.around_list = true;
  const auto model = f.Make();
  const GeneFamily* ampa = model->layout().Find("ampa_weights");
  ASSERT_NE(ampa, nullptr);
  ASSERT_EQ(ampa->size, 3);  // a -> b, b -> a, b -> c
  const auto* threshold = dynamic_cast<const ThresholdModel*>(model.get());
  std::vector<double> genome(model->layout().size(), 0.5);
  std::vector<double> y;
  // Genome 0.5: the listed network (a fires: b gets 50).
  EXPECT_EQ(StepFrom(threshold->Decode(genome), {0, 31, 0, 0, 0, 0}, 0, &y)[2], 50);
  // Gene 1: listed + 4; gene 0 for c -> a: 35 - 4 = 31 in magnitude, still inhibitory.
  for (int k = 0; k < model->layout().size(); ++k) genome[k] = 1.0;
  EXPECT_EQ(StepFrom(threshold->Decode(genome), {0, 31, 0, 0, 0, 0}, 0, &y)[2], 54);
  genome.assign(model->layout().size(), 0.0);
  EXPECT_EQ(StepFrom(threshold->Decode(genome), {0, 0, 0, 31, 0, 0}, 0, &y)[1], -31);
}

std::string ErrorOf(const Fixture& f) {
  try {
    f.Make();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ThresholdNetwork, RefusesWhatItCannotRun) {
  Fixture f;
  f.options.network.populations[1].model = "lif_cond";
  EXPECT_NE(ErrorOf(f).find("network.populations[1].model: 'lif_cond' in a network of threshold neurons"),
            std::string::npos)
      << ErrorOf(f);
  Fixture g;
  g.options.encoding.input_encoding = "pair";
  EXPECT_NE(ErrorOf(g).find("model.input_encoding"), std::string::npos) << ErrorOf(g);
  Fixture h;  // an output that drives a hidden neuron
  h.options.network.projections.push_back(h.options.network.projections[0]);
  h.options.network.projections.back().pre = "out";
  h.options.network.projections.back().connector.kind = ConnectorSpec::Kind::kAllToAll;
  h.options.network.projections.back().name = "out->h";
  EXPECT_NE(ErrorOf(h).find("leaves output neuron o0"), std::string::npos) << ErrorOf(h);
  Fixture d;  // two discrete actions read by one output's threshold: not this model's readout
  d.options.readout.binary_readout = "threshold";
  try {
    MakeModel(d.options, Space::Box({0.0}, {1.0}), Space::Discrete(2));
    ADD_FAILURE() << "binary_readout = threshold accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model.binary_readout"), std::string::npos) << e.what();
  }
  Fixture t;  // a negative threshold would fire every neuron every step
  t.options.network.populations[1].params = {{"threshold", ValueSpec::Constant(-1)}};
  EXPECT_NE(ErrorOf(t).find("threshold: -1"), std::string::npos) << ErrorOf(t);
  Fixture k;  // an evolved range around listed values needs a list
  k.options.network.projections.push_back(k.options.network.projections[0]);
  k.options.network.projections.back().connector.kind = ConnectorSpec::Kind::kAllToAll;
  k.options.network.projections.back().name = "in->h.all";
  k.options.network.projections.back().weight = ValueSpec::Evolved(-1, 1);
  k.options.network.projections.back().weight.around_list = true;
  EXPECT_NE(ErrorOf(k).find("around = \"list\" needs a list connector"), std::string::npos) << ErrorOf(k);
}

}  // namespace
}  // namespace neurevo
