// Cooling: a cooling source needs `restart` after any loss of power, repair or maintenance
// before it is live again; a load that has power but no cooling rides on its thermal budget.
#include "failure_models/facility.hpp"

#include <algorithm>

namespace ridethrough::failure_models {

/// Restarts follow the state the instant ends with, so a blip of zero length restarts nothing.
/// Returns true if a cooling source changed state now.
bool FacilitySim::cooling_restarts() {
  bool changed = false;
  for (int c : cooling_sources_) {
    const bool pw = status_[c] == Status::Up && powered(c);
    if (!pw) {
      if (restart_pending_[c]) {
        restart_pending_[c] = 0;
        ++aux_stamp_[c];
      }
      if (was_powered_[c] || ready_[c]) {
        restart_cause_[c] = status_[c] == Status::Up ? interruption_cause(c) : -1;
        ready_[c] = 0;
        mark(c);
        changed = true;
      }
    } else if (!ready_[c] && !restart_pending_[c]) {
      if (m_.restart[c] > 0.0) {
        restart_pending_[c] = 1;
        q_.push(now_ + m_.restart[c], kRestartDone, c, ++aux_stamp_[c]);
      } else {
        ready_[c] = 1;
        mark(c);
        changed = true;
      }
    }
    was_powered_[c] = pw;
  }
  return changed;
}

void FacilitySim::restart_done(int c) {
  restart_pending_[c] = 0;
  ready_[c] = 1;
  mark(c);
}

/// Moves a load's thermal budget to now, as it evolved since the last change.
void FacilitySim::budget_advance(int l) {
  const double dt = now_ - budget_t_[l];
  double b = budget_[l];
  if (budget_mode_[l] < 0) b = budget_empty_[l] ? 0.0 : std::max(0.0, b - dt);
  if (budget_mode_[l] > 0) b = std::min(m_.thermal_ride_through[l], b + dt);
  budget_[l] = b;
  budget_t_[l] = now_;
}

/// Sets how the budget evolves from now: it drains while the load runs with power but no
/// cooling, refills while its cooling is live (whether the load has power or not), and is
/// frozen otherwise (a load that is down draws none).
void FacilitySim::budget_set_mode(int l, bool cooling_live) {
  int mode = 0;
  if (m_.load_cooling.size(l) > 0) {
    if (cooling_live)
      mode = 1;
    else if (!load_down_[l] && load_power_[l])
      mode = -1;
  }
  if (mode == budget_mode_[l]) return;
  budget_mode_[l] = mode;
  ++thermal_stamp_[l];
  if (mode < 0) {
    budget_empty_[l] = budget_[l] <= 0.0;
    if (!budget_empty_[l]) q_.push(now_ + budget_[l], kThermalEmpty, l, thermal_stamp_[l]);
  } else if (mode > 0) {
    budget_empty_[l] = 0;
  }
}

void FacilitySim::thermal_empty(int l) {
  budget_[l] = 0.0;
  budget_t_[l] = now_;
  budget_empty_[l] = 1;
  mark_load(l);
}

}  // namespace ridethrough::failure_models
