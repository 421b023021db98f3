// The checkpoint writer: what it writes is what WriteCheckpoint writes, in
// order, whether the write runs on the background lane or in the call, and
// a failed write is reported, never lost.
#include "train/checkpoint_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/scratch_path.h"
#include "neurevo/optimizer.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

fs::path Scratch(const std::string& name) {
  return FreshScratchDir("writer", name);
}

RunState StateAt(long long generation) {
  RunState s;
  s.config_toml = "[run]\nseed = 5\n";
  s.generation = generation;
  s.env_steps = 100 * generation;
  s.normalizer = ObsNormalizer(2, true, 5.0);
  OptimizerOptions o;
  s.optimizers = {MakeOptimizer(o, 30, 2)->SaveState()};
  s.restore_points = s.optimizers;
  s.restore_generation = generation;
  return s;
}

std::string FileOf(const fs::path& dir, long long generation) {
  const auto files = ListCheckpoints(dir.string());
  for (const auto& f : files)
    if (DecodeCheckpoint(std::string(std::istreambuf_iterator<char>(std::ifstream(f, std::ios::binary).rdbuf()), {}),
                         f)
            .generation == generation) {
      std::ifstream in(f, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }
  return "";
}

// With one thread or two, the files are those WriteCheckpoint writes, the
// newest two kept, and `before` runs first each time.
TEST(CheckpointWriter, WritesWhatWriteCheckpointWrites) {
  const fs::path reference = Scratch("reference");
  for (long long g : {10, 20, 30}) WriteCheckpoint(reference.string(), StateAt(g));
  for (int threads : {1, 2}) {
    const fs::path dir = Scratch("threads" + std::to_string(threads));
    ThreadPool pool(threads);
    CheckpointWriter writer(pool);
    std::vector<long long> before;  // the generation each `before` saw on disk last
    for (long long g : {10, 20, 30}) {
      writer.Write(
          dir.string(), [g] { return StateAt(g); },
          [&before, &dir] {
            const auto files = ListCheckpoints(dir.string());
            before.push_back(static_cast<long long>(files.size()));
          });
    }
    writer.Wait();
    EXPECT_EQ(before, (std::vector<long long>{0, 1, 2})) << "one write at a time, in order";
    EXPECT_EQ(ListCheckpoints(dir.string()).size(), 2u);
    for (long long g : {20, 30}) {
      EXPECT_FALSE(FileOf(dir, g).empty());
      EXPECT_EQ(FileOf(dir, g), FileOf(reference, g)) << threads << " thread(s), generation " << g;
    }
  }
}

// A write that fails (the run directory's checkpoints/ cannot be made) is
// thrown by the call with one thread, and by ThrowIfFailed() once done, Wait()
// or the next Write with two (which then writes nothing). (That a write
// failing midway leaves no partial file is WriteFileAtomic's:
// Files.FailedAtomicWriteLeavesNothingBehind.)
TEST(CheckpointWriter, AFailedWriteIsThrownNotLost) {
  for (int threads : {1, 2}) {
    const fs::path dir = Scratch("fail" + std::to_string(threads));
    std::ofstream(dir / "checkpoints") << "a file where the directory should be";
    ThreadPool pool(threads);
    CheckpointWriter writer(pool);
    auto write = [&] { writer.Write(dir.string(), [] { return StateAt(10); }, nullptr); };
    if (threads == 1) {
      EXPECT_THROW(write(), std::runtime_error);
    } else {
      write();
      EXPECT_THROW(writer.Wait(), std::runtime_error);
      write();
      while (true) {  // polled without blocking, as the trainer does each generation
        try {
          writer.ThrowIfFailed();
        } catch (const std::runtime_error&) {
          break;
        }
        std::this_thread::yield();
      }
      EXPECT_NO_THROW(writer.ThrowIfFailed()) << "thrown once";
      write();
      EXPECT_THROW(write(), std::runtime_error) << "the next Write reports the last one's error";
    }
    EXPECT_NO_THROW(writer.Wait()) << "a Write that throws starts nothing";
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
    EXPECT_EQ(files, 1u) << "only the blocking file";
  }
}

// With two threads the write runs on the background lane: Write returns
// while it is still running, and loops go on meanwhile.
TEST(CheckpointWriter, TwoThreadsWriteBesideTheCaller) {
  const fs::path dir = Scratch("beside");
  ThreadPool pool(2);
  CheckpointWriter writer(pool);
  std::atomic<bool> release{false}, started{false};
  const auto caller = std::this_thread::get_id();
  std::thread::id writer_thread;
  writer.Write(
      dir.string(), [] { return StateAt(7); },
      [&] {
        writer_thread = std::this_thread::get_id();
        started = true;
        while (!release.load()) std::this_thread::yield();
      });
  while (!started.load()) std::this_thread::yield();
  int sum = 0;
  pool.ParallelFor(100, [&](int i, int) { sum += i; });  // the caller runs them all
  EXPECT_EQ(sum, 4950);
  EXPECT_TRUE(ListCheckpoints(dir.string()).empty());
  release = true;
  writer.Wait();
  EXPECT_NE(writer_thread, caller);
  EXPECT_EQ(ListCheckpoints(dir.string()).size(), 1u);
}

}  // namespace
}  // namespace neurevo
