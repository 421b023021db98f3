// Every optimizer as an ask/tell object (neurevo/optimizer.h). Options are
// given as `optimizer.<key>` overrides and read by the config parser, so a
// bad option fails with the CLI's message naming the key.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "bindings.h"
#include "core/nesting_guard.h"
#include "neurevo/error.h"
#include "neurevo/optimizer.h"

namespace neurevo::python {
namespace {

class PyOptimizer {
 public:
  PyOptimizer(const std::vector<std::string>& overrides, int dimension, uint64_t seed, Vector x0) {
    if (dimension < 1) throw ConfigError(fmt::format("dimension must be >= 1, got {}", dimension));
    // Only the optimizer.* keys matter here; no budget, so that the config's
    // budget checks (sized by the default task's model) do not apply.
    std::vector<std::string> sets = {"budget.env_steps=0", "budget.generations=1"};
    sets.insert(sets.end(), overrides.begin(), overrides.end());
    const RunConfig config = ParseConfig("", sets, "optimizer options");
    std::span<const double> mean;
    if (x0.size() > 0) {
      if (static_cast<int>(x0.size()) != dimension)
        throw ConfigError(fmt::format("x0 has {} values for dimension {}", x0.size(), dimension));
      mean = {x0.data(), x0.size()};
      for (double v : mean)
        if (!std::isfinite(v)) throw ConfigError("x0 holds a non-finite value");
    }
    optimizer_ = MakeOptimizer(config.optimizer, dimension, seed, mean);
    if (optimizer_->uses_gradient())
      throw ConfigError("optimizer.kind = \"bptt\" is gradient training of a model, not an ask/tell optimizer");
  }

  nb::ndarray<nb::numpy, double> Ask() {
    InUse in_use(mutex_, "this optimizer");
    const std::vector<std::vector<double>> candidates = optimizer_->Ask();
    const size_t n = static_cast<size_t>(optimizer_->dimension());
    std::vector<double> flat(candidates.size() * n);
    for (size_t i = 0; i < candidates.size(); ++i) std::copy(candidates[i].begin(), candidates[i].end(), flat.begin() + i * n);
    return OwnedArray(std::move(flat), {candidates.size(), n});
  }
  void Tell(Vector fitness) {
    InUse in_use(mutex_, "this optimizer");
    const int expected = optimizer_->population();
    if (static_cast<int>(fitness.size()) != expected)
      throw ConfigError(fmt::format("tell: {} fitness values for {} candidates", fitness.size(), expected));
    for (size_t i = 0; i < fitness.size(); ++i)
      if (!std::isfinite(fitness.data()[i]))
        throw ConfigError(fmt::format("tell: fitness[{}] is {}; give failed candidates a finite worst value", i,
                                      fitness.data()[i]));
    nb::gil_scoped_release release;  // CMA-ES's update is O(n^2) to O(n^3)
    optimizer_->Tell({fitness.data(), fitness.size()});
  }
  void Replace(int index, Vector x) {
    InUse in_use(mutex_, "this optimizer");
    if (index < 0 || index >= optimizer_->population())
      throw ConfigError(fmt::format("replace: index {} outside [0, {})", index, optimizer_->population()));
    if (static_cast<int>(x.size()) != optimizer_->dimension())
      throw ConfigError(fmt::format("replace: {} values for dimension {}", x.size(), optimizer_->dimension()));
    for (size_t i = 0; i < x.size(); ++i)
      if (!std::isfinite(x.data()[i])) throw ConfigError(fmt::format("replace: x[{}] is {}", i, x.data()[i]));
    optimizer_->ReplaceCandidate(index, {x.data(), x.size()});
  }
  nb::ndarray<nb::numpy, double> Mean() {
    InUse in_use(mutex_, "this optimizer");
    std::vector<double> mean = optimizer_->Mean();
    const size_t n = mean.size();
    return OwnedArray(std::move(mean), {n});
  }
  // The whole state as CBOR (the checkpoint's own encoding).
  nb::bytes State() {
    InUse in_use(mutex_, "this optimizer");
    const std::vector<uint8_t> cbor = nlohmann::json::to_cbor(optimizer_->SaveState());
    return nb::bytes(reinterpret_cast<const char*>(cbor.data()), cbor.size());
  }
  void SetState(nb::bytes state) {
    InUse in_use(mutex_, "this optimizer");
    const std::string_view bytes(static_cast<const char*>(state.data()), state.size());
    CheckCborNesting(bytes, "optimizer state");  // the CBOR reader recurses per level
    nlohmann::json j;
    try {
      j = nlohmann::json::from_cbor(bytes, true, true, nlohmann::json::cbor_tag_handler_t::store);
    } catch (const nlohmann::json::exception& e) {
      throw ConfigError(fmt::format("optimizer state: not a valid state ({})", e.what()));
    }
    // LoadState validates every field and invariant (src/optim/state_invariants.h);
    // a state of another kind or dimension is refused by name.
    try {
      optimizer_->LoadState(j);
    } catch (const nlohmann::json::exception& e) {
      throw ConfigError(fmt::format("optimizer state: {}", e.what()));
    }
  }
  const Optimizer& get() const { return *optimizer_; }

 private:
  std::unique_ptr<Optimizer> optimizer_;
  std::mutex mutex_;
};

}  // namespace

void BindOptimizer(nb::module_& m) {
  nb::class_<PyOptimizer>(m, "Optimizer")
      .def(nb::init<const std::vector<std::string>&, int, uint64_t, Vector>(), nb::arg("overrides"),
           nb::arg("dimension"), nb::arg("seed"), nb::arg("x0"))
      .def("ask", &PyOptimizer::Ask)
      .def("tell", &PyOptimizer::Tell, nb::arg("fitness"))
      .def("replace", &PyOptimizer::Replace, nb::arg("index"), nb::arg("x"))
      .def("mean", &PyOptimizer::Mean)
      .def("state", &PyOptimizer::State)
      .def("set_state", &PyOptimizer::SetState, nb::arg("state"))
      .def_prop_ro("name", [](const PyOptimizer& o) { return std::string(o.get().name()); })
      .def_prop_ro("dimension", [](const PyOptimizer& o) { return o.get().dimension(); })
      .def_prop_ro("generation", [](const PyOptimizer& o) { return o.get().generation(); })
      .def_prop_ro("population", [](const PyOptimizer& o) { return o.get().population(); });
  m.def("optimizer_kinds", &OptimizerKinds);
}

}  // namespace neurevo::python
