// Issue 17: the final evaluation streams its statistics chunk by chunk (its
// memory stays bounded at 10^8 episodes) and stops between episodes.
#include "train/eval_stats.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>

#include "core/thread_pool.h"
#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"
#include "train/evaluator.h"

namespace neurevo {
namespace {

std::vector<EpisodeResult> RandomEpisodes(int n, uint64_t seed) {
  RandomStream rng(seed);
  std::vector<EpisodeResult> out(n);
  for (auto& e : out) {
    e.total_reward = 1000 * rng.Uniform() - 300;
    e.steps = 1 + static_cast<long long>(rng.Below(500));
    e.failed = rng.Uniform() < 0.01;
  }
  return out;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Up to one chunk, bit-identical to the two-pass Summarise (today's
// eval_mean and eval_std); beyond, the same mean and the same spread to
// rounding.
TEST(EvalStats, StreamingMatchesSummarise) {
  for (int n : {1, 2, 100, 12345}) {
    const auto episodes = RandomEpisodes(n, n);
    EvalAccumulator acc;
    acc.Add(episodes);
    const EvalStats a = acc.Result(), b = Summarise(episodes);
    EXPECT_TRUE(SameBits(a.mean, b.mean) && SameBits(a.std, b.std)) << n;
    EXPECT_EQ(a.min, b.min);
    EXPECT_EQ(a.max, b.max);
    EXPECT_EQ(a.steps, b.steps);
    EXPECT_EQ(a.failed, b.failed);
  }
  const auto all = RandomEpisodes(10000, 3);
  EvalAccumulator acc;
  for (int first = 0; first < 10000; first += 999)
    acc.Add(std::vector<EpisodeResult>(all.begin() + first, all.begin() + std::min(10000, first + 999)));
  const EvalStats a = acc.Result(), b = Summarise(all);
  EXPECT_TRUE(SameBits(a.mean, b.mean));
  EXPECT_NEAR(a.std, b.std, 1e-9 * b.std);
  EXPECT_EQ(a.min, b.min);
  EXPECT_EQ(a.max, b.max);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.failed, b.failed);
}

TEST(EvalStats, StreamEpisodesRunsChunksInOrderAndStopsAtAnAbortedOne) {
  std::vector<std::pair<int, int>> calls;
  bool aborted = true;
  StreamEpisodes(kEvalChunk * 2 + 5, [&](int first, int count) {
    calls.push_back({first, count});
    return std::vector<EpisodeResult>(1);
  }, &aborted);
  EXPECT_FALSE(aborted);
  EXPECT_EQ(calls, (std::vector<std::pair<int, int>>{{0, kEvalChunk}, {kEvalChunk, kEvalChunk}, {2 * kEvalChunk, 5}}));
  calls.clear();
  StreamEpisodes(kEvalChunk * 3, [&](int first, int count) {
    calls.push_back({first, count});
    std::vector<EpisodeResult> r(1);
    r[0].aborted = true;
    return r;
  }, &aborted);
  EXPECT_TRUE(aborted);
  EXPECT_EQ(calls.size(), 1u);
}

// A raised stop flag ends a held-out evaluation of 10^6 episodes at once:
// the rest come back aborted without running (it took 11 s before).
TEST(EvalStats, AStopEndsALongEvaluationBetweenEpisodes) {
  auto task = MakeTask("CartPole-v1");
  ModelOptions options;
  auto model = MakeModel(options, task->observation_space(), task->action_space());
  ThreadPool pool(2);
  std::atomic<bool> stop{true};
  Evaluator evaluator(*model, "CartPole-v1", pool, &stop);
  const std::vector<double> genome(model->layout().size(), 0.5);
  const ObsNormalizer normalizer(4, true, 5);
  const auto start = std::chrono::steady_clock::now();
  const auto results = evaluator.EvaluateHeldOut(genome, normalizer, 1, 1000000);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 3.0);
  for (const auto& r : results) ASSERT_TRUE(r.aborted);
  // Without the flag the same episodes run (and are not aborted).
  stop = false;
  const auto some = evaluator.EvaluateHeldOut(genome, normalizer, 1, 3, {}, 999997);
  for (const auto& r : some) EXPECT_FALSE(r.aborted);
  EXPECT_GT(some[0].steps, 0);
}

}  // namespace
}  // namespace neurevo
