#include "model/connectors.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numeric>

#include "model/synapse_list.h"
#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {

namespace {

std::string NameOf(const ProjectionSpec& p) { return p.name.empty() ? p.pre + "->" + p.post : p.name; }

}  // namespace

long long ExpectedConnections(const ConnectorSpec& c, int pre_size, int post_size, bool same_population) {
  const long long pairs = static_cast<long long>(pre_size) * post_size;
  const long long self = same_population && !c.allow_self ? std::min(pre_size, post_size) : 0;
  switch (c.kind) {
    case ConnectorSpec::Kind::kAllToAll: return pairs - self;
    case ConnectorSpec::Kind::kOneToOne: return pre_size;
    case ConnectorSpec::Kind::kFixedProbability:
      return static_cast<long long>(std::ceil(c.probability * static_cast<double>(pairs - self)));
    case ConnectorSpec::Kind::kFixedInDegree: return static_cast<long long>(c.in_degree) * post_size;
    case ConnectorSpec::Kind::kList: return -1;
  }
  return -1;
}

std::vector<Connection> Connect(const ProjectionSpec& p, int projection_index, const PopulationSpec& pre,
                                const PopulationSpec& post, uint64_t seed, const std::string& list_text) {
  const ConnectorSpec& c = p.connector;
  const bool same = pre.name == post.name;
  const bool skip_self = same && !c.allow_self;
  RandomStream rng(seed, static_cast<uint64_t>(projection_index), 0, 0, StreamPurpose::kConnectivity);
  std::vector<Connection> out;
  switch (c.kind) {
    case ConnectorSpec::Kind::kAllToAll:
      out.reserve(static_cast<size_t>(ExpectedConnections(c, pre.size, post.size, same)));
      for (int j = 0; j < post.size; ++j)
        for (int i = 0; i < pre.size; ++i)
          if (!(skip_self && i == j)) out.push_back({i, j, {}, {}});
      break;
    case ConnectorSpec::Kind::kOneToOne:
      if (pre.size != post.size)
        throw ConfigError(fmt::format("projection {}: one_to_one needs populations of equal size ({} and {})",
                                      NameOf(p), pre.size, post.size));
      if (skip_self)
        throw ConfigError(fmt::format(
            "projection {}: one_to_one within one population connects each neuron to itself; set allow_self = true",
            NameOf(p)));
      for (int i = 0; i < pre.size; ++i) out.push_back({i, i, {}, {}});
      break;
    case ConnectorSpec::Kind::kFixedProbability:
      if (!(c.probability >= 0.0 && c.probability <= 1.0))
        throw ConfigError(fmt::format("projection {}: probability {} is outside [0, 1]", NameOf(p), c.probability));
      // One uniform draw per candidate pair, post-major: the result does not
      // depend on how the pairs are later stored.
      for (int j = 0; j < post.size; ++j)
        for (int i = 0; i < pre.size; ++i) {
          if (skip_self && i == j) continue;
          if (rng.Uniform() < c.probability) out.push_back({i, j, {}, {}});
        }
      break;
    case ConnectorSpec::Kind::kFixedInDegree: {
      const int candidates = pre.size - (skip_self && post.size > 0 ? 1 : 0);
      if (c.in_degree < 0 || c.in_degree > candidates)
        throw ConfigError(fmt::format("projection {}: in_degree {} is outside 0 .. {} (the distinct presynaptic "
                                      "neurons available{})",
                                      NameOf(p), c.in_degree, candidates, skip_self ? " without self-connections" : ""));
      std::vector<int> pool(pre.size);
      for (int j = 0; j < post.size; ++j) {
        // A partial Fisher-Yates shuffle draws in_degree distinct neurons.
        std::iota(pool.begin(), pool.end(), 0);
        int n = pre.size;
        if (skip_self && j < pre.size) std::swap(pool[j], pool[--n]);
        for (int k = 0; k < c.in_degree; ++k) {
          const int pick = k + static_cast<int>(rng.Below(static_cast<uint64_t>(n - k)));
          std::swap(pool[k], pool[pick]);
        }
        std::sort(pool.begin(), pool.begin() + c.in_degree);
        for (int k = 0; k < c.in_degree; ++k) out.push_back({pool[k], j, {}, {}});
      }
      break;
    }
    case ConnectorSpec::Kind::kList:
      for (const ListedSynapse& s : ParseSynapseList(list_text, c.file, pre, post, p.kind)) {
        if (skip_self && s.pre == s.post)
          throw ConfigError(fmt::format("{}:{}: a self-connection of neuron {} in projection {} (set allow_self = true)",
                                        c.file, s.line, s.pre, NameOf(p)));
        out.push_back({s.pre, s.post, s.weight, s.delay_ms});
      }
      break;
  }
  return out;
}

}  // namespace neurevo
