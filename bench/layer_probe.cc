// How much of the observation reaches each population of a network, and how
// much the actions move: the measurement behind the heterogeneity control
// table's choices (BENCHMARKS.md, "Continuous control at equal parameter
// counts").
//
//   layer_probe CONFIG.toml [--genome uniform|center|RUN_DIR] [--steps N] [--seed S] [--set KEY=VALUE ...]
//
// The network of CONFIG (model.kind = "network") for its task's observation
// and action sizes is driven by synthetic observations that a normalised
// task would give: each component an AR(1) process with unit variance and
// lag-1 correlation 0.9 (about 10 environment steps), independent of the
// actions. The genome: genes drawn uniformly in their ranges (as
// optimizer.init_mean = "uniform" starts), every gene at its range's centre,
// or a run directory's best genome (then the run's own config.toml builds the
// network and CONFIG only names the output). After 200 steps of warm-up, for each
// population: the mean and standard deviation over time of the membrane
// potential at the end of each step, and the held-out R^2 of a ridge
// regression of the observation on the population's potentials (first 80 % of
// the steps fit, last 20 % scored; R^2 averaged over the observation's
// components; 1: the observation is linearly readable, 0: not at all). Then
// each action's mean and standard deviation over time (in [0, 1], the output
// activity before it is scaled to the action range).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "model/lif_network.h"
#include "model/network_model.h"
#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/task.h"
#include "train/run_files.h"

namespace {

using neurevo::ConfigError;

// Held-out R^2 of predicting X from the columns of F (ridge, standardised features).
double HeldOutR2(Eigen::MatrixXd F, const Eigen::MatrixXd& X, int fit_rows) {
  const int score_rows = static_cast<int>(F.rows()) - fit_rows;
  const Eigen::RowVectorXd mean = F.topRows(fit_rows).colwise().mean();
  F.rowwise() -= mean;
  for (int c = 0; c < F.cols(); ++c) {
    const double sd = std::sqrt(F.col(c).head(fit_rows).squaredNorm() / fit_rows);
    F.col(c) /= sd + 1e-9;  // a silent neuron's column stays zero
  }
  const Eigen::MatrixXd fit = F.topRows(fit_rows);
  const Eigen::MatrixXd gram = fit.transpose() * fit + 10.0 * Eigen::MatrixXd::Identity(F.cols(), F.cols());
  const Eigen::MatrixXd w = gram.ldlt().solve(fit.transpose() * X.topRows(fit_rows));
  const Eigen::MatrixXd predicted = F.bottomRows(score_rows) * w, actual = X.bottomRows(score_rows);
  double r2 = 0;
  for (int j = 0; j < X.cols(); ++j) {
    const double residual = (actual.col(j) - predicted.col(j)).squaredNorm();
    const double total = (actual.col(j).array() - actual.col(j).mean()).square().sum();
    r2 += 1.0 - residual / total;
  }
  return r2 / static_cast<double>(X.cols());
}

int Run(int argc, char** argv) {
  if (argc < 2) throw ConfigError("usage: layer_probe CONFIG.toml [--genome uniform|center|RUN_DIR] [--steps N] "
                                  "[--seed S] [--set KEY=VALUE ...]");
  std::string genome_source = "uniform";
  int steps = 5000;
  unsigned long seed = 1;
  std::vector<std::string> overrides;
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw ConfigError(flag + ": needs a value");
    const std::string value = argv[++i];
    // A number flag's value must be all digits (std::stoi alone would take "12abc").
    const auto number = [&]() {
      if (value.empty() || value.size() > 9 || value.find_first_not_of("0123456789") != std::string::npos)
        throw ConfigError(flag + ": '" + value + "' is not a whole number up to 999999999");
      return std::stol(value);
    };
    if (flag == "--genome") genome_source = value;
    else if (flag == "--steps") steps = static_cast<int>(number());
    else if (flag == "--seed") seed = static_cast<unsigned long>(number());
    else if (flag == "--set") overrides.push_back(value);
    else throw ConfigError(flag + ": unknown option; allowed: --genome, --steps, --seed, --set");
  }
  if (steps < 500 || steps > 1000000) throw ConfigError("--steps: allowed: 500 .. 1000000");
  const bool from_run = genome_source != "uniform" && genome_source != "center";
  const neurevo::RunConfig config =
      from_run ? neurevo::LoadRunConfig(genome_source) : neurevo::LoadConfigFile(argv[1], overrides);
  if (config.model.kind != "network") throw ConfigError("model.kind: layer_probe needs \"network\"");
  const auto task = neurevo::MakeTask(config.task_name, config.task_options);
  const neurevo::LifDecoder decoder =
      neurevo::NetworkDecoder(config.model, task->observation_space(), task->action_space());
  const int observations = static_cast<int>(task->observation_space().vector_size());

  std::mt19937_64 rng(seed);
  std::vector<double> genome(decoder.layout().size());
  if (from_run) {
    genome = neurevo::ParseGenomeFile((std::filesystem::path(genome_source) / "best_genome.json").string(),
                                      decoder.layout(), observations, &config)
                 .genes;
  } else {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (double& g : genome) g = genome_source == "center" ? 0.5 : uniform(rng);
  }
  const neurevo::LifNetwork net = decoder.Decode(genome);
  neurevo::LifState state(net);
  state.Reset(seed);

  const int warmup = 200, rows = steps - warmup, fit_rows = rows * 4 / 5;
  Eigen::MatrixXd potentials(rows, net.neurons), observed(rows, observations), actions(rows, net.outputs);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> x(observations, 0.0);
  std::vector<float> out(net.outputs);
  for (int t = 0; t < steps; ++t) {
    for (double& xi : x) xi = 0.9 * xi + std::sqrt(1.0 - 0.81) * normal(rng);
    state.Step(x, out);
    if (!state.healthy()) throw std::runtime_error("the network diverged (a non-finite potential)");
    if (t < warmup) continue;
    const auto v = state.potentials();
    for (int i = 0; i < net.neurons; ++i) potentials(t - warmup, i) = v[i];
    for (int j = 0; j < observations; ++j) observed(t - warmup, j) = x[j];
    for (int k = 0; k < net.outputs; ++k) actions(t - warmup, k) = out[k];
  }

  std::printf("%s: %d neurons, %d observations, %d actions, %d steps, genome %s\n", argv[1], net.neurons,
              observations, net.outputs, steps, genome_source.c_str());
  std::printf("%-12s %7s %9s %9s %12s\n", "population", "size", "mean V", "sd(V)", "R^2 (obs)");
  for (const auto& p : decoder.network().populations) {
    if (p.size == 0) continue;
    const Eigen::MatrixXd block = potentials.middleCols(p.begin, p.size);
    const Eigen::RowVectorXd mean = block.colwise().mean();
    double sd = 0;
    for (int c = 0; c < p.size; ++c) sd += std::sqrt((block.col(c).array() - mean(c)).square().mean());
    std::printf("%-12s %7d %9.2f %9.3f %12.3f\n", p.name.c_str(), p.size, mean.mean(), sd / p.size,
                HeldOutR2(block, observed, fit_rows));
  }
  for (int k = 0; k < net.outputs; ++k) {
    const double mean = actions.col(k).mean();
    std::printf("action %d: mean %.3f, sd %.3f\n", k, mean,
                std::sqrt((actions.col(k).array() - mean).square().mean()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "layer_probe: %s\n", e.what());
    return 2;
  }
}
