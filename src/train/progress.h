// Progress display: a live status line on a terminal, plain log lines
// (at most one every few seconds) otherwise.
#pragma once

#include <chrono>
#include <string>

namespace neurevo {

struct ProgressSnapshot {
  long long generation = 0;
  long long env_steps = 0;
  double best_score = 0.0;       // the best genome's: its validated mean, or training fitness
  bool validated = true;         // best_score is a validated mean (train.validation_episodes > 0)
  double mean_fitness = 0.0;     // this generation's mean training fitness
  double steps_per_second = 0.0;
  double fraction_done = 0.0;    // of the tightest budget, in [0, 1]
  double elapsed_seconds = 0.0;
};

class Progress {
 public:
  Progress(bool terminal, bool quiet) : terminal_(terminal), quiet_(quiet) {}
  void Update(const ProgressSnapshot& s);
  // Ends the live line.
  void Finish();
  void Message(const std::string& line);

 private:
  static std::string Format(const ProgressSnapshot& s);
  bool terminal_, quiet_;
  bool line_open_ = false;
  double last_log_ = -1e9;
};

}  // namespace neurevo
