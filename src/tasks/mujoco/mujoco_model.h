// The MuJoCo models of the MuJoCo tasks, compiled from the MJCF files that
// the build embeds into the library (assets/mujoco/, see
// cmake/EmbedMujocoAssets.cmake), so nothing is read from disk at run time.
//
// Each model is compiled once per process on first use and then shared,
// immutable, by every task instance of that kind (MuJoCo's mjModel/mjData
// split: the model is const and may be read by any number of threads; each
// task owns its mjData). Thread-safe.
#pragma once

#include <mujoco/mujoco.h>

#include <string_view>

namespace neurevo {

// Returns the compiled model of the embedded file `file` (e.g. "hopper.xml").
// Throws std::runtime_error naming the file and MuJoCo's message if it is not
// embedded or does not compile.
const mjModel& SharedMujocoModel(std::string_view file);

}  // namespace neurevo
