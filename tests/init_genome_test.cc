// optimizer.init_genome: a new run's search starts from a saved genome (a warm
// start), with that genome's observation normaliser; a bad file is refused
// before anything is written, and a resumed run no longer needs the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/scratch_path.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/train.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

fs::path Scratch(const std::string& name) {
  return FreshScratchPath("init_genome", name);
}

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream f(path);
  return nlohmann::json::parse(f);
}

// A summary without the fields that legitimately differ between runs of the
// same config (as train_test.cc's Deterministic).
nlohmann::json Deterministic(nlohmann::json s) {
  s.erase("wall_seconds");
  s.erase("train_seconds");
  return s;
}

nlohmann::json TrainQuietly(const RunConfig& c, const fs::path& out) {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = out.string();
  return Train(c, o);
}

nlohmann::json ResumeQuietly(const std::vector<std::string>& overrides, const fs::path& dir) {
  TrainOptions o;
  o.quiet = true;
  o.out_dir = dir.string();
  return ResumeTraining(overrides, o);
}

const std::vector<std::string> kShort = {"run.threads=1", "budget.env_steps=0", "eval.episodes=1",
                                         "train.validation_episodes=2"};

std::vector<std::string> With(std::vector<std::string> settings, const std::vector<std::string>& more) {
  settings.insert(settings.end(), more.begin(), more.end());
  return settings;
}

// Trains a short CartPole run whose best genome the other tests start from.
fs::path SourceRun(const std::string& name) {
  const fs::path dir = Scratch(name);
  TrainQuietly(ParseConfig("", With(kShort, {"budget.generations=4"})), dir);
  return dir;
}

TEST(InitGenome, ANewRunStartsFromTheGenomeAndItsNormaliser) {
  const fs::path source = SourceRun("source");
  // final_mean.json: where the source's search ended, with the normaliser of its last generation
  // (its best genome may come from the first, when the normaliser had seen nothing yet).
  const nlohmann::json best = ReadJson(source / "final_mean.json");
  const std::vector<std::vector<std::string>> optimizers = {
      {"optimizer.kind=cma_es"}, {"optimizer.kind=openai_es"}, {"optimizer.kind=cma_es", "optimizer.restarts=ipop"}};
  for (const auto& optimizer : optimizers) {
    const std::string kind = optimizer.back().substr(optimizer.back().find('=') + 1);
    const fs::path dir = Scratch("warm_" + kind);
    const RunConfig c = ParseConfig("", With(With(kShort, optimizer), {"budget.generations=1", "islands.count=2",
                                                      "optimizer.init_genome=" + (source / "final_mean.json").string()}));
    TrainQuietly(c, dir);
    // initial_genome.json is island 0's initial mean and the normaliser the run started with.
    const nlohmann::json start = ReadJson(dir / "initial_genome.json");
    EXPECT_EQ(start.at("genome"), best.at("genome")) << kind;
    EXPECT_EQ(start.at("obs_normalizer"), best.at("obs_normalizer")) << kind;
    EXPECT_GT(best.at("obs_normalizer").at("count").get<double>(), 0) << "the source run saw observations";
    // Without the key the same run starts elsewhere (a uniform draw) and with an empty normaliser.
    const fs::path cold = Scratch("cold_" + kind);
    TrainQuietly(ParseConfig("", With(With(kShort, optimizer), {"budget.generations=1", "islands.count=2"})), cold);
    const nlohmann::json fresh = ReadJson(cold / "initial_genome.json");
    EXPECT_NE(fresh.at("genome"), best.at("genome")) << kind;
    EXPECT_NE(fresh.at("obs_normalizer"), best.at("obs_normalizer")) << kind;
    fs::remove_all(dir);
    fs::remove_all(cold);
  }
  fs::remove_all(source);
}

TEST(InitGenome, APathIsTheConfigFoldersOrTheWorkingDirectorys) {
  const fs::path dir = Scratch("paths");
  fs::create_directories(dir / "configs");
  {
    std::ofstream f(dir / "configs" / "run.toml");
    f << "[optimizer]\ninit_genome = \"../genomes/g.json\"\n";
  }
  const RunConfig from_file = LoadConfigFile((dir / "configs" / "run.toml").string(), {});
  EXPECT_EQ(from_file.init_genome, (dir / "genomes" / "g.json").lexically_normal().string());
  const RunConfig from_set = ParseConfig("", {"optimizer.init_genome=g.json"});
  EXPECT_EQ(from_set.init_genome, (fs::current_path() / "g.json").lexically_normal().string());
  // The run directory's config.toml names the same file, absolute.
  EXPECT_NE(ConfigToToml(from_file).find((dir / "genomes" / "g.json").lexically_normal().string()),
            std::string::npos);
  EXPECT_TRUE(ParseConfig("", {}).init_genome.empty());
  fs::remove_all(dir);
}

