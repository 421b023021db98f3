// neurevo._core: the C++ core as a Python extension (nanobind). The package
// around it (python/neurevo/*.py) gives it its Python shape.
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.h"
#include "neurevo/error.h"

namespace neurevo::python {

RunConfig ReadConfig(const std::string& path, const std::string& toml_text,
                     const std::vector<std::string>& overrides) {
  if (!path.empty()) return LoadConfigFile(path, overrides);
  return ParseConfig(toml_text, overrides, "config");
}

nb::tuple SpaceTuple(const Space& space) {
  if (space.discrete()) return nb::make_tuple("discrete", space.size);
  return nb::make_tuple("box", space.low, space.high);
}

}  // namespace neurevo::python

NB_MODULE(_core, m) {
  namespace nb = nanobind;
  using namespace neurevo::python;
  m.doc() = "neurevo's C++ core (use the package neurevo, not this module)";
  // Bad configs and files: ValueError subclasses carrying the CLI's message.
  nb::exception<neurevo::ConfigError>(m, "ConfigError", PyExc_ValueError);
  nb::exception<neurevo::RunFailed>(m, "RunFailed", PyExc_RuntimeError);
  m.def("config_toml", [](const std::string& path, const std::string& text, const std::vector<std::string>& overrides) {
    return neurevo::ConfigToToml(ReadConfig(path, text, overrides));
  }, nb::arg("path"), nb::arg("text"), nb::arg("overrides"),
        "The resolved config (every key) as TOML, after validation.");
  BindTrain(m);
  BindOptimizer(m);
  BindNetwork(m);
  BindTask(m);
}
