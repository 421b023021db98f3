// Any bytes as a config file: either a valid config or a ConfigError, never
// a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "neurevo/config.h"
#include "neurevo/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const neurevo::RunConfig c = neurevo::ParseConfig(text, {}, "fuzz.toml");
    // A config that parses must write itself out and read back the same.
    const std::string toml = neurevo::ConfigToToml(c);
    if (neurevo::ConfigToToml(neurevo::ParseConfig(toml, {}, "roundtrip")) != toml) __builtin_trap();
  } catch (const neurevo::ConfigError&) {
  }
  return 0;
}
