// File helpers: writes that never leave a half-written file behind, and
// reads that never block, never exhaust memory and read only regular files.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace neurevo {

// Caps on the size of what neurevo reads, so that a hostile file (/dev/zero,
// a huge file in place of a config) is refused by its size instead of being
// read into memory. Configs are a few KB. Genome files are capped by their
// model's size (ParseGenomeFile); checkpoints and metrics by the machine's
// memory (MachineMemoryBytes), since a full CMA-ES checkpoint can
// legitimately hold gigabytes.
inline constexpr uint64_t kConfigFileMaxBytes = uint64_t{1} << 20;
// Files a network description reads (neuron tables, synapse lists).
inline constexpr uint64_t kNetworkFileMaxBytes = uint64_t{64} << 20;
// Physical memory of this machine: no file larger than that can be loaded.
uint64_t MachineMemoryBytes();

// Writes `content` to `path` atomically: a temporary file in the same
// directory (named by TempFileName), fsync, rename, fsync of the directory.
// Readers see the old file or the new one, never a mix, even if the process
// is killed; on failure (disk full) the temporary file is removed.
void WriteFileAtomic(const std::string& path, const std::string& content);
// The same with the content written in parts by `write`, which calls the
// sink once per part (false: the write failed) and returns whether all
// went well; so large files need not exist whole in memory. With
// `no_replace`, an existing `path` is refused (ConfigError) and left as it
// is, with no race between the check and the write (link, not rename).
using FileSink = std::function<bool(std::string_view part)>;
void WriteFileAtomicWith(const std::string& path, const std::function<bool(const FileSink&)>& write,
                         bool no_replace = false);
// The temporary file WriteFileAtomic uses for `path`: a name only neurevo
// uses (".neurevo-<name>.tmp"), so that leftovers of a killed run can be
// told from a user's files.
std::string TempFileName(const std::string& path);
bool IsNeurevoTempFile(const std::string& filename);
// Removes the leftovers of WriteFileAtomic (IsNeurevoTempFile) in `dir`.
void RemoveStaleTempFiles(const std::string& dir);

// Reads a whole regular file of at most `max_bytes`. Throws ConfigError
// "<path>: <problem>" if it is missing, is not a regular file (a FIFO, a
// device, a directory: refused without blocking), or is larger than
// `max_bytes`.
std::string ReadFile(const std::string& path, uint64_t max_bytes);
// The first `bytes` bytes of a regular file (all of it if shorter), and its
// size; the same checks as ReadFile.
std::string ReadFileHead(const std::string& path, uint64_t bytes, uint64_t* size);

}  // namespace neurevo
