// ENOMAD's two refinement variants on one test function: how their accepted
// changes are spread over the coordinates (issue: ENOMAD reproduces the two
// variants' qualitative difference).
//
// Function: maximise -sum_i (x_i - t_i)^2 in n = 100 with a fixed target t
// of mixed signs in [-1, 1], starting from a mean whose signs match t's (as a
// connectome's weights carry their synapse's sign). For every MADS frame of
// every refinement phase, the accepted change d = x_end - x_start of its
// individual is recorded: how many coordinates it moved, and by how much each.
//   enomad_variants [--generations G] [--seeds S]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "neurevo/optimizer.h"
#include "neurevo/random.h"
#include "optim/enomad.h"

namespace {

constexpr int kN = 100;

struct Tally {
  std::vector<int> moved;        // coordinates moved, per frame and phase
  std::vector<double> changes;   // |d_i| of each moved coordinate
  std::vector<double> final_f;   // best fitness at the end, per seed
};

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

void Run(const std::string& variant, uint64_t seed, int generations, Tally& tally) {
  neurevo::RandomStream rng(seed, 12345);
  std::vector<double> target(kN), start(kN);
  for (int i = 0; i < kN; ++i) {
    target[i] = rng.Uniform(-1.0, 1.0);
    start[i] = std::copysign(rng.Uniform(0.05, 1.0), target[i]);
  }
  auto f = [&](const std::vector<double>& x) {
    double s = 0;
    for (int i = 0; i < kN; ++i) s -= (x[i] - target[i]) * (x[i] - target[i]);
    return s;
  };
  neurevo::OptimizerOptions o;
  o.kind = "enomad";
  o.enomad_variant = variant;
  o.population = 20;
  o.sigma0 = 0.1;
  neurevo::Enomad opt(o, kN, seed, start);
  std::vector<Eigen::VectorXd> phase_start;
  while (opt.generation() < generations) {
    const bool refining = opt.refining();
    if (refining && phase_start.empty())
      for (const auto& fr : opt.frames()) phase_start.push_back(fr.x);
    const auto candidates = opt.Ask();
    std::vector<double> fitness;
    for (const auto& x : candidates) fitness.push_back(f(x));
    // The incumbents after this poll, as the frames will accept them (a poll
    // point replaces its frame's incumbent only if strictly better).
    std::vector<Eigen::VectorXd> after;
    if (refining) {
      const auto& frames = opt.frames();
      const size_t per = candidates.size() / frames.size();
      for (size_t j = 0; j < frames.size(); ++j) {
        size_t best = j * per;
        for (size_t k = j * per; k < (j + 1) * per; ++k)
          if (fitness[k] > fitness[best]) best = k;
        after.push_back(fitness[best] > frames[j].fx
                            ? Eigen::Map<const Eigen::VectorXd>(candidates[best].data(), kN).eval()
                            : frames[j].x);
      }
    }
    opt.Tell(fitness);
    if (refining && !opt.refining()) {  // the phase ended with this poll
      for (size_t j = 0; j < after.size(); ++j) {
        const Eigen::VectorXd d = after[j] - phase_start[j];
        int moved = 0;
        for (int i = 0; i < kN; ++i)
          if (d(i) != 0.0) ++moved, tally.changes.push_back(std::abs(d(i)));
        tally.moved.push_back(moved);
      }
      phase_start.clear();
    }
  }
  const auto best = opt.Mean();
  tally.final_f.push_back(f(best));
}

}  // namespace

int main(int argc, char** argv) {
  int generations = 400, seeds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--generations") generations = std::atoi(argv[i + 1]);
    else if (a == "--seeds") seeds = std::atoi(argv[i + 1]);
  }
  std::printf("| variant | frames | coordinates moved per frame: median [min - max] | |change| per moved coordinate: "
              "p10 / median / p90 | sum of |changes| per frame (median) | final f, median of %d seeds |\n",
              seeds);
  std::printf("|---|---|---|---|---|---|\n");
  for (const std::string variant : {"many_small", "few_large"}) {
    Tally t;
    for (int s = 1; s <= seeds; ++s) Run(variant, static_cast<uint64_t>(s), generations, t);
    std::vector<double> moved(t.moved.begin(), t.moved.end());
    // Total movement per frame: changes are grouped by frame in order.
    std::vector<double> totals;
    size_t at = 0;
    for (int m : t.moved) {
      double sum = 0;
      for (int k = 0; k < m; ++k) sum += t.changes[at++];
      totals.push_back(sum);
    }
    std::printf("| %s | %zu | %.0f [%.0f - %.0f] | %.2g / %.2g / %.2g | %.3g | %.4g |\n", variant.c_str(),
                t.moved.size(), Quantile(moved, 0.5), Quantile(moved, 0.0), Quantile(moved, 1.0),
                Quantile(t.changes, 0.1), Quantile(t.changes, 0.5), Quantile(t.changes, 0.9), Quantile(totals, 0.5),
                Quantile(t.final_f, 0.5));
  }
  return 0;
}
