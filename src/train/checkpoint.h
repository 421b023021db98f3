// Checkpoints: the whole state of a run between two generations, in a file
// that is either complete and verified or refused.
//
// Every random stream of a run is a function of counters (seed, generation,
// individual, episode) or lives inside an optimizer's state, so RunState plus
// the config is all a resumed run needs to continue exactly as if it had
// never stopped.
//
// File layout (little-endian):
//   bytes 0..7    magic "NEURCKPT"
//   bytes 8..11   format version (uint32)
//   bytes 12..15  CRC-32 (zlib) of the payload
//   bytes 16..23  payload length (uint64)
//   bytes 24..    payload: CBOR (RFC 8949), which keeps every double exact,
//                 infinities included
// Truncation, bit flips and foreign files are caught by the length, the CRC
// and the magic before the payload is parsed.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "train/obs_normalizer.h"
#include "train/run_files.h"

namespace neurevo {

inline constexpr uint32_t kCheckpointFormatVersion = 1;
// How many checkpoint files a run directory keeps (the newest ones).
inline constexpr int kCheckpointsKept = 2;

struct RunState {
  std::string config_toml;  // the resolved config the state belongs to
  long long generation = 0;  // complete generations
  long long env_steps = 0;
  long long failed_episodes = 0;
  long long failed_individuals = 0;
  long long optimizer_restores = 0;
  // Wall time spent by earlier sessions of this run (not part of the result).
  double train_seconds = 0.0;
  // The best training fitness of the last complete generation (the target
  // test looks at it), -inf before the first.
  double last_generation_best = -std::numeric_limits<double>::infinity();
  // Best-so-far: its selection score (validation mean, or training fitness).
  double best_score = -std::numeric_limits<double>::infinity();
  std::optional<SavedGenome> best;
  ObsNormalizer normalizer;
  // Per island: Optimizer::SaveState().
  std::vector<nlohmann::json> optimizers;
  // Per island: the last good optimizer state (restored if the state turns
  // non-finite) and the generation it was taken at.
  std::vector<nlohmann::json> restore_points;
  long long restore_generation = 0;
  // metrics.jsonl as of this state: its length and CRC-32.
  uint64_t metrics_bytes = 0;
  uint32_t metrics_crc = 0;
};

// The checkpoint file's bytes (the same for both; the second moves the
// optimizer states instead of copying them).
std::string EncodeCheckpoint(const RunState& state);
std::string EncodeCheckpoint(RunState&& state);
// Verifies and parses; throws ConfigError "<what>: <problem>". Checks the
// file's own consistency only; the trainer checks it against the run.
RunState DecodeCheckpoint(std::string_view bytes, const std::string& what);

// checkpoints/gen-<generation>.ckpt in `run_dir`, written atomically; older
// files beyond the newest kCheckpointsKept are removed afterwards.
void WriteCheckpoint(const std::string& run_dir, const RunState& state);
void WriteCheckpoint(const std::string& run_dir, RunState&& state);
// The checkpoint files of a run directory, newest first.
std::vector<std::string> ListCheckpoints(const std::string& run_dir);

// CRC-32 (zlib's polynomial), continuing from `crc` (0 to start).
uint32_t Crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace neurevo
