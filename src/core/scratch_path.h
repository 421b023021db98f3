// Scratch paths for tests: <temp>/neurevo_<prefix>_<name>_<pid>, emptied
// first, so that reruns and concurrent test processes never see each
// other's files. Test code only.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace neurevo {

// The path, removed if it exists (a run directory the code under test creates).
inline std::filesystem::path FreshScratchPath(const std::string& prefix, const std::string& name) {
  const std::filesystem::path p =
      std::filesystem::temp_directory_path() / ("neurevo_" + prefix + "_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  return p;
}

// The same path as an empty directory.
inline std::filesystem::path FreshScratchDir(const std::string& prefix, const std::string& name) {
  const std::filesystem::path p = FreshScratchPath(prefix, name);
  std::filesystem::create_directories(p);
  return p;
}

}  // namespace neurevo
