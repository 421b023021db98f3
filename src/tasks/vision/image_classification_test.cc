#include "tasks/vision/image_classification.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "neurevo/error.h"
#include "neurevo/task.h"
#include "tasks/make_task_error.h"
#include "tasks/vision/idx_file.h"

namespace neurevo {
namespace {

constexpr const char* kDigits = NEUREVO_TEST_DATA_DIR "/../../configs/heterogeneity/data/digits";

// The shipped digits: 1437 training and 360 test images of 8 x 8, 10 classes.
TEST(ImageClassification, ReadsTheShippedDigits) {
  auto task = MakeTask("ImageClassification", {{"data", std::string(kDigits)}});
  EXPECT_EQ(task->observation_space().size, 64);
  EXPECT_TRUE(task->action_space().discrete());
  EXPECT_EQ(task->action_space().size, 10);
  EXPECT_EQ(task->max_episode_steps(), 1);
  const auto data = LoadImageDataset(kDigits);
  EXPECT_EQ(data->train_size, 1437);
  EXPECT_EQ(data->test_size, 360);
  EXPECT_EQ(LoadImageDataset(kDigits), data);  // loaded once per process
  // The first training image is load_digits()'s first: a 0.
  EXPECT_EQ(data->train_labels[0], 0);
}

// One step per episode: reward 1 and correct 1 for the image's label, 0
// otherwise; held-out episode i is test image i.
TEST(ImageClassification, RewardsTheLabelAndShowsTestImagesInOrder) {
  const auto data = LoadImageDataset(kDigits);
  ImageClassification task(data);
  std::vector<double> obs(64);
  for (int i : {0, 1, 359, 360 + 5}) {
    ASSERT_TRUE(task.ResetHeldOut(i, obs));
    const int index = i % 360;
    EXPECT_EQ(task.PhysicalState(), (std::vector<double>{1.0, static_cast<double>(index)}));
    for (int p = 0; p < 64; ++p) ASSERT_EQ(obs[p], data->test_images[index * 64 + p] / 255.0);
    const int label = data->test_labels[index];
    StepResult r = task.Step(std::vector<double>{static_cast<double>(label)}, obs);
    EXPECT_EQ(r.reward, 1.0);
    EXPECT_TRUE(r.terminated);
    EXPECT_EQ(r.info_values[0], 1.0);
    task.ResetHeldOut(i, obs);
    r = task.Step(std::vector<double>{static_cast<double>((label + 1) % 10)}, obs);
    EXPECT_EQ(r.reward, 0.0);
    EXPECT_EQ(r.info_values[0], 0.0);
  }
  // Training episodes draw training images from the seed, all of them reachable.
  std::vector<int> seen(1437, 0);
  for (uint64_t seed = 0; seed < 20000; ++seed) {
    task.Reset(seed, obs);
    EXPECT_EQ(task.PhysicalState()[0], 0.0);
    ++seen[static_cast<int>(task.PhysicalState()[1])];
  }
  EXPECT_GT(std::count_if(seen.begin(), seen.end(), [](int n) { return n > 0; }), 1400);
  EXPECT_THROW(task.SetPhysicalState(std::vector<double>{1.0, 360.0}, obs), std::invalid_argument);
  EXPECT_THROW(task.Step(std::vector<double>{10.0}, obs), std::invalid_argument);
}

// A data set whose files disagree is refused naming the file.
TEST(ImageClassification, InconsistentDataSetsAreRefusedByFile) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("images_test_" + std::to_string(getpid()));
  const auto idx = [](std::initializer_list<uint32_t> dims, size_t n, char fill) {
    std::string s = {0, 0, 0x08, static_cast<char>(dims.size())};
    for (uint32_t d : dims)
      for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((d >> shift) & 0xff));
    return s + std::string(n, fill);
  };
  const auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir / name, std::ios::binary) << bytes;
  };
  const auto error = [&]() -> std::string {
    try {
      LoadImageDataset(dir.string());
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "(no error)";
  };
  fs::create_directories(dir);
  write("train-images-idx3-ubyte", idx({3, 2, 2}, 12, 1));
  write("train-labels-idx1-ubyte", idx({3}, 3, 1));
  write("t10k-images-idx3-ubyte", idx({2, 2, 2}, 8, 1));
  EXPECT_NE(error().find("t10k-labels-idx1-ubyte"), std::string::npos) << error();  // missing
  write("t10k-labels-idx1-ubyte", idx({3}, 3, 1));
  EXPECT_NE(error().find("t10k-labels-idx1-ubyte: 3 labels for 2 images"), std::string::npos) << error();
  write("t10k-labels-idx1-ubyte", idx({2}, 2, 1));
  write("t10k-images-idx3-ubyte", idx({2, 3, 2}, 12, 1));
  EXPECT_NE(error().find("t10k-images-idx3-ubyte: 3 x 2 images, but the training images are 2 x 2"),
            std::string::npos)
      << error();
  write("t10k-images-idx3-ubyte", idx({2, 2, 2}, 8, 1));
  write("train-labels-idx1-ubyte", idx({3}, 3, 0));
  write("t10k-labels-idx1-ubyte", idx({2}, 2, 0));
  EXPECT_NE(error().find("every label is 0"), std::string::npos) << error();
  write("train-labels-idx1-ubyte", idx({3, 1}, 3, 0));
  EXPECT_NE(error().find("train-labels-idx1-ubyte: 2 dimensions; labels are N"), std::string::npos) << error();
  fs::remove_all(dir);
  EXPECT_NE(MakeTaskError("ImageClassification", {}).find("task.options.data: ImageClassification needs"),
            std::string::npos);
}

}  // namespace
}  // namespace neurevo
