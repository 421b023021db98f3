#include "model/connectors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <utility>

#include "model/synapse_list.h"
#include "model/value_spec.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

PopulationSpec Pop(std::string name, int size, DaleType dale = DaleType::kExcitatory) {
  PopulationSpec p;
  p.name = std::move(name);
  p.size = size;
  p.dale = {dale};
  return p;
}

ProjectionSpec Proj(const PopulationSpec& pre, const PopulationSpec& post, ConnectorSpec c) {
  ProjectionSpec p;
  p.pre = pre.name;
  p.post = post.name;
  p.connector = std::move(c);
  return p;
}

ConnectorSpec Rule(ConnectorSpec::Kind kind) {
  ConnectorSpec c;
  c.kind = kind;
  return c;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Connectors, AllToAllIsSortedByPostThenPreAndLeavesOutSelfConnections) {
  const PopulationSpec e = Pop("E", 3);
  auto c = Rule(ConnectorSpec::Kind::kAllToAll);
  const auto within = Connect(Proj(e, e, c), 0, e, e, 1);
  ASSERT_EQ(within.size(), 6u);
  EXPECT_EQ(ExpectedConnections(c, 3, 3, true), 6);
  std::vector<std::pair<int, int>> pairs;
  for (const auto& s : within) pairs.emplace_back(s.post, s.pre);
  EXPECT_EQ(pairs, (std::vector<std::pair<int, int>>{{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 0}, {2, 1}}));
  c.allow_self = true;
  EXPECT_EQ(Connect(Proj(e, e, c), 0, e, e, 1).size(), 9u);
  // Between two populations index equality is no self-connection.
  const PopulationSpec i = Pop("I", 2);
  c.allow_self = false;
  EXPECT_EQ(Connect(Proj(e, i, c), 0, e, i, 1).size(), 6u);
}

TEST(Connectors, OneToOneNeedsEqualSizes) {
  const PopulationSpec a = Pop("A", 4), b = Pop("B", 4), c = Pop("C", 5);
  const auto rule = Rule(ConnectorSpec::Kind::kOneToOne);
  const auto s = Connect(Proj(a, b, rule), 0, a, b, 1);
  ASSERT_EQ(s.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    EXPECT_EQ(s[k].pre, k);
    EXPECT_EQ(s[k].post, k);
  }
  EXPECT_NE(ErrorOf([&] { Connect(Proj(a, c, rule), 0, a, c, 1); }).find("equal size (4 and 5)"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { Connect(Proj(a, a, rule), 0, a, a, 1); }).find("allow_self"), std::string::npos);
}

TEST(Connectors, FixedProbabilityDrawsTheExpectedNumberReproducibly) {
  const PopulationSpec e = Pop("E", 400);
  auto c = Rule(ConnectorSpec::Kind::kFixedProbability);
  c.probability = 0.1;
  const auto a = Connect(Proj(e, e, c), 3, e, e, 42);
  // 159600 candidate pairs: mean 15960, std ~120.
  EXPECT_NEAR(static_cast<double>(a.size()), 15960.0, 600.0);
  std::set<std::pair<int, int>> seen;
  for (const auto& s : a) {
    EXPECT_NE(s.pre, s.post);
    EXPECT_TRUE(seen.emplace(s.post, s.pre).second) << "duplicate synapse";
  }
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end(), [](const Connection& x, const Connection& y) {
    return std::pair(x.post, x.pre) < std::pair(y.post, y.pre);
  }));
  // Same seed and projection: the same draw; another projection index or seed: another.
  const auto again = Connect(Proj(e, e, c), 3, e, e, 42);
  ASSERT_EQ(again.size(), a.size());
  EXPECT_TRUE(std::equal(a.begin(), a.end(), again.begin(),
                         [](const Connection& x, const Connection& y) { return x.pre == y.pre && x.post == y.post; }));
  EXPECT_NE(Connect(Proj(e, e, c), 4, e, e, 42).size(), a.size());
  c.probability = 0.0;
  EXPECT_TRUE(Connect(Proj(e, e, c), 0, e, e, 1).empty());
  c.probability = 1.0;
  EXPECT_EQ(Connect(Proj(e, e, c), 0, e, e, 1).size(), 400u * 399u);
  c.probability = 1.5;
  EXPECT_NE(ErrorOf([&] { Connect(Proj(e, e, c), 0, e, e, 1); }).find("outside [0, 1]"), std::string::npos);
  c.probability = std::nan("");
  EXPECT_NE(ErrorOf([&] { Connect(Proj(e, e, c), 0, e, e, 1); }).find("outside [0, 1]"), std::string::npos);
}

