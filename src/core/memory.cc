// What this process may still allocate, read from the machine (the ground
// floor: config validation and the memory estimate both ask it).
#include "core/memory.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <sstream>
#include <sys/resource.h>

#include "neurevo/error.h"

namespace neurevo {

namespace {

double ReadNumberFile(const std::string& path) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word == "max") return std::numeric_limits<double>::infinity();
  try {
    return std::stod(word);
  } catch (...) {
    return std::numeric_limits<double>::infinity();
  }
}

}  // namespace

double AvailableMemoryBytes(std::string* source) {
  constexpr double kUnknown = std::numeric_limits<double>::infinity();
  if (const char* env = std::getenv("NEUREVO_MEMORY_LIMIT_BYTES"); env && *env) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    if (*end != '\0' || !(v > 0))
      throw ConfigError(fmt::format("NEUREVO_MEMORY_LIMIT_BYTES={}: allowed: a positive number of bytes", Echo(env)));
    if (source) *source = "NEUREVO_MEMORY_LIMIT_BYTES";
    return v;
  }
  double available = kUnknown;
  std::string from = "unknown";
  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    if (!line.starts_with("MemAvailable:")) continue;
    std::istringstream in(line.substr(13));
    double kb = 0;
    if (in >> kb) available = kb * 1024, from = "MemAvailable";
  }
  // cgroup v2, then v1: the limit less what the group already uses.
  const double v2 = ReadNumberFile("/sys/fs/cgroup/memory.max");
  const double v1 = ReadNumberFile("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  if (std::isfinite(v2)) {
    const double used = ReadNumberFile("/sys/fs/cgroup/memory.current");
    const double left = v2 - (std::isfinite(used) ? used : 0);
    if (left < available) available = left, from = "the cgroup's memory.max";
  } else if (std::isfinite(v1) && v1 < 1e18) {
    const double used = ReadNumberFile("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    const double left = v1 - (std::isfinite(used) ? used : 0);
    if (left < available) available = left, from = "the cgroup's memory limit";
  }
  // An address-space limit (ulimit -v) less what the process has mapped.
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    double mapped = 0;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
      if (line.starts_with("VmSize:")) mapped = std::atof(line.c_str() + 7) * 1024;
    const double left = static_cast<double>(as.rlim_cur) - mapped;
    if (left < available) available = left, from = "the address-space limit (ulimit -v)";
  }
  if (source) *source = from;
  return std::max(available, 0.0);
}

std::string FormatBytes(double bytes) {
  if (bytes >= 1e12) return fmt::format("{:.3g} TB", bytes / 1e12);
  if (bytes >= 1e9) return fmt::format("{:.3g} GB", bytes / 1e9);
  return fmt::format("{:.0f} MB", std::ceil(bytes / 1e6));
}

}  // namespace neurevo
