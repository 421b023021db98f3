#include "tasks/vision/idx_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <string_view>
#include <vector>

#include "core/files.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

[[noreturn]] void Fail(const std::string& source, const std::string& problem) {
  throw ConfigError(fmt::format("{}: {}", Echo(source), problem));
}

uint64_t Count(const std::vector<uint32_t>& dims) {
  uint64_t count = 1;
  for (uint32_t n : dims) count *= n;  // IdxSize bounded the product
  return count;
}

// The size an IDX file must have, from its header (at the start of
// `bytes`), whose dimensions go to *dims. Every check of the header: the
// magic number, the element type, the dimensions (none 0, their product at
// most kIdxMaxBytes).
size_t IdxSize(std::string_view bytes, const std::string& source, std::vector<uint32_t>* dims) {
  if (bytes.size() < 4) Fail(source, fmt::format("{} bytes: too short for an IDX header", bytes.size()));
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
  if (byte(0) != 0 || byte(1) != 0) Fail(source, "not an IDX file (its first two bytes are not zero)");
  if (byte(2) != 0x08)
    Fail(source, fmt::format("element type 0x{:02x}; allowed: 0x08 (unsigned byte, as MNIST's)", byte(2)));
  const int ndims = byte(3);
  if (ndims < 1) Fail(source, "0 dimensions");
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (bytes.size() < header) Fail(source, fmt::format("{} bytes: too short for {} dimensions", bytes.size(), ndims));
  dims->clear();
  uint64_t count = 1;
  for (int d = 0; d < ndims; ++d) {
    const size_t at = 4 + 4 * static_cast<size_t>(d);
    const uint32_t n = (uint32_t{byte(at)} << 24) | (uint32_t{byte(at + 1)} << 16) | (uint32_t{byte(at + 2)} << 8) |
                       uint32_t{byte(at + 3)};
    if (n == 0) Fail(source, fmt::format("dimension {} is 0", d));
    count *= n;  // at most kIdxMaxBytes after each step, so no overflow
    if (count > kIdxMaxBytes) Fail(source, fmt::format("dimensions give more than {} elements", kIdxMaxBytes));
    dims->push_back(n);
  }
  return header + count;
}

// Inflates gzip data, refusing more output than the IDX header inflated
// first announces (and than kIdxMaxBytes): a small file can inflate to
// gigabytes, and is stopped as soon as it exceeds what it claims to hold.
std::string Gunzip(const std::string& bytes, const std::string& source) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) Fail(source, "cannot start gzip decompression");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  size_t limit = 0;  // the size the header gives, once it has been inflated
  std::vector<uint32_t> dims;
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&z);
      Fail(source, fmt::format("not valid gzip data ({})", z.msg ? z.msg : "truncated"));
    }
    out.append(buffer, sizeof buffer - z.avail_out);
    if (limit == 0 && out.size() >= 4 && out.size() >= 4 + 4 * static_cast<size_t>(static_cast<uint8_t>(out[3]))) {
      try {
        limit = IdxSize(out, source, &dims);
      } catch (...) {
        inflateEnd(&z);
        throw;
      }
    }
    if (out.size() > (limit > 0 ? limit : kIdxMaxBytes)) {
      inflateEnd(&z);
      Fail(source, limit > 0 ? fmt::format("inflates to more than the {} bytes its dimensions give", limit)
                             : fmt::format("inflates to more than {} bytes", kIdxMaxBytes));
    }
    if (status == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      Fail(source, "not valid gzip data (truncated)");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace

IdxArray ParseIdx(const std::string& bytes, const std::string& source) {
  IdxArray a;
  const size_t size = IdxSize(bytes, source, &a.dims);
  if (bytes.size() != size)
    Fail(source, fmt::format("{} bytes of data, but the dimensions give {}", bytes.size() - (size - Count(a.dims)),
                             Count(a.dims)));
  a.data.assign(bytes.end() - static_cast<std::ptrdiff_t>(Count(a.dims)), bytes.end());
  return a;
}

IdxArray ReadIdxFile(const std::string& path) {
  std::string bytes = ReadFile(path, kIdxMaxBytes);
  if (bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f && static_cast<uint8_t>(bytes[1]) == 0x8b)
    bytes = Gunzip(bytes, path);
  return ParseIdx(bytes, path);
}

}  // namespace neurevo
