// Distributed runs: `mpirun -np K neurevo train` gives exactly the result of
// the same run in one process (K thread islands, or one population split
// over ranks), resume included. Skipped in builds without MPI.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const fs::path& Scratch() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("neurevo_mpi_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

int Shell(const std::string& command) {
  const std::string cmd = command + " > " + (Scratch() / "out").string() + " 2>&1";
  const int raw = std::system(cmd.c_str());
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

#ifdef NEUREVO_MPIEXEC
std::string Mpirun(int ranks) {
  // Containers and CI run as root; vader is OpenMPI's shared-memory transport.
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  ::setenv("OMPI_MCA_btl", "self,vader", 1);
  ::setenv("OMPI_MCA_rmaps_base_oversubscribe", "1", 1);
  return std::string(NEUREVO_MPIEXEC) + " -np " + std::to_string(ranks) + " --oversubscribe " + NEUREVO_BINARY;
}
#endif

nlohmann::json Summary(const fs::path& dir) {
  auto s = nlohmann::json::parse(Slurp(dir / "summary.json"));
  s.erase("wall_seconds");
  s.erase("train_seconds");
  return s;
}

std::string MetricsWithoutTimes(const fs::path& dir) {
  std::ifstream in(dir / "metrics.jsonl");
  std::string line, out;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    j.erase("wall_seconds");
    out += j.dump() + "\n";
  }
  return out;
}

void ExpectSameRun(const fs::path& a, const fs::path& b) {
  EXPECT_EQ(Summary(a), Summary(b));
  EXPECT_EQ(MetricsWithoutTimes(a), MetricsWithoutTimes(b));
  EXPECT_EQ(Slurp(a / "best_genome.json"), Slurp(b / "best_genome.json"));
}

const std::string kRun =
    " train --quiet --set budget.generations=10 --set eval.episodes=6 --set model.excitatory=4"
    " --set model.inhibitory=4 --set islands.migration_interval=3";

TEST(Mpi, RanksGiveTheSingleProcessResult) {
#ifndef NEUREVO_MPIEXEC
  GTEST_SKIP() << "built without MPI";
#else
  struct Case {
    const char* name;
    int ranks;
    std::string sets;
  };
  for (const Case& c : {Case{"ring", 2, " --set islands.count=2"},
                        Case{"all_to_all", 3, " --set islands.count=3 --set islands.topology=all_to_all"},
                        // One population of 10 split 3 / 3 / 4 over three ranks.
                        Case{"split", 3, " --set islands.count=1"},
                        // A task with info values: the held-out eval_info counts every rank's episodes.
                        Case{"split_info", 3, " --set islands.count=1 --set task.name=MemoryLength-5"}}) {
    const fs::path mpi = Scratch() / (std::string(c.name) + "_mpi"), one = Scratch() / (std::string(c.name) + "_one");
    ASSERT_EQ(Shell(Mpirun(c.ranks) + kRun + " --threads 1" + c.sets + " --out " + mpi.string()), 0) << Slurp(Scratch() / "out");
    ASSERT_EQ(Shell(std::string(NEUREVO_BINARY) + kRun + " --threads 2" + c.sets + " --out " + one.string()), 0)
        << Slurp(Scratch() / "out");
    ExpectSameRun(mpi, one);
    // Rank 0 alone wrote the run directory and printed the result.
    EXPECT_EQ(Summary(mpi)["islands"], std::string(c.name).starts_with("split") ? 1 : c.ranks);
    if (std::string(c.name) == "split_info") EXPECT_TRUE(Summary(mpi).contains("eval_info"));
  }
#endif
}

TEST(Mpi, ResumeUnderMpiEqualsTheLongerSingleProcessRun) {
#ifndef NEUREVO_MPIEXEC
  GTEST_SKIP() << "built without MPI";
#else
  const fs::path mpi = Scratch() / "resume_mpi", one = Scratch() / "resume_one";
  const std::string sets = " --set islands.count=2 --set checkpoint.interval=4";
  ASSERT_EQ(Shell(Mpirun(2) + kRun + sets + " --set budget.generations=6 --out " + mpi.string()), 0)
      << Slurp(Scratch() / "out");
  ASSERT_EQ(Shell(Mpirun(2) + " train --quiet --resume " + mpi.string() + " --set budget.generations=10"), 0)
      << Slurp(Scratch() / "out");
  ASSERT_EQ(Shell(std::string(NEUREVO_BINARY) + kRun + sets + " --out " + one.string()), 0) << Slurp(Scratch() / "out");
  ExpectSameRun(mpi, one);
#endif
}

// optimizer.init_genome under MPI: rank 0 reads the file and the others take
// its text, so the run equals the single-process warm start; a file that
// cannot be read stops every rank with the error (no hang) before the run
// directory is made.
TEST(Mpi, AWarmStartEqualsTheSingleProcessOne) {
#ifndef NEUREVO_MPIEXEC
  GTEST_SKIP() << "built without MPI";
#else
  const fs::path source = Scratch() / "warm_source", mpi = Scratch() / "warm_mpi", one = Scratch() / "warm_one";
  ASSERT_EQ(Shell(std::string(NEUREVO_BINARY) + kRun + " --set budget.generations=3 --out " + source.string()), 0)
      << Slurp(Scratch() / "out");
  const std::string sets =
      " --set islands.count=2 --set optimizer.init_genome=" + (source / "final_mean.json").string();
  ASSERT_EQ(Shell(Mpirun(2) + kRun + " --threads 1" + sets + " --out " + mpi.string()), 0) << Slurp(Scratch() / "out");
  ASSERT_EQ(Shell(std::string(NEUREVO_BINARY) + kRun + " --threads 2" + sets + " --out " + one.string()), 0)
      << Slurp(Scratch() / "out");
  ExpectSameRun(mpi, one);
  EXPECT_EQ(nlohmann::json::parse(Slurp(mpi / "initial_genome.json"))["genome"],
            nlohmann::json::parse(Slurp(source / "final_mean.json"))["genome"]);
  const fs::path missing = Scratch() / "warm_missing";
  EXPECT_NE(Shell("timeout 120 " + Mpirun(2) + kRun + " --set islands.count=2 --set optimizer.init_genome=" +
                  (Scratch() / "no_such.json").string() + " --out " + missing.string()),
            0);
  EXPECT_NE(Slurp(Scratch() / "out").find("optimizer.init_genome"), std::string::npos) << Slurp(Scratch() / "out");
  EXPECT_FALSE(fs::exists(missing));
#endif
}

}  // namespace
