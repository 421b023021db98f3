#include "train/metrics_log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>
#include <unistd.h>

#include "core/files.h"
#include "neurevo/error.h"
#include "train/checkpoint.h"

namespace neurevo {

MetricsLog::~MetricsLog() {
  if (fd_ >= 0) ::close(fd_);
}

void MetricsLog::Open(const std::string& path, bool truncate) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0), 0644);
  if (fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
}

void MetricsLog::Create(const std::string& path) {
  Open(path, true);
  bytes_ = 0;
  crc_ = 0;
}

namespace {
// The checkpoint's prefix of the log, checked; `size` receives the file's
// size (0 if it is missing, allowed only when the prefix is empty).
std::string CheckedPrefix(const std::string& path, uint64_t bytes, uint32_t crc, uint64_t* size) {
  std::error_code ec;
  *size = 0;
  if (bytes == 0 && std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::not_found)
    return "";
  if (bytes > MachineMemoryBytes())
    throw ConfigError(fmt::format("{}: the checkpoint claims {} bytes of metrics, more than this machine's memory",
                                  path, bytes));
  std::string prefix = ReadFileHead(path, bytes, size);  // refuses FIFOs, devices, directories
  if (*size < bytes)
    throw ConfigError(fmt::format("{}: {} bytes, but the checkpoint holds {} bytes of metrics; the file was "
                                  "truncated or replaced",
                                  path, *size, bytes));
  if (Crc32(prefix) != crc)
    throw ConfigError(fmt::format("{}: its first {} bytes differ from those the checkpoint recorded; the file "
                                  "was edited",
                                  path, bytes));
  return prefix;
}
}  // namespace

void MetricsLog::Check(const std::string& path, uint64_t bytes, uint32_t crc) {
  uint64_t size = 0;
  CheckedPrefix(path, bytes, crc, &size);
}

void MetricsLog::Resume(const std::string& path, uint64_t bytes, uint32_t crc) {
  uint64_t size = 0;
  const std::string prefix = CheckedPrefix(path, bytes, crc, &size);
  if (size != bytes) WriteFileAtomic(path, prefix);
  Open(path, false);
  bytes_ = bytes;
  crc_ = crc;
}

void MetricsLog::Append(const std::string& line) {
  const std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd_, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("{}: cannot write: {}", path_, std::strerror(errno)));
    }
    done += static_cast<size_t>(n);
  }
  bytes_ += out.size();
  crc_ = Crc32(out, crc_);
}

void MetricsLog::Sync() {
  if (fd_ >= 0) ::fdatasync(fd_);
}

}  // namespace neurevo
