#include "model/value_spec.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "neurevo/error.h"

namespace neurevo {

void CheckValueSpec(const ValueSpec& s, const std::string& what) {
  using K = ValueSpec::Kind;
  const auto finite = [&](double x, const char* name) {
    if (!std::isfinite(x)) throw ConfigError(fmt::format("{}: {} must be a finite number, not {}", what, name, x));
  };
  finite(s.low, "low");
  finite(s.high, "high");
  if (s.low > s.high) throw ConfigError(fmt::format("{}: low {} is above high {}", what, s.low, s.high));
  switch (s.kind) {
    case K::kConstant:
      finite(s.value, "the value");
      if (s.value < s.low || s.value > s.high)
        throw ConfigError(fmt::format("{}: {} is outside [{}, {}]", what, s.value, s.low, s.high));
      break;
    case K::kUniform:
      finite(s.a, "low");
      finite(s.b, "high");
      if (s.a > s.b) throw ConfigError(fmt::format("{}: uniform low {} is above high {}", what, s.a, s.b));
      break;
    case K::kNormal:
    case K::kLognormal:
      finite(s.a, s.kind == K::kNormal ? "mean" : "mu");
      finite(s.b, s.kind == K::kNormal ? "std" : "sigma");
      if (s.b < 0) throw ConfigError(fmt::format("{}: the spread {} is negative", what, s.b));
      break;
    case K::kList:
      for (size_t i = 0; i < s.list.size(); ++i) {
        if (!std::isfinite(s.list[i]) || s.list[i] < s.low || s.list[i] > s.high)
          throw ConfigError(fmt::format("{}: list value [{}] = {} is outside [{}, {}]", what, i, s.list[i], s.low,
                                        s.high));
      }
      break;
    case K::kEvolved:
      break;
  }
}

std::vector<double> RealizeValues(const ValueSpec& s, int n, RandomStream& rng, const std::string& what) {
  using K = ValueSpec::Kind;
  CheckValueSpec(s, what);
  std::vector<double> out(static_cast<size_t>(n));
  const auto clip = [&](double x) { return std::clamp(x, s.low, s.high); };
  switch (s.kind) {
    case K::kConstant: std::fill(out.begin(), out.end(), s.value); break;
    case K::kList:
      if (static_cast<int>(s.list.size()) != n)
        throw ConfigError(fmt::format("{}: a list of {} values for {} elements", what, s.list.size(), n));
      out = s.list;
      break;
    case K::kUniform:
      for (double& x : out) x = clip(rng.Uniform(s.a, s.b));
      break;
    case K::kNormal:
      for (double& x : out) x = clip(s.a + s.b * rng.Normal());
      break;
    case K::kLognormal:
      for (double& x : out) x = clip(std::exp(s.a + s.b * rng.Normal()));
      break;
    case K::kEvolved:
      throw ConfigError(fmt::format("{}: an evolved value has no frozen realisation", what));
  }
  return out;
}

}  // namespace neurevo
