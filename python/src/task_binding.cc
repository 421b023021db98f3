// neurevo's tasks from Python (neurevo.gym wraps them as Gymnasium
// environments): Gymnasium's reset/step on the C++ task, plus its physical
// state, which the parity tests set in both implementations.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "bindings.h"
#include "neurevo/error.h"
#include "neurevo/task.h"

namespace neurevo::python {
namespace {

class PyTask {
 public:
  // `overrides`: task.name and task.options.* keys, read by the config parser.
  explicit PyTask(const std::vector<std::string>& overrides) {
    const RunConfig config = ParseConfig("", overrides, "task");
    task_ = MakeTask(config.task_name, config.task_options);
    observation_.resize(task_->observation_space().size);
  }
  nb::ndarray<nb::numpy, double> Reset(uint64_t seed) {
    InUse in_use(mutex_, "this task");
    task_->Reset(seed, observation_);
    reset_ = true;
    return Observation();
  }
  nb::ndarray<nb::numpy, double> SetState(Vector state) {
    InUse in_use(mutex_, "this task");
    if (!reset_) task_->Reset(0, observation_);  // some tasks size their state at the first reset
    const size_t expected = task_->PhysicalState().size();
    if (state.size() != expected)
      throw ConfigError(fmt::format("set_state: {} values; {} has a state of {}", state.size(), task_->name(), expected));
    for (size_t i = 0; i < state.size(); ++i)
      if (!std::isfinite(state.data()[i])) throw ConfigError("set_state: a non-finite value");
    task_->SetPhysicalState({state.data(), state.size()}, observation_);
    reset_ = true;
    return Observation();
  }
  nb::tuple Step(Vector action) {
    InUse in_use(mutex_, "this task");
    if (!reset_) throw ConfigError("step before reset: call reset (or set_state) first");
    const Space& a = task_->action_space();
    if (static_cast<int>(action.size()) != a.vector_size())
      throw ConfigError(fmt::format("step: {} action values, expected {}", action.size(), a.vector_size()));
    if (a.discrete()) {
      const double k = action.data()[0];
      if (!(k >= 0 && k < a.size) || k != std::floor(k))
        throw ConfigError(fmt::format("step: discrete action {} outside 0 .. {}", k, a.size - 1));
    }
    StepResult r;
    {
      nb::gil_scoped_release release;
      r = task_->Step({action.data(), action.size()}, observation_);
    }
    std::vector<double> info(r.info().begin(), r.info().end());
    const size_t k = info.size();
    return nb::make_tuple(Observation(), r.reward, r.terminated, r.truncated, OwnedArray(std::move(info), {k}),
                          r.survival_reward, r.simulation_warning);
  }
  nb::ndarray<nb::numpy, double> State() {
    InUse in_use(mutex_, "this task");
    if (!reset_) throw ConfigError("state before reset: call reset (or set_state) first");
    std::vector<double> s = task_->PhysicalState();
    const size_t n = s.size();
    return OwnedArray(std::move(s), {n});
  }
  const Task& get() const { return *task_; }

 private:
  nb::ndarray<nb::numpy, double> Observation() const {
    std::vector<double> o = observation_;
    const size_t n = o.size();
    return OwnedArray(std::move(o), {n});
  }
  std::unique_ptr<Task> task_;
  std::vector<double> observation_;
  bool reset_ = false;
  std::mutex mutex_;
};

}  // namespace

void BindTask(nb::module_& m) {
  nb::class_<PyTask>(m, "Task")
      .def(nb::init<const std::vector<std::string>&>(), nb::arg("overrides"))
      .def("reset", &PyTask::Reset, nb::arg("seed"))
      .def("set_state", &PyTask::SetState, nb::arg("state"))
      .def("step", &PyTask::Step, nb::arg("action"))
      .def("state", &PyTask::State)
      .def_prop_ro("name", [](const PyTask& t) { return std::string(t.get().name()); })
      .def_prop_ro("observation_space", [](const PyTask& t) { return SpaceTuple(t.get().observation_space()); })
      .def_prop_ro("action_space", [](const PyTask& t) { return SpaceTuple(t.get().action_space()); })
      .def_prop_ro("max_episode_steps", [](const PyTask& t) { return t.get().max_episode_steps(); })
      .def_prop_ro("dt", [](const PyTask& t) { return t.get().dt(); })
      .def_prop_ro("info_names", [](const PyTask& t) { return t.get().info_names(); })
      .def_prop_ro("reward_threshold", [](const PyTask& t) { return TaskRewardThreshold(t.get().name()); });
  m.def("task_names", &TaskNames);
  m.def("task_families", &TaskFamilies);
}

}  // namespace neurevo::python