TEST(Connectors, FixedInDegreeGivesEveryNeuronThatManyDistinctInputs) {
  const PopulationSpec e = Pop("E", 30), in = Pop("in", 8);
  auto c = Rule(ConnectorSpec::Kind::kFixedInDegree);
  c.in_degree = 29;  // every other neuron
  const auto all = Connect(Proj(e, e, c), 0, e, e, 5);
  ASSERT_EQ(all.size(), 30u * 29u);
  for (const auto& s : all) EXPECT_NE(s.pre, s.post);
  c.in_degree = 5;
  const auto some = Connect(Proj(in, e, c), 1, in, e, 5);
  ASSERT_EQ(some.size(), 150u);
  std::vector<std::set<int>> pres(30);
  for (const auto& s : some) pres[s.post].insert(s.pre);
  for (const auto& p : pres) EXPECT_EQ(p.size(), 5u);
  // Over many neurons every presynaptic neuron is used (the draw is not stuck).
  std::set<int> used;
  for (const auto& s : some) used.insert(s.pre);
  EXPECT_EQ(used.size(), 8u);
  c.in_degree = 30;
  EXPECT_NE(ErrorOf([&] { Connect(Proj(e, e, c), 0, e, e, 1); }).find("outside 0 .. 29"), std::string::npos);
  c.in_degree = 9;
  EXPECT_NE(ErrorOf([&] { Connect(Proj(in, e, c), 0, in, e, 1); }).find("outside 0 .. 8"), std::string::npos);
}

TEST(SynapseList, ReadsIndicesLabelsKindsAndOptionalCells) {
  PopulationSpec worm = Pop("worm", 3);
  worm.labels = {"AVAL", "AVBL", "RIML"};
  worm.dale = {DaleType::kExcitatory, DaleType::kExcitatory, DaleType::kInhibitory};
  const std::string text =
      "# a comment\n"
      "pre, post, weight, delay, kind\r\n"
      "AVAL,AVBL,3,1.5,chemical\n"
      "\n"
      "2,0,-0.5,,chemical\n"
      "AVAL,RIML,0.25,,electrical\n";
  const auto chem = ParseSynapseList(text, "w.csv", worm, worm, SynapseKind::kChemical);
  ASSERT_EQ(chem.size(), 2u);
  EXPECT_EQ(chem[0].pre, 0);
  EXPECT_EQ(chem[0].post, 1);
  EXPECT_EQ(*chem[0].weight, 3.0);
  EXPECT_EQ(*chem[0].delay_ms, 1.5);
  EXPECT_EQ(chem[0].line, 3);
  EXPECT_EQ(*chem[1].weight, 0.5);  // the magnitude
  EXPECT_FALSE(chem[1].delay_ms.has_value());
  const auto gap = ParseSynapseList(text, "w.csv", worm, worm, SynapseKind::kElectrical);
  ASSERT_EQ(gap.size(), 1u);
  EXPECT_EQ(gap[0].post, 2);
  // Without weight and delay columns the projection's values apply.
  const auto bare = ParseSynapseList("post,pre\n1,2\n", "b.csv", worm, worm, SynapseKind::kChemical);
  ASSERT_EQ(bare.size(), 1u);
  EXPECT_EQ(bare[0].pre, 2);
  EXPECT_FALSE(bare[0].weight.has_value());
}

