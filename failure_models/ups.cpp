// UPS: passes on what its inputs deliver while fed; otherwise its battery is the source. The
// charge (1 = full) falls while unfed, at 1/autonomy, or with `battery_energy` at the power
// delivered over the energy; it rises at 1/recharge while fed, and is kept while the UPS is
// failed.
#include "failure_models/facility.hpp"

#include <algorithm>

namespace ridethrough::failure_models {

/// What the UPS passes on now; returns whether it is live.
bool FacilitySim::ups_update(int u) {
  if (status_[u] != Status::Up) return false;
  const bool fed = any_input_live(u);
  ups_set_mode(u, fed ? 1 : -1);
  return (fed || !ups_empty_[u]) && powered(u);
}

double FacilitySim::ups_charge_now(int u) const {
  if (ups_empty_[u]) return 0.0;
  return std::clamp(charge_[u] + charge_rate_[u] * (now_ - charge_t_[u]), 0.0, 1.0);
}

void FacilitySim::ups_set_mode(int u, int mode) {
  if (ups_mode_[u] == mode) return;
  charge_[u] = ups_charge_now(u);
  charge_t_[u] = now_;
  ups_mode_[u] = mode;
  if (mode > 0) ups_empty_[u] = 0;
  if (mode < 0 && charge_[u] <= 0.0) ups_empty_[u] = 1;
  charge_rate_[u] = 0.0;  // set below from the mode (and, on battery, the power delivered)
  ups_set_rate(u);
}

/// Sets the rate of charge for the current mode and plans the moment the battery is empty.
void FacilitySim::ups_set_rate(int u) {
  double rate = 0.0;
  if (ups_mode_[u] > 0) {
    rate = 1.0 / m_.recharge[u];
  } else if (ups_mode_[u] < 0) {
    rate =
        m_.battery_energy[u] > 0.0 ? -ups_power_[u] / m_.battery_energy[u] : -1.0 / m_.autonomy[u];
  }
  if (rate == charge_rate_[u] && ups_mode_[u] != 0) return;
  charge_[u] = ups_charge_now(u);
  charge_t_[u] = now_;
  charge_rate_[u] = rate;
  ++aux_stamp_[u];
  if (rate < 0.0 && !ups_empty_[u]) q_.push(now_ + charge_[u] / -rate, kUpsEmpty, u, aux_stamp_[u]);
}

void FacilitySim::ups_empty(int u) {
  charge_[u] = 0.0;
  charge_t_[u] = now_;
  ups_empty_[u] = 1;
  mark(u);
}

}  // namespace ridethrough::failure_models
