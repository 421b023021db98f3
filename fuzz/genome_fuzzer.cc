// Any bytes as best_genome.json for the default model: a genome or a
// ConfigError naming the file, never a crash or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "neurevo/config.h"
#include "neurevo/error.h"
#include "neurevo/model.h"
#include "neurevo/task.h"
#include "train/run_files.h"

namespace {
struct Fixture {
  neurevo::RunConfig config;
  std::unique_ptr<neurevo::Task> task = neurevo::MakeTask(config.task_name, config.task_options);
  std::unique_ptr<neurevo::Model> model =
      neurevo::MakeModel(config.model, task->observation_space(), task->action_space());
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture f;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto g = neurevo::ParseGenomeText(text, "best_genome.json", f.model->layout(),
                                            f.task->observation_space().vector_size());
    // An accepted genome decodes into a policy.
    f.model->Decode(g.genes);
  } catch (const neurevo::ConfigError&) {
  }
  return 0;
}
