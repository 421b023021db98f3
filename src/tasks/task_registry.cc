// MakeTask() and TaskNames(): the registry of the built-in tasks and the
// options each accepts.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/task.h"
#include "tasks/classic/acrobot.h"
#include "tasks/classic/cartpole.h"
#include "tasks/classic/mountain_car_continuous.h"
#include "tasks/classic/pendulum.h"
#include "tasks/mujoco/ant.h"
#include "tasks/mujoco/half_cheetah.h"
#include "tasks/mujoco/hopper.h"
#include "tasks/mujoco/inverted_double_pendulum.h"
#include "tasks/mujoco/inverted_pendulum.h"
#include "tasks/mujoco/swimmer.h"
#include "tasks/mujoco/walker2d.h"

namespace neurevo {
namespace {

// An option's value, checked against its declared type.
bool BoolOption(const TaskOptions& options, std::string_view task, const std::string& name, bool fallback) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  if (const bool* b = std::get_if<bool>(&it->second)) return *b;
  throw ConfigError(fmt::format("task.options.{}: expected true or false for {}", name, task));
}

struct Entry {
  std::string_view name;
  std::unique_ptr<Task> (*make)(const TaskOptions&);
  std::vector<TaskOptionInfo> (*options)();
  std::optional<double> reward_threshold;  // gymnasium.spec(id).reward_threshold (1.4.0)
};

std::vector<TaskOptionInfo> NoOptions() { return {}; }

template <typename T>
std::unique_ptr<Task> Make(const TaskOptions&) {
  return std::make_unique<T>();
}

std::vector<TaskOptionInfo> AntOptions() {
  return {{"include_cfrc_ext_in_observation", "bool", "true",
           "Gymnasium's keyword: the clipped contact forces of the 13 bodies end the observation (105 values); "
           "false: 27 values (positions and velocities), the seed paper's BNN input. The reward's contact cost "
           "stays either way."}};
}
std::unique_ptr<Task> MakeAnt(const TaskOptions& options) {
  return std::make_unique<Ant>(BoolOption(options, Ant::kName, "include_cfrc_ext_in_observation", true));
}

const Entry kEntries[] = {
    {CartPole::kName, &Make<CartPole>, &NoOptions, 475.0},
    {Pendulum::kName, &Make<Pendulum>, &NoOptions, std::nullopt},
    {MountainCarContinuous::kName, &Make<MountainCarContinuous>, &NoOptions, 90.0},
    {Acrobot::kName, &Make<Acrobot>, &NoOptions, -100.0},
    {InvertedPendulum::kName, &Make<InvertedPendulum>, &NoOptions, 950.0},
    {InvertedDoublePendulum::kName, &Make<InvertedDoublePendulum>, &NoOptions, 9100.0},
    {Swimmer::kName, &Make<Swimmer>, &NoOptions, 360.0},
    {Hopper::kName, &Make<Hopper>, &NoOptions, 3800.0},
    {HalfCheetah::kName, &Make<HalfCheetah>, &NoOptions, 4800.0},
    {Walker2d::kName, &Make<Walker2d>, &NoOptions, std::nullopt},
    {Ant::kName, &MakeAnt, &AntOptions, 6000.0},
};

}  // namespace

std::unique_ptr<Task> MakeTask(std::string_view name, const TaskOptions& options) {
  for (const Entry& e : kEntries) {
    if (e.name != name) continue;
    const auto accepted = e.options();
    for (const auto& entry : options) {
      const auto& option = entry.first;  // a plain reference: the lambda below captures it (clang 14)
      if (std::none_of(accepted.begin(), accepted.end(), [&](const TaskOptionInfo& o) { return o.name == option; })) {
        std::vector<std::string> names;
        for (const auto& o : accepted) names.push_back(o.name);
        throw ConfigError(fmt::format("task.options.{}: {} has no such option; allowed: {}", option, name,
                                      names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
      }
    }
    return e.make(options);
  }
  std::string allowed;
  for (const Entry& e : kEntries) {
    if (!allowed.empty()) allowed += ", ";
    allowed += e.name;
  }
  throw ConfigError("task.name: unknown task '" + std::string(name) +
                    "'; allowed: " + allowed);
}

std::optional<double> TaskRewardThreshold(std::string_view name) {
  for (const Entry& e : kEntries)
    if (e.name == name) return e.reward_threshold;
  return std::nullopt;
}

std::vector<TaskOptionInfo> TaskOptionsOf(std::string_view name) {
  for (const Entry& e : kEntries)
    if (e.name == name) return e.options();
  return {};
}

std::vector<std::string> TaskNames() {
  std::vector<std::string> names;
  for (const Entry& e : kEntries) names.emplace_back(e.name);
  return names;
}

}  // namespace neurevo
