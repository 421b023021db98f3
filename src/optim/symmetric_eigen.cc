#include "optim/symmetric_eigen.h"

#include <algorithm>
#include <mutex>
#include <vector>

#ifdef NEUREVO_HAVE_LAPACK
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
                        double* work, const int* lwork, int* iwork, const int* liwork, int* info);
#endif

namespace neurevo {

bool SymmetricEigen(const Eigen::MatrixXd& matrix, Eigen::VectorXd* eigenvalues, Eigen::MatrixXd* eigenvectors) {
  const int n = static_cast<int>(matrix.rows());
#ifdef NEUREVO_HAVE_LAPACK
  // One call at a time: the serial OpenBLAS keeps its work buffers in
  // process-wide state and is not safe to call from several threads at once
  // (two islands' decompositions run on two pool workers).
  static std::mutex lapack;
  const std::lock_guard<std::mutex> lock(lapack);
  *eigenvectors = matrix;  // overwritten by the eigenvectors (column-major, as LAPACK wants)
  eigenvalues->resize(n);
  const char jobz = 'V', uplo = 'L';
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  // Workspace query, then the decomposition.
  dsyevd_(&jobz, &uplo, &n, eigenvectors->data(), &n, eigenvalues->data(), &work_query, &lwork, &iwork_query,
          &liwork, &info);
  if (info != 0) return false;
  lwork = std::max(1, static_cast<int>(work_query));
  liwork = std::max(1, iwork_query);
  std::vector<double> work(static_cast<size_t>(lwork));
  std::vector<int> iwork(static_cast<size_t>(liwork));
  dsyevd_(&jobz, &uplo, &n, eigenvectors->data(), &n, eigenvalues->data(), work.data(), &lwork, iwork.data(),
          &liwork, &info);
  return info == 0;
#else
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(matrix);
  if (solver.info() != Eigen::Success) return false;
  *eigenvalues = solver.eigenvalues();
  *eigenvectors = solver.eigenvectors();
  (void)n;
  return true;
#endif
}

const char* SymmetricEigenBackend() {
#ifdef NEUREVO_HAVE_LAPACK
  return "lapack dsyevd (OpenBLAS, serial)";
#else
  return "Eigen SelfAdjointEigenSolver";
#endif
}

}  // namespace neurevo
