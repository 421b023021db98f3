// What the binding files share: numpy conversions and the config reader.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstddef>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/task.h"

namespace neurevo::python {

namespace nb = nanobind;

// Arrays the Python side passes in: C-contiguous float64 on the CPU (the
// package's .py wrappers convert with numpy.ascontiguousarray first).
using Vector = nb::ndarray<const double, nb::ndim<1>, nb::c_contig, nb::device::cpu>;
using Matrix = nb::ndarray<const double, nb::ndim<2>, nb::c_contig, nb::device::cpu>;

// One call at a time per object: a second Python thread calling in while
// the first runs (with the GIL released) gets an error, not a data race.
class InUse {
 public:
  InUse(std::mutex& mutex, const char* what) : lock_(mutex, std::try_to_lock) {
    if (!lock_.owns_lock())
      throw std::runtime_error(std::string(what) + " is in use by another thread; use one object per thread");
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

// A numpy array that owns `values` (moved, not copied).
template <class T>
nb::ndarray<nb::numpy, T> OwnedArray(std::vector<T>&& values, std::initializer_list<size_t> shape) {
  auto* owned = new std::vector<T>(std::move(values));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  return nb::ndarray<nb::numpy, T>(owned->data(), shape, owner);
}

// A config from a file (`path` non-empty) or TOML text, with overrides:
// the CLI's reader, so errors carry the CLI's messages.
RunConfig ReadConfig(const std::string& path, const std::string& toml_text,
                     const std::vector<std::string>& overrides);

// A Space as Python sees it: ("box", low, high) or ("discrete", n).
nb::tuple SpaceTuple(const Space& space);

void BindTrain(nb::module_& m);
void BindOptimizer(nb::module_& m);
void BindNetwork(nb::module_& m);
void BindTask(nb::module_& m);

}  // namespace neurevo::python
