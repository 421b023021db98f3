// CMA-ES's linear algebra at large n (issue 26, item 2): the time of one
// generation (Ask + Tell on the sphere, without an eigendecomposition) and of
// one eigendecomposition, for bench/cma_linalg.py to set beside pycma's.
//
//   build/bench/cma_linalg N [generations] [--eigen-too]
//
// --eigen-too also times Eigen's SelfAdjointEigenSolver on the same matrix
// (the solver before LAPACK's dsyevd replaced it), side by side.
//
// Population: pycma's default, 4 + floor(3 ln N). The generation time is the
// median over `generations` (default 7) generations; the lazy update makes
// an eigendecomposition due only every ~N/10 generations at these sizes, so
// none falls into them (checked: the decomposition count is printed). The
// eigendecomposition is timed on a random symmetric positive definite
// matrix, M M^T / N + I with M's entries N(0, 1) (as bench/cma_linalg.py
// gives numpy), since a near-identity C would let divide and conquer deflate
// most of its work. Prints one JSON line.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "neurevo/optimizer.h"
#include "neurevo/random.h"
#include "optim/cma_es.h"
#include "optim/symmetric_eigen.h"

namespace {
double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace neurevo;
  if (argc < 2) {
    std::fprintf(stderr, "usage: cma_linalg N [generations]\n");
    return 2;
  }
  const int n = std::atoi(argv[1]);
  const int generations = argc > 2 ? std::atoi(argv[2]) : 7;
  if (n < 2 || n > 20000 || generations < 1) {
    std::fprintf(stderr, "cma_linalg: N in 2 .. 20000, generations >= 1\n");
    return 2;
  }
  OptimizerOptions o;
  o.kind = "cma_es";
  o.population = 4 + static_cast<int>(std::floor(3 * std::log(n)));
  o.parents = o.population / 2;
  o.sigma0 = 0.1;
  auto es = MakeOptimizer(o, n, 1, std::vector<double>(n, 0.5));
  std::vector<double> times;
  for (int g = 0; g < generations; ++g) {
    const auto start = std::chrono::steady_clock::now();
    const auto pop = es->Ask();
    std::vector<double> fitness;
    for (const auto& x : pop) {
      double f = 0;
      for (double v : x) f -= (v - 0.5) * (v - 0.5);
      fitness.push_back(f);
    }
    es->Tell(fitness);
    times.push_back(Seconds(start));
  }
  std::sort(times.begin(), times.end());
  const double generation = times[times.size() / 2];
  // A random SPD matrix, M M^T / n + I.
  Eigen::MatrixXd m(n, n);
  RandomStream rng(7);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) m(i, j) = rng.Normal();
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(n, n);
  c.noalias() += m * m.transpose() / n;
  Eigen::VectorXd values;
  Eigen::MatrixXd vectors;
  const auto start = std::chrono::steady_clock::now();
  const bool ok = SymmetricEigen(c, &values, &vectors);
  const double eigen = Seconds(start);
  const double residual = ok ? (c * vectors.col(0) - values(0) * vectors.col(0)).norm() : NAN;
  double eigen_eigen = NAN;
  if (argc > 3 && std::string(argv[3]) == "--eigen-too") {
    const auto t = std::chrono::steady_clock::now();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(c);
    eigen_eigen = Seconds(t);
    if (solver.info() != Eigen::Success) eigen_eigen = NAN;
  }
  std::printf("{\"n\": %d, \"lambda\": %d, \"generation_s\": %.6f, \"generations\": %d, \"eigen_s\": %.4f, "
              "\"eigen_ok\": %s, \"residual\": %.3g, \"backend\": \"%s\", \"eigen_solver_s\": %s}\n",
              n, o.population, generation, generations, eigen, ok ? "true" : "false", residual,
              SymmetricEigenBackend(), std::isnan(eigen_eigen) ? "null" : std::to_string(eigen_eigen).c_str());
  return 0;
}
