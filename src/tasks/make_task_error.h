// The configuration error MakeTask gives, for tests that check a task name
// or option is refused by name. Test code only.
#pragma once

#include <string>
#include <string_view>

#include "neurevo/error.h"
#include "neurevo/task.h"

namespace neurevo {

// The ConfigError's message, or "" when MakeTask makes the task.
inline std::string MakeTaskError(std::string_view task, const TaskOptions& options) {
  try {
    MakeTask(task, options);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace neurevo