TEST(InitGenome, AGenomeThatDoesNotFitIsRefusedBeforeAnythingIsWritten) {
  const fs::path source = SourceRun("refused");
  const std::string genome = (source / "best_genome.json").string();
  const fs::path truncated = source / "truncated.json";
  {
    std::ifstream in(genome);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(truncated) << text.substr(0, text.size() / 2);
  }
  struct Case {
    std::vector<std::string> settings;
    std::string expected;  // in the message
  };
  const std::vector<Case> cases = {
      {{"optimizer.init_genome=" + genome, "model.excitatory=5"}, "genes"},               // another model's size
      {{"optimizer.init_genome=" + genome, "model.kind=snn"}, "model bnn, but the run's config builds task CartPole-v1 and model snn"},
      {{"optimizer.init_genome=" + genome, "train.obs_normalization=false"}, "does not match the run's config (train.obs_normalization = false"},
      {{"optimizer.init_genome=" + (source / "missing.json").string()}, "missing.json"},  // no such file
      {{"optimizer.init_genome=" + source.string()}, source.string()},                     // a directory
      {{"optimizer.init_genome=/dev/zero"}, "/dev/zero"},                                  // a special file
      {{"optimizer.init_genome=" + truncated.string()}, "not valid JSON"},
  };
  for (const Case& k : cases) {
    const fs::path out = Scratch("refused_out");
    try {
      const RunConfig c = ParseConfig("", With(kShort, With({"budget.generations=1"}, k.settings)));
      TrainQuietly(c, out);
      ADD_FAILURE() << "accepted: " << k.settings.back();
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(k.expected), std::string::npos) << what;
      // Parse errors name the key already; the run's check names it too.
      EXPECT_NE(what.find("init_genome"), std::string::npos) << what;
    }
    EXPECT_FALSE(fs::exists(out)) << k.settings.back();
  }
  fs::remove_all(source);
}

TEST(InitGenome, AResumedRunNoLongerReadsTheFile) {
  const fs::path source = SourceRun("resume");
  const fs::path copy = source / "start.json";
  fs::copy_file(source / "best_genome.json", copy);
  const fs::path dir = Scratch("resumed");
  const RunConfig c = ParseConfig("", With(kShort, {"budget.generations=3", "checkpoint.interval=1",
                                                    "optimizer.init_genome=" + copy.string()}));
  const nlohmann::json whole = [&] {
    const fs::path reference = Scratch("resume_reference");
    const RunConfig longer = ParseConfig("", With(kShort, {"budget.generations=5", "checkpoint.interval=1",
                                                           "optimizer.init_genome=" + copy.string()}));
    auto s = TrainQuietly(longer, reference);
    fs::remove_all(reference);
    return s;
  }();
  TrainQuietly(c, dir);
  fs::remove(copy);  // gone: the checkpoints hold where the search is
  EXPECT_EQ(Deterministic(ResumeQuietly({"budget.generations=5"}, dir)), Deterministic(whole));
  fs::remove_all(dir);
  fs::remove_all(source);
}

// A warm-started run stopped before its first checkpoint starts again from the
// genome it started from (what it wrote to initial_genome.json), not from
// optimizer.init_mean, even when the named file is gone.
TEST(InitGenome, AResumeBeforeTheFirstCheckpointStartsFromTheGenomeAgain) {
  const fs::path source = SourceRun("early");
  const fs::path copy = source / "start.json";
  fs::copy_file(source / "final_mean.json", copy);
  const RunConfig c = ParseConfig("", With(kShort, {"budget.generations=3", "checkpoint.interval=1000",
                                                    "optimizer.init_genome=" + copy.string()}));
  const fs::path dir = Scratch("early_run");
  const nlohmann::json reference = TrainQuietly(c, dir);
  // Back to what a run killed before its first checkpoint leaves: config.toml and initial_genome.json.
  for (const char* name : {"checkpoints", "metrics.jsonl", "best_genome.json", "summary.json", "final_mean.json"})
    fs::remove_all(dir / name);
  fs::remove(copy);
  EXPECT_EQ(Deterministic(ResumeQuietly({}, dir)), Deterministic(reference));
  // The same run started cold ends elsewhere (so the comparison above can fail).
  const fs::path cold = Scratch("early_cold");
  TrainQuietly(ParseConfig("", With(kShort, {"budget.generations=3"})), cold);
  EXPECT_NE(ReadJson(cold / "final_mean.json").at("genome"), ReadJson(dir / "final_mean.json").at("genome"));
  fs::remove_all(cold);
  fs::remove_all(dir);
  fs::remove_all(source);
}

}  // namespace
}  // namespace neurevo
