// A fitness server for optimizers outside neurevo (bench/enomad_peer.py):
// reads genomes from standard input, one per line (the config's genes in [0,
// 1], space-separated), and prints each one's episode return, one per line,
// flushed, so that a Python optimizer can drive neurevo's networks and tasks
// through a pipe at C++ speed.
//
//   build/bench/genome_fitness CONFIG [--set KEY=VALUE ...] [--episodes N]
//
// The first line printed is the genome size. Each genome plays N episodes
// (default 1; seeds 1..N) and its fitness is their mean return, or -1e300
// (the trainer's failed fitness) if an episode fails as the trainer's would
// (its episode loop: a non-finite observation, action, reward or state, a
// simulation warning). Configs with
// observation normalisation are refused: its running statistics belong to a
// training run, not to a single genome.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "train/episode.h"
#include "train/evaluator.h"
#include "train/obs_normalizer.h"

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::cerr << "usage: genome_fitness CONFIG [--set KEY=VALUE ...] [--episodes N]\n";
      return 2;
    }
    std::vector<std::string> overrides;
    int episodes = 1;
    for (int i = 2; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--set" && i + 1 < argc) {
        overrides.push_back(argv[++i]);
      } else if (a == "--episodes" && i + 1 < argc) {
        const std::string v = argv[++i];
        size_t used = 0;
        episodes = std::stoi(v, &used);
        if (used != v.size() || episodes < 1) throw neurevo::ConfigError("--episodes: a whole number >= 1");
      } else {
        throw neurevo::ConfigError("unknown argument '" + a + "'");
      }
    }
    const neurevo::RunConfig config = neurevo::LoadConfigFile(argv[1], overrides);
    if (config.obs_normalization)
      throw neurevo::ConfigError("train.obs_normalization: genome_fitness plays genomes without a run's "
                                 "observation statistics; allowed: a config with obs_normalization = false");
    const auto task = neurevo::MakeTask(config.task_name, config.task_options);
    const auto model = neurevo::MakeModel(config.model, task->observation_space(), task->action_space());
    const int n = model->layout().size();
    std::cout << n << std::endl;
    const neurevo::ObsNormalizer normalizer(task->observation_space().vector_size(), /*enabled=*/false, config.obs_clip);
    std::vector<double> genome;
    for (std::string line; std::getline(std::cin, line);) {
      genome.clear();
      std::istringstream in(line);
      for (double x; in >> x;) genome.push_back(x);
      if (!in.eof()) {
        std::cerr << "genome_fitness: a line holds something that is not a number after " << genome.size()
                  << " genes\n";
        return 1;
      }
      if (static_cast<int>(genome.size()) != n) {
        std::cerr << "genome_fitness: a line holds " << genome.size() << " genes; the config's genome has " << n
                  << "\n";
        return 1;
      }
      const auto controller = model->DecodeController(genome);
      // The trainer's episode loop (train/episode.h), so a genome fails here exactly where it fails there.
      double total = 0.0;
      bool failed = false;
      for (int e = 0; e < episodes && !failed; ++e) {
        const auto policy = controller->NewPolicy();
        const neurevo::EpisodeResult r = neurevo::RunEpisode(*policy, *task, normalizer, e + 1, e + 1);
        failed = r.failed;
        total += r.total_reward;
      }
      std::cout << (failed ? neurevo::kFailedFitness : total / episodes) << std::endl;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "genome_fitness: " << e.what() << "\n";
    return 1;
  }
}
