#include "core/files.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "neurevo/error.h"

namespace neurevo {

namespace fs = std::filesystem;

namespace {
void FsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

constexpr const char* kTempPrefix = ".neurevo-";
constexpr const char* kTempSuffix = ".tmp";

bool WriteAll(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// A regular file opened for reading. O_NONBLOCK: opening a FIFO with no
// writer would otherwise block forever (and the open is not interruptible by
// our SIGINT handler); it is refused by fstat before any read.
class InputFile {
 public:
  explicit InputFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) throw ConfigError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd_, &st) != 0) throw ConfigError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (!S_ISREG(st.st_mode))
      throw ConfigError(fmt::format("{}: not a regular file ({}); only regular files are read", path,
                                    S_ISDIR(st.st_mode)    ? "a directory"
                                    : S_ISFIFO(st.st_mode) ? "a FIFO"
                                    : S_ISCHR(st.st_mode)  ? "a character device"
                                    : S_ISBLK(st.st_mode)  ? "a block device"
                                    : S_ISSOCK(st.st_mode) ? "a socket"
                                                           : "a special file"));
    size_ = static_cast<uint64_t>(st.st_size);
  }
  ~InputFile() { ::close(fd_); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  uint64_t size() const { return size_; }
  // Up to `n` bytes from the start (fewer if the file shrank meanwhile).
  std::string Read(uint64_t n) {
    std::string out(static_cast<size_t>(n), '\0');
    size_t done = 0;
    while (done < out.size()) {
      const ssize_t got = ::read(fd_, out.data() + done, out.size() - done);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw ConfigError(fmt::format("{}: cannot read: {}", path_, std::strerror(errno)));
      if (got == 0) break;
      done += static_cast<size_t>(got);
    }
    out.resize(done);
    return out;
  }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};
}  // namespace

uint64_t MachineMemoryBytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return uint64_t{1} << 40;  // unknown: do not refuse for it
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page);
}

std::string TempFileName(const std::string& path) {
  const fs::path p(path);
  return (p.parent_path() / (kTempPrefix + p.filename().string() + kTempSuffix)).string();
}

bool IsNeurevoTempFile(const std::string& filename) {
  return filename.starts_with(kTempPrefix) && filename.ends_with(kTempSuffix) &&
         filename.size() > std::strlen(kTempPrefix) + std::strlen(kTempSuffix);
}

void RemoveStaleTempFiles(const std::string& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (IsNeurevoTempFile(entry.path().filename().string()) && !entry.is_directory(ec))
      fs::remove(entry.path(), ec);
}

void WriteFileAtomic(const std::string& path, const std::string& content) {
  WriteFileAtomicWith(path, [&](const FileSink& put) { return put(content); });
}

void WriteFileAtomicWith(const std::string& path, const std::function<bool(const FileSink&)>& write, bool no_replace) {
  const std::string tmp = TempFileName(path);
  // A fresh file: whatever stands at the temporary name (a stale file, or a
  // FIFO that an open for writing would block on) is removed first.
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", tmp, std::strerror(errno)));
  bool written = false;
  try {
    written = write([fd](std::string_view part) { return WriteAll(fd, part); }) && ::fsync(fd) == 0;
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  const int saved_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    // Disk full or quota: leave nothing behind (a later run must find the
    // directory as it was).
    ::unlink(tmp.c_str());
    throw std::runtime_error(
        fmt::format("{}: cannot write: {}", path, std::strerror(written ? errno : saved_errno)));
  }
  if (no_replace) {
    // link() fails on an existing name: no window in which another writer's file is replaced.
    const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (!linked && link_errno == EEXIST) throw ConfigError(fmt::format("{}: exists; never overwritten", path));
    if (!linked) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(link_errno)));
  } else {
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
      ::unlink(tmp.c_str());
      throw std::runtime_error(fmt::format("{}: cannot rename into place: {}", path, ec.message()));
    }
  }
  const auto dir = fs::path(path).parent_path();
  FsyncPath(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
}

std::string ReadFile(const std::string& path, uint64_t max_bytes) {
  InputFile in(path);
  if (in.size() > max_bytes)
    throw ConfigError(fmt::format("{}: {} bytes, more than the {} bytes allowed for this file", path, in.size(),
                                  max_bytes));
  return in.Read(in.size());
}

std::string ReadFileHead(const std::string& path, uint64_t bytes, uint64_t* size) {
  InputFile in(path);
  *size = in.size();
  return in.Read(std::min(bytes, in.size()));
}

}  // namespace neurevo
