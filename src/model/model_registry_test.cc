// The model registry: every kind is listed once, every model.* key of the
// config schema is read by some kind, and every key a kind names exists.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"

namespace neurevo {
namespace {

TEST(ModelRegistry, KindsAndTheirKeysMatchTheSchema) {
  std::set<std::string> schema;
  for (const ConfigKeyInfo& k : ConfigKeys())
    if (k.key.starts_with("model.") && k.key != "model.kind") schema.insert(k.key.substr(6));
  std::set<std::string> kinds, read;
  for (const ModelKindInfo& info : ModelKinds()) {
    EXPECT_TRUE(kinds.insert(info.kind).second) << info.kind << " twice";
    EXPECT_FALSE(info.summary.empty());
    for (const std::string& key : info.keys) {
      EXPECT_TRUE(schema.count(key)) << info.kind << " names model." << key << ", which the schema lacks";
      read.insert(key);
    }
  }
  for (const std::string& key : schema) EXPECT_TRUE(read.count(key)) << "no kind reads model." << key;
  EXPECT_EQ(ModelKindNames(), (std::vector<std::string>{"bnn", "snn", "network", "rnn", "mlp", "enu", "rsnn"}));
  // The schema's allowed values are the registry's.
  const std::vector<ConfigKeyInfo> keys = ConfigKeys();
  const auto kind =
      std::find_if(keys.begin(), keys.end(), [](const ConfigKeyInfo& k) { return k.key == "model.kind"; });
  ASSERT_NE(kind, keys.end());
  EXPECT_EQ(kind->allowed, "bnn | snn | network | rnn | mlp | enu | rsnn");
}

TEST(ModelRegistry, UnknownKindsAndMisplacedDescriptionsAreRefused) {
  ModelOptions o;
  o.kind = "lstm";
  EXPECT_THROW(ValidateModelOptions(o), ConfigError);
  EXPECT_THROW(MakeModel(o, Space::Box({-1}, {1}), Space::Discrete(2)), ConfigError);
  for (const char* kind : {"bnn", "snn", "rnn", "mlp"}) {
    ModelOptions m;
    m.kind = kind;
    m.network.populations.push_back({});
    try {
      ValidateModelOptions(m);
      ADD_FAILURE() << kind << ": a [network] table was accepted";
    } catch (const ConfigError& e) {
      EXPECT_TRUE(std::string(e.what()).starts_with("network: ")) << e.what();
    }
  }
}

}  // namespace
}  // namespace neurevo
