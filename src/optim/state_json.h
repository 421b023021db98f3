// JSON helpers for optimizer states.
//
// States are JSON (matrices packed as binary, below); doubles round-trip
// exactly, so a restored optimizer is bit-identical.
// Every reader checks sizes and throws ConfigError naming the strategy and
// the key, so a bad state never half-loads.
#pragma once

#include <Eigen/Dense>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
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

// Matrices are one binary value: rows x cols little-endian float64 in
// column-major order, tagged kPackedMatrix. A list of columns (the format
// before 2026-12-02) still loads. Why binary: as JSON numbers every entry
// costs 16 bytes plus per-row vectors, and full CMA-ES on Ant (n = 7658)
// keeps three such trees (state, restore point, checkpoint copy) -- 9 GB.
inline constexpr uint8_t kPackedMatrix = 0x65;

// n doubles as one binary value of little-endian float64 with `subtype`
// (checkpoints pack their long number arrays the same way).
inline nlohmann::json PackDoubles(const double* data, size_t n, uint8_t subtype) {
  const auto* raw = reinterpret_cast<const uint8_t*>(data);
  if constexpr (std::endian::native == std::endian::little)
    return nlohmann::json::binary(std::vector<uint8_t>(raw, raw + n * 8), subtype);  // one copy, no zeroing
  std::vector<uint8_t> bytes(n * 8);
  for (size_t i = 0; i < n; ++i) {
    uint64_t u;
    std::memcpy(&u, data + i, 8);
    for (int b = 0; b < 8; ++b) bytes[8 * i + b] = static_cast<uint8_t>(u >> (8 * b));
  }
  return nlohmann::json::binary(std::move(bytes), subtype);
}

inline nlohmann::json FromMatrix(const Eigen::MatrixXd& m) {
  return PackDoubles(m.data(), static_cast<size_t>(m.size()), kPackedMatrix);
}

// True for a value FromMatrix wrote.
inline bool IsPackedMatrix(const nlohmann::json& j) {
  return j.is_binary() && j.get_binary().has_subtype() && j.get_binary().subtype() == kPackedMatrix;
}

// The doubles of a PackDoubles value (a packed matrix: column-major order).
inline std::vector<double> PackedValues(const nlohmann::json& j) {
  const auto& b = j.get_binary();
  std::vector<double> values(b.size() / 8);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(values.data(), b.data(), values.size() * 8);
    return values;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    uint64_t u = 0;
    for (int k = 0; k < 8; ++k) u |= static_cast<uint64_t>(b[8 * i + k]) << (8 * k);
    std::memcpy(&values[i], &u, 8);
  }
  return values;
}

// True for a packed matrix as dump() writes it in text JSON:
// {"bytes": [...], "subtype": 101}; LoadState accepts that too.
inline bool IsDumpedPackedMatrix(const nlohmann::json& j) {
  return j.is_object() && j.size() == 2 && j.contains("bytes") && j.contains("subtype") &&
         j["subtype"] == kPackedMatrix;
}

// A packed matrix (binary, or its text form) of exactly rows x cols; throws
// ConfigError otherwise.
inline Eigen::MatrixXd FromPacked(const nlohmann::json& j, int rows, int cols, const std::string& what,
                                  const char* key) {
  const size_t bytes = static_cast<size_t>(rows) * static_cast<size_t>(cols) * 8;
  nlohmann::json binary;
  if (IsDumpedPackedMatrix(j))
    binary = nlohmann::json::binary(j["bytes"].get<std::vector<uint8_t>>(), kPackedMatrix);
  const nlohmann::json& packed = IsPackedMatrix(j) ? j : binary;
  if (!IsPackedMatrix(packed) || packed.get_binary().size() != bytes) {
    throw ConfigError(what + " state: '" + key + "' is not a " + std::to_string(rows) + " x " +
                      std::to_string(cols) + " matrix");
  }
  const std::vector<double> values = PackedValues(packed);
  return Eigen::Map<const Eigen::MatrixXd>(values.data(), rows, cols);
}

inline Eigen::MatrixXd ToMatrix(const nlohmann::json& j, int rows, int cols,
                                const std::string& what, const char* key) {
  const nlohmann::json& value = j.at(key);
  if (!value.is_array()) return FromPacked(value, rows, cols, what, key);
  const auto columns = value.get<std::vector<std::vector<double>>>();
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

// An integer field of type T. A float, or an integer outside T's range, is
// refused with ConfigError: nlohmann's get<T>() would wrap it, or (a float
// beyond T's range) have undefined behaviour.
template <typename T>
T Integer(const nlohmann::json& j, const char* key, const std::string& what) {
  const nlohmann::json& v = j.at(key);
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.get<int64_t>();
    if (i >= static_cast<int64_t>(std::numeric_limits<T>::min()) &&
        (i < 0 || static_cast<uint64_t>(i) <= static_cast<uint64_t>(std::numeric_limits<T>::max())))
      return static_cast<T>(i);
  }
  throw ConfigError(what + ": '" + key + "' is " + v.dump() + "; allowed: an integer in " +
                    std::to_string(std::numeric_limits<T>::min()) + " .. " +
                    std::to_string(std::numeric_limits<T>::max()));
}

// Checks kind and the structural sizes every state carries.
inline void CheckKind(const nlohmann::json& state, const std::string& kind) {
  const std::string got = state.at("kind").get<std::string>();
  if (got != kind) throw ConfigError(kind + " state: kind is '" + got + "'");
}

}  // namespace neurevo::state_json
