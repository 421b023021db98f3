// File helpers that never leave a half-written file behind.
#pragma once

#include <string>

namespace neurevo {

// Writes `content` to `path` atomically: a temporary file in the same
// directory, fsync, rename, fsync of the directory. Readers see the old file
// or the new one, never a mix, even if the process is killed.
void WriteFileAtomic(const std::string& path, const std::string& content);
// Reads a whole file; throws ConfigError naming the file if it cannot.
std::string ReadFile(const std::string& path);

}  // namespace neurevo
