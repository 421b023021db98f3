// Issue 17: eval and rollout refuse a best_genome.json that does not match
// the model the run's config.toml builds, or that contradicts itself.
#include "train/run_files.h"

#include <gtest/gtest.h>

#include <functional>

#include "neurevo/error.h"
#include "neurevo/task.h"

namespace neurevo {
namespace {

struct RunUnderTest {
  RunConfig config;
  std::unique_ptr<Task> task;
  std::unique_ptr<Model> model;
  explicit RunUnderTest(const std::vector<std::string>& sets, const std::string& toml = "")
      : config(ParseConfig(toml, sets)) {
    task = MakeTask(config.task_name);
    model = MakeModel(config.model, task->observation_space(), task->action_space());
  }
  int obs() const { return task->observation_space().vector_size(); }
  // A genome file as the trainer writes it.
  nlohmann::json GenomeFile() const {
    SavedGenome g;
    g.genes.assign(model->layout().size(), 0.25);
    g.normalizer = ObsNormalizer(obs(), config.obs_normalization, config.obs_clip);
    return GenomeFileJson(config, model->layout(), g);
  }
  std::string ErrorOf(const nlohmann::json& file) const {
    try {
      ParseGenomeText(file.dump(), "run/best_genome.json", model->layout(), obs(), &config);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
};

TEST(GenomeFile, AGenomeMatchingItsConfigIsRead) {
  const RunUnderTest run({});
  EXPECT_EQ(run.ErrorOf(run.GenomeFile()), "");
  const RunUnderTest mlp({"model.kind=mlp", "model.mlp_hidden=[8]"});
  EXPECT_EQ(mlp.ErrorOf(mlp.GenomeFile()), "");
}

// The config.toml of a run edited after training: the genome was trained
// for another model (bnn to snn keeps every size: it used to evaluate).
TEST(GenomeFile, AGenomeOfAnotherConfigIsRefusedNamingBoth) {
  const RunUnderTest trained({});
  const nlohmann::json file = trained.GenomeFile();
  const std::vector<std::pair<std::vector<std::string>, std::string>> edits = {
      {{"model.kind=snn"}, "model snn"},
      {{"task.name=Acrobot-v1"}, "task Acrobot-v1"},
      {{"model.weight_max_nS=0.1"}, "range"},
      {{"model.inhibitory_weight_scale=2"}, "range"},
      {{"model.offset_max_pA=0.5"}, "range"},
      {{"model.max_delay_ms=4"}, "range"},
      {{"model.excitatory=11", "model.inhibitory=9"}, "gene family 0"},
      {{"model.connectivity=[\"in->E\", \"in->I\", \"in->out\", \"E->E\", \"E->I\", \"E->out\", \"I->E\", "
        "\"I->I\", \"I->out\", \"out->E\", \"out->I\", \"E->E\"]"}, ""},
      {{"model.evolve_noise=false"}, ""},
      {{"train.obs_clip=4"}, "train.obs_clip"},
      {{"train.obs_normalization=false"}, "train.obs_normalization"},
  };
  for (const auto& [sets, says] : edits) {
    const RunUnderTest edited(sets);
    const std::string e = edited.ErrorOf(file);
    EXPECT_NE(e, "") << sets.front();
    EXPECT_EQ(e.rfind("run/best_genome.json:", 0), 0u) << e;
    EXPECT_NE(e.find(says), std::string::npos) << sets.front() << ": " << e;
  }
}

// Genome files of lif_curr networks written before their weights were
// labelled pA say nS: read (the same numbers); any other unit is refused.
TEST(GenomeFile, WeightsOfCurrentBasedNeuronsReadUnderTheirOldLabel) {
  const RunUnderTest run({}, R"(
[model]
kind = "network"
[[network.populations]]
name = "in"
role = "input"
model = "lif_curr"
[[network.populations]]
name = "out"
role = "output"
model = "lif_curr"
[[network.projections]]
pre = "in"
post = "out"
weight = { evolve = [0.0, 1.0] }
)");
  nlohmann::json file = run.GenomeFile();
  ASSERT_EQ(file["genome"]["families"][0]["name"], "ampa_weights");
  EXPECT_EQ(file["genome"]["families"][0]["unit"], "pA");
  EXPECT_EQ(run.ErrorOf(file), "");
  file["genome"]["families"][0]["unit"] = "nS";
  EXPECT_EQ(run.ErrorOf(file), "");
  file["genome"]["families"][0]["unit"] = "mV";
  EXPECT_NE(run.ErrorOf(file).find("its unit does not match"), std::string::npos) << run.ErrorOf(file);
}

// A file whose own counts disagree with each other or with its layout.
TEST(GenomeFile, ContradictoryCountsInsideTheFileAreRefused) {
  const RunUnderTest run({});
  const std::vector<std::function<void(nlohmann::json&)>> edits = {
      [](nlohmann::json& j) { j["genome"]["size"] = j["genome"]["size"].get<int>() + 1; },
      [](nlohmann::json& j) { j["genome"]["genes"].push_back(0.5); },
      [](nlohmann::json& j) { j["genome"]["families"][0]["size"] = 3; },
      [](nlohmann::json& j) { j["genome"]["families"][0]["offset"] = 1; },
      [](nlohmann::json& j) { j["genome"]["families"][1]["genes"].erase(0); },
      [](nlohmann::json& j) { j["genome"]["families"][1]["genes"][0] = 0.75; },  // not the slice of genes
      [](nlohmann::json& j) { j["genome"]["families"][0]["values"].push_back(1.0); },
      [](nlohmann::json& j) { j["genome"]["families"][0]["labels"][0] = "E0->E0"; },
      [](nlohmann::json& j) { j["genome"]["families"][0].erase("labels"); },
      [](nlohmann::json& j) { j["genome"]["families"][0]["unit"] = "mV"; },
      [](nlohmann::json& j) { j["genome"]["families"][0]["high"] = 1e300; },
      [](nlohmann::json& j) { j["genome"]["families"][0]["name"] = "weights"; },
      [](nlohmann::json& j) { j["genome"]["families"].erase(j["genome"]["families"].size() - 1); },
      [](nlohmann::json& j) { j["task"] = "Pendulum-v1"; },
      [](nlohmann::json& j) { j["model"] = "snn"; },
      [](nlohmann::json& j) { j.erase("task"); },
      [](nlohmann::json& j) { j["obs_normalizer"]["clip"] = 6.0; },
      [](nlohmann::json& j) { j["obs_normalizer"]["enabled"] = false; },
      [](nlohmann::json& j) { j["obs_normalizer"]["mean"].push_back(0.0); },
      // Well-formed but absurd counters: beyond 2^53 (where counting stops), or a fraction.
      [](nlohmann::json& j) { j["obs_normalizer"]["count"] = 9.3e18; },
      [](nlohmann::json& j) { j["obs_normalizer"]["count"] = 2.5; },
      [](nlohmann::json& j) { j["obs_normalizer"]["count"] = -1.0; },
  };
  int i = 0;
  for (const auto& edit : edits) {
    nlohmann::json file = run.GenomeFile();
    edit(file);
    EXPECT_NE(run.ErrorOf(file), "") << "edit " << i;
    ++i;
  }
}

}  // namespace
}  // namespace neurevo
