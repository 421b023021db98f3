#include "core/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

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

}  // namespace
}  // namespace neurevo
