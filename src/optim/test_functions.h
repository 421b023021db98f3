// Classic benchmark cost functions (to be MINIMISED; optimizers, which
// maximise, are given -f).
//
// Definitions as in Hansen, "The CMA Evolution Strategy: A Tutorial"
// (arXiv:1604.00772) and the COCO/BBOB suite (Hansen et al. 2009,
// "Real-Parameter Black-Box Optimization Benchmarking 2009: Noiseless
// Functions Definitions"), without shifts or rotations:
//   sphere      f(x) = sum_i x_i^2                                  min 0 at 0
//   ellipsoid   f(x) = sum_i 1e6^(i/(n-1)) x_i^2  (condition 1e6)  min 0 at 0
//   rosenbrock  f(x) = sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2  min 0 at 1
//   rastrigin   f(x) = 10 n + sum_i x_i^2 - 10 cos(2 pi x_i)        min 0 at 0
#pragma once

#include <span>

namespace neurevo {

double Sphere(std::span<const double> x);
double Ellipsoid(std::span<const double> x);
double Rosenbrock(std::span<const double> x);
double Rastrigin(std::span<const double> x);

}  // namespace neurevo
