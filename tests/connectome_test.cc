// The C. elegans connectome (configs/celegans): the imported tables give the
// source's counts, a malformed row is refused by file and line, and the
// untrained connectome forages exactly as the ENOMAD reference code does
// (tests/data/enomad_reference).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "model/threshold_network.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / "..";
const fs::path kConfig = kRepo / "configs" / "celegans" / "foraging_threshold.toml";

std::unique_ptr<Model> ModelOf(const RunConfig& c) {
  const auto task = MakeTask(c.task_name, c.task_options);
  return MakeModel(c.model, task->observation_space(), task->action_space());
}

// Rows of a synapse table by kind (its last column), read independently of the model.
int Rows(const fs::path& file, const std::string& kind) {
  std::ifstream in(file);
  int rows = 0;
  bool header = false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      header = true;
      continue;
    }
    rows += kind.empty() || line.ends_with("," + kind);
  }
  return rows;
}

TEST(Connectome, ImportedGraphHasTheSourceTablesCounts) {
  const RunConfig c = LoadConfigFile(kConfig.string(), {});
  const auto model = ModelOf(c);
  const auto* threshold = dynamic_cast<const ThresholdModel*>(model.get());
  ASSERT_NE(threshold, nullptr);
  const NetworkInstance& net = threshold->network();
  const fs::path data = kRepo / "configs" / "celegans" / "data";
  // cect 0.3.5's SpreadsheetDataReader (OpenWorm's CElegansNeuronTables.xls):
  // 300 neurons (302 - CANL, CANR), 97 muscles, 2279 chemical, 1084
  // gap-junction and 564 neuromuscular rows.
  int neurons = -1, muscles = -1;
  for (const InstancePopulation& p : net.populations) {
    if (p.name == "neurons") neurons = p.size;
    if (p.name == "muscles") muscles = p.size;
  }
  EXPECT_EQ(neurons, 300);
  EXPECT_EQ(neurons, Rows(data / "openworm_neurons.csv", ""));
  EXPECT_EQ(muscles, 97);
  EXPECT_EQ(muscles, Rows(data / "openworm_muscles.csv", ""));
  std::map<std::string, int> per_projection;
  for (const InstanceSynapse& s : net.synapses) ++per_projection[c.model.network.projections[s.projection].name];
  EXPECT_EQ(per_projection["chemical"], 2279);
  EXPECT_EQ(per_projection["chemical"], Rows(data / "openworm_synapses.csv", "chemical"));
  EXPECT_EQ(static_cast<int>(net.gaps.size()), 1084);
  EXPECT_EQ(static_cast<int>(net.gaps.size()), Rows(data / "openworm_synapses.csv", "electrical"));
  EXPECT_EQ(per_projection["neuromuscular"], 564);
  EXPECT_EQ(per_projection["neuromuscular"], Rows(data / "openworm_neuromuscular.csv", "chemical"));
  EXPECT_EQ(per_projection["senses"], 18);   // 10 touch + 8 food neurons
  EXPECT_EQ(per_projection["wheels"], 68);   // 34 + 34 rows (two of the right wheel's read 0)
  EXPECT_EQ(model->layout().size(), 2279 + 1084 + 564);
  // The 35 GABAergic neurons sign their synapses negative.
  const GeneFamily* gaba = model->layout().Find("gaba_weights");
  ASSERT_NE(gaba, nullptr);
  int gaba_neurons = 0;
  for (const InstancePopulation& p : net.populations)
    if (p.name == "neurons")
      for (const auto& d : c.model.network.populations[1].dale) gaba_neurons += d == DaleType::kInhibitory;
  EXPECT_EQ(gaba_neurons, 35);
}

