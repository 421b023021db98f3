// metrics.jsonl: one JSON line per generation, appended and flushed as the
// run goes, with its length and CRC-32 tracked so a checkpoint can pin the
// exact prefix that belongs to it.
#pragma once

#include <cstdint>
#include <string>

namespace neurevo {

class MetricsLog {
 public:
  MetricsLog() = default;
  MetricsLog(const MetricsLog&) = delete;
  MetricsLog& operator=(const MetricsLog&) = delete;
  ~MetricsLog();

  // Starts a new, empty log at `path`.
  void Create(const std::string& path);
  // Checks, reading only, that the regular file at `path` starts with the
  // `bytes` bytes whose CRC-32 is `crc` (with `bytes` 0 it may be missing);
  // ConfigError naming the file otherwise.
  static void Check(const std::string& path, uint64_t bytes, uint32_t crc);
  // Reopens the log of a resumed run after Check: anything after the
  // checkpoint's prefix (lines of generations the checkpoint does not hold,
  // or half a line) is cut away atomically before appending resumes.
  void Resume(const std::string& path, uint64_t bytes, uint32_t crc);

  void Append(const std::string& line);  // adds "\n"
  // Forces the appended lines to disk (called before each checkpoint).
  void Sync();

  uint64_t bytes() const { return bytes_; }
  uint32_t crc() const { return crc_; }

 private:
  void Open(const std::string& path, bool truncate);
  int fd_ = -1;
  std::string path_;
  uint64_t bytes_ = 0;
  uint32_t crc_ = 0;
};

}  // namespace neurevo
