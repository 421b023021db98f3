// Networks from Python: a population of decoded genomes stepped together
// (one policy each, parallel over a thread pool with the GIL released),
// with recording of their neurons; and the C++ evaluator for a population
// on a neurevo task.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "bindings.h"
#include "core/thread_pool.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "train/evaluator.h"
#include "train/obs_normalizer.h"
#include "train/run_files.h"

namespace neurevo::python {
namespace {

// A Space from Python's description: ("box", low, high) or ("discrete", n).
Space SpaceFrom(const nb::tuple& t, const char* what) {
  const std::string kind = nb::cast<std::string>(t[0]);
  if (kind == "discrete") {
    const int n = nb::cast<int>(t[1]);
    if (n < 2) throw ConfigError(fmt::format("{}: a discrete space needs >= 2 actions, got {}", what, n));
    return Space::Discrete(n);
  }
  if (kind != "box") throw ConfigError(fmt::format("{}: kind must be box or discrete, got {}", what, kind));
  auto low = nb::cast<std::vector<double>>(t[1]);
  auto high = nb::cast<std::vector<double>>(t[2]);
  if (low.empty() || low.size() != high.size())
    throw ConfigError(fmt::format("{}: low and high must be non-empty and of one size", what));
  return Space::Box(std::move(low), std::move(high));
}

// Actions are decoded onto [low, high]: an action Box must be bounded.
void CheckActionBox(const Space& action) {
  if (action.discrete()) return;
  for (int i = 0; i < action.size; ++i)
    if (!std::isfinite(action.low[i]) || !std::isfinite(action.high[i]) || !(action.low[i] <= action.high[i]))
      throw ConfigError(fmt::format("action space: dimension {} has bounds [{}, {}]; neurevo decodes actions onto "
                                    "the bounds, which must be finite with low <= high",
                                    i, action.low[i], action.high[i]));
}

// The observation and action spaces: the given ones (a Gymnasium
// environment's), else the config's task's.
std::pair<Space, Space> SpacesFor(const RunConfig& config, const std::optional<nb::tuple>& spaces) {
  if (spaces) {
    Space observation = SpaceFrom(nb::cast<nb::tuple>((*spaces)[0]), "observation space");
    if (observation.discrete()) throw ConfigError("observation space: only Box observations are supported");
    Space action = SpaceFrom(nb::cast<nb::tuple>((*spaces)[1]), "action space");
    CheckActionBox(action);
    return {std::move(observation), std::move(action)};
  }
  const auto task = MakeTask(config.task_name, config.task_options);
  return {task->observation_space(), task->action_space()};
}

class PyNetworks {
 public:
  // From a config (its task's spaces unless `spaces` gives observation and
  // action spaces, e.g. of a Gymnasium environment) and genomes (P, n).
  PyNetworks(const std::string& path, const std::string& text, const std::vector<std::string>& overrides,
             std::optional<nb::tuple> spaces, Matrix genomes, int threads) {
    const RunConfig config = ReadConfig(path, text, overrides);
    std::tie(observation_, action_) = SpacesFor(config, spaces);
    model_ = MakeModel(config.model, observation_, action_);
    normalizer_ = ObsNormalizer(observation_.size, false, config.obs_clip);
    Build(genomes.data(), genomes.shape(0), genomes.shape(1), threads);
  }
  // The best genome of a run directory, with the run's observation normaliser.
  explicit PyNetworks(const std::string& run_dir, int threads) {
    LoadedRun run = LoadRun(run_dir);
    observation_ = run.task->observation_space();
    action_ = run.task->action_space();
    model_ = std::move(run.model);
    normalizer_ = run.genome.normalizer;
    const std::vector<double>& g = run.genome.genes;
    Build(g.data(), 1, g.size(), threads);
  }

  void Reset(nb::ndarray<const uint64_t, nb::ndim<1>, nb::c_contig, nb::device::cpu> noise_keys) {
    InUse in_use(mutex_, "these networks");
    if (static_cast<int>(noise_keys.size()) != count())
      throw ConfigError(fmt::format("reset: {} noise keys for {} networks", noise_keys.size(), count()));
    for (int i = 0; i < count(); ++i) policies_[i]->Reset(noise_keys.data()[i]);
    steps_ = 0;
  }

