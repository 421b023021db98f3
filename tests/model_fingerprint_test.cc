// Fingerprints of what the models do, stored before a refactor so that the
// refactor can prove it changed nothing (issue 18: today's models become
// presets of the network description, and every config that landed gives the
// same results).
//
// For every shipped config (configs/**.toml) and for variants that reach the
// model options no shipped config uses, the test builds the task and model,
// decodes seeded random genomes and runs them for up to 120 steps; the
// fingerprint is the genome size and a 64-bit hash of every policy output
// (the network's readout before it becomes an action), action and reward,
// bit for bit. tests/data/model_fingerprints.json holds the recorded
// values. Record them again only for an intended change of behaviour:
//
//   NEUREVO_RECORD_FINGERPRINTS=1 build/tests/neurevo_tests --gtest_filter='ModelFingerprint.*'
//
// The hashes depend on the float arithmetic the compiler emits (GCC's
// Release build, -march=native), not on thread count or scheduling; a clang
// build skips the comparison. The LIF models' hashes were the same on the
// two CPUs they were recorded on (an Intel Xeon, and an AVX-512 AMD EPYC),
// but the tanh baselines (Eigen's packet width follows the instruction set)
// and the linear readout differed in the last bits. So each hash is stored
// under the instruction set the build targets (InstructionSet()): a build
// for a recorded one is compared exactly; on another, a case is compared
// where two or more recorded hashes all agree and skipped otherwise (a
// config changed since is recorded for one set only). Recording adds (or
// replaces) this build's hashes and keeps the others: drop a changed
// config's hashes for other sets by hand, they no longer hold.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "neurevo/config.h"
#include "neurevo/model.h"
#include "neurevo/random.h"
#include "neurevo/task.h"
#include "train/episode.h"
#include "train/obs_normalizer.h"

namespace neurevo {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = fs::path(NEUREVO_TEST_DATA_DIR) / ".." / "..";
const fs::path kStore = fs::path(NEUREVO_TEST_DATA_DIR) / "model_fingerprints.json";

// FNV-1a over the bytes of each value.
struct Hash {
  uint64_t h = 1469598103934665603ULL;
  void Add(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
  }
  void Add(double x) { Add(&x, sizeof x); }
  void Add(long long x) { Add(&x, sizeof x); }
};

struct Case {
  std::string name;    // key in the store
  std::string config;  // path relative to the repository, or "" for the default
  std::vector<std::string> overrides;
};

// The snn variants recorded before the snn's default input encoding became
// pairs keep single input neurons (snn-default has the pairs).
constexpr const char* kSingle = "model.input_encoding=\"single\"";
// Likewise the potential readout, the snn's default before the rate readout
// (snn-default and hopper-snn have the rate readout).
constexpr const char* kPotential = "model.snn_readout=\"potential\"";

// Shipped configs, then variants of the default that reach every model option
// the shipped configs leave at its default.
std::vector<Case> Cases() {
  std::vector<Case> cases;
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(kRepo / "configs"))
    if (e.path().extension() == ".toml") files.push_back(fs::relative(e.path(), kRepo).generic_string());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) cases.push_back({f, f, {}});
  const std::pair<const char*, std::vector<std::string>> variants[] = {
      {"default", {}},
      {"rnn", {"model.kind=\"rnn\""}},
      {"mlp", {"model.kind=\"mlp\"", "model.mlp_hidden=[16, 8]"}},
      {"snn-default", {"model.kind=\"snn\""}},
      {"snn-rate", {"model.kind=\"snn\"", kSingle, "model.snn_readout=\"rate\""}},
      {"snn-threshold", {"model.kind=\"snn\"", kSingle, kPotential, "model.binary_readout=\"threshold\""}},
      {"bnn-pair", {"model.input_encoding=\"pair\""}},
      {"bnn-current", {"model.input_encoding=\"current\"", "model.input_gain_pA=4.0"}},
      {"bnn-linear", {"model.readout=\"linear\""}},
      {"snn-linear", {"model.kind=\"snn\"", kSingle, "model.readout=\"linear\""}},
      {"bnn-warmup", {"model.warmup_steps=3"}},
      {"bnn-frozen", {"model.evolve_delays=false", "model.evolve_offsets=false", "model.evolve_noise=false"}},
      {"bnn-sparse", {"model.connectivity=[\"in->E\", \"E->I\", \"I->E\", \"E->out\", \"I->out\"]"}},
      {"bnn-delays", {"model.min_delay_ms=0.3", "model.max_delay_ms=12.0", "model.noise_interval_substeps=3"}},
      {"bnn-realtime", {"model.substeps=0"}},
      {"pendulum-pushpull", {"task.name=\"Pendulum-v1\"", "model.continuous_readout=\"push_pull\""}},
      {"pendulum-snn", {"task.name=\"Pendulum-v1\"", "model.kind=\"snn\"", kSingle, kPotential}},
      {"acrobot-bnn", {"task.name=\"Acrobot-v1\""}},
      {"mountaincar-rnn", {"task.name=\"MountainCarContinuous-v0\"", "model.kind=\"rnn\""}},
      {"hopper-snn-current", {"task.name=\"Hopper-v5\"", "model.kind=\"snn\"", "model.input_encoding=\"current\"", kPotential}},
      {"hopper-snn", {"task.name=\"Hopper-v5\"", "model.kind=\"snn\""}},
      {"ant-mlp", {"task.name=\"Ant-v5\"", "model.kind=\"mlp\""}},
      {"enu", {"model.kind=\"enu\"", "model.enu_memory=8", "model.enu_channels=4"}},
      {"pendulum-enu-stateless",
       {"task.name=\"Pendulum-v1\"", "model.kind=\"enu\"", "model.enu_stateless=true", "model.enu_memory=8"}},
  };
  for (const auto& [name, overrides] : variants) cases.push_back({std::string("variant/") + name, "", overrides});
  return cases;
}

