#include "core/thread_pool.h"

#include <fmt/format.h>
#include <system_error>

#include "neurevo/error.h"

namespace neurevo {

ThreadPool::ThreadPool(int threads) {
  size_ = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Worker 0 is the calling thread; the pool starts size_ - 1 more. The
  // process or memory limit may refuse one: stop the ones started and say so
  // (the destructor does not run for a constructor that throws).
  for (int w = 1; w < size_; ++w) {
    try {
      threads_.emplace_back([this, w] { WorkerLoop(w); });
    } catch (const std::system_error& e) {
      StopAll();
      throw ConfigError(fmt::format("run.threads (--threads) = {}: could not start worker thread {} ({}); the "
                                    "process or memory limit allows fewer threads; allowed: fewer threads",
                                    size_, w + 1, e.what()));
    }
  }
}

ThreadPool::~ThreadPool() { StopAll(); }

void ThreadPool::StopAll() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void ThreadPool::RunIndices(int worker) {
  for (;;) {
    int index;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_index_ >= job_size_) return;
      index = next_index_++;
    }
    try {
      (*job_)(index, worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_index_ = job_size_;  // abandon the rest
    }
  }
}

void ThreadPool::WorkerLoop(int worker) {
  long long seen = 0;
  const bool lane = worker == size_ - 1;  // the background lane's worker
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || epoch_ != seen || (lane && !background_.empty()); });
      if (lane && !background_.empty()) {
        // The background jobs first; then the loop in flight, if any, which
        // `seen` still lets this worker join.
        std::function<void()> job = std::move(background_.front());
        background_.pop_front();
        background_running_ = true;
        lock.unlock();
        job();
        lock.lock();
        background_running_ = false;
        continue;
      }
      if (stop_) return;
      seen = epoch_;
      ++active_;
    }
    RunIndices(worker);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --active_;
    }
    done_.notify_all();
  }
}

bool ThreadPool::StartBackground(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (size_ < 2 || stop_) return false;
    background_.push_back(std::move(job));
  }
  wake_.notify_all();
  return true;
}

bool ThreadPool::background_busy() {
  std::lock_guard<std::mutex> lock(mutex_);
  return !background_.empty() || background_running_;
}

void ThreadPool::ParallelFor(int n, const std::function<void(int, int)>& fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_size_ = n;
    next_index_ = 0;
    error_ = nullptr;
    ++epoch_;
  }
  wake_.notify_all();
  RunIndices(0);
  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return active_ == 0; });
    job_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace neurevo
