#pragma once
// The progress bar every long command shows (run, compare, sweep, importance, sensitivity,
// optimize, portfolio): on stderr, only on a terminal, only once a run has lasted a second.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace ridethrough::experiments {

/// A progress bar with ETA on stderr, shown only once a run has lasted a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(2)) {}
  ~ProgressBar() {
    if (shown_) std::fprintf(stderr, "\r%60s\r", "");
  }
  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    const double elapsed = seconds();
    if (elapsed < 1.0 || elapsed - last_ < 0.2) return;
    last_ = elapsed;
    shown_ = true;
    const double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int width = 30, filled = static_cast<int>(frac * width);
    const double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
    std::fprintf(stderr, "\r[%.*s%*s] %5.1f%%  ETA %6.1fs", filled,
                 "##############################", width - filled, "", 100.0 * frac, eta);
    std::fflush(stderr);
  }

 private:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  bool enabled_;
  bool shown_ = false;
  double last_ = 0.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace ridethrough::experiments