// A copy of configs/celegans whose `file` has `line` (1-based) replaced.
fs::path Corrupted(const std::string& file, int line, const std::string& replacement) {
  const fs::path dir = fs::temp_directory_path() / ("neurevo_connectome_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(kRepo / "configs" / "celegans", dir, fs::copy_options::recursive);
  std::ifstream in(dir / "data" / file);
  std::stringstream out;
  int n = 0;
  for (std::string l; std::getline(in, l);) out << (++n == line ? replacement : l) << "\n";
  in.close();
  std::ofstream(dir / "data" / file) << out.str();
  return dir / "foraging_threshold.toml";
}

std::string ErrorOf(const fs::path& config) {
  try {
    ModelOf(LoadConfigFile(config.string(), {}));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Connectome, MalformedRowsAreRefusedByFileAndLine) {
  struct Case {
    std::string file;
    int line;
    std::string row, expected;
  };
  // Line 4 of openworm_synapses.csv is its first row (ADAL -> ADAR chemical).
  const Case cases[] = {
      {"openworm_synapses.csv", 4, "ADAL,NOSUCH,1,chemical", "openworm_synapses.csv:4"},
      {"openworm_synapses.csv", 4, "ADAL,ADAR,one,chemical", "openworm_synapses.csv:4"},
      {"openworm_synapses.csv", 4, "ADAL,ADAR,1", "openworm_synapses.csv:4"},
      {"openworm_synapses.csv", 4, "ADAL,ADAR,-1,chemical", "openworm_synapses.csv:4"},  // ADAL is not GABAergic
      {"openworm_synapses.csv", 4, "ADAL,ADAR,1,gap", "openworm_synapses.csv:4"},
      {"openworm_neuromuscular.csv", 3, "ADEL,NOSUCHMUSCLE,1,chemical", "openworm_neuromuscular.csv:3"},
      {"openworm_neurons.csv", 3, "ADAL,X,Glutamate", "openworm_neurons.csv:3"},
      {"openworm_neurons.csv", 3, "ADAL", "openworm_neurons.csv:3"},
  };
  for (const Case& k : cases) {
    const std::string error = ErrorOf(Corrupted(k.file, k.line, k.row));
    EXPECT_NE(error.find(k.expected), std::string::npos) << k.row << ": " << error;
  }
}

struct TraceRow {
  double left, right, x, y, heading, reward;
};

std::vector<TraceRow> ReadTrace(int pattern) {
  std::ifstream in(fs::path(NEUREVO_TEST_DATA_DIR) / "enomad_reference" /
                   ("trace_pattern" + std::to_string(pattern) + ".csv"));
  std::vector<TraceRow> rows;
  std::string line;
  std::getline(in, line);  // header: step,L,R,x,y,heading,sees_food_after,wall_dist_after,reward
  while (std::getline(in, line)) {
    std::vector<double> v;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) v.push_back(std::stod(cell));
    rows.push_back({v.at(1), v.at(2), v.at(3), v.at(4), v.at(5), v.at(8)});
  }
  return rows;
}

// The untrained connectome (every gene 0.5: the listed weights) on one pattern.
double Forage(const std::string& task_name, const std::vector<TraceRow>* reference) {
  RunConfig c = LoadConfigFile(kConfig.string(), {"task.name=" + task_name});
  const auto task = MakeTask(c.task_name, c.task_options);
  const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
  const auto policy = model->DecodeController(std::vector<double>(model->layout().size(), 0.5))->NewPolicy();
  policy->Reset(1);
  std::vector<double> obs(2), action(2);
  task->Reset(1, obs);
  double eaten = 0;
  for (int t = 0; t < 250; ++t) {
    policy->Act(obs, action);
    const StepResult r = task->Step(action, obs);
    eaten += r.reward;
    if (reference) {
      const TraceRow& want = reference->at(t);
      const auto state = task->PhysicalState();
      EXPECT_EQ(action[0], want.left) << task_name << " step " << t;
      EXPECT_EQ(action[1], want.right) << task_name << " step " << t;
      EXPECT_NEAR(state[0], want.x, 1e-9) << task_name << " step " << t;
      EXPECT_NEAR(state[1], want.y, 1e-9) << task_name << " step " << t;
      EXPECT_NEAR(state[2], want.heading, 1e-12) << task_name << " step " << t;
      EXPECT_EQ(r.reward, want.reward) << task_name << " step " << t;
      if (::testing::Test::HasFailure()) return eaten;
    }
    if (r.truncated) break;
  }
  return eaten;
}

TEST(Connectome, UntrainedConnectomeReplaysTheReference) {
  const std::pair<int, const char*> traced[] = {
      {0, "WormForaging-circle"}, {3, "WormForaging-triangle"}, {4, "WormForaging-square"},
      {5, "WormForaging-pentagon"}, {9, "WormForaging-nonagon"}};
  const double reference_eaten[] = {1, 6, 7, 5, 4};
  for (size_t k = 0; k < std::size(traced); ++k) {
    const auto trace = ReadTrace(traced[k].first);
    ASSERT_EQ(trace.size(), 250u);
    EXPECT_EQ(Forage(traced[k].second, &trace), reference_eaten[k]) << traced[k].second;
  }
  // The patterns without a trace: the reference's food counts.
  EXPECT_EQ(Forage("WormForaging-hexagon", nullptr), 0);
  EXPECT_EQ(Forage("WormForaging-heptagon", nullptr), 0);
  EXPECT_EQ(Forage("WormForaging-octagon", nullptr), 0);
}

}  // namespace
}  // namespace neurevo
