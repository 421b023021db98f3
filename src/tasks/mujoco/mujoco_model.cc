#include "tasks/mujoco/mujoco_model.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "neurevo/mujoco_assets.h"

namespace neurevo {
namespace {

struct ModelDeleter {
  void operator()(mjModel* m) const { mj_deleteModel(m); }
};
struct VfsDeleter {
  void operator()(mjVFS* vfs) const {
    mj_deleteVFS(vfs);
    delete vfs;
  }
};

// MuJoCo's default warning handler prints to stdout and appends to
// MUJOCO_LOG.TXT in the current directory. A training run may meet many
// unstable individuals, so warnings are only counted (mjData::warning, which
// the tasks report per step as StepResult::simulation_warning); a handler an
// embedding program installed itself is kept.
void QuietWarning(const char*) {}

mjModel* Compile(std::string_view file) {
  const mujoco_assets::Asset* asset = nullptr;
  for (const mujoco_assets::Asset& a : mujoco_assets::kAssets) {
    if (a.file == file) asset = &a;
  }
  const std::string name(file);
  if (asset == nullptr) {
    throw std::runtime_error("MuJoCo model '" + name +
                             "' is not embedded in this build");
  }
  // mjVFS holds fixed arrays of file names (~2 MB): never on the stack.
  std::unique_ptr<mjVFS, VfsDeleter> vfs(new mjVFS);
  mj_defaultVFS(vfs.get());
  const int size = static_cast<int>(asset->text.size());
  if (mj_makeEmptyFileVFS(vfs.get(), name.c_str(), size) != 0) {
    throw std::runtime_error("MuJoCo model '" + name +
                             "': cannot create the virtual file");
  }
  const int index = mj_findFileVFS(vfs.get(), name.c_str());
  std::copy(asset->text.begin(), asset->text.end(),
            static_cast<char*>(vfs->filedata[index]));
  char error[1000] = "";
  mjModel* model = mj_loadXML(name.c_str(), vfs.get(), error, sizeof(error));
  if (model == nullptr) {
    throw std::runtime_error("MuJoCo model '" + name +
                             "' does not compile: " + error);
  }
  return model;
}

}  // namespace

const mjModel& SharedMujocoModel(std::string_view file) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<mjModel, ModelDeleter>,
                  std::less<>>
      models;
  std::lock_guard<std::mutex> lock(mutex);
  if (mju_user_warning == nullptr) mju_user_warning = &QuietWarning;
  auto it = models.find(file);
  if (it == models.end()) {
    it = models.emplace(std::string(file), Compile(file)).first;
  }
  return *it->second;
}

}  // namespace neurevo
