// The eigendecomposition of a symmetric matrix, as CMA-ES needs it (C = B
// diag(lambda) B^T, eigenvalues ascending): LAPACK's divide-and-conquer
// dsyevd from OpenBLAS (its single-threaded build, Debian's
// libopenblas-serial-dev) when the build found it, else Eigen's
// SelfAdjointEigenSolver. Why dsyevd: at n = 5000 Eigen's solver took 63-66 s
// where pycma's (numpy's LAPACK) took 23 s (issue 26); divide and conquer
// computes the eigenvectors in O(n^3) with BLAS-3 kernels. The serial
// OpenBLAS keeps every result a function of the build and the machine alone
// (no thread-count-dependent reductions). Reads the lower triangle.
#pragma once

#include <Eigen/Dense>

namespace neurevo {

// False (outputs unspecified) if the solver failed to converge.
bool SymmetricEigen(const Eigen::MatrixXd& matrix, Eigen::VectorXd* eigenvalues, Eigen::MatrixXd* eigenvectors);

// "lapack dsyevd (OpenBLAS, serial)" or "Eigen SelfAdjointEigenSolver".
const char* SymmetricEigenBackend();

}  // namespace neurevo
