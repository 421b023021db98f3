// Training, resuming, evaluating and describing runs from Python: the CLI's
// functions (neurevo/train.h), with the GIL released while they run and
// Ctrl-C turned into the CLI's graceful stop.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <Python.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "bindings.h"
#include "neurevo/error.h"
#include "neurevo/train.h"
#include "train/analyze_run.h"
#include "train/evaluator.h"
#include "train/run_files.h"

namespace neurevo::python {
namespace {

// Runs `work` on a thread of its own while this (Python's main) thread
// waits without the GIL, running Python's signal handlers every 100 ms. An
// exception from a handler (Ctrl-C's KeyboardInterrupt, or any other) sets
// `stop`, which Train and ResumeTraining honour as the CLI's SIGINT handler
// does (the generation in flight is abandoned, the last complete one
// checkpointed); once the run has returned, that exception is raised.
// Exceptions of `work` propagate (before a handler's).
void RunInterruptibly(const std::function<void()>& work, std::atomic<bool>& stop) {
  std::packaged_task<void()> task(work);
  std::future<void> done = task.get_future();
  std::thread worker(std::move(task));
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  {
    nb::gil_scoped_release release;
    while (done.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      nb::gil_scoped_acquire acquire;
      if (type == nullptr && PyErr_CheckSignals() != 0) {
        PyErr_Fetch(&type, &value, &traceback);  // held until the run is checkpointed
        stop = true;
      }
    }
    worker.join();
  }
  try {
    done.get();  // the run's own exception first
  } catch (...) {
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(traceback);
    throw;
  }
  if (type != nullptr) {
    PyErr_Restore(type, value, traceback);
    throw nb::python_error();
  }
}

nb::tuple TrainPy(const std::string& path, const std::string& text, const std::vector<std::string>& overrides,
                  const std::string& out_dir, bool progress) {
  const RunConfig config = ReadConfig(path, text, overrides);
  std::atomic<bool> stop{false};
  TrainOptions options;
  options.out_dir = out_dir.empty() ? DefaultRunDir(config) : out_dir;
  options.quiet = !progress;
  options.stop_requested = &stop;
  nlohmann::json summary;
  RunInterruptibly([&] { summary = Train(config, options); }, stop);
  return nb::make_tuple(summary.dump(), options.out_dir);
}

nb::tuple ResumePy(const std::string& run_dir, const std::vector<std::string>& overrides, bool progress) {
  std::atomic<bool> stop{false};
  TrainOptions options;
  options.out_dir = run_dir;
  options.quiet = !progress;
  options.stop_requested = &stop;
  nlohmann::json summary;
  RunInterruptibly([&] { summary = ResumeTraining(overrides, options); }, stop);
  return nb::make_tuple(summary.dump(), run_dir);
}

std::string EvaluatePy(const std::string& run_dir, std::optional<int> episodes, std::optional<uint64_t> seed,
                       int threads) {
  nb::gil_scoped_release release;
  return EvaluateRun(run_dir, episodes ? &*episodes : nullptr, seed ? &*seed : nullptr, threads).dump();
}

void RolloutPy(const std::string& run_dir, int episodes, std::optional<uint64_t> seed, const std::string& path) {
  nb::gil_scoped_release release;
  RolloutRunToFile(run_dir, episodes, seed ? &*seed : nullptr, path);
}

}  // namespace

void BindTrain(nb::module_& m) {
  m.def("train", &TrainPy, nb::arg("path"), nb::arg("text"), nb::arg("overrides"), nb::arg("out_dir"),
        nb::arg("progress"),
        "Trains as `neurevo train` does; returns (summary JSON, run directory).");
  m.def("default_run_dir", [](const std::string& path, const std::string& text, const std::vector<std::string>& overrides) {
    return DefaultRunDir(ReadConfig(path, text, overrides));
  }, nb::arg("path"), nb::arg("text"), nb::arg("overrides"), "runs/<task>-<model>-<optimizer>-seed<S>-<time>");
  m.def("resume", &ResumePy, nb::arg("run_dir"), nb::arg("overrides"), nb::arg("progress"),
        "Continues a run as `neurevo train --resume` does.");
  m.def("evaluate_run", &EvaluatePy, nb::arg("run_dir"), nb::arg("episodes").none(), nb::arg("seed").none(),
        nb::arg("threads"), "Re-evaluates a run's best genome (`neurevo eval`); returns JSON.");
  m.def("rollout_run", &RolloutPy, nb::arg("run_dir"), nb::arg("episodes"), nb::arg("seed").none(),
        nb::arg("path"), "Writes a rollout of the best genome as JSON lines (`neurevo rollout`).");
  m.def("held_out_seeds", [](uint64_t seed, int episode) {
    if (episode < 0) throw ConfigError(fmt::format("episode must be >= 0, got {}", episode));
    return nb::make_tuple(HeldOutEnvSeed(seed, episode), HeldOutNoiseKey(seed, episode));
  }, nb::arg("seed"), nb::arg("episode"),
        "The (environment seed, noise key) of held-out episode `episode` of an evaluation with `seed`.");
  m.def("analyze_run", [](const std::string& run_dir, const std::string& out_dir, int episodes,
                          std::optional<uint64_t> seed) {
    nb::gil_scoped_release release;
    return AnalyzeRun(run_dir, out_dir, episodes, seed ? &*seed : nullptr).dump();
  }, nb::arg("run_dir"), nb::arg("out_dir"), nb::arg("episodes"), nb::arg("seed").none(),
        "`neurevo analyze`: writes the analysis files; returns summary.json's content.");
  m.def("run_genome", [](const std::string& run_dir) {
    LoadedRun run = LoadRun(run_dir);  // validated against the run's model and config
    std::vector<double> genes = std::move(run.genome.genes);
    const size_t n = genes.size();
    return OwnedArray(std::move(genes), {n});
  }, nb::arg("run_dir"), "The best genome's genes of a run directory, validated.");
  m.def("describe", [](const std::string& path, const std::string& text, const std::vector<std::string>& overrides) {
    return DescribeRun(ReadConfig(path, text, overrides)).dump();
  }, nb::arg("path"), nb::arg("text"), nb::arg("overrides"), "What a config builds (`neurevo describe`), as JSON.");
}

}  // namespace neurevo::python
