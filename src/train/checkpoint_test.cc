// The checkpoint file: exact round trip, and every kind of damage refused
// with a message naming the file.
#include "train/checkpoint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "neurevo/error.h"
#include "neurevo/optimizer.h"
#include "neurevo/random.h"

namespace neurevo {
namespace {

RunState SampleState() {
  RunState s;
  s.config_toml = "[run]\nseed = 3\n";
  s.generation = 12;
  s.env_steps = 34567;
  s.failed_episodes = 2;
  s.failed_individuals = 1;
  s.train_seconds = 1.25;
  s.last_generation_best = 0.1 + 0.2;  // not representable in few digits
  s.best_score = -std::numeric_limits<double>::infinity();
  s.normalizer = ObsNormalizer(3, true, 5.0);
  ObsStats batch(3);
  batch.Add(std::vector<double>{1.0 / 3.0, -2.0, 1e-300});
  batch.Add(std::vector<double>{2.0, 0.5, 7.0});
  s.normalizer.Update(batch);
  SavedGenome g;
  g.genes = {0.1, 0.7, 1.0 / 7.0};
  g.fitness = 42.5;
  g.generation = 9;
  g.normalizer = s.normalizer;
  s.best = g;
  OptimizerOptions o;
  auto opt = MakeOptimizer(o, 20, 5);
  std::vector<double> f(static_cast<size_t>(o.population));
  for (size_t i = 0; i < f.size(); ++i) f[i] = std::sin(static_cast<double>(i));
  opt->Ask();
  opt->Tell(f);
  s.optimizers = {opt->SaveState()};
  s.restore_points = {MakeOptimizer(o, 20, 5)->SaveState()};
  s.restore_generation = 9;
  s.metrics_bytes = 999;
  s.metrics_crc = 0xDEADBEEF;
  return s;
}

TEST(Checkpoint, RoundTripIsExact) {
  const RunState s = SampleState();
  const RunState r = DecodeCheckpoint(EncodeCheckpoint(s), "ckpt");
  EXPECT_EQ(r.config_toml, s.config_toml);
  EXPECT_EQ(r.generation, s.generation);
  EXPECT_EQ(r.env_steps, s.env_steps);
  EXPECT_EQ(r.last_generation_best, s.last_generation_best);
  EXPECT_EQ(r.best_score, s.best_score);
  EXPECT_EQ(r.optimizers, s.optimizers);
  EXPECT_EQ(r.restore_points, s.restore_points);
  EXPECT_EQ(r.restore_generation, 9);
  EXPECT_EQ(r.normalizer.ToJson(), s.normalizer.ToJson());
  ASSERT_TRUE(r.best.has_value());
  EXPECT_EQ(r.best->genes, s.best->genes);
  EXPECT_TRUE(std::isnan(r.best->validation));
  EXPECT_EQ(r.metrics_bytes, 999u);
  EXPECT_EQ(r.metrics_crc, 0xDEADBEEFu);
  // The restored optimizer asks exactly what the original would.
  OptimizerOptions o;
  auto a = MakeOptimizer(o, 20, 5), b = MakeOptimizer(o, 20, 5);
  a->LoadState(s.optimizers[0]);
  b->LoadState(r.optimizers[0]);
  EXPECT_EQ(a->Ask(), b->Ask());
}

// Encoding the same state twice gives the same bytes (a resumed run writes
// the checkpoints the uninterrupted one wrote).
TEST(Checkpoint, EncodingIsDeterministic) {
  EXPECT_EQ(EncodeCheckpoint(SampleState()), EncodeCheckpoint(SampleState()));
}

// The encoding that moves the optimizer states (the checkpoint writer's)
// writes the same bytes as the one that copies them, with the restore
// points stored apart or not.
TEST(Checkpoint, MovingEncodingIsTheCopyingOne) {
  for (long long restore_generation : {9, 12}) {
    RunState s = SampleState();
    s.restore_generation = restore_generation;
    if (restore_generation == s.generation) s.restore_points = s.optimizers;
    const std::string copied = EncodeCheckpoint(s);
    EXPECT_EQ(EncodeCheckpoint(std::move(s)), copied) << "restore generation " << restore_generation;
  }
}

void ExpectRefused(const std::string& bytes, const std::string& why) {
  try {
    DecodeCheckpoint(bytes, "the/file.ckpt");
    ADD_FAILURE() << "accepted: " << why;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("the/file.ckpt: ", 0), 0u) << e.what();
  }
}

TEST(Checkpoint, EveryTruncationIsRefused) {
  const std::string bytes = EncodeCheckpoint(SampleState());
  for (size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 97)) ExpectRefused(bytes.substr(0, n), "truncated");
  ExpectRefused(bytes + "x", "padded");
}

TEST(Checkpoint, BitFlipsAnywhereAreRefused) {
  const std::string bytes = EncodeCheckpoint(SampleState());
  // Every bit of the header, and every byte of the payload (one bit each).
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < (i < 24 ? 8 : 1); ++bit) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(bad[i] ^ (1 << ((bit + i) % 8)));
      ExpectRefused(bad, "bit flip at byte " + std::to_string(i));
    }
  }
}

TEST(Checkpoint, ForeignAndWrongVersionFilesAreRefusedByName) {
  ExpectRefused("", "empty");
  ExpectRefused("{\"generation\": 3}", "json");
  std::string bytes = EncodeCheckpoint(SampleState());
  bytes[8] = 7;  // version 7
  try {
    DecodeCheckpoint(bytes, "x.ckpt");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("version 7 is not supported"), std::string::npos) << e.what();
  }
}

// A payload that passes the checksum but holds nonsense (as a buggy or
// hostile writer could produce) is refused too, not trusted.
TEST(Checkpoint, ValidChecksumWithBadContentIsRefused) {
  RunState s = SampleState();
  s.generation = -1;
  ExpectRefused(EncodeCheckpoint(s), "negative generation");
  s = SampleState();
  s.optimizers[0]["mean"][0] = std::numeric_limits<double>::quiet_NaN();
  ExpectRefused(EncodeCheckpoint(s), "NaN in the optimizer state");
  s = SampleState();
  {  // a NaN inside a packed matrix (the covariance) is found too
    auto bytes = s.optimizers[0]["C"].get_binary();
    ASSERT_EQ(bytes.size(), 20u * 20u * 8u);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    uint64_t u;
    std::memcpy(&u, &nan, 8);
    for (int b = 0; b < 8; ++b) bytes[8 * 21 + b] = static_cast<uint8_t>(u >> (8 * b));
    s.optimizers[0]["C"] = nlohmann::json::binary(bytes, 0x65);
  }
  ExpectRefused(EncodeCheckpoint(s), "NaN in a packed covariance matrix");
  s = SampleState();
  s.best->genes[1] = std::numeric_limits<double>::infinity();
  ExpectRefused(EncodeCheckpoint(s), "infinite gene");
  s = SampleState();
  s.restore_points.clear();
  ExpectRefused(EncodeCheckpoint(s), "islands mismatch");
}

}  // namespace
}  // namespace neurevo
