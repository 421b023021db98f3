#include "train/checkpoint_writer.h"

#include <chrono>
#include <memory>
#include <utility>

namespace neurevo {

CheckpointWriter::~CheckpointWriter() {
  try {
    Wait();
  } catch (...) {
  }
}

void CheckpointWriter::Wait() {
  if (!in_flight_.valid()) return;
  std::future<void> last = std::move(in_flight_);
  last.get();
}

void CheckpointWriter::ThrowIfFailed() {
  if (in_flight_.valid() && in_flight_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) Wait();
}

void CheckpointWriter::Write(const std::string& run_dir, std::function<RunState()> snapshot,
                             std::function<void()> before) {
  Wait();
  // std::function needs a copyable job: the promise is shared.
  auto done = std::make_shared<std::promise<void>>();
  auto job = [run_dir, snapshot = std::move(snapshot), before = std::move(before), done] {
    try {
      if (before) before();
      WriteCheckpoint(run_dir, snapshot());
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  };
  in_flight_ = done->get_future();
  if (pool_.StartBackground(job)) return;
  job();
  Wait();  // the error of a write made in the call is thrown now
}

}  // namespace neurevo
