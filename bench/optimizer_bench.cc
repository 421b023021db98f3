// Runs one optimizer on one benchmark function and prints, as one JSON line,
// the evaluations it needed to reach f <= target (counted at the end of the
// generation that reached it, as pycma's ftarget does).
//
//   optimizer_bench KIND FUNCTION DIMENSION SEED [key=value ...]
//
// FUNCTION: sphere | ellipsoid | rosenbrock | rastrigin (src/optim/
// test_functions.h). key=value sets OptimizerOptions fields (population,
// parents, sigma0, active, restarts, fitness_shaping, learning_rate,
// pgpe_optimizer, pgpe_sigma_lr, elites, crossover, mads_poll,
// enomad_variant, enomad_refine, mads_iterations, enomad_subset) and the run
// (target, max_evals, shift: evaluate f(x - shift)). Protocol (bench/pycma_compare.py uses the same): the
// start x0 is the optimizer's uniform initial mean U[0,1]^n for SEED (printed
// as "x0"), sigma0 defaults to 0.5, population to 4 + floor(3 ln n),
// target 1e-8, max_evals 10^6.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "optim/cma_restarts.h"
#include "optim/test_functions.h"

namespace {

using neurevo::OptimizerOptions;

bool ParseBool(const std::string& v) { return v == "true" || v == "1"; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s KIND FUNCTION DIMENSION SEED [key=value ...]\n", argv[0]);
    return 2;
  }
  const std::string kind = argv[1], function = argv[2];
  const int n = std::atoi(argv[3]);
  const uint64_t seed = std::strtoull(argv[4], nullptr, 10);
  OptimizerOptions o;
  o.kind = kind;
  o.sigma0 = 0.5;
  o.population = 4 + static_cast<int>(std::floor(3.0 * std::log(static_cast<double>(n))));
  o.parents = 0;
  double target = 1e-8;
  double shift = 0.0;  // evaluate f(x - shift): moves the optimum off 0
  long long max_evals = 1000000;
  for (int a = 5; a < argc; ++a) {
    const std::string arg = argv[a];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "expected key=value, got %s\n", arg.c_str());
      return 2;
    }
    const std::string k = arg.substr(0, eq), v = arg.substr(eq + 1);
    if (k == "population") o.population = std::stoi(v);
    else if (k == "parents") o.parents = std::stoi(v);
    else if (k == "sigma0") o.sigma0 = std::stod(v);
    else if (k == "active") o.active = ParseBool(v);
    else if (k == "restarts") o.restarts = v;
    else if (k == "fitness_shaping") o.fitness_shaping = v;
    else if (k == "learning_rate") o.learning_rate = std::stod(v);
    else if (k == "weight_decay") o.weight_decay = std::stod(v);
    else if (k == "pgpe_optimizer") o.pgpe_optimizer = v;
    else if (k == "pgpe_sigma_lr") o.pgpe_sigma_lr = std::stod(v);
    else if (k == "elites") o.elites = std::stoi(v);
    else if (k == "crossover") o.crossover = std::stod(v);
    else if (k == "mads_poll") o.mads_poll = v;
    else if (k == "enomad_variant") o.enomad_variant = v;
    else if (k == "enomad_refine") o.enomad_refine = std::stoi(v);
    else if (k == "mads_iterations") o.mads_iterations = std::stoi(v);
    else if (k == "enomad_subset") o.enomad_subset = std::stoi(v);
    else if (k == "target") target = std::stod(v);
    else if (k == "shift") shift = std::stod(v);
    else if (k == "max_evals") max_evals = std::stoll(v);
    else {
      std::fprintf(stderr, "unknown key %s\n", k.c_str());
      return 2;
    }
  }
  double (*cost)(std::span<const double>) = nullptr;
  if (function == "sphere") cost = neurevo::Sphere;
  else if (function == "ellipsoid") cost = neurevo::Ellipsoid;
  else if (function == "rosenbrock") cost = neurevo::Rosenbrock;
  else if (function == "rastrigin") cost = neurevo::Rastrigin;
  else {
    std::fprintf(stderr, "unknown function %s\n", function.c_str());
    return 2;
  }
  try {
    auto es = neurevo::MakeOptimizer(o, n, seed);
    const std::vector<double> x0 = es->Mean();
    long long evals = 0;
    double best = std::numeric_limits<double>::infinity();
    std::vector<double> best_x;
    bool reached = false;
    while (evals < max_evals && !reached) {
      const auto population = es->Ask();
      std::vector<double> fitness;
      fitness.reserve(population.size());
      std::vector<double> shifted(static_cast<size_t>(n));
      for (const auto& x : population) {
        for (int i = 0; i < n; ++i) shifted[static_cast<size_t>(i)] = x[static_cast<size_t>(i)] - shift;
        const double f = cost(shifted);
        if (f < best) {
          best = f;
          best_x = shifted;
        }
        fitness.push_back(-f);
      }
      evals += static_cast<long long>(population.size());
      es->Tell(fitness);
      reached = best <= target;
    }
    nlohmann::json out;
    out["kind"] = kind;
    out["function"] = function;
    out["dimension"] = n;
    out["seed"] = seed;
    out["population"] = o.population;
    out["sigma0"] = o.sigma0;
    out["active"] = o.active;
    out["restarts"] = o.restarts;
    out["evals"] = reached ? nlohmann::json(evals) : nlohmann::json(nullptr);
    out["evals_used"] = evals;
    out["best"] = best;
    out["best_x"] = best_x;  // in the function's own coordinates (shift removed)
    out["generations"] = es->generation();
    if (const auto* r = dynamic_cast<const neurevo::CmaRestarts*>(es.get())) {
      out["restart_count"] = r->restarts();
      out["last_restart_reason"] = r->last_reason();
      out["final_population"] = r->population();
    }
    out["x0"] = x0;
    std::printf("%s\n", out.dump().c_str());
  } catch (const neurevo::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  return 0;
}
