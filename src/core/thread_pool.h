// A fixed pool of worker threads running index-parallel loops.
//
// ParallelFor(n, fn) calls fn(index, worker) for every index in [0, n) and
// returns when all are done. Which worker runs which index depends on
// scheduling, so callers write results by index and keep per-worker scratch
// (tasks, buffers) by worker id; then results never depend on thread count.
//
// Thread safety: ParallelFor is called from one thread at a time.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace neurevo {

class ThreadPool {
 public:
  // threads <= 0: all hardware threads. Throws ConfigError naming run.threads
  // if the system refuses to start that many threads.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }
  // Runs fn(index, worker) for index in [0, n); rethrows the first exception.
  // A worker busy with a background job (below) joins in once it is done.
  void ParallelFor(int n, const std::function<void(int index, int worker)>& fn);

  // A background lane: the last worker runs queued jobs, one after another
  // in the order given, while ParallelFor calls go on with the others
  // (CMA-ES's eigendecomposition across generations, checkpoint writes).
  // False, and nothing queued, with one worker: the caller then does the
  // work itself. A job must not throw (it is the caller's to catch and hand
  // over); the pool runs every queued job before it is destroyed.
  bool StartBackground(std::function<void()> job);
  bool background_busy();  // a job queued or running

 private:
  void WorkerLoop(int worker);
  void StopAll();  // ends and joins every started worker
  void RunIndices(int worker);

  int size_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int, int)>* job_ = nullptr;
  int job_size_ = 0;
  int next_index_ = 0;
  int active_ = 0;
  long long epoch_ = 0;
  bool stop_ = false;
  std::deque<std::function<void()>> background_;  // waiting for the last worker
  bool background_running_ = false;
  std::exception_ptr error_;
};

}  // namespace neurevo
