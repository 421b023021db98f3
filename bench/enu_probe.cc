// The STDP curve of an evolved ENU synapse (a StdpMimic run) against the
// rule it imitates (BENCHMARKS.md and docs/enu_stdp.svg):
//
//   build/bench/enu_probe RUN_DIR > curve.jsonl
//
// For each pre-post interval dt in [-10, 10] a fresh unit plays: 5 steps of
// graded input x = 0.5 with the modulator on and no spikes (its effective
// weight before: output / x on the last of them), a pre spike at step 5 and
// a post spike at step 5 + dt (post first for dt < 0), then quiet steps
// until step 40 (the weight after: output / x). The unit's change is the
// difference to the same sequence without the two spikes (its drift under a
// steady input is not plasticity). The same sequence goes through the rule
// (StdpRule, with the run's amplitudes); one JSON line per dt with both
// changes.
#include <cstdio>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "tasks/cognitive/stdp_mimic.h"
#include "train/run_files.h"

using namespace neurevo;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: enu_probe RUN_DIR (a StdpMimic run)\n");
    return 2;
  }
  try {
    const LoadedRun run = LoadRun(argv[1]);
    // The probe feeds raw observations.
    if (run.config.obs_normalization)
      throw ConfigError("the run normalises observations (train.obs_normalization); the probe feeds them raw");
    // The rule with the run's amplitudes (task options potentiation, depression).
    const auto* mimic = dynamic_cast<const StdpMimic*>(run.task.get());
    if (mimic == nullptr) throw ConfigError("the run's task is not StdpMimic");
    const double potentiation = mimic->potentiation(), depression = mimic->depression();
    const auto controller = run.model->DecodeController(run.genome.genes);
    constexpr int kPairStep = 5, kEnd = 40;
    constexpr double kX = 0.5;
    // The unit's output / x at the last step, and at step kPairStep - 1.
    auto play = [&](int pre_step, int post_step, double* before) {
      auto policy = controller->NewPolicy();
      policy->Reset(1);
      std::vector<double> action(1);
      for (int t = 0; t < kEnd; ++t) {
        const std::vector<double> obs = {kX, t == pre_step ? 1.0 : 0.0, 1.0, t == post_step ? 1.0 : 0.0};
        policy->Act(obs, action);
        if (t == kPairStep - 1 && before != nullptr) *before = action[0] / kX;
      }
      return action[0] / kX;
    };
    double before = 0;
    const double unpaired = play(-1, -1, &before);
    for (int dt = -10; dt <= 10; ++dt) {
      const int pre_step = dt >= 0 ? kPairStep : kPairStep - dt, post_step = pre_step + dt;
      StdpRule rule{.potentiation = potentiation, .depression = depression};
      for (int t = 0; t < kEnd; ++t) rule.Step(t == pre_step, t == post_step, true);
      std::printf("{\"dt\": %d, \"unit_before\": %.6f, \"unit_unpaired\": %.6f, \"unit_change\": %.6f, "
                  "\"rule_change\": %.6f, \"rule_pairing_change\": %.6f}\n",
                  dt, before, unpaired, play(pre_step, post_step, nullptr) - unpaired,
                  rule.w - StdpRule::kInitialWeight, StdpRule::PairingChange(dt, potentiation, depression));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "enu_probe: %s\n", e.what());
    return 1;
  }
  return 0;
}
