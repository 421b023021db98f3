// ImageClassification: one labelled image per episode, read from a data set
// in MNIST's IDX layout (MNIST, Fashion-MNIST, or any set written the same
// way, e.g. scikit-learn's 8x8 digits by configs/heterogeneity/data/).
//
// task.options.data names a directory holding the four files of the MNIST
// layout -- train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte -- each optionally
// gzip-compressed with ".gz" added, as they are distributed.
//
// An episode is one step: the observation is the image's pixels / 255
// (row-major), the action the class, the reward 1 if it is right and 0 if
// not, and the episode terminates. Training and validation episodes draw a
// training image from the seed; held-out episode i (the final evaluation,
// `neurevo eval`) is test image i (modulo the test set's size), so that
// eval.episodes = the test set's size gives the test accuracy exactly.
//
// info: "correct" (1 or 0), so an evaluation's mean of it is the accuracy.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task_base.h"

namespace neurevo {

struct ImageDataset {
  int rows = 0, cols = 0, classes = 0;
  int train_size = 0, test_size = 0;
  std::vector<uint8_t> train_images, train_labels, test_images, test_labels;
  int pixels() const { return rows * cols; }
};

// Loads the data set of `dir` once per process (later calls share it).
// Throws ConfigError naming the file and the problem: a missing file, a bad
// IDX file, images that are not N x rows x cols, labels that are not N,
// counts that differ, a label >= 256 classes, train and test images of
// different sizes, fewer than two classes.
std::shared_ptr<const ImageDataset> LoadImageDataset(const std::string& dir);

class ImageClassification final : public TaskBase {
 public:
  static constexpr std::string_view kName = "ImageClassification";

  explicit ImageClassification(std::shared_ptr<const ImageDataset> data);

  std::vector<std::string> info_names() const override { return {"correct"}; }
  void Reset(uint64_t seed, std::span<double> observation) override;
  bool ResetHeldOut(int episode, std::span<double> observation) override;
  StepResult Step(std::span<const double> action, std::span<double> observation) override;
  // {split (0 train, 1 test), image index}.
  std::vector<double> PhysicalState() const override;
  void SetPhysicalState(std::span<const double> state, std::span<double> observation) override;

 private:
  void Show(bool test, int index, std::span<double> observation);

  std::shared_ptr<const ImageDataset> data_;
  bool test_ = false;
  int index_ = 0;
  int label_ = 0;
};

}  // namespace neurevo
