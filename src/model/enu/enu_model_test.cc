// ENU networks: the paper's topology, the shared chromosomes, the idle
// action, the per-episode shuffle and determinism.
#include "model/enu/enu_model.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {
namespace {

// The T-maze's shape: 3 sensors + 2 reward inputs; forward, left, right, no move.
const Space kObs = Space::Box(std::vector<double>(5, 0.0), std::vector<double>(5, 1.0));
const Space kAct = Space::Discrete(4);

ModelOptions TMazeOptions() {
  ModelOptions o;
  o.kind = "enu";
  o.enu.enu_memory = 8;
  o.enu.enu_channels = 4;
  o.enu.enu_reward_inputs = 2;
  o.enu.enu_idle_action = true;
  return o;
}

std::vector<double> RandomGenome(const Model& model, uint64_t seed) {
  RandomStream rng(seed);
  std::vector<double> g(static_cast<size_t>(model.layout().size()));
  for (double& v : g) v = rng.Uniform();
  return g;
}

TEST(EnuModel, PaperTopologyEightSynapsesPerNeuron) {
  const ModelOptions o = TMazeOptions();
  const EnuTopology t = MakeEnuTopology(o, kObs, kAct);
  EXPECT_EQ(t.sensors, 3);
  EXPECT_EQ(t.neurons, 6);
  EXPECT_EQ(t.motors, 3);
  ASSERT_EQ(t.synapse_source.size(), 48u);
  const int hidden = 3, reward = t.neurons + t.sensors;
  for (int n = 0; n < t.neurons; ++n) {
    std::multiset<int> sources;
    for (size_t s = 0; s < t.synapse_source.size(); ++s)
      if (t.synapse_target[s] == n) sources.insert(t.synapse_source[s]);
    ASSERT_EQ(sources.size(), 8u) << "neuron " << n;
    EXPECT_EQ(std::set<int>(sources.begin(), sources.end()).size(), 8u) << "a source repeated";
    int from_sensors = 0, from_hidden = 0, from_motors = 0;
    for (int s : sources) {
      if (s == n || s == reward) continue;
      if (s >= t.neurons) ++from_sensors;
      else if (s < hidden) ++from_hidden;
      else ++from_motors;
    }
    EXPECT_EQ(from_sensors, 2);
    EXPECT_EQ(from_hidden, 2);
    EXPECT_EQ(from_motors, 2);
    EXPECT_EQ(sources.count(n), 1u);
    EXPECT_EQ(sources.count(reward), 1u);
  }
  // Two chromosomes, shared by all units: the genome does not grow with the synapse count.
  EnuModel model(o, kObs, kAct);
  const int k_neuron = 8 + 4 + 4, k_synapse = 8 + 4 + 8;
  EXPECT_EQ(model.layout().size(), (3 * k_neuron * 8 + 3 * 8 + 8 * 4 + 4) + (3 * k_synapse * 8 + 3 * 8 + 8 * 4 + 4));
  ModelOptions bigger = o;
  bigger.enu.enu_neurons = 12;
  EXPECT_EQ(EnuModel(bigger, kObs, kAct).layout().size(), model.layout().size());
}

TEST(EnuModel, SilentMotorsTakeTheIdleAction) {
  ModelOptions o = TMazeOptions();
  o.enu.enu_output_noise = 0.0;
  EnuModel model(o, kObs, kAct);
  // A centred genome is a network of zero weights: every output is clip(0) = 0.
  auto policy = model.Decode(std::vector<double>(static_cast<size_t>(model.layout().size()), 0.5));
  policy->Reset(1);
  std::vector<double> obs = {1, 0, 0, 0, 0}, action(1);
  policy->Act(obs, action);
  EXPECT_EQ(action[0], 3.0);
  EXPECT_EQ(policy->outputs()[3], 1.0f);
}

TEST(EnuModel, SameNoiseKeySameEpisodeAndShuffleChangesTheWiring) {
  const ModelOptions o = TMazeOptions();
  EnuModel model(o, kObs, kAct);
  const auto controller = model.DecodeController(RandomGenome(model, 21));
  auto run = [&](uint64_t key) {
    auto p = controller->NewPolicy();
    p->Reset(key);
    std::vector<float> trace;
    RandomStream rng(4);
    std::vector<double> obs(5), action(1);
    for (int step = 0; step < 40; ++step) {
      for (int i = 0; i < 3; ++i) obs[i] = rng.Uniform() < 0.5 ? 0.0 : 1.0;
      obs[3] = step % 7 == 0;
      p->Act(obs, action);
      EXPECT_TRUE(p->healthy());
      for (float v : p->outputs()) trace.push_back(v);
    }
    return trace;
  };
  EXPECT_EQ(run(5), run(5));
  int different = 0;
  for (uint64_t key = 6; key < 12; ++key) different += run(key) != run(5);
  EXPECT_GE(different, 5);  // noise and wiring differ between episodes
}

TEST(EnuModel, StatelessNetworkDiffersFromTheLearningOne) {
  ModelOptions o = TMazeOptions();
  o.enu.enu_output_noise = 0.0;
  o.enu.enu_shuffle = false;
  EnuModel learning(o, kObs, kAct);
  o.enu.enu_stateless = true;
  EnuModel fixed(o, kObs, kAct);
  // Every motor neuron shares one output row, so a random genome often keeps
  // them all silent; count the genomes whose two networks act differently.
  int differ = 0, active = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto genome = RandomGenome(learning, seed);
    auto a = learning.Decode(genome), b = fixed.Decode(genome);
    a->Reset(1);
    b->Reset(1);
    std::vector<double> obs = {0, 1, 0, 0, 0}, action(1);
    bool d = false, act = false;
    for (int step = 0; step < 6; ++step) {
      a->Act(obs, action);
      b->Act(obs, action);
      act = act || a->outputs()[3] == 0.0f;
      for (int j = 0; j < 4; ++j) d = d || a->outputs()[j] != b->outputs()[j];
    }
    differ += d;
    active += act;
  }
  EXPECT_GE(active, 5);
  EXPECT_GE(differ, 5);
}

