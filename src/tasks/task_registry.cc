// MakeTask() and TaskNames(): the registry of the built-in tasks.
#include <memory>
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

struct Entry {
  std::string_view name;
  std::unique_ptr<Task> (*make)();
};

template <typename T>
std::unique_ptr<Task> Make() {
  return std::make_unique<T>();
}

constexpr Entry kEntries[] = {
    {CartPole::kName, &Make<CartPole>},
    {Pendulum::kName, &Make<Pendulum>},
    {MountainCarContinuous::kName, &Make<MountainCarContinuous>},
    {Acrobot::kName, &Make<Acrobot>},
    {InvertedPendulum::kName, &Make<InvertedPendulum>},
    {InvertedDoublePendulum::kName, &Make<InvertedDoublePendulum>},
    {Swimmer::kName, &Make<Swimmer>},
    {Hopper::kName, &Make<Hopper>},
    {HalfCheetah::kName, &Make<HalfCheetah>},
    {Walker2d::kName, &Make<Walker2d>},
    {Ant::kName, &Make<Ant>},
};

}  // namespace

std::unique_ptr<Task> MakeTask(std::string_view name) {
  for (const Entry& e : kEntries) {
    if (e.name == name) return e.make();
  }
  std::string allowed;
  for (const Entry& e : kEntries) {
    if (!allowed.empty()) allowed += ", ";
    allowed += e.name;
  }
  throw ConfigError("task.name: unknown task '" + std::string(name) +
                    "'; allowed: " + allowed);
}

std::vector<std::string> TaskNames() {
  std::vector<std::string> names;
  for (const Entry& e : kEntries) names.emplace_back(e.name);
  return names;
}

}  // namespace neurevo
