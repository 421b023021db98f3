// The bookkeeping every strategy shares, written once: its name, the
// dimension, the seed its random streams derive from, the generations told,
// and the state keys that hold them ("kind", "dimension", "seed",
// "generation"). As in evosax, a strategy then writes only its own Ask, Tell
// and distribution state.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "neurevo/optimizer.h"
#include "optim/state_invariants.h"
#include "optim/state_json.h"

namespace neurevo {

class Strategy : public Optimizer {
 public:
  std::string_view name() const override { return name_; }
  int dimension() const final { return n_; }
  int generation() const final { return generation_; }

 protected:
  // `name` is also the "kind" its saved states carry.
  Strategy(std::string name, int dimension, uint64_t seed) : name_(std::move(name)), n_(dimension), seed_(seed) {}

  // A saved state's shared keys; the strategy adds its own.
  nlohmann::json BookkeepingState() const {
    nlohmann::json j;
    j["kind"] = name_;
    j["dimension"] = n_;
    j["seed"] = seed_;
    j["generation"] = generation_;
    return j;
  }

  struct Bookkeeping {
    uint64_t seed;
    int generation;
  };
  // A saved state's seed and generation, checked (ConfigError names `what`
  // and the key); changes nothing, so LoadState stays all or nothing.
  static Bookkeeping ReadBookkeeping(const nlohmann::json& state, const std::string& what) {
    const auto seed = state_json::Integer<uint64_t>(state, "seed", what + " state");
    const auto generation = state_json::Integer<int>(state, "generation", what + " state");
    state_invariants::Counter(generation, std::numeric_limits<int>::max(), what, "generation");
    return {seed, generation};
  }

  std::string name_;
  int n_;
  uint64_t seed_;
  int generation_ = 0;  // generations told
};

}  // namespace neurevo