// Without unit memory nothing carries over between environment steps: after
// any history the outputs for an observation are those of a fresh network.
TEST(EnuModel, StatelessNetworkAnswersOnlyTheCurrentObservation) {
  ModelOptions o = TMazeOptions();
  o.enu.enu_output_noise = 0.0;
  o.enu.enu_shuffle = false;
  o.enu.enu_stateless = true;
  o.enu.enu_weight_scale = 4.0;
  EnuModel model(o, kObs, kAct);
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const auto controller = model.DecodeController(RandomGenome(model, seed));
    auto with_history = controller->NewPolicy(), fresh = controller->NewPolicy();
    with_history->Reset(1);
    fresh->Reset(1);
    std::vector<double> action(1);
    RandomStream rng(seed);
    for (int step = 0; step < 10; ++step) {
      std::vector<double> obs(5);
      for (double& v : obs) v = rng.Uniform() < 0.5 ? 0.0 : 1.0;
      with_history->Act(obs, action);
    }
    const std::vector<double> probe = {0, 1, 0, 0, 1};
    with_history->Act(probe, action);
    fresh->Act(probe, action);
    for (int j = 0; j < 4; ++j) EXPECT_EQ(with_history->outputs()[j], fresh->outputs()[j]) << seed;
  }
}

// Saturated motor neurons tie at 1: the action is drawn among them, not
// always the first (forward in the T-maze).
TEST(EnuModel, TiedMotorNeuronsShareTheActions) {
  ModelOptions o = TMazeOptions();
  o.enu.enu_output_noise = 0.0;
  o.enu.enu_weight_scale = 4.0;  // output biases up to 4 / sqrt(8)
  EnuModel model(o, kObs, kAct);
  std::vector<double> genome(static_cast<size_t>(model.layout().size()), 0.5);
  const GeneFamily& bias = *model.layout().Find("neuron_output_bias");
  for (int i = 0; i < bias.size; ++i) genome[static_cast<size_t>(bias.offset + i)] = 1.0;  // o = clip(+1.41) = 1
  auto p = model.Decode(genome);
  p->Reset(3);
  std::vector<int> count(4, 0);
  std::vector<double> obs = {0, 0, 0, 0, 0}, action(1);
  for (int step = 0; step < 300; ++step) {
    p->Act(obs, action);
    ASSERT_EQ(p->outputs()[0], 1.0f);
    ++count[static_cast<size_t>(action[0])];
  }
  for (int a = 0; a < 3; ++a) EXPECT_GT(count[static_cast<size_t>(a)], 60) << a;  // binomial(300, 1/3): sd 8
  EXPECT_EQ(count[3], 0);
}

TEST(EnuModel, UnitTopologyReadsTheObservationAndWritesChannels) {
  ModelOptions o;
  o.kind = "enu";
  o.enu.enu_topology = "unit";
  o.enu.enu_network_steps = 1;
  o.enu.enu_memory = 16;
  o.enu.enu_channels = 2;
  const Space obs = Space::Box({0.0}, {1.0}), act = Space::Box({0.0}, {1.0});
  EnuModel model(o, obs, act);
  EXPECT_EQ(model.layout().size(), 3 * 19 * 16 + 3 * 16 + 16 * 2 + 2);
  EXPECT_EQ(model.synapses(), 3 * 19 * 16 + 16 * 2);  // multiply-adds per network step
  auto p = model.Decode(RandomGenome(model, 7));
  p->Reset(3);
  std::vector<double> x = {0.4}, action(1);
  for (int step = 0; step < 20; ++step) {
    p->Act(x, action);
    EXPECT_GE(action[0], 0.0);
    EXPECT_LE(action[0], 1.0);
    EXPECT_EQ(action[0], p->outputs()[0]);
  }
}

TEST(EnuModel, InvalidOptionsNameTheKey) {
  auto expect = [](ModelOptions o, const Space& obs, const Space& act, const std::string& key) {
    try {
      MakeModel(o, obs, act);
      ADD_FAILURE() << "expected an error naming " << key;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  };
  ModelOptions o = TMazeOptions();
  o.enu.enu_neurons = 2;
  expect(o, kObs, kAct, "model.enu_neurons");
  o = TMazeOptions();
  o.enu.enu_reward_inputs = 6;
  expect(o, kObs, kAct, "model.enu_reward_inputs");
  o = TMazeOptions();
  o.enu.enu_idle_action = true;
  expect(o, kObs, Space::Box({-1.0}, {1.0}), "model.enu_idle_action");
  o = TMazeOptions();
  o.enu.enu_topology = "unit";
  o.enu.enu_channels = 2;
  expect(o, kObs, Space::Box({0, 0, 0}, {1, 1, 1}), "model.enu_channels");
  o = TMazeOptions();
  o.enu.enu_topology = "grid";
  EXPECT_THROW(ValidateModelOptions(o), ConfigError);
}

}  // namespace
}  // namespace neurevo
