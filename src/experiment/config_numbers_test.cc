// How config.toml and `neurevo config` write floats: the shortest text that
// reads back as the identical double (0.1, not 0.10000000000000001).
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <string>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/random.h"

namespace neurevo {
namespace {

// The line `key = value` of a resolved config.
std::string ValueOf(const std::string& toml, const std::string& key) {
  const auto at = toml.find("\n" + key + " = ");
  if (at == std::string::npos) return "";
  const auto start = at + key.size() + 4;
  return toml.substr(start, toml.find('\n', start) - start);
}

// Significant digits of a decimal number's text ("-1.50e+03": 2).
int SignificantDigits(const std::string& text) {
  std::string digits;
  for (char ch : text.substr(0, text.find_first_of("eE")))
    if (ch >= '0' && ch <= '9') digits += ch;
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 1;
  digits = digits.substr(first);
  return static_cast<int>(digits.find_last_not_of('0') + 1);
}

// The fewest significant digits that read back as x.
int ShortestDigits(double x) {
  for (int p = 1;; ++p)
    if (std::strtod(fmt::format("{:.{}e}", x, p - 1).c_str(), nullptr) == x) return p;
}

// budget.target_fitness takes any number in [-1e300, 1e300]: those go
// through config.toml and back; beyond, the text alone must read back.
void ExpectRoundTrip(double x) {
  SCOPED_TRACE(fmt::format("{}", x));
  RunConfig c;
  c.budget.target_fitness = x;
  const std::string toml = ConfigToToml(c);
  const std::string text = ValueOf(toml, "target_fitness");
  EXPECT_EQ(SignificantDigits(text), ShortestDigits(x)) << text;
  EXPECT_EQ(std::bit_cast<uint64_t>(std::strtod(text.c_str(), nullptr)), std::bit_cast<uint64_t>(x)) << text;
  if (std::abs(x) > 1e300) return;
  const RunConfig back = ParseConfig(toml, {});
  EXPECT_EQ(std::bit_cast<uint64_t>(back.budget.target_fitness), std::bit_cast<uint64_t>(x)) << toml;
  EXPECT_EQ(ConfigToToml(back), toml);
}

TEST(ConfigNumbers, ShortestTextThatRoundTrips) {
  for (double x : {0.1, 0.2, 0.3, 1.0 / 3.0, 2.0 / 3.0, 1e-300, 5e-324, 2.2250738585072014e-308,
                   1.7976931348623157e308, -1.7976931348623157e308, -0.0, 0.0, 1.0, 100.0, 123456789.0,
                   1e22, 1e23, 9007199254740993.0, -2.5e-7, 475.0})
    ExpectRoundTrip(x);
  // And many doubles of every magnitude, drawn from their bit patterns.
  RandomStream rng(12345);
  int checked = 0;
  while (checked < 2000) {
    const double x = std::bit_cast<double>(rng.NextU64());
    if (!std::isfinite(x)) continue;
    ExpectRoundTrip(x);
    ++checked;
  }
}

TEST(ConfigNumbers, DefaultsPrintAsWritten) {
  const std::string toml = ConfigToToml(RunConfig{});
  EXPECT_EQ(ValueOf(toml, "sigma0"), "0.1");
  EXPECT_EQ(ValueOf(toml, "dt_ms"), "0.1");
  EXPECT_EQ(ValueOf(toml, "weight_max_nS"), "0.05");
  EXPECT_EQ(toml.find("0000000000"), std::string::npos) << toml;
}

}  // namespace
}  // namespace neurevo
