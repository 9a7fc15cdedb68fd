#include "experiments/temp_files.hpp"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace ridethrough::experiments {

namespace {
// Fixed storage: the handler may only touch memory that never moves (async-signal safety).
constexpr int kSlots = 64;
constexpr int kPathMax = 4096;
char g_paths[kSlots][kPathMax];
volatile std::sig_atomic_t g_used[kSlots];

extern "C" void on_signal(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i]) ::unlink(g_paths[i]);
  ::_exit(128 + sig);
}
}  // namespace

void track_temp_file(const std::string& path) {
  if (path.size() >= kPathMax) return;
  for (int i = 0; i < kSlots; ++i) {
    if (g_used[i]) continue;
    std::memcpy(g_paths[i], path.c_str(), path.size() + 1);
    g_used[i] = 1;
    return;
  }
}

void untrack_temp_file(const std::string& path) {
  for (int i = 0; i < kSlots; ++i)
    if (g_used[i] && path == g_paths[i]) g_used[i] = 0;
}

void remove_temp_files_on_signal() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, on_signal);
}

namespace {
volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal_deferred(int sig) {
  if (g_stop) on_signal(sig);  // asked twice: stop at once
  g_stop = sig;
}
}  // namespace

void defer_stop_signals() {
  for (int sig : {SIGINT, SIGTERM}) std::signal(sig, on_signal_deferred);
}

int pending_stop_signal() {
  return g_stop;
}

}  // namespace ridethrough::experiments
