// Depth bounds before parsing: every way TOML, JSON and CBOR can nest is
// refused past kMaxNestingDepth (without the guard these inputs overflow
// the parsers' stacks), and ordinary documents pass.
#include "core/nesting_guard.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "neurevo/config.h"
#include "neurevo/error.h"

namespace neurevo {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

void ExpectTooDeep(const std::function<void()>& f, const std::string& what) {
  try {
    f();
    ADD_FAILURE() << "accepted: " << what;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("nested more than 64 levels"), std::string::npos) << what << ": " << e.what();
  }
}

TEST(NestingGuard, DeepTomlIsRefusedBeforeParsing) {
  const int n = 50000;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"dotted key", "a" + Repeat(".a", n) + " = 1\n"},
      {"quoted dotted key", "\"a\"" + Repeat(".'a'", n) + " = 1\n"},
      {"table header", "[a" + Repeat(".a", n) + "]\n"},
      {"array of tables", "[[a" + Repeat(".a", n) + "]]\n"},
      {"header plus key", "[a" + Repeat(".a", 40) + "]\nb" + Repeat(".b", 40) + " = 1\n"},
      {"inline tables", "x = " + Repeat("{a = ", n) + "1" + Repeat("}", n) + "\n"},
      {"inline dotted keys", "x = {" + Repeat("a.", n) + "a = 1}\n"},
      {"arrays", "x = " + Repeat("[", n) + Repeat("]", n) + "\n"},
      {"mixed", "x = " + Repeat("[{a = ", n) + "1" + Repeat("}]", n) + "\n"},
      {"multi-line array", "x = [\n" + Repeat("[\n", n) + Repeat("]\n", n) + "]\n"},
      {"just over the limit", "a" + Repeat(".a", 64) + " = 1\n"},
  };
  for (const auto& c : cases) {
    const std::string& text = c.second;  // (clang 14 lambdas cannot capture structured bindings)
    ExpectTooDeep([&] { CheckTomlNesting(text, "t.toml"); }, c.first);
    ExpectTooDeep([&] { ParseConfig(text, {}, "t.toml"); }, c.first);
  }
  ExpectTooDeep([&] { ParseConfig("", {"budget.generations=1\n" + Repeat("a.", n) + "a=1"}, "t"); }, "--set");
}

TEST(NestingGuard, OrdinaryTomlPasses) {
  // Brackets, dots and quotes inside strings and comments do not count.
  const std::string text = "# [[[[ a.b.c.d " + Repeat(".", 200) + "\n[model]\nkind = \"" + Repeat("[{.", 100) +
                           "\"\nx = '" + Repeat("[", 100) + "'\ny = \"\"\"\n" + Repeat("{", 100) +
                           "\n\"\"\"\nz = [1.5, 2.5, " + Repeat("3.25, ", 1000) + "4.0]\n[a.b.c]\nd.e.f = {g.h = [[1]]}\n";
  EXPECT_NO_THROW(CheckTomlNesting(text, "t.toml"));
  EXPECT_NO_THROW(CheckTomlNesting("a" + Repeat(".a", 62) + " = 1\n", "t.toml"));  // 64 levels
  EXPECT_NO_THROW(CheckTomlNesting(ConfigToToml(RunConfig{}), "t.toml"));
}

TEST(NestingGuard, DeepJsonIsRefused) {
  const int n = 200000;
  ExpectTooDeep([&] { CheckJsonNesting(Repeat("[", n) + Repeat("]", n), "g.json"); }, "arrays");
  ExpectTooDeep([&] { CheckJsonNesting(Repeat("{\"a\":", n) + "1" + Repeat("}", n), "g.json"); }, "objects");
  ExpectTooDeep([&] { CheckJsonNesting(Repeat("[", n), "g.json"); }, "unclosed");
  EXPECT_NO_THROW(CheckJsonNesting("{\"a\": \"" + Repeat("[{\\\"", 1000) + "\", \"b\": [[1], {\"c\": 2}]}", "g.json"));
}

TEST(NestingGuard, DeepCborIsRefused) {
  const int n = 200000;
  auto bytes = [](const std::string& head, int n, const std::string& tail) {
    return Repeat(head, n) + tail;
  };
  ExpectTooDeep([&] { CheckCborNesting(bytes("\x81", n, std::string(1, '\0')), "c"); }, "arrays of one");
  ExpectTooDeep([&] { CheckCborNesting(bytes("\x9f", n, ""), "c"); }, "indefinite arrays");
  ExpectTooDeep([&] { CheckCborNesting(bytes("\xa1\x61k", n, std::string(1, '\0')), "c"); }, "maps");
  ExpectTooDeep([&] { CheckCborNesting(bytes("\xc6", n, std::string(1, '\0')), "c"); }, "tags");
  ExpectTooDeep([&] { CheckCborNesting(bytes(std::string("\x82\x00", 2), n, std::string(1, '\0')), "c"); },
                "arrays of two");
  // Wide but shallow, and real encodings, pass.
  nlohmann::json wide = nlohmann::json::array();
  for (int i = 0; i < 10000; ++i) wide.push_back({{"k", i}, {"v", nlohmann::json::array({1.5, "s", nullptr})}});
  nlohmann::json deep = 1;
  for (int i = 0; i < 60; ++i) deep = nlohmann::json::array({deep, 2});
  for (const auto& j : {wide, deep}) {
    const auto cbor = nlohmann::json::to_cbor(j);
    EXPECT_NO_THROW(CheckCborNesting(std::string(cbor.begin(), cbor.end()), "c"));
  }
  deep = nlohmann::json::array({deep});
  deep = nlohmann::json::array({deep});
  deep = nlohmann::json::array({deep});
  deep = nlohmann::json::array({deep});
  deep = nlohmann::json::array({deep});
  const auto cbor = nlohmann::json::to_cbor(deep);  // 65 levels
  ExpectTooDeep([&] { CheckCborNesting(std::string(cbor.begin(), cbor.end()), "c"); }, "65 levels");
}

}  // namespace
}  // namespace neurevo