constexpr int kGenomes = 2;
constexpr int kEpisodes = 2;
constexpr long long kMaxSteps = 120;

struct Fingerprint {
  long long genes = 0;
  std::string behaviour;  // hex hash
};

Fingerprint Measure(const Case& c) {
  const RunConfig config = c.config.empty() ? ParseConfig("", c.overrides)
                                            : LoadConfigFile((kRepo / c.config).string(), c.overrides);
  std::unique_ptr<Task> task = MakeTask(config.task_name, config.task_options);
  std::unique_ptr<Model> model = MakeModel(config.model, task->observation_space(), task->action_space());
  Fingerprint f;
  f.genes = model->layout().size();
  Hash hash;
  // No statistics yet: observations are clipped to +-5, otherwise unchanged.
  const ObsNormalizer normalizer(task->observation_space().vector_size(), true, 5.0);
  for (int g = 0; g < kGenomes; ++g) {
    RandomStream rng(0x5eed, static_cast<uint64_t>(g));
    // One genome inside the unit box, one mostly outside (folded back).
    std::vector<double> genome(f.genes);
    for (double& x : genome) x = g == 0 ? rng.Uniform() : rng.Uniform(-1.5, 2.5);
    std::unique_ptr<Policy> policy = model->Decode(genome);
    for (int e = 0; e < kEpisodes; ++e) {
      std::atomic<bool> stop{false};
      EpisodeOptions options;
      options.abort = &stop;
      options.on_step = [&](const StepRecord& s) {
        for (float y : policy->outputs()) hash.Add(static_cast<double>(y));
        for (double a : s.action) hash.Add(a);
        hash.Add(s.result.reward);
        if (s.step >= kMaxSteps) stop = true;
      };
      const EpisodeResult r = RunEpisode(*policy, *task, normalizer, 100 + e, 7 + 13 * e + g, options);
      hash.Add(r.total_reward);
      hash.Add(r.steps);
      hash.Add(static_cast<long long>(r.failed));
    }
  }
  f.behaviour = fmt::format("{:016x}", hash.h);
  return f;
}

