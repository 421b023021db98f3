// The memory this process may still use: what every size check compares
// with (the run's memory estimate, a network description's draw).
#pragma once

#include <string>

namespace neurevo {

// Memory this process may still use: the smallest of MemAvailable
// (/proc/meminfo), the cgroup's limit less its usage and the address-space
// limit (ulimit -v) less what is mapped; or the environment's
// NEUREVO_MEMORY_LIMIT_BYTES (for tests). `source` says which. Infinity when
// nothing is known.
double AvailableMemoryBytes(std::string* source = nullptr);

// "41 GB", "512 MB".
std::string FormatBytes(double bytes);

}  // namespace neurevo
