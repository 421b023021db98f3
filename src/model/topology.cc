#include "model/topology.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "neurevo/error.h"

namespace neurevo {

namespace {
constexpr std::array<const char*, 4> kGroupNames = {"in", "E", "I", "out"};

int ParseGroup(const std::string& name, const std::string& pair) {
  for (int g = 0; g < 4; ++g)
    if (name == kGroupNames[g]) return g;
  throw ConfigError(fmt::format(
      "model.connectivity: unknown group '{}' in '{}'; allowed groups: in, E, I, out", name,
      pair));
}
using Connected = std::array<std::array<bool, 4>, 4>;  // [from group][to group]

Connected ParseConnectivity(const std::vector<std::string>& connectivity) {
  Connected connected{};
  for (const auto& pair : connectivity) {
    const auto arrow = pair.find("->");
    if (arrow == std::string::npos)
      throw ConfigError(fmt::format(
          "model.connectivity: '{}' is not of the form FROM->TO (groups in, E, I, out)", pair));
    const int from = ParseGroup(pair.substr(0, arrow), pair);
    const int to = ParseGroup(pair.substr(arrow + 2), pair);
    if (to == 0)
      throw ConfigError(fmt::format(
          "model.connectivity: '{}' projects into the input group, which receives only "
          "observations",
          pair));
    connected[from][to] = true;
  }
  return connected;
}
}  // namespace

Group Topology::GroupOf(int neuron) const {
  for (int g = 3; g >= 0; --g)
    if (neuron >= group_begin[g] && group_size[g] > 0) return static_cast<Group>(g);
  return Group::kInput;
}

std::string Topology::Label(int neuron) const {
  const int g = static_cast<int>(GroupOf(neuron));
  return fmt::format("{}{}", kGroupNames[g], neuron - group_begin[g]);
}

Topology BuildTopology(int inputs, int excitatory, int inhibitory, int outputs,
                       const std::vector<std::string>& connectivity) {
  Topology t;
  const int sizes[4] = {inputs, excitatory, inhibitory, outputs};
  int begin = 0;
  for (int g = 0; g < 4; ++g) {
    t.group_size[g] = sizes[g];
    t.group_begin[g] = begin;
    begin += sizes[g];
  }
  const Connected connected = ParseConnectivity(connectivity);
  const int n = t.neurons();
  for (int post = 0; post < n; ++post) {
    const int gpost = static_cast<int>(t.GroupOf(post));
    // AMPA synapses first, then GABA, each by presynaptic index.
    for (int pass = 0; pass < 2; ++pass) {
      for (int pre = 0; pre < n; ++pre) {
        if (pre == post) continue;  // no self-synapses
        const int gpre = static_cast<int>(t.GroupOf(pre));
        const bool inh = gpre == static_cast<int>(Group::kInhibitory);
        if (inh != (pass == 1) || !connected[gpre][gpost]) continue;
        t.synapses.push_back({pre, post, inh});
      }
    }
  }
  return t;
}

bool InputProjectsTo(const std::vector<std::string>& connectivity, Group group) {
  return ParseConnectivity(connectivity)[static_cast<int>(Group::kInput)][static_cast<int>(group)];
}

long long CountSynapses(int inputs, int excitatory, int inhibitory, int outputs,
                        const std::vector<std::string>& connectivity) {
  const Connected connected = ParseConnectivity(connectivity);
  const long long sizes[4] = {inputs, excitatory, inhibitory, outputs};
  long long n = 0;
  for (int from = 0; from < 4; ++from)
    for (int to = 0; to < 4; ++to)
      if (connected[from][to]) n += sizes[from] * (sizes[to] - (from == to ? 1 : 0));  // no self-synapses
  return n;
}

}  // namespace neurevo
