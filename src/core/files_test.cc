// The one reader of files: regular files only (never blocking on a FIFO),
// capped sizes, and temporary files of a name only neurevo uses.
#include "core/files.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "core/checked_math.h"
#include "core/scratch_path.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

fs::path Scratch(const std::string& name) {
  return FreshScratchDir("files", name);
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Files, OnlyRegularFilesAreReadAndNeverBlock) {
  const fs::path dir = Scratch("special");
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NE(ErrorOf([&] { ReadFile(fifo, 1 << 20); }).find("fifo: not a regular file (a FIFO)"), std::string::npos);
  uint64_t size = 0;
  EXPECT_NE(ErrorOf([&] { ReadFileHead(fifo, 10, &size); }).find("not a regular file"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_NE(ErrorOf([] { ReadFile("/dev/zero", 1 << 20); }).find("/dev/zero: not a regular file (a character device)"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { ReadFile(dir.string(), 1 << 20); }).find("(a directory)"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { ReadFile((dir / "missing").string(), 1 << 20); }).find("missing: cannot read"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(Files, SizeIsCappedAndHeadsReadOnlyWhatIsAsked) {
  const fs::path dir = Scratch("size");
  const std::string path = (dir / "big").string();
  std::ofstream(path) << std::string(1000, 'x');
  EXPECT_EQ(ReadFile(path, 1000).size(), 1000u);
  EXPECT_NE(ErrorOf([&] { ReadFile(path, 999); }).find("1000 bytes, more than the 999 bytes allowed"),
            std::string::npos);
  uint64_t size = 0;
  EXPECT_EQ(ReadFileHead(path, 10, &size), std::string(10, 'x'));
  EXPECT_EQ(size, 1000u);
  EXPECT_GT(MachineMemoryBytes(), uint64_t{1} << 20);
  fs::remove_all(dir);
}

TEST(Files, TemporaryNamesAreNeurevosOwnAndStaleOnesGo) {
  const fs::path dir = Scratch("tmp");
  EXPECT_EQ(fs::path(TempFileName((dir / "best_genome.json").string())).filename(), ".neurevo-best_genome.json.tmp");
  EXPECT_TRUE(IsNeurevoTempFile(".neurevo-gen-000000000004.ckpt.tmp"));
  for (const char* user : {"notes.tmp", "best_genome.json.tmp", ".neurevo-.tmp", "neurevo-x.tmp", ".neurevo-x"})
    EXPECT_FALSE(IsNeurevoTempFile(user)) << user;
  std::ofstream(dir / "notes.tmp") << "precious";
  std::ofstream(dir / ".neurevo-config.toml.tmp") << "stale";
  ASSERT_EQ(::mkfifo((dir / ".neurevo-metrics.jsonl.tmp").c_str(), 0644), 0);
  RemoveStaleTempFiles(dir.string());
  EXPECT_FALSE(fs::exists(dir / ".neurevo-metrics.jsonl.tmp"));
  // A FIFO at the temporary name does not block a write.
  ASSERT_EQ(::mkfifo((dir / ".neurevo-x.json.tmp").c_str(), 0644), 0);
  WriteFileAtomic((dir / "x.json").string(), "{}");
  EXPECT_EQ(ReadFile((dir / "x.json").string(), 10), "{}");
  EXPECT_TRUE(fs::exists(dir / "notes.tmp"));
  EXPECT_FALSE(fs::exists(dir / ".neurevo-config.toml.tmp"));
  fs::remove_all(dir);
}

// A write that fails part way (here: the file size limit, as a full disk
// would) leaves neither a temporary file nor a changed target behind.
TEST(Files, FailedAtomicWriteLeavesNothingBehind) {
  const fs::path dir = Scratch("full");
  const std::string target = (dir / "summary.json").string();
  std::ofstream(target) << "old";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      WriteFileAtomic(target, std::string(100000, 'y'));
      ::_exit(3);  // the write should have failed
    } catch (const std::exception&) {
      ::_exit(0);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"summary.json"});
  std::ifstream in(target);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "old");
  fs::remove_all(dir);
}

TEST(Files, SaturatingArithmeticNeverWraps) {
  constexpr long long kMax = std::numeric_limits<long long>::max();
  EXPECT_EQ(SaturatingAdd(kMax, 1), kMax);
  EXPECT_EQ(SaturatingAdd(kMax - 5, 3), kMax - 2);
  EXPECT_EQ(SaturatingMul(kMax / 2, 3), kMax);
  EXPECT_EQ(SaturatingMul(-(kMax / 2), 3), std::numeric_limits<long long>::min());
  EXPECT_EQ(SaturatingMul(1LL << 31, 1LL << 31), 1LL << 62);
}

}  // namespace
}  // namespace neurevo
