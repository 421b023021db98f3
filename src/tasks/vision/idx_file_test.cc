#include "tasks/vision/idx_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "neurevo/error.h"

namespace neurevo {
namespace {

std::string Header(uint8_t type, std::initializer_list<uint32_t> dims) {
  std::string s = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((d >> shift) & 0xff));
  return s;
}

std::string ErrorOf(const std::string& bytes) {
  try {
    ParseIdx(bytes, "f.idx");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(IdxFile, ReadsDimensionsAndBytesInOrder) {
  const IdxArray a = ParseIdx(Header(0x08, {2, 3}) + std::string("\x01\x02\x03\x04\x05\xff", 6), "f");
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 255}));
  // Big-endian counts: 0x00000102 = 258.
  EXPECT_EQ(ParseIdx(Header(0x08, {258}) + std::string(258, 'x'), "f").dims[0], 258u);
}

// Every malformed header or size is refused by name, never read past.
TEST(IdxFile, MalformedFilesAreRefusedByName) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "f.idx: 0 bytes: too short for an IDX header"},
      {std::string("\x00\x00\x08", 3), "too short for an IDX header"},
      {std::string("\x01\x00\x08\x01\x00\x00\x00\x01x", 9), "not an IDX file"},
      {Header(0x0D, {1}) + "abcd", "element type 0x0d; allowed: 0x08"},
      {Header(0x08, {}), "0 dimensions"},
      {Header(0x08, {2, 2}).substr(0, 10), "too short for 2 dimensions"},
      {Header(0x08, {2, 0}), "dimension 1 is 0"},
      {Header(0x08, {2, 3}) + "abcde", "5 bytes of data, but the dimensions give 6"},
      {Header(0x08, {2, 3}) + "abcdefg", "7 bytes of data, but the dimensions give 6"},
      // Dimensions whose product overflows 64 bits if multiplied blindly.
      {Header(0x08, {0xffffffffu, 0xffffffffu, 0xffffffffu}) + "x", "more than 1073741824 elements"},
  };
  for (const auto& [bytes, expected] : cases)
    EXPECT_NE(ErrorOf(bytes).find(expected), std::string::npos) << ErrorOf(bytes) << " / " << expected;
}

TEST(IdxFile, ReadsGzipAndRefusesBadGzipAndSpecialFiles) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("idx_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string raw = Header(0x08, {4}) + "wxyz";
  const std::string gz = (dir / "a.gz").string();
  gzFile f = gzopen(gz.c_str(), "wb");
  gzwrite(f, raw.data(), static_cast<unsigned>(raw.size()));
  gzclose(f);
  EXPECT_EQ(ReadIdxFile(gz).data, (std::vector<uint8_t>{'w', 'x', 'y', 'z'}));
  // A truncated gzip stream.
  std::string bytes;
  {
    std::ifstream in(gz, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream((dir / "cut.gz").string(), std::ios::binary) << bytes.substr(0, bytes.size() - 12);
  try {
    ReadIdxFile((dir / "cut.gz").string());
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("not valid gzip data"), std::string::npos) << e.what();
  }
  // A gzip bomb: a header that announces 4 bytes, then 64 MB of zeros. It is
  // stopped at the first chunk beyond what the header gives, not at the cap.
  const std::string bomb = (dir / "bomb.gz").string();
  f = gzopen(bomb.c_str(), "wb9");
  gzwrite(f, raw.data(), static_cast<unsigned>(raw.size()));
  const std::string zeros(1 << 20, '\0');
  for (int k = 0; k < 64; ++k) gzwrite(f, zeros.data(), static_cast<unsigned>(zeros.size()));
  gzclose(f);
  try {
    ReadIdxFile(bomb);
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("inflates to more than the 12 bytes its dimensions give"), std::string::npos)
        << e.what();
  }
  // A FIFO is refused without blocking; a directory and a missing file too.
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THROW(ReadIdxFile(fifo), ConfigError);
  EXPECT_THROW(ReadIdxFile(dir.string()), ConfigError);
  EXPECT_THROW(ReadIdxFile((dir / "missing").string()), ConfigError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace neurevo
