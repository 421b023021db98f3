// Classic benchmark cost functions; see test_functions.h (Hansen,
// arXiv:1604.00772; Hansen et al. 2009, BBOB noiseless function definitions).
#include "optim/test_functions.h"

#include <cmath>
#include <numbers>

namespace neurevo {

double Sphere(std::span<const double> x) {
  double f = 0.0;
  for (double v : x) f += v * v;
  return f;
}

double Ellipsoid(std::span<const double> x) {
  const size_t n = x.size();
  double f = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double exponent = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0;
    f += std::pow(1e6, exponent) * x[i] * x[i];
  }
  return f;
}

double Rosenbrock(std::span<const double> x) {
  double f = 0.0;
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    const double b = 1.0 - x[i];
    f += 100.0 * a * a + b * b;
  }
  return f;
}

double Rastrigin(std::span<const double> x) {
  double f = 10.0 * static_cast<double>(x.size());
  for (double v : x) f += v * v - 10.0 * std::cos(2.0 * std::numbers::pi * v);
  return f;
}

}  // namespace neurevo
