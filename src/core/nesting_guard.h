// Depth limits for the structured text and binary that neurevo parses.
//
// toml++ and nlohmann-json's CBOR reader recurse once per level of nesting,
// so a file nested 50,000 levels deep (dotted keys, table headers, arrays,
// inline tables; CBOR arrays or tags) overflows the stack. Each check here is
// a cheap, non-recursive scan that bounds the depth before the parser runs.
// neurevo's own files nest a few levels deep at most.
#pragma once

#include <string>
#include <string_view>

namespace neurevo {

inline constexpr int kMaxNestingDepth = 64;

// Throw ConfigError "<what>: nested more than 64 levels deep ..." if the
// text or bytes nest deeper than kMaxNestingDepth. They do not validate the
// syntax otherwise (the parser does that after).
void CheckTomlNesting(std::string_view text, const std::string& what);
void CheckJsonNesting(std::string_view text, const std::string& what);
void CheckCborNesting(std::string_view bytes, const std::string& what);

}  // namespace neurevo
