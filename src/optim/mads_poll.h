// The poll step of mesh adaptive direct search, shared by mads and enomad.
//
// Orthogonal 2m poll (OrthoMADS: M. A. Abramson, C. Audet, J. E. Dennis Jr.
// and S. Le Digabel, "OrthoMADS: A Deterministic MADS Instance with
// Orthogonal Directions", SIAM J. Optim. 20(2), 2009; as NOMAD 4's "ORTHO
// 2N" poll): a direction v on the unit sphere gives the Householder matrix
// H = I - 2 v v^T, whose columns h_j are orthonormal. With poll (frame) size
// Delta and mesh size delta = min(Delta, Delta^2) (NOMAD's relation), each
// column is scaled to infinity-norm Delta and rounded onto the mesh,
//   d_j = delta * round((Delta / delta) h_j / ||h_j||_inf),
// and the poll set is x + d_j and x - d_j, j = 1..m: a positive spanning set
// of maximal positive basis type whose frame shrinks with Delta while the
// mesh shrinks faster (Delta^2), so that the directions become dense in the
// limit. NOMAD draws v from its random generator (OrthoMADS uses a Halton
// sequence); here v = z / ||z|| with z ~ N(0, I) from the caller's
// RandomStream, so runs are reproducible from the seed.
//
// Update (Audet & Dennis 2006, NOMAD's defaults): after a successful poll
// (a strictly better point) Delta doubles, after an unsuccessful one it
// halves; it never drops below kMinPollSize (where the mesh would
// underflow).
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <vector>

#include "neurevo/random.h"

namespace neurevo {

inline constexpr double kMinPollSize = 1e-100;

// m x 2m matrix of poll steps [d_1..d_m, -d_1..-d_m] for a poll size Delta.
Eigen::MatrixXd OrthogonalPollSteps(int m, double poll_size, RandomStream& rng);

// One MADS frame on a subset of coordinates of a vector: the incumbent, its
// fitness (maximised), the poll size and optional per-coordinate bounds.
struct MadsFrame {
  Eigen::VectorXd x;           // full vector (incumbent)
  double fx = 0.0;             // fitness of x
  double poll_size = 0.0;      // Delta
  std::vector<int> coords;     // coordinates polled (all for plain mads)
  Eigen::VectorXd lower;       // bounds for coords (size coords.size()); +-inf: none
  Eigen::VectorXd upper;
  int source = 0;              // enomad: the ranked individual this frame refines

  // The 2|coords| poll points (columns, full vectors), clamped to the bounds.
  Eigen::MatrixXd PollPoints(RandomStream& rng) const;
  // Ends a poll: moves to `best` if best_f > fx (success, Delta *= 2),
  // otherwise Delta /= 2. Returns whether it succeeded.
  bool EndPoll(const Eigen::VectorXd& best, double best_f);

  nlohmann::json Save() const;
  static MadsFrame Load(const nlohmann::json& j, int dimension);
};

}  // namespace neurevo
