#include "train/checkpoint.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <zlib.h>

#include "core/checked_math.h"
#include "core/files.h"
#include "core/nesting_guard.h"
#include "neurevo/error.h"
#include "optim/state_json.h"

namespace neurevo {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'N', 'E', 'U', 'R', 'C', 'K', 'P', 'T'};
constexpr size_t kHeaderBytes = 24;
constexpr const char* kPrefix = "gen-";
constexpr const char* kSuffix = ".ckpt";

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
uint64_t GetLE(std::string_view b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

nlohmann::json GenomeJson(const SavedGenome& g) {
  return {{"genes", g.genes},
          {"fitness", g.fitness},
          {"validation", g.validation},
          {"validation_episodes", g.validation_episodes},
          {"generation", g.generation},
          {"normalizer", g.normalizer.ToJson()}};
}

// Every number in `j` is finite (optimizer states must be; NaN and infinity
// survive CBOR, so a poisoned state is caught here rather than later).
bool AllFinite(const nlohmann::json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (state_json::IsPackedMatrix(j)) {
    const std::vector<double> values = state_json::PackedValues(j);
    return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  }
  if (j.is_structured())
    for (const auto& v : j)
      if (!AllFinite(v)) return false;
  return true;
}

// Long arrays of numbers (covariance matrices, means) become raw float64
// blobs in the CBOR payload: exact, and ten times faster to encode and parse
// than element by element.
constexpr uint8_t kPackedDoubles = 0x64;
constexpr size_t kPackFrom = 16;

// By value: a state handed over (a checkpoint writer's snapshot) is packed
// in place, its matrices moved rather than copied.
nlohmann::json Pack(nlohmann::json j) {
  if (j.is_array() && j.size() >= kPackFrom &&
      std::all_of(j.begin(), j.end(), [](const nlohmann::json& v) { return v.is_number(); })) {
    const auto values = j.get<std::vector<double>>();
    return state_json::PackDoubles(values.data(), values.size(), kPackedDoubles);
  }
  if (j.is_structured())
    for (auto& v : j) v = Pack(std::move(v));
  return j;
}

nlohmann::json Unpack(const nlohmann::json& j) {
  // Optimizers' own packed matrices stay binary; their LoadState reads them.
  if (state_json::IsPackedMatrix(j)) return j;
  if (j.is_binary()) {
    const auto& b = j.get_binary();
    if (!b.has_subtype() || b.subtype() != kPackedDoubles || b.size() % 8 != 0)
      throw nlohmann::json::other_error::create(501, "unknown binary value", &j);
    return state_json::PackedValues(j);
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[k] = Unpack(v);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(Unpack(v));
    return out;
  }
  return j;
}

// An upper bound on the CBOR encoding's size (9 bytes covers any head or
// scalar).
size_t CborBytesBound(const nlohmann::json& j) {
  if (j.is_binary()) return 9 + j.get_binary().size();
  if (j.is_string()) return 9 + j.get_ref<const std::string&>().size();
  if (j.is_array()) {
    size_t n = 9;
    for (const auto& v : j) n += CborBytesBound(v);
    return n;
  }
  if (j.is_object()) {
    size_t n = 9;
    for (const auto& [k, v] : j.items()) n += 9 + k.size() + CborBytesBound(v);
    return n;
  }
  return 9;
}

nlohmann::json PackAll(std::vector<nlohmann::json> states) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& s : states) out.push_back(Pack(std::move(s)));
  return out;
}
std::vector<nlohmann::json> UnpackAll(const nlohmann::json& j) {
  std::vector<nlohmann::json> out;
  for (const auto& s : j) out.push_back(Unpack(s));
  return out;
}

}  // namespace