// What decides the float arithmetic of a -march=native build: the widest
// vector instruction set it targets (Eigen's packets) and fused multiply-adds.
std::string InstructionSet() {
#if defined(__AVX512F__)
  return "x86-64 AVX-512";
#elif defined(__AVX2__) && defined(__FMA__)
  return "x86-64 AVX2+FMA";
#elif defined(__x86_64__)
  return "x86-64";
#else
  return "other";
#endif
}

TEST(ModelFingerprint, EveryShippedConfigAndVariantBehavesAsRecorded) {
#if defined(__clang__) || !defined(__GNUC__)
  // The hashes are GCC's Release build's (the suite CI runs first); clang,
  // which builds the sanitizer suites, fuses floating-point operations
  // differently, so its bits differ.
  GTEST_SKIP() << "fingerprints are recorded with GCC";
#endif
  const bool record = std::getenv("NEUREVO_RECORD_FINGERPRINTS") != nullptr;
  const std::string isa = InstructionSet();
  nlohmann::json stored = nlohmann::json::object();
  {
    std::ifstream in(kStore);
    if (in) stored = nlohmann::json::parse(in);
    else ASSERT_TRUE(record) << kStore << " is missing; record it (see the comment at the top of this file)";
  }
  nlohmann::json measured = nlohmann::json::object();
  int compared = 0, skipped = 0, recorded_here = 0;
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const Fingerprint f = Measure(c);
    if (record) {
      nlohmann::json entry = stored.contains(c.name) ? stored[c.name] : nlohmann::json::object();
      if (!entry.contains("behaviour")) entry["behaviour"] = nlohmann::json::object();
      entry["genes"] = f.genes;
      entry["behaviour"][isa] = f.behaviour;
      measured[c.name] = entry;
      continue;
    }
    ASSERT_TRUE(stored.contains(c.name)) << "no recorded fingerprint for " << c.name;
    EXPECT_EQ(f.genes, stored[c.name]["genes"].get<long long>());
    const nlohmann::json& by_isa = stored[c.name]["behaviour"];
    recorded_here += by_isa.contains(isa);
    if (by_isa.contains(isa)) {
      EXPECT_EQ(f.behaviour, by_isa[isa].get<std::string>()) << "recorded for " << isa;
    } else {
      std::set<std::string> hashes;
      for (const auto& h : by_isa) hashes.insert(h.get<std::string>());
      // Compared only where two or more instruction sets were recorded and
      // agree; one recorded set says nothing about the others.
      if (hashes.size() != 1 || by_isa.size() < 2) {
        ++skipped;
        continue;
      }
      EXPECT_EQ(f.behaviour, *hashes.begin()) << "the same for every recorded instruction set";
    }
    ++compared;
  }
  if (record) {
    std::ofstream(kStore) << measured.dump(2) << "\n";
    GTEST_SKIP() << "recorded " << measured.size() << " fingerprints for " << isa << " in " << kStore;
  }
  // Every recorded config still exists (a deleted config would otherwise
  // silently stop being checked).
  EXPECT_EQ(compared + skipped, static_cast<int>(stored.size()));
  // Most cases where this instruction set is recorded; fewer (those recorded
  // on two sets that agree) on another.
  EXPECT_GT(compared, recorded_here > 0 ? 50 : 25);
}

// The fingerprint would catch a change: a one-ulp change of one gene, or one
// option, changes the hash.
TEST(ModelFingerprint, HashSeesSmallChanges) {
  const Case base{"base", "", {}};
  const Fingerprint a = Measure(base);
  EXPECT_EQ(a.behaviour, Measure(base).behaviour);
  EXPECT_NE(a.behaviour, Measure({"tau", "", {"model.tau_m_ms=20.000001"}}).behaviour);
  EXPECT_NE(a.behaviour, Measure({"noise", "", {"model.noise_interval_substeps=11"}}).behaviour);
}

}  // namespace
}  // namespace neurevo
