#include "train/metrics_log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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

void MetricsLog::Resume(const std::string& path, uint64_t bytes, uint32_t crc) {
  std::string text;
  try {
    text = ReadFile(path);
  } catch (const ConfigError&) {
    if (bytes > 0) throw;
  }
  if (text.size() < bytes)
    throw ConfigError(fmt::format("{}: {} bytes, but the checkpoint holds {} bytes of metrics; the file was "
                                  "truncated or replaced",
                                  path, text.size(), bytes));
  const std::string_view prefix(text.data(), bytes);
  if (Crc32(prefix) != crc)
    throw ConfigError(fmt::format("{}: its first {} bytes differ from those the checkpoint recorded; the file "
                                  "was edited",
                                  path, bytes));
  if (text.size() != bytes) WriteFileAtomic(path, std::string(prefix));
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
