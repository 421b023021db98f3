// Any bytes as a checkpoint: a verified state or a ConfigError, never a
// crash or undefined behaviour. The checksum stops random bytes at the
// door, so inputs whose first byte is even are wrapped in a valid header and
// exercise the payload parser and the optimizer-state loader behind it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "train/checkpoint.h"

namespace {
std::string Wrap(std::string_view payload) {
  std::string out("NEURCKPT", 8);
  auto put = [&](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  put(neurevo::kCheckpointFormatVersion, 4);
  put(neurevo::Crc32(payload), 4);
  put(payload.size(), 8);
  out.append(payload);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string bytes = data[0] % 2 == 0 ? Wrap(input) : std::string(input);
  try {
    const neurevo::RunState s = neurevo::DecodeCheckpoint(bytes, "gen.ckpt");
    // What the trainer does next: load each island's state into an optimizer
    // of the size the state claims (small ones only, to stay fast).
    for (const auto& state : s.optimizers) {
      if (!state.is_object() || !state.contains("dimension") || !state["dimension"].is_number_integer()) continue;
      const auto n = state["dimension"].get<int64_t>();
      if (n < 1 || n > 64) continue;
      neurevo::OptimizerOptions o;
      o.kind = state.value("kind", std::string("cma_es")) == "openai_es" ? "openai_es" : "cma_es";
      try {
        neurevo::MakeOptimizer(o, static_cast<int>(n), 1)->LoadState(state);
      } catch (const std::exception&) {  // the trainer turns these into ConfigError
      }
    }
  } catch (const neurevo::ConfigError&) {
  }
  return 0;
}
