// best_genome.json's versions: version 2 counts generations from 1 (as
// metrics.jsonl and summary.json do); version 1 files, which counted from 0,
// are still read, to the same generation.
#include <gtest/gtest.h>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/task.h"
#include "train/run_files.h"

namespace neurevo {
namespace {

TEST(GenomeFile, GenerationCountsFromOneAndVersionOneIsStillRead) {
  const RunConfig c = ParseConfig("", {"model.kind=mlp", "model.mlp_hidden=[3]"});
  const auto task = MakeTask(c.task_name);
  const auto model = MakeModel(c.model, task->observation_space(), task->action_space());
  const int obs = task->observation_space().vector_size();
  SavedGenome g;
  g.genes.assign(model->layout().size(), 0.25);
  g.generation = 6;  // the seventh generation found it
  g.normalizer = ObsNormalizer(obs, true, 5.0);
  nlohmann::json file = GenomeFileJson(c, model->layout(), g);
  EXPECT_EQ(file["version"], 2);
  EXPECT_EQ(file["generation"], 7);
  EXPECT_EQ(ParseGenomeText(file.dump(), "v2", model->layout(), obs).generation, 6);
  file["version"] = 1;
  file["generation"] = 6;
  EXPECT_EQ(ParseGenomeText(file.dump(), "v1", model->layout(), obs).generation, 6);
  for (int bad : {0, 3}) {
    file["version"] = bad;
    EXPECT_THROW(ParseGenomeText(file.dump(), "bad", model->layout(), obs), ConfigError) << bad;
  }
}

}  // namespace
}  // namespace neurevo
