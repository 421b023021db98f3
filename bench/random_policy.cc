// Return of a uniformly random policy on a task: the reference that trained
// controllers are compared with (BENCHMARKS.md).
//
//   random_policy TASK [EPISODES=100] [SEED=1]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "neurevo/random.h"
#include "neurevo/task.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: random_policy TASK [EPISODES] [SEED]\n");
    return 2;
  }
  const int episodes = argc > 2 ? std::atoi(argv[2]) : 100;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  auto task = neurevo::MakeTask(argv[1]);
  const auto& space = task->action_space();
  std::vector<double> obs(task->observation_space().vector_size()), action(space.vector_size());
  neurevo::RandomStream rng(seed, 0, 0, 0, neurevo::StreamPurpose::kTest);
  double sum = 0, sum2 = 0;
  for (int e = 0; e < episodes; ++e) {
    task->Reset(neurevo::HashKey({seed, static_cast<uint64_t>(e)}), obs);
    double total = 0;
    for (;;) {
      if (space.discrete()) action[0] = static_cast<double>(rng.Below(space.size));
      else
        for (int i = 0; i < space.size; ++i) action[i] = rng.Uniform(space.low[i], space.high[i]);
      const auto r = task->Step(action, obs);
      total += r.reward;
      if (r.terminated || r.truncated) break;
    }
    sum += total;
    sum2 += total * total;
  }
  const double mean = sum / episodes;
  std::printf("{\"task\": \"%s\", \"episodes\": %d, \"mean\": %.3f, \"std\": %.3f}\n", argv[1], episodes,
              mean, std::sqrt(std::max(0.0, sum2 / episodes - mean * mean)));
}
