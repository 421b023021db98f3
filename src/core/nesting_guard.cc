#include "core/nesting_guard.h"

#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <vector>

#include "neurevo/error.h"

namespace neurevo {

namespace {

[[noreturn]] void TooDeep(const std::string& what, const char* how) {
  throw ConfigError(fmt::format("{}: nested more than {} levels deep ({}); allowed: at most {} levels", what,
                                kMaxNestingDepth, how, kMaxNestingDepth));
}

// Index just past the string that starts at `i` (at its opening quote);
// text.size() if it never closes. Handles TOML's four kinds of string and
// JSON's one.
size_t SkipString(std::string_view t, size_t i) {
  const char q = t[i];
  const bool multi = t.substr(i, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''");
  const bool escapes = q == '"';
  for (size_t k = i + (multi ? 3 : 1); k < t.size(); ++k) {
    if (escapes && t[k] == '\\') {
      ++k;
    } else if (t[k] == q && (!multi || t.substr(k, 3) == std::string_view(q == '"' ? "\"\"\"" : "'''"))) {
      return k + (multi ? 3 : 1);
    } else if (t[k] == '\n' && !multi) {
      return k;  // an unterminated single-line string: the parser reports it
    }
  }
  return t.size();
}

}  // namespace

void CheckTomlNesting(std::string_view t, const std::string& what) {
  // The depth of a point in the document: the table header's dotted parts,
  // plus, for each open array or inline table, the dotted parts of the key
  // it is the value of and one level for itself, plus the dotted parts of
  // the key being read. Dots in values (1.5) count too: a harmless excess.
  int header = 0, base = 0, value_base = 0, dots = 0;
  std::vector<int> open;  // `base` outside each open [ or {
  bool line_start = true;
  auto check = [&](int depth) {
    if (depth > kMaxNestingDepth) TooDeep(what, "TOML tables, dotted keys, arrays or inline tables");
  };
  for (size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (c == '"' || c == '\'') {
      i = SkipString(t, i);
      line_start = false;
      continue;
    }
    if (c == '#') {
      while (i < t.size() && t[i] != '\n') ++i;
      continue;
    }
    if (c == '\n') {
      if (open.empty()) base = value_base = header, dots = 0, line_start = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '[' && open.empty() && line_start) {  // [table] or [[array.of.tables]]
      const bool array = i + 1 < t.size() && t[i + 1] == '[';
      int parts = 1;
      for (i += array ? 2 : 1; i < t.size() && t[i] != ']' && t[i] != '\n';) {
        if (t[i] == '"' || t[i] == '\'') {
          i = SkipString(t, i);
          continue;
        }
        if (t[i] == '.') check(++parts + (array ? 1 : 0));
        ++i;
      }
      header = base = value_base = parts + (array ? 1 : 0);
      dots = 0;
      check(header);
      while (i < t.size() && t[i] == ']') ++i;
      line_start = false;
      continue;
    }
    line_start = false;
    switch (c) {
      case '[':
      case '{':
        open.push_back(base);
        base = value_base + 1;
        value_base = base;
        dots = 0;
        check(base);
        break;
      case ']':
      case '}':
        if (!open.empty()) base = open.back(), open.pop_back();
        value_base = base;
        dots = 0;
        break;
      case '=':
        value_base = base + dots + 1;
        dots = 0;
        check(value_base);
        break;
      case '.':
        check(base + ++dots + 1);
        break;
      case ',':
        value_base = base;
        dots = 0;
        break;
      default:
        break;
    }
    ++i;
  }
}

void CheckJsonNesting(std::string_view t, const std::string& what) {
  int depth = 0;
  for (size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (c == '"') {
      i = SkipString(t, i);
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxNestingDepth) TooDeep(what, "JSON arrays or objects");
    } else if (c == ']' || c == '}') {
      --depth;
    }
    ++i;
  }
}

void CheckCborNesting(std::string_view b, const std::string& what) {
  // Items still to read in each open array, map, tag or indefinite-length
  // value (kIndefinite: until a break byte). A truncated or malformed
  // encoding ends the scan; the parser then reports it.
  constexpr uint64_t kIndefinite = std::numeric_limits<uint64_t>::max();
  std::vector<uint64_t> open;
  auto finished_item = [&] {
    while (!open.empty() && open.back() != kIndefinite) {
      if (--open.back() > 0) return;
      open.pop_back();  // a container completed: one item of its parent
    }
  };
  auto push = [&](uint64_t items) {
    if (items == 0) return finished_item();
    open.push_back(items);
    if (open.size() > static_cast<size_t>(kMaxNestingDepth)) TooDeep(what, "CBOR arrays, maps or tags");
  };
  size_t i = 0;
  while (i < b.size()) {
    const auto head = static_cast<uint8_t>(b[i++]);
    const int major = head >> 5, info = head & 31;
    uint64_t arg = static_cast<uint64_t>(info);
    if (info >= 24 && info <= 27) {
      const size_t n = size_t{1} << (info - 24);
      if (b.size() - i < n) return;
      arg = 0;
      for (size_t k = 0; k < n; ++k) arg = (arg << 8) | static_cast<uint8_t>(b[i + k]);
      i += n;
    } else if (info >= 28 && info <= 30) {
      return;  // reserved
    }
    const bool indefinite = info == 31;
    switch (major) {
      case 0:
      case 1:
        finished_item();
        break;
      case 2:
      case 3:
        if (indefinite) {
          push(kIndefinite);
        } else {
          if (b.size() - i < arg) return;
          i += static_cast<size_t>(arg);
          finished_item();
        }
        break;
      case 4:
        push(indefinite ? kIndefinite : arg);
        break;
      case 5:
        push(indefinite ? kIndefinite : arg > kIndefinite / 2 ? kIndefinite - 1 : 2 * arg);
        break;
      case 6:
        push(1);  // a tag wraps the one item that follows
        break;
      default:  // 7: simple values and floats (their bytes were the argument), or break
        if (indefinite) {
          if (open.empty() || open.back() != kIndefinite) return;
          open.pop_back();
        }
        finished_item();
        break;
    }
  }
}

}  // namespace neurevo