TEST(SynapseList, EveryMalformedRowNamesItsFileAndLine) {
  PopulationSpec e = Pop("E", 3), i = Pop("I", 2, DaleType::kInhibitory);
  const auto error = [&](const std::string& text, const PopulationSpec& pre, SynapseKind kind = SynapseKind::kChemical) {
    return ErrorOf([&] { ParseSynapseList(text, "n.csv", pre, e, kind); });
  };
  const std::pair<std::string, std::string> cases[] = {
      {error("pre,post,colour\n0,1,red\n", e), "n.csv:1: unknown column 'colour'"},
      {error("pre,pre,post\n", e), "n.csv:1: column 'pre' appears twice"},
      {error("pre,weight\n0,1\n", e), "n.csv:1: the header must name the columns pre and post"},
      {error("# only a comment\n", e), "n.csv: no header line"},
      {error("pre,post\n0,3\n", e), "n.csv:2: post '3' is not a neuron of population 'E' (0 .. 2 or a label)"},
      {error("pre,post\n-1,0\n", e), "n.csv:2: pre '-1' is not a neuron"},
      {error("pre,post\n\n\nAVAL,0\n", e), "n.csv:4: pre 'AVAL' is not a neuron"},
      {error("pre,post\n0\n", e), "n.csv:2: 1 cells, the header has 2"},
      {error("pre,post,weight\n0,1,-2\n", e), "n.csv:2: weight -2 contradicts Dale's law: presynaptic neuron 0 of 'E' is excitatory"},
      {error("pre,post,weight\n1,1,0.5\n", i), "n.csv:2: weight 0.5 contradicts Dale's law: presynaptic neuron 1 of 'I' is inhibitory"},
      {error("pre,post,weight\n0,1,-1\n", e, SynapseKind::kElectrical), "n.csv:2: a gap junction's weight is a conductance"},
      {error("pre,post,weight\n0,1,nan\n", e), "n.csv:2: weight 'nan' is not a finite number"},
      {error("pre,post,weight\n0,1,1e999\n", e), "n.csv:2: weight '1e999' is not a finite number"},
      {error("pre,post,delay\n0,1,-0.1\n", e), "n.csv:2: delay -0.1 ms is negative"},
      {error("pre,post,delay\n0,1,2ms\n", e), "n.csv:2: delay '2ms' is not a finite number"},
      {error("pre,post,kind\n0,1,gap\n", e), "n.csv:2: kind 'gap' is not chemical or electrical"},
      {error("pre,post\n" + std::string(500, '7') + ",0\n", e), "(500 bytes)"},
  };
  for (const auto& [got, want] : cases) EXPECT_NE(got.find(want), std::string::npos) << got << "\n  wanted: " << want;
  // A list connector refuses self-connections unless allowed.
  ProjectionSpec p = Proj(e, e, Rule(ConnectorSpec::Kind::kList));
  p.connector.file = "n.csv";
  EXPECT_NE(ErrorOf([&] { Connect(p, 0, e, e, 1, "pre,post\n1,1\n"); }).find("n.csv:2: a self-connection"),
            std::string::npos);
  p.connector.allow_self = true;
  EXPECT_EQ(Connect(p, 0, e, e, 1, "pre,post\n1,1\n").size(), 1u);
}

TEST(ValueSpec, DrawsAreClippedReproducibleAndListsAreChecked) {
  ValueSpec normal;
  normal.kind = ValueSpec::Kind::kNormal;
  normal.a = 20.0;
  normal.b = 10.0;
  normal.low = 5.0;
  normal.high = 30.0;
  RandomStream rng(1, 2);
  const auto v = RealizeValues(normal, 2000, rng, "E: tau_m_ms");
  int at_low = 0;
  double sum = 0.0;
  for (double x : v) {
    EXPECT_GE(x, 5.0);
    EXPECT_LE(x, 30.0);
    at_low += x == 5.0;
    sum += x;
  }
  EXPECT_GT(at_low, 40);  // P(N(20, 10) < 5) = 6.7 %
  EXPECT_NEAR(sum / 2000, 19.0, 1.0);
  RandomStream same(1, 2);
  EXPECT_EQ(RealizeValues(normal, 2000, same, "x"), v);

  ValueSpec lognormal;
  lognormal.kind = ValueSpec::Kind::kLognormal;
  lognormal.a = std::log(20.0);
  lognormal.b = 0.5;
  lognormal.low = 0.0;
  for (double x : RealizeValues(lognormal, 100, rng, "x")) EXPECT_GT(x, 0.0);

  ValueSpec list;
  list.kind = ValueSpec::Kind::kList;
  list.list = {1, 2, 3};
  list.low = 0;
  list.high = 10;
  EXPECT_EQ(RealizeValues(list, 3, rng, "x"), (std::vector<double>{1, 2, 3}));
  EXPECT_NE(ErrorOf([&] { RealizeValues(list, 4, rng, "E: c_m_pF"); }).find("E: c_m_pF: a list of 3 values for 4"),
            std::string::npos);
  list.list[1] = 11;
  EXPECT_NE(ErrorOf([&] { RealizeValues(list, 3, rng, "x"); }).find("list value [1] = 11 is outside [0, 10]"),
            std::string::npos);
  ValueSpec bad = ValueSpec::Constant(std::nan(""));
  EXPECT_NE(ErrorOf([&] { CheckValueSpec(bad, "I: v_rest_mV"); }).find("I: v_rest_mV: the value must be a finite"),
            std::string::npos);
  bad = normal;
  bad.b = -1;
  EXPECT_NE(ErrorOf([&] { CheckValueSpec(bad, "x"); }).find("negative"), std::string::npos);
  bad = ValueSpec::Evolved(2.0, 1.0);
  EXPECT_NE(ErrorOf([&] { CheckValueSpec(bad, "x"); }).find("low 2 is above high 1"), std::string::npos);
}

}  // namespace
}  // namespace neurevo