  // One environment step of every network: observations (P, obs) -> actions (P, act).
  nb::ndarray<nb::numpy, double> Step(Matrix observations) {
    InUse in_use(mutex_, "these networks");
    const int p = count(), d = observation_.size, a = action_.vector_size();
    if (observations.shape(0) != static_cast<size_t>(p) || observations.shape(1) != static_cast<size_t>(d))
      throw ConfigError(fmt::format("step: observations of shape ({}, {}), expected ({}, {})", observations.shape(0),
                                    observations.shape(1), p, d));
    std::vector<double> actions(static_cast<size_t>(p) * a);
    const double* obs = observations.data();
    {
      nb::gil_scoped_release release;
      pool_->ParallelFor(p, [&](int i, int /*worker*/) {
        std::vector<double> normalized(d);
        normalizer_.Normalize({obs + static_cast<size_t>(i) * d, static_cast<size_t>(d)}, normalized);
        policies_[i]->Act(normalized, {actions.data() + static_cast<size_t>(i) * a, static_cast<size_t>(a)});
      });
    }
    ++steps_;
    return OwnedArray(std::move(actions), {static_cast<size_t>(p), static_cast<size_t>(a)});
  }

  void SetRecording(bool on) {
    InUse in_use(mutex_, "these networks");
    for (auto& policy : policies_) policy->SetRecording(on);
  }
  // The last step's recorded values: name -> (P, neurons) float32.
  nb::dict Probes() {
    InUse in_use(mutex_, "these networks");
    nb::dict out;
    if (policies_.empty()) return out;
    const auto first = policies_.front()->Probes();
    for (size_t k = 0; k < first.size(); ++k) {
      const size_t n = first[k].values.size();
      std::vector<float> values(policies_.size() * n);
      for (size_t i = 0; i < policies_.size(); ++i) {
        const auto probes = policies_[i]->Probes();
        // Networks of one model record alike; one that has not stepped since its reset has nothing.
        if (probes.size() != first.size() || probes[k].values.size() != n)
          throw ConfigError(fmt::format("probes: network {} has no recording of its last step (reset since?)", i));
        std::copy(probes[k].values.begin(), probes[k].values.end(), values.begin() + i * n);
      }
      out[nb::str(std::string(first[k].name).c_str())] = OwnedArray(std::move(values), {policies_.size(), n});
    }
    return out;
  }
  // The last step's spikes of network i: (k, 2) int32 of (substep within the step, neuron).
  nb::ndarray<nb::numpy, int32_t> Spikes(int i) {
    InUse in_use(mutex_, "these networks");
    if (i < 0 || i >= count()) throw ConfigError(fmt::format("spikes: network {} outside [0, {})", i, count()));
    const auto spikes = policies_[i]->Spikes();
    std::vector<int32_t> flat;
    flat.reserve(spikes.size() * 2);
    for (const auto& [substep, neuron] : spikes) {
      flat.push_back(substep);
      flat.push_back(neuron);
    }
    return OwnedArray(std::move(flat), {spikes.size(), 2});
  }
  nb::ndarray<nb::numpy, float> Outputs() {
    InUse in_use(mutex_, "these networks");
    const size_t n = policies_.front()->outputs().size();
    std::vector<float> values(policies_.size() * n);
    for (size_t i = 0; i < policies_.size(); ++i) {
      const auto o = policies_[i]->outputs();
      std::copy(o.begin(), o.end(), values.begin() + i * n);
    }
    return OwnedArray(std::move(values), {policies_.size(), n});
  }
  std::vector<bool> Healthy() {
    InUse in_use(mutex_, "these networks");
    std::vector<bool> h;
    for (const auto& policy : policies_) h.push_back(policy->healthy());
    return h;
  }
  int count() const { return static_cast<int>(policies_.size()); }
  int genes() const { return model_->layout().size(); }
  int substeps() const { return model_->substeps(); }
  nb::tuple spaces() const { return nb::make_tuple(SpaceTuple(observation_), SpaceTuple(action_)); }

 private:
  void Build(const double* genomes, size_t p, size_t genes, int threads) {
    const size_t n = static_cast<size_t>(model_->layout().size());
    if (genes != n) throw ConfigError(fmt::format("genomes have {} genes; this model has {}", genes, n));
    if (p < 1) throw ConfigError("genomes: at least one is needed");
    for (size_t i = 0; i < p * n; ++i)
      if (!std::isfinite(genomes[i])) throw ConfigError(fmt::format("genome {} holds a non-finite gene", i / n));
    pool_ = std::make_unique<ThreadPool>(threads);
    policies_.resize(p);
    nb::gil_scoped_release release;
    pool_->ParallelFor(static_cast<int>(p), [&](int i, int) {
      policies_[i] = model_->Decode({genomes + static_cast<size_t>(i) * n, n});
    });
  }

