// The IDX file format of MNIST and Fashion-MNIST (LeCun et al.): a magic
// number (two zero bytes, the element type, the number of dimensions), each
// dimension as a big-endian 32-bit count, then the elements in row-major
// order. Only unsigned bytes (type 0x08), the type both data sets use, are
// read. A file may be gzip-compressed, as the data sets are distributed
// (".gz"): it is inflated with a cap on the inflated size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurevo {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // the product of dims elements
};

// Largest inflated file read (MNIST's training images are 47 MB).
inline constexpr uint64_t kIdxMaxBytes = uint64_t{1} << 30;

// Reads `path`. Throws ConfigError "<path>: <problem>" for a missing or
// special file, a file over kIdxMaxBytes, a bad magic number, an element
// type other than unsigned byte, zero dimensions, a dimension of 0, or a
// size that does not match the dimensions exactly.
IdxArray ReadIdxFile(const std::string& path);

// The same from bytes already read (`source` names them in messages).
IdxArray ParseIdx(const std::string& bytes, const std::string& source);

}  // namespace neurevo
