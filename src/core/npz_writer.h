// Writes NumPy's .npz files: a ZIP archive (stored, uncompressed) of .npy
// arrays, which numpy.load reads directly (and pandas, xarray, Elephant,
// MATLAB's and Julia's npz readers through it). Chosen over HDF5/NWB for
// recordings (`neurevo rollout --record`): no library beyond zlib's CRC-32,
// and NumPy is what every analysis in Python starts from.
//
// Members are kept in memory (their size is bounded by the caller) and
// streamed to the file by Write(), atomically. The archive is limited to
// 2 GiB in all (no ZIP64).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurevo {

class NpzWriter {
 public:
  // Adds `name`.npy: `descr` is NumPy's dtype string ("<f4", "<f8", "<i4",
  // "<U16"), `shape` the C-order shape, `data` the raw little-endian values.
  void Add(const std::string& name, const std::string& descr, const std::vector<uint64_t>& shape,
           const void* data, uint64_t bytes);
  template <class T>
  void Add(const std::string& name, const std::string& descr, const std::vector<uint64_t>& shape,
           const std::vector<T>& values) {
    Add(name, descr, shape, values.data(), values.size() * sizeof(T));
  }
  // Bytes the archive will have so far.
  uint64_t size() const;
  // Writes the archive to `path` atomically (WriteFileAtomicWith), refusing
  // an existing file with `no_replace`.
  void Write(const std::string& path, bool no_replace = false) const;

 private:
  struct Member {
    std::string name;  // with .npy
    std::string content;
    uint32_t crc = 0;
  };
  std::vector<Member> members_;
};

}  // namespace neurevo
