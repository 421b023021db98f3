#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "neurevo/error.h"
#include "core/sanitizers.h"

namespace neurevo {
namespace {

TEST(ThreadPool, EveryIndexRunsExactlyOnceOnAValidWorker) {
  for (int threads : {1, 2, 5}) {
    ThreadPool pool(threads);
    ASSERT_EQ(pool.size(), threads);
    for (int round = 0; round < 20; ++round) {
      const int n = 1 + round * 7;
      std::vector<int> hits(n, 0);  // each index written by one worker only
      std::atomic<int> bad_worker{0};
      pool.ParallelFor(n, [&](int i, int worker) {
        ++hits[i];
        if (worker < 0 || worker >= threads) ++bad_worker;
      });
      for (int i = 0; i < n; ++i) EXPECT_EQ(hits[i], 1) << "index " << i;
      EXPECT_EQ(bad_worker, 0);
    }
  }
}

TEST(ThreadPool, ExceptionsReachTheCallerAndThePoolStaysUsable) {
  ThreadPool pool(3);
  EXPECT_THROW(pool.ParallelFor(50, [](int i, int) {
    if (i == 17) throw std::runtime_error("boom");
  }), std::runtime_error);
  std::atomic<int> count{0};
  pool.ParallelFor(50, [&](int, int) { ++count; });
  EXPECT_EQ(count, 50);
}

TEST(ThreadPool, EmptyLoopsReturn) {
  ThreadPool pool(2);
  pool.ParallelFor(0, [](int, int) { FAIL(); });
}



// Issue 17: a pool whose threads the system refuses (here: an address-space
// limit too small for their stacks, as under `ulimit -v`) fails with an
// error naming run.threads instead of waiting forever in its constructor.
// Runs in a forked child, whose limit does not touch the test process; a
// hang is ended by alarm() and fails the test.
TEST(ThreadPool, RefusedThreadsGiveAClearErrorNotAHang) {
  if (kSanitized) GTEST_SKIP() << "sanitizers reserve more address space than the limit allows";
  for (const int threads : {64, 1000, 4096}) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::alarm(20);
      long vm_kb = 0;
      std::ifstream status("/proc/self/status");
      for (std::string line; std::getline(status, line);)
        if (line.rfind("VmSize:", 0) == 0) vm_kb = std::stol(line.substr(7));
      // Room for a few 8 MB thread stacks, not for `threads` of them.
      const rlimit limit{static_cast<rlim_t>(vm_kb + 48 * 1024) * 1024, static_cast<rlim_t>(vm_kb + 48 * 1024) * 1024};
      if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(10);
      try {
        ThreadPool pool(threads);
        ::_exit(11);  // every thread started: the limit did not bite
      } catch (const ConfigError& e) {
        const bool named = std::strstr(e.what(), "run.threads") != nullptr;
        ::_exit(named ? 0 : 12);
      } catch (...) {
        ::_exit(13);
      }
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << threads << " threads: ended by signal " << WTERMSIG(status) << " (a hang)";
    EXPECT_EQ(WEXITSTATUS(status), 0) << threads << " threads";
  }
  // The process itself is unharmed and can still start threads.
  ThreadPool pool(4);
  std::atomic<int> n{0};
  pool.ParallelFor(100, [&](int, int) { ++n; });
  EXPECT_EQ(n, 100);
}

}  // namespace
}  // namespace neurevo

namespace neurevo {
namespace {

// The background lane: refused with one worker; with two, its jobs run on
// the last worker in the order given while loops go on, and the lane is
// free again after them.
TEST(ThreadPool, BackgroundLaneRunsBesideLoops) {
  ThreadPool single(1);
  EXPECT_FALSE(single.StartBackground([] {}));
  EXPECT_FALSE(single.background_busy());

  ThreadPool pool(2);
  std::atomic<bool> release{false}, finished{false};
  std::atomic<int> worker_seen{-1};
  std::vector<int> order;  // written by the lane only
  ASSERT_TRUE(pool.StartBackground([&] {
    while (!release.load()) std::this_thread::yield();
    order.push_back(1);
    finished = true;
  }));
  EXPECT_TRUE(pool.background_busy());
  ASSERT_TRUE(pool.StartBackground([&] { order.push_back(2); })) << "queued behind the first";
  // A loop completes while the job holds its worker (the caller does the work).
  std::vector<int> done(100, 0);
  pool.ParallelFor(100, [&](int i, int worker) {
    done[i] = 1;
    worker_seen = worker;
  });
  EXPECT_EQ(std::count(done.begin(), done.end(), 1), 100);
  release = true;
  while (pool.background_busy()) std::this_thread::yield();
  EXPECT_TRUE(finished.load());
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  // Free again, and loops use both workers.
  EXPECT_TRUE(pool.StartBackground([] {}));
  while (pool.background_busy()) std::this_thread::yield();
  std::vector<int> twice(1000, 0);
  pool.ParallelFor(1000, [&](int i, int) { ++twice[i]; });
  EXPECT_EQ(std::count(twice.begin(), twice.end(), 1), 1000);
}

// Jobs still queued when the pool is destroyed run first (a checkpoint
// write handed to the lane is never dropped).
TEST(ThreadPool, QueuedBackgroundJobsRunBeforeDestruction) {
  std::atomic<int> ran{0};
  {
    std::atomic<bool> release{false};  // declared first: it outlives the pool and its jobs
    ThreadPool pool(2);
    ASSERT_TRUE(pool.StartBackground([&] {
      while (!release.load()) std::this_thread::yield();
      ++ran;
    }));
    for (int k = 0; k < 3; ++k) ASSERT_TRUE(pool.StartBackground([&] { ++ran; }));
    release = true;
  }
  EXPECT_EQ(ran.load(), 4);
}

}  // namespace
}  // namespace neurevo
