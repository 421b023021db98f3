// Any bytes as a checkpoint: a verified state or a ConfigError, never a
// crash (deep nesting included) or undefined behaviour. The checksum stops
// random bytes at the door, so inputs whose first byte is even are wrapped in a valid header and
// exercise the payload parser and the optimizer-state loader behind it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
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
    // of the kind and size the state claims (up to 512 genes, to stay fast).
    // A state that loads must satisfy its strategy's invariants: saved
    // again it loads again to the same state, and it can be asked for
    // candidates.
    for (const auto& state : s.optimizers) {
      if (!state.is_object() || !state.contains("dimension") || !state["dimension"].is_number_integer()) continue;
      const auto n = state["dimension"].get<int64_t>();
      if (n < 1 || n > 512) continue;
      neurevo::OptimizerOptions o;
      const std::string kind = state.value("kind", std::string());
      o.kind = kind == "cma_restarts" ? state.value("inner_kind", std::string("cma_es")) : kind;
      if (kind == "cma_restarts") o.restarts = state.value("restarts_mode", std::string("ipop"));
      if (state.contains("population") && state["population"].is_number_integer() && kind != "cma_restarts")
        o.population = static_cast<int>(std::clamp<int64_t>(state["population"].get<int64_t>(), 2, 64));
      if (state.contains("population0") && state["population0"].is_number_integer())
        o.population = static_cast<int>(std::clamp<int64_t>(state["population0"].get<int64_t>(), 2, 64));
      std::unique_ptr<neurevo::Optimizer> optimizer;
      try {
        neurevo::ValidateOptimizerOptions(o);
        optimizer = neurevo::MakeOptimizer(o, static_cast<int>(n), 1);
      } catch (const std::exception&) {
        continue;  // a kind or size the registry refuses
      }
      try {
        optimizer->LoadState(state);
      } catch (const neurevo::ConfigError&) {
        continue;  // the trainer skips such a checkpoint
      }
      const nlohmann::json saved = optimizer->SaveState();
      auto again = neurevo::MakeOptimizer(o, static_cast<int>(n), 2);
      again->LoadState(saved);  // a ConfigError here escapes: libFuzzer reports it
      if (again->SaveState() != saved) __builtin_trap();
      if (static_cast<int>(again->Ask().size()) != again->population()) __builtin_trap();
    }
  } catch (const neurevo::ConfigError&) {
  }
  return 0;
}
