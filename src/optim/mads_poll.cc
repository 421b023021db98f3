// Orthogonal 2n poll of MADS (Abramson et al. 2009, OrthoMADS; NOMAD 4).
// See mads_poll.h.
#include "optim/mads_poll.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "neurevo/error.h"
#include "optim/state_json.h"
#include "optim/state_invariants.h"

namespace neurevo {

Eigen::MatrixXd OrthogonalPollSteps(int m, double poll_size, RandomStream& rng) {
  Eigen::VectorXd v(m);
  double norm2 = 0.0;
  do {
    for (int i = 0; i < m; ++i) v(i) = rng.Normal();
    norm2 = v.squaredNorm();
  } while (!(norm2 > 0.0));
  v /= std::sqrt(norm2);
  const Eigen::MatrixXd h = Eigen::MatrixXd::Identity(m, m) - 2.0 * v * v.transpose();
  const double mesh = std::min(poll_size, poll_size * poll_size);
  const double ratio = poll_size / mesh;  // >= 1
  Eigen::MatrixXd steps(m, 2 * m);
  for (int j = 0; j < m; ++j) {
    const double inf_norm = h.col(j).cwiseAbs().maxCoeff();  // >= 1/sqrt(m) > 0
    Eigen::VectorXd d(m);
    for (int i = 0; i < m; ++i) d(i) = mesh * std::round(ratio * h(i, j) / inf_norm);
    steps.col(j) = d;
    steps.col(m + j) = -d;
  }
  return steps;
}

Eigen::MatrixXd MadsFrame::PollPoints(RandomStream& rng) const {
  const int m = static_cast<int>(coords.size());
  const Eigen::MatrixXd steps = OrthogonalPollSteps(m, poll_size, rng);
  Eigen::MatrixXd points(x.size(), 2 * m);
  for (int j = 0; j < 2 * m; ++j) {
    Eigen::VectorXd p = x;
    for (int i = 0; i < m; ++i) {
      const int c = coords[static_cast<size_t>(i)];
      p(c) = std::clamp(x(c) + steps(i, j), lower(i), upper(i));
    }
    points.col(j) = p;
  }
  return points;
}

bool MadsFrame::EndPoll(const Eigen::VectorXd& best, double best_f) {
  if (best_f > fx) {
    x = best;
    fx = best_f;
    poll_size *= 2.0;
    return true;
  }
  poll_size = std::max(kMinPollSize, 0.5 * poll_size);
  return false;
}

nlohmann::json MadsFrame::Save() const {
  nlohmann::json j;
  j["x"] = state_json::FromVector(x);
  // JSON cannot hold infinities: -inf fitness (never evaluated) is null.
  j["fx"] = std::isfinite(fx) ? nlohmann::json(fx) : nlohmann::json(nullptr);
  j["poll_size"] = poll_size;
  j["coords"] = coords;
  std::vector<nlohmann::json> lo, hi;
  for (Eigen::Index i = 0; i < lower.size(); ++i) {
    lo.push_back(std::isfinite(lower(i)) ? nlohmann::json(lower(i)) : nlohmann::json(nullptr));
    hi.push_back(std::isfinite(upper(i)) ? nlohmann::json(upper(i)) : nlohmann::json(nullptr));
  }
  j["lower"] = lo;
  j["upper"] = hi;
  j["source"] = source;
  return j;
}

MadsFrame MadsFrame::Load(const nlohmann::json& j, int dimension) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  MadsFrame f;
  f.x = state_json::ToVector(j, dimension, "mads frame", "x");
  f.fx = j.at("fx").is_null() ? -kInf : j.at("fx").get<double>();
  f.poll_size = j.at("poll_size").get<double>();
  // Checkpoints store long numeric arrays as float64 blobs, so a coordinate
  // comes back as an integer or as an integral double.
  for (const auto& c : j.at("coords")) {
    const double v = c.is_number() ? c.get<double>() : -1.0;
    if (!(v >= 0 && v < dimension && v == std::floor(v)))
      throw ConfigError("mads frame state: coordinate out of range");
    f.coords.push_back(static_cast<int>(v));
  }
  const auto& lo = j.at("lower");
  const auto& hi = j.at("upper");
  if (lo.size() != f.coords.size() || hi.size() != f.coords.size())
    throw ConfigError("mads frame state: bounds and coords differ in size");
  f.lower.resize(static_cast<Eigen::Index>(f.coords.size()));
  f.upper.resize(static_cast<Eigen::Index>(f.coords.size()));
  for (size_t i = 0; i < f.coords.size(); ++i) {
    if (f.coords[i] < 0 || f.coords[i] >= dimension)
      throw ConfigError("mads frame state: coordinate out of range");
    f.lower(static_cast<Eigen::Index>(i)) = lo[i].is_null() ? -kInf : lo[i].get<double>();
    f.upper(static_cast<Eigen::Index>(i)) = hi[i].is_null() ? kInf : hi[i].get<double>();
  }
  // (Older states have none: frame j refined individual j.)
  f.source = j.contains("source") ? state_json::Integer<int>(j, "source", "mads frame state") : -1;
  if (j.contains("source") && f.source < 0) throw ConfigError("mads frame state: 'source' is negative");
  namespace inv = state_invariants;
  inv::Finite(f.x, "mads frame", "x");
  inv::StepSize(f.poll_size, "mads frame", "poll_size");
  for (Eigen::Index i = 0; i < f.lower.size(); ++i)
    if (std::isnan(f.lower(i)) || std::isnan(f.upper(i)) || f.lower(i) > f.upper(i))
      inv::Fail("mads frame", "lower", "is above 'upper' or not a number");
  return f;
}

}  // namespace neurevo
