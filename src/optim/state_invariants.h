// Invariants every optimizer checks when it loads a saved state (LoadState),
// so that a checkpoint whose numbers were edited (σ <= 0 or 1e300, a zero or
// indefinite covariance, a negative or absurd counter) is refused with
// ConfigError "<strategy> state: '<key>' ..." instead of being resumed with
// different results. The trainer treats that like any other bad checkpoint.
//
// Step sizes (σ, per-gene σ, poll sizes, mutation std) must be finite and in
// (0, kMaxStepSize]: genes of every model are O(1) to O(1e3) numbers, and a
// step of 1e100 gene units or more samples only infinities.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "neurevo/error.h"

namespace neurevo::state_invariants {

inline constexpr double kMaxStepSize = 1e100;
// Above this dimension the O(n^3) checks (Cholesky factorisation, B's
// orthonormality) would take seconds to minutes per load; only the O(n^2)
// necessary conditions are checked there.
inline constexpr int kFullCheckMaxDimension = 2000;

[[noreturn]] inline void Fail(const std::string& what, const char* key, const std::string& problem) {
  throw ConfigError(what + " state: '" + key + "' " + problem);
}

inline void StepSize(double v, const std::string& what, const char* key) {
  if (!(v > 0.0 && v <= kMaxStepSize))
    Fail(what, key, "is " + std::to_string(v) + "; allowed: a finite step size in (0, 1e100]");
}

template <typename Derived>
void StepSizes(const Eigen::DenseBase<Derived>& v, const std::string& what, const char* key) {
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!(v(i) > 0.0 && v(i) <= kMaxStepSize))
      Fail(what, key, "holds " + std::to_string(v(i)) + "; allowed: finite step sizes in (0, 1e100]");
}

template <typename Derived>
void Finite(const Eigen::DenseBase<Derived>& m, const std::string& what, const char* key) {
  if (!m.allFinite()) Fail(what, key, "holds a non-finite number");
}

template <typename Derived>
void NonNegative(const Eigen::DenseBase<Derived>& m, const std::string& what, const char* key) {
  Finite(m, what, key);
  if (m.size() > 0 && m.minCoeff() < 0.0) Fail(what, key, "holds a negative number; allowed: >= 0");
}

// 0 <= value <= at_most (a counter that never decreases, bounded by another).
inline void Counter(long long value, long long at_most, const std::string& what, const char* key) {
  if (value < 0 || value > at_most)
    Fail(what, key, "is " + std::to_string(value) + "; allowed: 0 .. " + std::to_string(at_most));
}

inline void Probability(double p, const std::string& what, const char* key) {
  if (!(p >= 0.0 && p <= 1.0)) Fail(what, key, "is " + std::to_string(p) + "; allowed: 0 .. 1");
}

// A covariance matrix: finite, symmetric, positive definite. Exactly (by a
// Cholesky factorisation) up to kFullCheckMaxDimension; beyond, the
// necessary conditions: a positive diagonal and |C_ij|^2 <= C_ii C_jj.
inline void Covariance(const Eigen::MatrixXd& c, const std::string& what, const char* key) {
  Finite(c, what, key);
  const Eigen::Index n = c.rows();
  const double scale = c.cwiseAbs().maxCoeff();
  for (Eigen::Index j = 0; j < n; ++j) {
    if (!(c(j, j) > 0.0)) Fail(what, key, "has a non-positive diagonal entry; it must be positive definite");
    for (Eigen::Index i = 0; i < j; ++i) {
      if (std::abs(c(i, j) - c(j, i)) > 1e-12 * scale) Fail(what, key, "is not symmetric");
      if (c(i, j) * c(i, j) > c(i, i) * c(j, j) * (1 + 1e-12))
        Fail(what, key, "is not positive definite (|C_ij|^2 > C_ii C_jj)");
    }
  }
  if (n <= kFullCheckMaxDimension && Eigen::LLT<Eigen::MatrixXd>(c).info() != Eigen::Success)
    Fail(what, key, "is not positive definite");
}

// A square matrix that must be invertible (a factor A of a covariance A A^T).
inline void Invertible(const Eigen::MatrixXd& a, const std::string& what, const char* key) {
  Finite(a, what, key);
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    if (!(a.col(j).norm() > 0.0)) Fail(what, key, "has a zero column; it must be invertible");
  if (a.rows() <= kFullCheckMaxDimension) {
    const Eigen::VectorXd sv = Eigen::PartialPivLU<Eigen::MatrixXd>(a).matrixLU().diagonal().cwiseAbs();
    if (!(sv.minCoeff() > 1e-300)) Fail(what, key, "is singular; it must be invertible");
  }
}

// An orthonormal matrix (the eigenvectors B of a covariance): unit columns,
// and B^T (B v) = v for two fixed probe vectors v (O(n^2), and a B^T B that
// differs from I is all but certain to move one of them).
inline void Orthonormal(const Eigen::MatrixXd& b, const std::string& what, const char* key) {
  Finite(b, what, key);
  for (Eigen::Index j = 0; j < b.cols(); ++j)
    if (std::abs(b.col(j).squaredNorm() - 1.0) > 1e-6) Fail(what, key, "has a column that is not of unit length");
  Eigen::VectorXd v(b.cols());
  for (int probe = 0; probe < 2; ++probe) {
    for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = probe == 0 ? 1.0 : std::sin(1.0 + 2.0 * static_cast<double>(i));
    if ((b.transpose() * (b * v) - v).norm() > 1e-6 * v.norm()) Fail(what, key, "is not orthonormal");
  }
}

}  // namespace neurevo::state_invariants
