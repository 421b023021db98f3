#include "tasks/vision/image_classification.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

#include "neurevo/error.h"
#include "neurevo/random.h"
#include "tasks/task_util.h"
#include "tasks/vision/idx_file.h"

namespace neurevo {
namespace {

// The file `name` of the MNIST layout in `dir`, or `name`.gz.
std::string DataFile(const std::string& dir, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path plain = fs::path(dir) / name, gz = fs::path(dir) / (name + ".gz");
  if (fs::exists(plain) || !fs::exists(gz)) return plain.string();  // a missing file is named plainly
  return gz.string();
}

// Images (N x rows x cols) and their labels (N), checked against each other.
void ReadSplit(const std::string& dir, const std::string& prefix, ImageDataset& d, std::vector<uint8_t>& images,
               std::vector<uint8_t>& labels, int& size) {
  const std::string image_path = DataFile(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = DataFile(dir, prefix + "-labels-idx1-ubyte");
  IdxArray im = ReadIdxFile(image_path), lb = ReadIdxFile(label_path);
  if (im.dims.size() != 3)
    throw ConfigError(fmt::format("{}: {} dimensions; images are N x rows x cols", Echo(image_path), im.dims.size()));
  if (lb.dims.size() != 1)
    throw ConfigError(fmt::format("{}: {} dimensions; labels are N", Echo(label_path), lb.dims.size()));
  if (im.dims[0] != lb.dims[0])
    throw ConfigError(fmt::format("{}: {} labels for {} images in {}", Echo(label_path), lb.dims[0], im.dims[0],
                                  Echo(image_path)));
  if (im.dims[1] > 4096 || im.dims[2] > 4096 || im.dims[0] > 100000000)
    throw ConfigError(fmt::format("{}: {} x {} x {} images; allowed: at most 4096 x 4096 pixels", Echo(image_path),
                                  im.dims[0], im.dims[1], im.dims[2]));
  const int rows = static_cast<int>(im.dims[1]), cols = static_cast<int>(im.dims[2]);
  if (d.rows == 0) {
    d.rows = rows;
    d.cols = cols;
  } else if (rows != d.rows || cols != d.cols) {
    throw ConfigError(fmt::format("{}: {} x {} images, but the training images are {} x {}", Echo(image_path), rows,
                                  cols, d.rows, d.cols));
  }
  size = static_cast<int>(im.dims[0]);
  images = std::move(im.data);
  labels = std::move(lb.data);
}

}  // namespace

std::shared_ptr<const ImageDataset> LoadImageDataset(const std::string& dir) {
  // One copy per process: every worker's task shares it.
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const ImageDataset>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  if (auto cached = cache[dir].lock()) return cached;
  auto d = std::make_shared<ImageDataset>();
  ReadSplit(dir, "train", *d, d->train_images, d->train_labels, d->train_size);
  ReadSplit(dir, "t10k", *d, d->test_images, d->test_labels, d->test_size);
  const uint8_t most = std::max(*std::max_element(d->train_labels.begin(), d->train_labels.end()),
                                *std::max_element(d->test_labels.begin(), d->test_labels.end()));
  d->classes = most + 1;
  if (d->classes < 2)
    throw ConfigError(fmt::format("{}: every label is 0; a classification needs two classes at least", Echo(dir)));
  cache[dir] = d;
  return d;
}

ImageClassification::ImageClassification(std::shared_ptr<const ImageDataset> data)
    : TaskBase(kName, Space::Box(std::vector<double>(data->pixels(), 0.0), std::vector<double>(data->pixels(), 1.0)),
               Space::Discrete(data->classes), 1),
      data_(std::move(data)) {}

void ImageClassification::Show(bool test, int index, std::span<double> observation) {
  task_util::CheckSize(observation, static_cast<size_t>(data_->pixels()), name(), "observation");
  test_ = test;
  index_ = index;
  const auto& images = test ? data_->test_images : data_->train_images;
  label_ = (test ? data_->test_labels : data_->train_labels)[index];
  const size_t first = static_cast<size_t>(index) * data_->pixels();
  for (int p = 0; p < data_->pixels(); ++p) observation[p] = images[first + p] / 255.0;
  StartEpisode();
}

void ImageClassification::Reset(uint64_t seed, std::span<double> observation) {
  RandomStream rng(seed);
  Show(false, static_cast<int>(rng.Below(static_cast<uint64_t>(data_->train_size))), observation);
}

bool ImageClassification::ResetHeldOut(int episode, std::span<double> observation) {
  if (episode < 0) throw std::invalid_argument("ImageClassification: negative held-out episode");
  Show(true, episode % data_->test_size, observation);
  return true;
}

StepResult ImageClassification::Step(std::span<const double> action, std::span<double> observation) {
  const int a = task_util::DiscreteActionIndex(action, data_->classes, name());
  task_util::CheckSize(observation, static_cast<size_t>(data_->pixels()), name(), "observation");
  StepResult r;
  const bool correct = a == label_;
  r.reward = correct ? 1.0 : 0.0;
  r.terminated = true;
  CountStep();
  r.AddInfo(correct ? 1.0 : 0.0);
  return r;  // the observation is left as it was: the episode is over
}

std::vector<double> ImageClassification::PhysicalState() const {
  return {test_ ? 1.0 : 0.0, static_cast<double>(index_)};
}

void ImageClassification::SetPhysicalState(std::span<const double> state, std::span<double> observation) {
  task_util::CheckSize(state, 2, name(), "state");
  const bool test = state[0] == 1.0;
  const int size = test ? data_->test_size : data_->train_size;
  if (!(state[0] == 0.0 || test) || !(state[1] >= 0 && state[1] < size) || state[1] != static_cast<int>(state[1]))
    throw std::invalid_argument(fmt::format("{}: state ({}, {}) is not (0 or 1, an image index below {})", name(),
                                            state[0], state[1], size));
  Show(test, static_cast<int>(state[1]), observation);
}

}  // namespace neurevo
