// JSON helpers for optimizer states.
//
// States are plain JSON; doubles are written by nlohmann::json with enough
// digits to round-trip exactly, so a restored optimizer is bit-identical.
// Every reader checks sizes and throws ConfigError naming the strategy and
// the key, so a bad state never half-loads.
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/error.h"

namespace neurevo::state_json {

inline nlohmann::json FromVector(const Eigen::VectorXd& v) {
  return nlohmann::json(std::vector<double>(v.data(), v.data() + v.size()));
}

inline Eigen::VectorXd ToVector(const nlohmann::json& j, int n, const std::string& what,
                                const char* key) {
  const auto values = j.at(key).get<std::vector<double>>();
  if (static_cast<int>(values.size()) != n) {
    throw ConfigError(what + " state: '" + key + "' has the wrong size");
  }
  return Eigen::Map<const Eigen::VectorXd>(values.data(), n);
}

// Column-major matrices as a list of columns (each a vector).
inline nlohmann::json FromMatrix(const Eigen::MatrixXd& m) {
  nlohmann::json cols = nlohmann::json::array();
  for (Eigen::Index k = 0; k < m.cols(); ++k) cols.push_back(FromVector(m.col(k)));
  return cols;
}

inline Eigen::MatrixXd ToMatrix(const nlohmann::json& j, int rows, int cols,
                                const std::string& what, const char* key) {
  const auto columns = j.at(key).get<std::vector<std::vector<double>>>();
  if (static_cast<int>(columns.size()) != cols) {
    throw ConfigError(what + " state: '" + key + "' has the wrong size");
  }
  Eigen::MatrixXd m(rows, cols);
  for (int k = 0; k < cols; ++k) {
    const auto& c = columns[static_cast<size_t>(k)];
    if (static_cast<int>(c.size()) != rows) {
      throw ConfigError(what + " state: '" + key + "' has the wrong size");
    }
    for (int i = 0; i < rows; ++i) m(i, k) = c[static_cast<size_t>(i)];
  }
  return m;
}

// Checks kind and the structural sizes every state carries.
inline void CheckKind(const nlohmann::json& state, const std::string& kind) {
  const std::string got = state.at("kind").get<std::string>();
  if (got != kind) throw ConfigError(kind + " state: kind is '" + got + "'");
}

}  // namespace neurevo::state_json
