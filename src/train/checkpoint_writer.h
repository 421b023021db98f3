// Checkpoints written beside the generations, not between them.
//
// Encoding, checksumming and writing a checkpoint (fsync included) takes
// tens of milliseconds once the optimizer state holds n x n matrices (a
// CMA-ES state at n = 1586 is 40 MB); done on the calling thread it stalls
// every evaluation thread. The writer takes a complete snapshot of the run
// state and hands the write to the thread pool's background lane while the
// next generations run. The files are the same bytes, whatever the thread
// count: only when they are written changes.
//
// One write at a time, in order: a new one first waits for the last, and an
// error of the last (disk full) is thrown there or by Wait(). A run killed
// meanwhile keeps its previous checkpoint (files are replaced atomically).
// With one thread the write happens in the call, as before.
//
// Thread safety: one owner thread calls Write and Wait.
#pragma once

#include <functional>
#include <future>
#include <string>

#include "core/thread_pool.h"
#include "train/checkpoint.h"

namespace neurevo {

class CheckpointWriter {
 public:
  explicit CheckpointWriter(ThreadPool& pool) : pool_(pool) {}
  // Waits for a write in flight; its error, if any, is lost (a destructor
  // cannot report it: callers Wait() first on every path that can).
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Writes snapshot() to run_dir/checkpoints (WriteCheckpoint), calling
  // `before` first (the metrics log's fsync: the lines a checkpoint vouches
  // for reach the disk before it does). Both run where the write runs: what
  // they read must stay unchanged until the next Write or Wait returns.
  // Throws the previous write's error (and then writes nothing).
  void Write(const std::string& run_dir, std::function<RunState()> snapshot, std::function<void()> before);
  // Returns once no write is in flight; throws its error.
  void Wait();
  // Without waiting: throws the error of a write that has failed already
  // (the trainer asks every generation, so a full disk stops the run at once).
  void ThrowIfFailed();

 private:
  ThreadPool& pool_;
  std::future<void> in_flight_;
};

}  // namespace neurevo
