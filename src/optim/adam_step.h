// One Adam step as OpenAI's evolution-strategies reference code takes it,
// shared by openai_es (es_update = "adam") and pgpe (center_optimizer =
// "adam"). It minimises: x moves against `grad`.
//   t += 1;  a = lr sqrt(1 - b2^t) / (1 - b1^t)
//   m = b1 m + (1 - b1) grad;  v = b2 v + (1 - b2) grad^2
//   x -= a m / (sqrt(v) + 1e-8)
// The state (m, v, t) stays with the caller, which saves and checks it.
#pragma once

#include <Eigen/Dense>
#include <cmath>

namespace neurevo {

inline constexpr double kAdamEpsilon = 1e-8;

inline void AdamStep(const Eigen::VectorXd& grad, double learning_rate, double beta1, double beta2,
                     Eigen::VectorXd& m, Eigen::VectorXd& v, int& t, Eigen::VectorXd& x) {
  ++t;
  const double a = learning_rate * std::sqrt(1.0 - std::pow(beta2, t)) / (1.0 - std::pow(beta1, t));
  m = beta1 * m + (1.0 - beta1) * grad;
  v = beta2 * v + (1.0 - beta2) * grad.cwiseProduct(grad);
  x -= a * m.cwiseQuotient((v.cwiseSqrt().array() + kAdamEpsilon).matrix());
}

}  // namespace neurevo
