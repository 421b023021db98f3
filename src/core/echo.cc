#include <fmt/format.h>

#include "neurevo/error.h"

namespace neurevo {

std::string Echo(std::string_view value) {
  constexpr size_t kShown = 80;
  std::string out;
  size_t shown = 0;
  for (; shown < value.size() && out.size() < kShown; ++shown) {
    const unsigned char ch = static_cast<unsigned char>(value[shown]);
    if (ch == '\n') out += "\\n";
    else if (ch == '\r') out += "\\r";
    else if (ch == '\t') out += "\\t";
    else if (ch < 0x20 || ch == 0x7f) out += fmt::format("\\x{:02x}", ch);
    else out += static_cast<char>(ch);
  }
  if (shown < value.size()) {
    // Do not end inside a UTF-8 sequence.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += fmt::format("… ({} bytes)", value.size());
  }
  return out;
}

}  // namespace neurevo
