#include "model/network_toml.h"

#include <gtest/gtest.h>

#include <sstream>

#include "neurevo/error.h"

namespace neurevo {
namespace {

NetworkSpec Parse(const std::string& text, std::function<std::string(const std::string&)> files = {}) {
  const toml::table root = toml::parse(text);
  return ParseNetworkSpec(*root["network"].as_table(), "network", files);
}

std::string ErrorOf(const std::string& text, std::function<std::string(const std::string&)> files = {}) {
  try {
    Parse(text, std::move(files));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

// A cortical layer: four cell types, fixed-probability projections.
const char* kCortex = R"(
[[network.populations]]
name = "in"
role = "input"
[[network.populations]]
name = "E"
size = 80
tau_m_ms = { lognormal = [3.0, 0.4], low = 2.0, high = 100.0 }
[[network.populations]]
name = "PV"
size = 10
dale = "inhibitory"
transmission = "spiking"
reset = "rest"
v_threshold_mV = { normal = [-50.0, 2.0], low = -55.0, high = -45.0 }
[[network.populations]]
name = "out"
role = "output"
offset_pA = { evolve = [-0.25, 0.25] }
[[network.projections]]
pre = "E"
post = "PV"
connector = "fixed_probability"
probability = 0.3
weight = { evolve = [0.0, 0.1] }
delay = { uniform = [1.0, 3.0] }
[[network.projections]]
pre = "PV"
post = "E"
connector = "fixed_in_degree"
in_degree = 4
allow_self = true
weight = 0.2
)";

TEST(NetworkToml, ReadsPopulationsProjectionsAndValueForms) {
  const NetworkSpec s = Parse(kCortex);
  ASSERT_EQ(s.populations.size(), 4u);
  EXPECT_EQ(s.populations[0].role, Role::kInput);
  EXPECT_EQ(s.populations[0].size, kSizeFromTask);
  EXPECT_EQ(s.populations[1].size, 80);
  EXPECT_EQ(s.populations[1].model, "lif_cond");
  ASSERT_EQ(s.populations[1].params.size(), 1u);
  EXPECT_EQ(s.populations[1].params[0].first, "tau_m_ms");
  EXPECT_EQ(s.populations[1].params[0].second.kind, ValueSpec::Kind::kLognormal);
  EXPECT_EQ(s.populations[1].params[0].second.high, 100.0);
  EXPECT_EQ(s.populations[2].dale[0], DaleType::kInhibitory);
  EXPECT_TRUE(s.populations[2].spiking);
  EXPECT_FALSE(s.populations[1].spiking);
  EXPECT_TRUE(s.populations[3].params[0].second.evolved());
  EXPECT_EQ(s.populations[3].params[0].second.low, -0.25);
  ASSERT_EQ(s.projections.size(), 2u);
  EXPECT_EQ(s.projections[0].connector.kind, ConnectorSpec::Kind::kFixedProbability);
  EXPECT_EQ(s.projections[0].connector.probability, 0.3);
  EXPECT_EQ(s.projections[0].delay.kind, ValueSpec::Kind::kUniform);
  EXPECT_EQ(s.projections[1].connector.in_degree, 4);
  EXPECT_TRUE(s.projections[1].connector.allow_self);
  EXPECT_EQ(s.projections[1].weight.kind, ValueSpec::Kind::kConstant);
  EXPECT_EQ(s.projections[1].weight.value, 0.2);
}

TEST(NetworkToml, WritesWhatItReads) {
  const NetworkSpec a = Parse(kCortex);
  toml::table root;
  root.insert("network", NetworkSpecToToml(a));
  std::ostringstream text;
  text << root;
  const NetworkSpec b = Parse(text.str());
  toml::table again;
  again.insert("network", NetworkSpecToToml(b));
  std::ostringstream text2;
  text2 << again;
  EXPECT_EQ(text.str(), text2.str());
  ASSERT_EQ(b.populations.size(), a.populations.size());
  EXPECT_EQ(b.populations[1].params[0].second.a, 3.0);
  EXPECT_EQ(b.projections[0].connector.probability, 0.3);
  EXPECT_TRUE(b.populations[2].reset_to_rest);
  EXPECT_FALSE(b.populations[1].reset_to_rest);
}

TEST(NetworkToml, NeuronTableGivesLabelsDaleTypesAndSize) {
  const auto files = [](const std::string& path) -> std::string {
    if (path == "worm.csv") return "label,dale\nAVAL,E\n# comment\nRIML,inhibitory\nAVBL,E\n";
    throw ConfigError(path + ": no such file");
  };
  const NetworkSpec s = Parse(R"(
[[network.populations]]
name = "worm"
table = "worm.csv"
[[network.projections]]
pre = "worm"
post = "worm"
connector = "list"
file = "gap.csv"
synapse = "electrical"
weight = { evolve = [0.0, 1.0] }
)",
                              files);
  ASSERT_EQ(s.populations[0].size, 3);
  EXPECT_EQ(s.populations[0].labels[2], "AVBL");
  ASSERT_EQ(s.populations[0].dale.size(), 3u);
  EXPECT_EQ(s.populations[0].dale[1], DaleType::kInhibitory);
  EXPECT_EQ(s.projections[0].kind, SynapseKind::kElectrical);
  EXPECT_EQ(s.projections[0].connector.file, "gap.csv");
  EXPECT_NE(ErrorOf("[[network.populations]]\nname = \"w\"\ntable = \"bad.csv\"\n",
                    [](const std::string&) { return std::string("label,dale\nA,X\n"); })
                .find("bad.csv:2: dale 'X' is not E, I"),
            std::string::npos);
  EXPECT_NE(ErrorOf("[[network.populations]]\nname = \"w\"\ntable = \"bad.csv\"\n",
                    [](const std::string&) { return std::string("name\nA\n"); })
                .find("bad.csv:1: unknown column 'name'"),
            std::string::npos);
}

TEST(NetworkToml, BadKeysAreNamed) {
  const std::string pop = "[[network.populations]]\nname = \"E\"\nsize = 4\n";
  const std::pair<std::string, std::string> cases[] = {
      {"[network]\ncolour = 1\n", "network.colour: unknown key"},
      {"[network]\npopulations = 3\n", "network.populations: must be an array of tables"},
      {"[network]\npopulations = []\n", "network.populations: a network needs at least one population"},
      {"[[network.populations]]\nsize = 4\n", "network.populations[0].name: every population needs a name"},
      {"[[network.populations]]\nname = \"E\"\n", "network.populations[0].size: a hidden population needs a size"},
      {pop + "[[network.populations]]\nname = \"I\"\nsize = -2\n", "network.populations[1].size: -2 is outside 0 .."},
      {pop + "model = \"hodgkin\"\n", "network.populations[0].model: 'hodgkin' is not one of lif_cond / lif_curr"},
      {pop + "reset = \"zero\"\n", "network.populations[0].reset: 'zero' is not one of v_reset / rest"},
      {pop + "role = \"brain\"\n", "network.populations[0].role: 'brain' is not one of input / hidden / output"},
      {pop + "dale = [\"E\", \"X\"]\n", "network.populations[0].dale[1]: 'X' is not one of"},
      {pop + "tau_m_ms = \"fast\"\n", "network.populations[0].tau_m_ms: must be a number, a list"},
      {pop + "tau_m_ms = nan\n", "network.populations[0].tau_m_ms: must be a finite number"},
      {pop + "tau_m_ms = { evolve = [5.0] }\n", "network.populations[0].tau_m_ms.evolve: must be a pair"},
      {pop + "tau_m_ms = { evolve = [50.0, 5.0] }\n", "network.populations[0].tau_m_ms.evolve: low 50 is above high 5"},
      {pop + "tau_m_ms = { evolve = [5.0, 50.0], low = 1.0 }\n", "an evolved range is evolve = [low, high] alone"},
      {pop + "tau_m_ms = { normal = [5.0, 1.0], uniform = [1.0, 2.0] }\n", "give exactly one of evolve"},
      {pop + "tau_m_ms = { gamma = [5.0, 1.0] }\n", "network.populations[0].tau_m_ms.gamma: unknown key"},
      {"[[network.populations]]\nsize = 1\nname = \"" + std::string(100, 'x') + "\"\n", "longer than 64 characters"},
      {pop + "[[network.projections]]\npost = \"E\"\n", "network.projections[0].pre: every projection needs"},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nprobability = 0.5\n",
       "network.projections[0].probability: is given with, and only with, connector = \"fixed_probability\""},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nconnector = \"fixed_probability\"\nprobability = 2\n",
       "network.projections[0].probability: 2 is outside [0, 1]"},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nconnector = \"list\"\n",
       "network.projections[0].file: is given with, and only with, connector = \"list\""},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nconnector = \"random\"\n",
       "network.projections[0].connector: 'random' is not one of all_to_all"},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nsynapse = \"gap\"\n",
       "network.projections[0].synapse: 'gap' is not one of chemical / electrical"},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nstrength = 1\n",
       "network.projections[0].strength: unknown key"},
      {pop + "[[network.projections]]\npre = \"E\"\npost = \"E\"\nallow_self = 1\n",
       "network.projections[0].allow_self: must be true or false"},
  };
  for (const auto& [text, want] : cases) {
    const std::string got = ErrorOf(text);
    EXPECT_NE(got.find(want), std::string::npos) << text << "\n  got:    " << got << "\n  wanted: " << want;
  }
}

}  // namespace
}  // namespace neurevo