uint32_t Crc32(std::string_view bytes, uint32_t crc) {
  // zlib takes uInt lengths; feed large inputs in chunks.
  uLong c = crc;
  while (!bytes.empty()) {
    const size_t n = std::min<size_t>(bytes.size(), 1u << 30);
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<uint32_t>(c);
}

namespace {
// `optimizers` and `restore_points`: s's, packed (PackAll).
std::string Encode(const RunState& s, nlohmann::json optimizers, nlohmann::json restore_points) {
  nlohmann::json p = {{"config", s.config_toml},
                      {"generation", s.generation},
                      {"env_steps", s.env_steps},
                      {"failed_episodes", s.failed_episodes},
                      {"failed_individuals", s.failed_individuals},
                      {"optimizer_restores", s.optimizer_restores},
                      {"train_seconds", s.train_seconds},
                      {"last_generation_best", s.last_generation_best},
                      {"best_score", s.best_score},
                      {"best", s.best ? GenomeJson(*s.best) : nlohmann::json(nullptr)},
                      {"obs_dim", s.normalizer.dim()},
                      {"normalizer", s.normalizer.ToJson()},
                      {"optimizers", std::move(optimizers)},
                      {"restore_points", std::move(restore_points)},
                      {"restore_generation", s.restore_generation},
                      {"metrics_bytes", s.metrics_bytes},
                      {"metrics_crc", s.metrics_crc}};
  // The payload is encoded straight after the header (no second copy of a
  // payload that can hold n x n matrices); CRC and length are filled in after.
  std::string out(kHeaderBytes, '\0');
  out.reserve(kHeaderBytes + CborBytesBound(p));  // growing by doubling would peak at ~3x
  nlohmann::json::to_cbor(p, out);
  const std::string_view payload = std::string_view(out).substr(kHeaderBytes);
  std::string header(kMagic, sizeof kMagic);
  PutU32(header, kCheckpointFormatVersion);
  PutU32(header, Crc32(payload));
  PutU64(header, payload.size());
  out.replace(0, kHeaderBytes, header);
  return out;
}

// Usually the same as `optimizers`: stored once.
bool RestorePointsStored(const RunState& s) { return s.restore_generation != s.generation; }
}  // namespace

std::string EncodeCheckpoint(const RunState& s) {
  return Encode(s, PackAll(s.optimizers), RestorePointsStored(s) ? PackAll(s.restore_points) : nullptr);
}

std::string EncodeCheckpoint(RunState&& s) {
  nlohmann::json restore = RestorePointsStored(s) ? PackAll(std::move(s.restore_points)) : nullptr;
  return Encode(s, PackAll(std::move(s.optimizers)), std::move(restore));
}

RunState DecodeCheckpoint(std::string_view bytes, const std::string& what) {
  auto fail = [&](const std::string& problem) { return ConfigError(fmt::format("{}: {}", what, problem)); };
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw fail(bytes.size() < kHeaderBytes ? "truncated checkpoint (no complete header)"
                                           : "not a neurevo checkpoint (bad magic)");
  const uint64_t version = GetLE(bytes, 8, 4);
  if (version != kCheckpointFormatVersion)
    throw fail(fmt::format("checkpoint format version {} is not supported (this build reads {})", version,
                           kCheckpointFormatVersion));
  const uint64_t length = GetLE(bytes, 16, 8);
  const std::string_view payload = bytes.substr(kHeaderBytes);
  if (payload.size() != length)
    throw fail(fmt::format("truncated or padded checkpoint: payload is {} bytes, header says {}",
                           payload.size(), length));
  if (Crc32(payload) != GetLE(bytes, 12, 4)) throw fail("checksum mismatch (the file is corrupt)");
  CheckCborNesting(payload, what);  // the CBOR reader recurses per level

  RunState s;
  try {
    const nlohmann::json p =
        nlohmann::json::from_cbor(payload, true, true, nlohmann::json::cbor_tag_handler_t::store);
    s.config_toml = p.at("config").get<std::string>();
    s.generation = state_json::Integer<long long>(p, "generation", what);
    s.env_steps = state_json::Integer<long long>(p, "env_steps", what);
    s.failed_episodes = state_json::Integer<long long>(p, "failed_episodes", what);
    s.failed_individuals = state_json::Integer<long long>(p, "failed_individuals", what);
    s.optimizer_restores = state_json::Integer<long long>(p, "optimizer_restores", what);
    s.train_seconds = p.at("train_seconds").get<double>();
    s.last_generation_best = p.at("last_generation_best").get<double>();
    s.best_score = p.at("best_score").get<double>();
    const int obs_dim = state_json::Integer<int>(p, "obs_dim", what);
    if (obs_dim < 0 || obs_dim > (1 << 24)) throw fail("observation size out of range");
    s.normalizer = ObsNormalizer::FromJson(p.at("normalizer"), obs_dim, what);
    if (const auto& b = p.at("best"); !b.is_null()) {
      SavedGenome g;
      g.genes = b.at("genes").get<std::vector<double>>();
      g.fitness = b.at("fitness").get<double>();
      g.validation = b.at("validation").get<double>();
      g.validation_episodes = state_json::Integer<long long>(b, "validation_episodes", what);
      if (g.validation_episodes < 0) throw fail("negative validation episode count");
      g.generation = state_json::Integer<long long>(b, "generation", what);
      g.normalizer = ObsNormalizer::FromJson(b.at("normalizer"), obs_dim, what);
      for (double x : g.genes)
        if (!std::isfinite(x)) throw fail("the best genome has a non-finite gene");
      s.best = std::move(g);
    }
    s.optimizers = UnpackAll(p.at("optimizers"));
    s.restore_generation = state_json::Integer<long long>(p, "restore_generation", what);
    const auto& restore = p.at("restore_points");
    s.restore_points = restore.is_null() && s.restore_generation == s.generation ? s.optimizers
                                                                                 : UnpackAll(restore);
    s.metrics_bytes = state_json::Integer<uint64_t>(p, "metrics_bytes", what);
    s.metrics_crc = state_json::Integer<uint32_t>(p, "metrics_crc", what);
  } catch (const nlohmann::json::exception& e) {
    throw fail(fmt::format("malformed checkpoint ({})", e.what()));
  }
  // Every counter within 0 .. 2^53 and consistent with the others (the
  // trainer checks them against the config in Trainer::Adopt): a counter
  // near 2^63 would otherwise overflow the budget arithmetic.
  auto counter = [&](long long v, const char* name) {
    if (v < 0 || v > kMaxSavedCount)
      throw fail(fmt::format("counter '{}' is {}; allowed: 0 .. 2^53", name, v));
  };
  counter(s.generation, "generation");
  counter(s.env_steps, "env_steps");
  counter(s.failed_episodes, "failed_episodes");
  counter(s.failed_individuals, "failed_individuals");
  counter(s.optimizer_restores, "optimizer_restores");
  counter(s.restore_generation, "restore_generation");
  counter(static_cast<long long>(std::min<uint64_t>(s.metrics_bytes, uint64_t{1} << 62)), "metrics_bytes");
  if (s.restore_generation > s.generation) throw fail("restore_generation is after generation");
  if (s.failed_individuals > s.failed_episodes)
    throw fail("more failed individuals than failed episodes");
  if (s.optimizers.empty() || s.optimizers.size() != s.restore_points.size())
    throw fail("optimizer states missing or inconsistent");
  if (s.optimizer_restores > SaturatingMul(s.generation, static_cast<long long>(s.optimizers.size())))
    throw fail("more optimizer restores than island generations");
  if (s.best) {
    counter(s.best->generation, "best.generation");
    counter(s.best->validation_episodes, "best.validation_episodes");
    if (s.best->generation >= s.generation) throw fail("the best genome is from a generation not yet complete");
  }
  if (s.generation == 0 && (s.env_steps != 0 || s.failed_episodes != 0 || s.best || s.metrics_bytes != 0))
    throw fail("counters or a best genome before the first generation");
  for (const auto& o : s.optimizers)
    if (!AllFinite(o)) throw fail("an optimizer state holds a non-finite number");
  for (const auto& o : s.restore_points)
    if (!AllFinite(o)) throw fail("an optimizer restore point holds a non-finite number");
  if (std::isnan(s.best_score) || std::isnan(s.last_generation_best) || !std::isfinite(s.train_seconds))
    throw fail("a score is not a number");
  return s;
}

namespace {
void WriteEncoded(const std::string& run_dir, long long generation, const std::string& bytes) {
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  WriteFileAtomic((dir / fmt::format("{}{:012d}{}", kPrefix, generation, kSuffix)).string(), bytes);
  const auto files = ListCheckpoints(run_dir);
  for (size_t i = kCheckpointsKept; i < files.size(); ++i) fs::remove(files[i], ec);
}
}  // namespace

void WriteCheckpoint(const std::string& run_dir, const RunState& state) {
  WriteEncoded(run_dir, state.generation, EncodeCheckpoint(state));
}

void WriteCheckpoint(const std::string& run_dir, RunState&& state) {
  const long long generation = state.generation;
  WriteEncoded(run_dir, generation, EncodeCheckpoint(std::move(state)));
}

std::vector<std::string> ListCheckpoints(const std::string& run_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  if (!fs::is_directory(dir, ec)) return files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(kPrefix) && name.ends_with(kSuffix)) files.push_back(entry.path().string());
  }
  // Zero-padded generation numbers: name order is generation order.
  std::sort(files.rbegin(), files.rend());
  return files;
}

}  // namespace neurevo