  Space observation_, action_;
  std::unique_ptr<Model> model_;
  ObsNormalizer normalizer_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<std::unique_ptr<Policy>> policies_;
  long long steps_ = 0;
  std::mutex mutex_;
};

// Fitness of each genome (rows of `genomes`) on the config's task, as the
// trainer's generation `generation` would evaluate it (same episode seeds and
// noise keys), without observation normalisation. Returns (fitness, steps).
nb::tuple EvaluatePopulation(const std::string& path, const std::string& text, const std::vector<std::string>& overrides,
                             Matrix genomes, int episodes, uint64_t seed, long long generation, int threads) {
  const RunConfig config = ReadConfig(path, text, overrides);
  if (episodes < 1) throw ConfigError(fmt::format("episodes must be >= 1, got {}", episodes));
  const auto task = MakeTask(config.task_name, config.task_options);
  const auto model = MakeModel(config.model, task->observation_space(), task->action_space());
  const size_t n = static_cast<size_t>(model->layout().size());
  if (genomes.shape(1) != n) throw ConfigError(fmt::format("genomes have {} genes; this model has {}", genomes.shape(1), n));
  std::vector<std::vector<double>> rows(genomes.shape(0));
  for (size_t i = 0; i < rows.size(); ++i) rows[i].assign(genomes.data() + i * n, genomes.data() + (i + 1) * n);
  for (size_t i = 0; i < rows.size() * n; ++i)
    if (!std::isfinite(genomes.data()[i])) throw ConfigError(fmt::format("genome {} holds a non-finite gene", i / n));
  std::vector<double> fitness(rows.size());
  std::vector<long long> steps(rows.size());
  {
    nb::gil_scoped_release release;
    ThreadPool pool(threads);
    Evaluator evaluator(*model, config.task_name, pool, nullptr, nullptr, config.drop_survival_bonus,
                        config.task_options);
    const ObsNormalizer off(task->observation_space().size, false, config.obs_clip);
    const auto results = evaluator.EvaluateGeneration(rows, off, seed, generation, episodes, nullptr);
    for (size_t i = 0; i < rows.size(); ++i) {
      fitness[i] = results[i].fitness;
      steps[i] = results[i].steps;
    }
  }
  const size_t p = rows.size();
  return nb::make_tuple(OwnedArray(std::move(fitness), {p}), OwnedArray(std::move(steps), {p}));
}

}  // namespace

void BindNetwork(nb::module_& m) {
  nb::class_<PyNetworks>(m, "Networks")
      .def(nb::init<const std::string&, const std::string&, const std::vector<std::string>&, std::optional<nb::tuple>,
                    Matrix, int>(),
           nb::arg("path"), nb::arg("text"), nb::arg("overrides"), nb::arg("spaces").none(), nb::arg("genomes"),
           nb::arg("threads"))
      .def(nb::init<const std::string&, int>(), nb::arg("run_dir"), nb::arg("threads"))
      .def("reset", &PyNetworks::Reset, nb::arg("noise_keys"))
      .def("step", &PyNetworks::Step, nb::arg("observations"))
      .def("set_recording", &PyNetworks::SetRecording, nb::arg("on"))
      .def("probes", &PyNetworks::Probes)
      .def("spikes", &PyNetworks::Spikes, nb::arg("index"))
      .def("outputs", &PyNetworks::Outputs)
      .def("healthy", &PyNetworks::Healthy)
      .def_prop_ro("count", &PyNetworks::count)
      .def_prop_ro("genes", &PyNetworks::genes)
      .def_prop_ro("substeps", &PyNetworks::substeps)
      .def_prop_ro("spaces", &PyNetworks::spaces);
  m.def("genome_size", [](const std::string& path, const std::string& text, const std::vector<std::string>& overrides,
                          std::optional<nb::tuple> spaces) {
    const RunConfig config = ReadConfig(path, text, overrides);
    const auto [observation, action] = SpacesFor(config, spaces);
    return CountGenes(config.model, observation, action);
  }, nb::arg("path"), nb::arg("text"), nb::arg("overrides"), nb::arg("spaces").none());
  m.def("evaluate_population", &EvaluatePopulation, nb::arg("path"), nb::arg("text"), nb::arg("overrides"),
        nb::arg("genomes"), nb::arg("episodes"), nb::arg("seed"), nb::arg("generation"), nb::arg("threads"));
}

}  // namespace neurevo::python
