#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ridethrough::failure_models {

/// One line of a replication's timeline (`ridethrough trace`): at `time` (hours from the end
/// of the warmup), `subject` (a component, a load, or "facility") changed as `what` says.
struct TraceEntry {
  double time = 0.0;
  std::string subject;
  std::string what;
};

/// What the trace last saw of every component and load (FacilitySim::trace_instant compares
/// the state at the end of each instant with it). Empty unless a trace is recorded.
struct TraceState {
  std::vector<std::uint8_t> status, live, gen, transferring, ups_mode, ups_empty, restarting, ready,
      dry;
  std::vector<int> follow, grid;
  std::vector<std::uint8_t> load_power, load_cooled, load_draining, load_empty, load_down;
  int critical_down = 0;
  int weather = 0;  ///< the weather level last seen
  bool started = false;
};

}  // namespace ridethrough::failure_models
