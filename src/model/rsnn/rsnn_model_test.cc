#include "model/rsnn/rsnn_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {
namespace {

PopulationSpec Pop(const std::string& name, int size, DaleType dale) {
  PopulationSpec p;
  p.name = name;
  p.size = size;
  p.model = "lif_curr";
  p.spiking = true;
  p.dale = {dale};
  return p;
}

ProjectionSpec Proj(const std::string& pre, const std::string& post, double probability, double max) {
  ProjectionSpec p;
  p.pre = pre;
  p.post = post;
  p.connector.kind = ConnectorSpec::Kind::kFixedProbability;
  p.connector.probability = probability;
  p.weight = ValueSpec::Evolved(0.0, max);
  return p;
}

// A small cortical layer in which every kind of gene exists: recurrent
// weights of both signs, and each evolvable neuron parameter somewhere.
ModelOptions SmallLayer(double tau_ref_ms = 0.0) {
  ModelOptions o;
  o.kind = "rsnn";
  o.dt_ms = 1.0;
  o.substeps = 2;
  o.neuron.tau_ref_ms = tau_ref_ms;
  o.rsnn.rsnn_input_max_pA = 3.0;
  o.network_seed = 3;
  PopulationSpec e = Pop("E", 6, DaleType::kExcitatory), pv = Pop("PV", 2, DaleType::kInhibitory),
                 sst = Pop("SST", 2, DaleType::kInhibitory), vip = Pop("VIP", 1, DaleType::kInhibitory);
  e.params = {{"tau_m_ms", ValueSpec::Evolved(5.0, 40.0)}, {"v_threshold_mV", ValueSpec::Evolved(-55.0, -45.0)}};
  pv.params = {{"v_rest_mV", ValueSpec::Evolved(-70.0, -62.0)}, {"resistance_GOhm", ValueSpec::Evolved(10.0, 30.0)}};
  sst.params = {{"offset_pA", ValueSpec::Evolved(-0.2, 0.4)}};
  o.network.populations = {e, pv, sst, vip};
  o.network.projections = {Proj("E", "E", 0.5, 2.0),   Proj("E", "PV", 0.8, 2.0),  Proj("E", "SST", 0.8, 2.0),
                           Proj("E", "VIP", 0.8, 2.0), Proj("PV", "E", 0.9, 3.0),  Proj("SST", "E", 0.9, 3.0),
                           Proj("SST", "VIP", 1.0, 3.0), Proj("VIP", "SST", 1.0, 3.0)};
  return o;
}

const Space kObs = Space::Box({-1, -1, -1}, {1, 1, 1});
const Space kAct = Space::Discrete(3);

std::vector<double> Genome(int n, uint64_t seed) {
  RandomStream rng(seed);
  std::vector<double> g(n);
  for (double& x : g) x = 0.05 + 0.9 * rng.Uniform();  // away from the fold's corners
  return g;
}

std::vector<double> Inputs(int steps, uint64_t seed) {
  RandomStream rng(seed);
  std::vector<double> x(steps * 3);
  for (double& v : x) v = 2.0 * rng.Uniform() - 1.0;
  return x;
}

// L = sum_t c_t . y_t for fixed coefficients c: dL/dy_t = c_t.
double Loss(const RsnnModel& model, std::span<const double> genome, const std::vector<double>& x,
            const std::vector<double>& c) {
  auto policy = model.NewDifferentiable(genome);
  policy->Reset(0);
  double loss = 0;
  const int steps = static_cast<int>(x.size() / 3);
  for (int t = 0; t < steps; ++t) {
    auto y = policy->Forward(std::span(x).subspan(t * 3, 3));
    for (int k = 0; k < 3; ++k) loss += c[t * 3 + k] * y[k];
  }
  return loss;
}

std::vector<double> Gradient(const RsnnModel& model, std::span<const double> genome, const std::vector<double>& x,
                             const std::vector<double>& c) {
  auto policy = model.NewDifferentiable(genome);
  policy->Reset(0);
  const int steps = static_cast<int>(x.size() / 3);
  for (int t = 0; t < steps; ++t) policy->Forward(std::span(x).subspan(t * 3, 3));
  std::vector<double> g(genome.size(), 0.0);
  policy->Backward(c, g);
  return g;
}

// The backward pass against central finite differences of the smooth
// forward pass (rsnn_network.h), gene by gene: recurrent weights, neuron
// parameters, input and readout weights, through time and the resets.
TEST(RsnnGradient, MatchesFiniteDifferencesOfTheSmoothNetwork) {
  RsnnModel model(SmallLayer(), kObs, kAct);
  model.SetSmoothForGradientChecks(true);
  const int n = model.layout().size();
  const int steps = 15;
  const auto genome = Genome(n, 11);
  const auto x = Inputs(steps, 12);
  std::vector<double> c(steps * 3);
  RandomStream rng(13);
  for (double& v : c) v = rng.Normal();
  const auto g = Gradient(model, genome, x, c);
  double worst = 0;
  int checked = 0, nonzero = 0;
  for (const GeneFamily& f : model.layout().families()) {
    for (int k = 0; k < f.size; ++k) {
      const int i = f.offset + k;
      const double h = 1e-6;
      auto plus = genome, minus = genome;
      plus[i] += h;
      minus[i] -= h;
      const double fd = (Loss(model, plus, x, c) - Loss(model, minus, x, c)) / (2 * h);
      const double err = std::abs(fd - g[i]) / std::max(1e-3, std::abs(fd) + std::abs(g[i]));
      worst = std::max(worst, err);
      EXPECT_LT(err, 1e-5) << f.name << "[" << k << "]: backward " << g[i] << ", finite difference " << fd;
      ++checked;
      nonzero += std::abs(g[i]) > 1e-8;
    }
  }
  EXPECT_EQ(checked, n);
  EXPECT_GT(nonzero, n * 3 / 4) << "most genes must matter, or the check checks little";
  // Every family of gene the model has was among them.
  for (const char* family : {"input_weights", "readout_weights", "readout_bias"})
    EXPECT_NE(model.layout().Find(family), nullptr) << family;
  EXPECT_GE(model.layout().families().size(), 8u);
}

// With real spikes the readout is still linear in its weights and bias,
// whatever the surrogate: those genes' gradients are exact.
TEST(RsnnGradient, ReadoutGradientIsExactWithSpikes) {
  RsnnModel model(SmallLayer(2.0), kObs, kAct);
  const int n = model.layout().size();
  const int steps = 30;
  const auto genome = Genome(n, 21);
  const auto x = Inputs(steps, 22);
  std::vector<double> c(steps * 3);
  RandomStream rng(23);
  for (double& v : c) v = rng.Normal();
  const auto g = Gradient(model, genome, x, c);
  for (const char* name : {"readout_weights", "readout_bias"}) {
    const GeneFamily* f = model.layout().Find(name);
    for (int k = 0; k < f->size; ++k) {
      const int i = f->offset + k;
      auto plus = genome, minus = genome;
      plus[i] += 1e-5;
      minus[i] -= 1e-5;
      const double fd = (Loss(model, plus, x, c) - Loss(model, minus, x, c)) / 2e-5;
      EXPECT_NEAR(g[i], fd, 1e-6 * std::max(1.0, std::abs(fd))) << name << "[" << k << "]";
    }
  }
}

// The spiking network spikes (0 or 1), respects refractoriness, and its
// evaluation policy gives the differentiable policy's outputs.
TEST(RsnnNetwork, SpikesAreBinaryRefractoryAndPoliciesAgree) {
  RsnnModel model(SmallLayer(3.0), kObs, kAct);
  const auto genome = Genome(model.layout().size(), 31);
  const RsnnNetwork net = model.DecodeNetwork(genome);
  RsnnState state(net);
  std::vector<double> y(3);
  const auto x = Inputs(200, 32);
  std::vector<int> last_spike(net.neurons, -100);
  int spikes = 0;
  for (int t = 0; t < 200; ++t) {
    state.Step(std::span(x).subspan(t * 3, 3), y);
    for (int i = 0; i < net.neurons; ++i) {
      const double z = state.spikes()[i];
      ASSERT_TRUE(z == 0.0 || z == 1.0);
      if (z == 1.0) {
        // substeps = 2 network steps per Step: spikes seen here are 2 steps apart at least,
        // and refractoriness (3 steps) makes consecutive spikes >= 4 steps apart.
        EXPECT_GE(2 * t - last_spike[i], 4) << "neuron " << i;
        last_spike[i] = 2 * t;
        ++spikes;
      }
    }
  }
  EXPECT_GT(spikes, 10) << "the check needs a network that spikes";
  auto policy = model.Decode(genome);
  auto diff = model.NewDifferentiable(genome);
  policy->Reset(1);
  diff->Reset(1);
  std::vector<double> action(1);
  for (int t = 0; t < 50; ++t) {
    const auto obs = std::span(x).subspan(t * 3, 3);
    policy->Act(obs, action);
    const auto logits = diff->Forward(obs);
    const int argmax = static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    EXPECT_EQ(action[0], argmax);
    for (int k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(policy->outputs()[k], static_cast<float>(logits[k]));
  }
}

// Dale's law: every recurrent weight has its presynaptic type's sign, and
// every synapse the description drew is there.
TEST(RsnnNetwork, DalesLawAndTheDrawnSynapses) {
  RsnnModel model(SmallLayer(), kObs, kAct);
  const RsnnNetwork net = model.DecodeNetwork(Genome(model.layout().size(), 41));
  const int n = net.neurons;
  ASSERT_EQ(n, 11);
  int nonzero = 0;
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const double w = net.w_rec[j * n + i];
      if (w == 0) continue;
      ++nonzero;
      if (j < 6) EXPECT_GT(w, 0) << j << "->" << i;
      else EXPECT_LT(w, 0) << j << "->" << i;
    }
  EXPECT_EQ(nonzero, static_cast<int>(model.instance().synapses.size()));  // no multapses at these probabilities
}

std::string BuildError(ModelOptions o) {
  try {
    RsnnModel model(o, kObs, kAct);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RsnnModel, RefusesWhatItCannotSimulate) {
  auto o = SmallLayer();
  o.network.populations[1].model = "lif_cond";
  EXPECT_NE(BuildError(o).find("allowed: lif_curr"), std::string::npos) << BuildError(o);
  o = SmallLayer();
  o.network.populations[0].spiking = false;
  EXPECT_NE(BuildError(o).find("transmission"), std::string::npos);
  o = SmallLayer();
  o.network.populations[0].role = Role::kInput;
  EXPECT_NE(BuildError(o).find("allowed: hidden"), std::string::npos);
  o = SmallLayer();
  o.network.projections[0].delay = ValueSpec::Constant(3.0);
  EXPECT_NE(BuildError(o).find("delay"), std::string::npos);
  o = SmallLayer();
  o.network.populations[0].params.push_back({"tau_ref_ms", ValueSpec::Evolved(1, 3)});
  EXPECT_NE(BuildError(o).find("cannot evolve"), std::string::npos);
  o = SmallLayer();
  o.network.populations[0].params[1].second = ValueSpec::Evolved(-75.0, -45.0);  // threshold reaches below rest
  EXPECT_NE(BuildError(o).find("above v_rest_mV"), std::string::npos) << BuildError(o);
  o = SmallLayer();
  o.network.populations[0].params[0].second = ValueSpec::Evolved(0.0, 40.0);
  EXPECT_NE(BuildError(o).find("tau_m_ms"), std::string::npos);
  o = SmallLayer();
  o.network.populations[0].size = kMaxRsnnNeurons;  // with the others, one too many
  EXPECT_NE(BuildError(o).find("at most 4096"), std::string::npos) << BuildError(o);
  o = SmallLayer();
  o.readout.binary_readout = "threshold";
  EXPECT_NE(BuildError(o).find("argmax"), std::string::npos);
  // A list projection whose rows carry delays: refused, not run with one step.
  const std::string list = (std::filesystem::temp_directory_path() / "neurevo_rsnn_delays.csv").string();
  {
    std::ofstream f(list);
    f << "pre,post,weight,delay\n0,1,0.5,25\n1,2,0.5,7\n";
  }
  o = SmallLayer();
  ProjectionSpec from_list;
  from_list.pre = "E";
  from_list.post = "E";
  from_list.connector.kind = ConnectorSpec::Kind::kList;
  from_list.connector.file = list;
  from_list.weight = ValueSpec::Evolved(0.0, 1.0);
  o.network.projections.push_back(from_list);
  EXPECT_NE(BuildError(o).find("has a delay of its own"), std::string::npos) << BuildError(o);
  std::filesystem::remove(list);
  // Without delays the same list is accepted.
  {
    std::ofstream f(list);
    f << "pre,post,weight\n0,1,0.5\n1,2,0.5\n";
  }
  EXPECT_EQ(BuildError(o), "");
  std::filesystem::remove(list);
  o = SmallLayer();
  o.readout.binary_readout = "threshold";
  EXPECT_NE(BuildError(o).find("argmax"), std::string::npos);
}

}  // namespace
}  // namespace neurevo
