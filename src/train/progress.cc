#include "train/progress.h"

#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace neurevo {

namespace {
std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}
std::string Count(double x) {
  if (x >= 1e6) return fmt::format("{:.2f}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.1f}k", x / 1e3);
  return fmt::format("{:.0f}", x);
}
}  // namespace

std::string Progress::Format(const ProgressSnapshot& s) {
  const double left = s.fraction_done > 0 ? s.elapsed_seconds * (1 - s.fraction_done) / s.fraction_done
                                          : NAN;
  // The same names as the final lines, summary.json and the README.
  const std::string best = std::isfinite(s.best_score) ? fmt::format("{:.2f}", s.best_score) : "none yet";
  return fmt::format("gen {} | steps {} | best {} {} | gen mean {:.2f} | {} steps/s | left {}",
                     s.generation, Count(static_cast<double>(s.env_steps)),
                     s.validated ? "validated mean" : "training fitness", best, s.mean_fitness,
                     Count(s.steps_per_second), Duration(left));
}

void Progress::Update(const ProgressSnapshot& s) {
  if (quiet_) return;
  if (terminal_) {
    std::fprintf(stderr, "\r\033[2K%s", Format(s).c_str());
    std::fflush(stderr);
    line_open_ = true;
  } else if (s.elapsed_seconds - last_log_ >= 5.0 || s.generation <= 1) {
    spdlog::info("{}", Format(s));
    last_log_ = s.elapsed_seconds;
  }
}

void Progress::Finish() {
  if (line_open_) std::fprintf(stderr, "\n");
  line_open_ = false;
}

void Progress::Message(const std::string& line) {
  if (quiet_) return;
  Finish();
  spdlog::info("{}", line);
}

}  // namespace neurevo
