#include "model/enu/enu_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "neurevo/error.h"
#include "neurevo/random.h"

namespace neurevo {

namespace {

// Up to `count` distinct members of `pool`, drawn without replacement.
std::vector<int> Draw(std::vector<int> pool, int count, RandomStream& rng) {
  for (size_t i = 0; i < pool.size(); ++i) {
    const size_t j = i + static_cast<size_t>(rng.Below(pool.size() - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(std::min(pool.size(), static_cast<size_t>(count)));
  std::sort(pool.begin(), pool.end());
  return pool;
}

std::vector<int> Permutation(int n, RandomStream& rng) {
  std::vector<int> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  for (int i = n - 1; i > 0; --i) std::swap(p[static_cast<size_t>(i)], p[rng.Below(static_cast<uint64_t>(i + 1))]);
  return p;
}

int MotorNeurons(const ModelOptions& o, const Space& action) {
  return NumOutputs(action, o) - (o.enu.enu_idle_action ? 1 : 0);
}

// Uniform noise of std `std` (cheap: one 64-bit draw gives two values).
void FillNoise(EnuMatrix& m, float std, RandomStream& rng) {
  const float half = std * std::sqrt(3.0f);
  float* p = m.data();
  const Eigen::Index n = m.size();
  for (Eigen::Index i = 0; i < n; i += 2) {
    const uint64_t bits = rng.NextU64();
    p[i] = half * (static_cast<float>(bits >> 40) * 0x1.0p-23f - 1.0f);
    if (i + 1 < n) p[i + 1] = half * (static_cast<float>((bits >> 8) & 0xFFFFFF) * 0x1.0p-23f - 1.0f);
  }
}

struct EnuController : Controller {
  std::unique_ptr<Policy> NewPolicy() const override;
  EnuOptions options;
  Space action_space;
  EnuTopology topology;
  int outputs = 0;
  EnuWeights neuron, synapse, unit;  // unit: topology "unit" only
};

class EnuNetworkPolicy : public Policy {
 public:
  explicit EnuNetworkPolicy(std::shared_ptr<const EnuController> c)
      : c_(std::move(c)),
        t_(c_->topology),
        channels_(c_->neuron.shape.channels),
        synapses_(static_cast<int>(t_.synapse_source.size()), c_->synapse.shape),
        neurons_(t_.neurons, c_->neuron.shape),
        sources_(EnuMatrix::Zero(t_.sources(), channels_)),
        synapse_noise_(EnuMatrix::Zero(synapses_.units(), channels_)),
        neuron_noise_(EnuMatrix::Zero(t_.neurons, channels_)),
        outputs_(static_cast<size_t>(c_->outputs), 0.f),
        activity_(static_cast<size_t>(t_.motors), 0.f) {
    sensor_of_.resize(static_cast<size_t>(t_.sensors));
    motor_of_.resize(static_cast<size_t>(t_.motors));
  }

  void Reset(uint64_t noise_key) override {
    rng_.Seed(noise_key);
    synapses_.Reset();
    neurons_.Reset();
    sources_.setZero();
    std::iota(sensor_of_.begin(), sensor_of_.end(), 0);
    std::iota(motor_of_.begin(), motor_of_.end(), 0);
    if (c_->options.enu_shuffle) {
      sensor_of_ = Permutation(t_.sensors, rng_);
      motor_of_ = Permutation(t_.motors, rng_);
    }
  }

  void Act(std::span<const double> observation, std::span<double> action) override {
    const EnuOptions& o = c_->options;
    // Sensory neurons (observation i drives sensor sensor_of_[i]) and the reward neuron.
    for (int i = 0; i < t_.sensors; ++i)
      sources_(t_.neurons + sensor_of_[static_cast<size_t>(i)], 0) = static_cast<float>(observation[static_cast<size_t>(i)]);
    for (int r = 0; r < t_.reward_inputs; ++r)
      sources_(t_.neurons + t_.sensors, r) = static_cast<float>(observation[static_cast<size_t>(t_.sensors + r)]);
    std::fill(activity_.begin(), activity_.end(), 0.f);
    // Without unit memory nothing may carry over from one environment step
    // to the next either: the network's activity starts from 0 each step, so
    // the action is a fixed function of the current observation.
    if (o.enu_stateless) {
      synapses_.Reset();
      neurons_.Reset();
    }
    const EnuKernel& kernel = CpuEnuKernel();
    const float noise = static_cast<float>(o.enu_output_noise);
    for (int step = 0; step < o.enu_network_steps; ++step) {
      // Synapses see the neurons' outputs of the previous network step.
      sources_.topRows(t_.neurons) = neurons_.output;
      for (int s = 0; s < synapses_.units(); ++s) {
        synapses_.input.row(s).head(channels_) = sources_.row(t_.synapse_source[static_cast<size_t>(s)]);
        synapses_.input.row(s).tail(channels_) = neurons_.output.row(t_.synapse_target[static_cast<size_t>(s)]);
      }
      if (noise > 0) FillNoise(synapse_noise_, noise, rng_);
      kernel.Step(c_->synapse, synapses_, noise > 0 ? &synapse_noise_ : nullptr, o.enu_stateless);
      neurons_.input.setZero();
      for (int s = 0; s < synapses_.units(); ++s)
        neurons_.input.row(t_.synapse_target[static_cast<size_t>(s)]) += synapses_.output.row(s);
      if (noise > 0) FillNoise(neuron_noise_, noise, rng_);
      kernel.Step(c_->neuron, neurons_, noise > 0 ? &neuron_noise_ : nullptr, o.enu_stateless);
      for (int m = 0; m < t_.motors; ++m) activity_[static_cast<size_t>(m)] += neurons_.output(t_.neurons - t_.motors + m, 0);
    }
    // Output j reads motor neuron motor_of_[j]; mean activity in [0, 1].
    bool any_active = false;
    for (int j = 0; j < t_.motors; ++j) {
      const float a = activity_[static_cast<size_t>(motor_of_[static_cast<size_t>(j)])];
      outputs_[static_cast<size_t>(j)] = a / static_cast<float>(o.enu_network_steps);
      any_active = any_active || a > 0.f;
    }
    if (o.enu_idle_action) outputs_.back() = any_active ? 0.f : 1.f;
    if (c_->action_space.discrete() && outputs_.size() >= 2 && any_active) {
      // The most active motor neuron; saturated neurons tie at exactly 1, and
      // the lowest index would always win (forward in the T-maze), so ties
      // are broken at random (reservoir sampling over the tied outputs).
      const float best = *std::max_element(outputs_.begin(), outputs_.begin() + t_.motors);
      uint64_t ties = 0;
      int chosen = 0;
      for (int j = 0; j < t_.motors; ++j)
        if (outputs_[static_cast<size_t>(j)] == best && rng_.Below(++ties) == 0) chosen = j;
      action[0] = static_cast<double>(chosen);
      return;
    }
    DecodeAction(outputs_, {0.0, 1.0}, c_->action_space, action);
  }

  bool healthy() const override { return synapses_.memory.allFinite() && neurons_.memory.allFinite(); }
  std::span<const float> outputs() const override { return outputs_; }

 private:
  const std::shared_ptr<const EnuController> c_;
  const EnuTopology& t_;
  const int channels_;
  EnuBatch synapses_, neurons_;
  EnuMatrix sources_;  // every unit's output the synapses read: neurons, sensors, reward
  EnuMatrix synapse_noise_, neuron_noise_;
  std::vector<int> sensor_of_, motor_of_;
  std::vector<float> outputs_;
  std::vector<float> activity_;  // motor neurons' channel 0 summed over the network steps
  RandomStream rng_;
};

class EnuUnitPolicy : public Policy {
 public:
  explicit EnuUnitPolicy(std::shared_ptr<const EnuController> c)
      : c_(std::move(c)),
        unit_(1, c_->unit.shape),
        noise_(EnuMatrix::Zero(1, c_->unit.shape.channels)),
        outputs_(static_cast<size_t>(c_->outputs), 0.f) {}
  void Reset(uint64_t noise_key) override {
    rng_.Seed(noise_key);
    unit_.Reset();
  }
  void Act(std::span<const double> observation, std::span<double> action) override {
    const EnuOptions& o = c_->options;
    for (size_t i = 0; i < observation.size(); ++i) unit_.input(0, static_cast<Eigen::Index>(i)) = static_cast<float>(observation[i]);
    const float noise = static_cast<float>(o.enu_output_noise);
    for (int step = 0; step < o.enu_network_steps; ++step) {
      if (noise > 0) FillNoise(noise_, noise, rng_);
      CpuEnuKernel().Step(c_->unit, unit_, noise > 0 ? &noise_ : nullptr, o.enu_stateless);
    }
    for (size_t j = 0; j < outputs_.size(); ++j) outputs_[j] = unit_.output(0, static_cast<Eigen::Index>(j));
    DecodeAction(outputs_, {0.0, 1.0}, c_->action_space, action);
  }
  bool healthy() const override { return unit_.memory.allFinite(); }
  std::span<const float> outputs() const override { return outputs_; }
  // The unit's memory, for recordings.
  const EnuBatch& unit() const { return unit_; }

 private:
  const std::shared_ptr<const EnuController> c_;
  EnuBatch unit_;
  EnuMatrix noise_;
  std::vector<float> outputs_;
  RandomStream rng_;
};

std::unique_ptr<Policy> EnuController::NewPolicy() const {
  auto self = std::static_pointer_cast<const EnuController>(shared_from_this());
  if (options.enu_topology == "unit") return std::make_unique<EnuUnitPolicy>(std::move(self));
  return std::make_unique<EnuNetworkPolicy>(std::move(self));
}

}  // namespace

EnuTopology MakeEnuTopology(const ModelOptions& o, const Space& observation, const Space& action) {
  EnuTopology t;
  t.reward_inputs = o.enu.enu_reward_inputs;
  t.sensors = observation.vector_size() - t.reward_inputs;
  t.neurons = o.enu.enu_neurons;
  t.motors = MotorNeurons(o, action);
  RandomStream rng(o.network_seed, 0, 0, 0, StreamPurpose::kConnectivity);
  const int hidden = t.neurons - t.motors;
  std::vector<int> sensors(static_cast<size_t>(t.sensors)), hidden_pool, motor_pool;
  std::iota(sensors.begin(), sensors.end(), t.neurons);
  for (int n = 0; n < t.neurons; ++n) {
    hidden_pool.clear();
    motor_pool.clear();
    for (int k = 0; k < hidden; ++k)
      if (k != n) hidden_pool.push_back(k);
    for (int k = hidden; k < t.neurons; ++k)
      if (k != n) motor_pool.push_back(k);
    std::vector<int> in = Draw(sensors, 2, rng);
    for (int k : Draw(hidden_pool, 2, rng)) in.push_back(k);
    for (int k : Draw(motor_pool, 2, rng)) in.push_back(k);
    if (t.reward_inputs > 0) in.push_back(t.neurons + t.sensors);
    in.push_back(n);  // self
    for (int source : in) {
      t.synapse_source.push_back(source);
      t.synapse_target.push_back(n);
    }
  }
  return t;
}

EnuModel::EnuModel(const ModelOptions& options, const Space& observation, const Space& action)
    : options_(options), action_(action), outputs_(NumOutputs(action, options)) {
  const EnuOptions& e = options.enu;
  const double scale = e.enu_weight_scale;
  if (e.enu_topology == "unit") {
    if (outputs_ > e.enu_channels)
      throw ConfigError("model.enu_channels: " + std::to_string(e.enu_channels) + " output channels cannot carry " +
                        std::to_string(outputs_) + " policy outputs; allowed: >= the policy outputs");
    unit_shape_ = {e.enu_memory, e.enu_channels, observation.vector_size()};
    EnuWeights::AddFamilies(layout_, "unit", unit_shape_, scale);
    multiply_adds_per_step_ = unit_shape_.multiply_adds();
    return;
  }
  if (e.enu_reward_inputs > observation.vector_size())
    throw ConfigError("model.enu_reward_inputs: " + std::to_string(e.enu_reward_inputs) + " is more than the task's " +
                      std::to_string(observation.vector_size()) + " observations");
  if (e.enu_reward_inputs > e.enu_channels)
    throw ConfigError("model.enu_reward_inputs: the reward neuron carries one input per channel; allowed: <= "
                      "model.enu_channels (" + std::to_string(e.enu_channels) + ")");
  if (e.enu_idle_action && !(action.discrete() && outputs_ >= 2))
    throw ConfigError("model.enu_idle_action: needs a task with at least two discrete actions (the last is \"no move\")");
  const int motors = MotorNeurons(options, action);
  if (motors > e.enu_neurons)
    throw ConfigError("model.enu_neurons: " + std::to_string(e.enu_neurons) + " neurons cannot hold the task's " +
                      std::to_string(motors) + " motor neurons; allowed: >= " + std::to_string(motors));
  topology_ = MakeEnuTopology(options, observation, action);
  neuron_shape_ = {e.enu_memory, e.enu_channels, e.enu_channels};
  synapse_shape_ = {e.enu_memory, e.enu_channels, 2 * e.enu_channels};
  EnuWeights::AddFamilies(layout_, "neuron", neuron_shape_, scale);
  EnuWeights::AddFamilies(layout_, "synapse", synapse_shape_, scale);
  multiply_adds_per_step_ = topology_.neurons * neuron_shape_.multiply_adds() +
                            static_cast<long long>(topology_.synapse_source.size()) * synapse_shape_.multiply_adds();
}

std::shared_ptr<const Controller> EnuModel::DecodeController(std::span<const double> genome) const {
  auto c = std::make_shared<EnuController>();
  c->options = options_.enu;
  c->action_space = action_;
  c->topology = topology_;
  c->outputs = outputs_;
  if (options_.enu.enu_topology == "unit") {
    c->unit = EnuWeights::Decode(layout_, "unit", unit_shape_, genome);
  } else {
    c->neuron = EnuWeights::Decode(layout_, "neuron", neuron_shape_, genome);
    c->synapse = EnuWeights::Decode(layout_, "synapse", synapse_shape_, genome);
  }
  return c;
}

}  // namespace neurevo
