#include "core/npz_writer.h"

#include <fmt/format.h>
#include <zlib.h>

#include <cstring>
#include <stdexcept>

#include "core/files.h"

namespace neurevo {
namespace {

constexpr uint64_t kMaxArchive = (1ULL << 31) - 1;

void Put(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// NPY format 1.0: magic, version, header length, a Python dict literal
// padded so that the data starts at a multiple of 64 bytes.
std::string NpyHeader(const std::string& descr, const std::vector<uint64_t>& shape) {
  std::string dims;  // "()", "(3,)", "(3, 4)"
  for (size_t i = 0; i < shape.size(); ++i) dims += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", descr, dims);
  const size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  std::string header = "\x93NUMPY";
  header.push_back('\x01');
  header.push_back('\x00');
  Put(header, dict.size(), 2);
  return header + dict;
}

}  // namespace

void NpzWriter::Add(const std::string& name, const std::string& descr, const std::vector<uint64_t>& shape,
                    const void* data, uint64_t bytes) {
  Member m;
  m.name = name + ".npy";
  m.content.reserve(128 + bytes);
  m.content = NpyHeader(descr, shape);
  m.content.append(static_cast<const char*>(data), bytes);
  if (size() + m.content.size() + 2 * m.name.size() + 128 > kMaxArchive)
    throw std::length_error(fmt::format("npz archive over {} bytes", kMaxArchive));
  m.crc = static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(m.content.data()),
                                      static_cast<uInt>(m.content.size())));
  members_.push_back(std::move(m));
}

uint64_t NpzWriter::size() const {
  uint64_t total = 22;  // end of central directory
  for (const Member& m : members_) total += 30 + 46 + 2 * m.name.size() + m.content.size();
  return total;
}

namespace {
// Local header of a stored member (no data descriptor; DOS date 1980-01-01).
std::string LocalHeader(const std::string& name, uint64_t size, uint32_t crc) {
  std::string out;
  Put(out, 0x04034b50, 4);
  Put(out, 20, 2);    // version needed
  Put(out, 0, 2);     // flags
  Put(out, 0, 2);     // stored
  Put(out, 0, 2);     // time
  Put(out, 0x21, 2);  // date: 1980-01-01
  Put(out, crc, 4);
  Put(out, size, 4);
  Put(out, size, 4);
  Put(out, name.size(), 2);
  Put(out, 0, 2);
  return out + name;
}
}  // namespace

void NpzWriter::Write(const std::string& path, bool no_replace) const {
  // Streamed member by member: the archive never exists whole in memory.
  WriteFileAtomicWith(path, [&](const FileSink& put) {
    std::string central;
    uint64_t offset = 0;
    for (const Member& m : members_) {
      const std::string local = LocalHeader(m.name, m.content.size(), m.crc);
      if (!put(local) || !put(m.content)) return false;
      Put(central, 0x02014b50, 4);
      Put(central, 20, 2);  // made by
      Put(central, 20, 2);  // needed
      Put(central, 0, 2);
      Put(central, 0, 2);
      Put(central, 0, 2);
      Put(central, 0x21, 2);
      Put(central, m.crc, 4);
      Put(central, m.content.size(), 4);
      Put(central, m.content.size(), 4);
      Put(central, m.name.size(), 2);
      Put(central, 0, 2);  // extra
      Put(central, 0, 2);  // comment
      Put(central, 0, 2);  // disk
      Put(central, 0, 2);  // internal attributes
      Put(central, 0, 4);  // external attributes
      Put(central, offset, 4);
      central += m.name;
      offset += local.size() + m.content.size();
    }
    std::string end;
    Put(end, 0x06054b50, 4);
    Put(end, 0, 2);
    Put(end, 0, 2);
    Put(end, members_.size(), 2);
    Put(end, members_.size(), 2);
    Put(end, central.size(), 4);
    Put(end, offset, 4);
    Put(end, 0, 2);
    return put(central) && put(end);
  }, no_replace);
}

}  // namespace neurevo
