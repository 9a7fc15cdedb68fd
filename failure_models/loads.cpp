// Loads: when each load is down (power, cooling and thermal budget), the facility's outages,
// and what was down when each began.
#include "failure_models/facility.hpp"

#include <algorithm>
#include <tuple>

namespace ridethrough::failure_models {

/// Records the facility interval that ends at `end`, with the components down at its start.
void FacilitySim::close_facility_interval(double end) {
  if (facility_down_since_ >= tend_ || end <= t0_) return;
  out_->facility_down.push_back({facility_down_since_ - t0_, end - t0_, pending_blame_begin_,
                                 pending_blame_end_, facility_shed_});
}

/// A load going down now is shed if a live path reaches it but admission does not serve it:
/// its power (or its cooling, for a load with power) is short, not cut.
bool FacilitySim::load_shed_now(int l) const {
  if (!load_power_[l]) {
    const int i = power_item_of_load_[l];
    for (int a : m_.power.items[i].attach)
      if (live_[a]) return true;
    return false;
  }
  const int ci = cooling_item_of_load_[l];
  return ci >= 0 && !load_cooled_[l] && cooling_reach_[ci];
}

/// Appends what is down now to the replication's blame list (components, then generators out
/// of fuel); returns its range.
std::pair<std::uint32_t, std::uint32_t> FacilitySim::snapshot_down() {
  auto& b = out_->blame;
  const auto begin = static_cast<std::uint32_t>(b.size());
  for (int c = 0; c < m_.n; ++c)
    if (status_[c] != Status::Up) b.push_back(c);
  for (int c : fuel_generators_)
    if (dry_[c]) b.push_back(m_.fuel_cause[c]);
  for (std::size_t k = 0; k < class_active_.size(); ++k)
    if (class_active_[k] > 0) b.push_back(m_.event_cause[k]);
  for (const auto& x : *external_)
    if (cause_active_[x.cause] > 0 && std::find(b.begin() + begin, b.end(), x.cause) == b.end())
      b.push_back(x.cause);
  return {begin, static_cast<std::uint32_t>(b.size())};
}

/// A running load goes down when it loses power, or cooling for longer than its thermal
/// budget; a load that is down comes back only with power and cooling together (operators
/// bring cooling back before IT), so a power outage followed by a chiller restart is one
/// outage.
void FacilitySim::record_loads() {
  for (int l : dirty_loads_) {
    load_dirty_[l] = 0;
    budget_advance(l);
    const bool has_cooling = m_.load_cooling.size(l) > 0;
    const bool power = load_power_[l] != 0, cooled = !has_cooling || load_cooled_[l];
    // A running load that loses cooling with no budget left goes down at once.
    if (!load_down_[l] && power && !cooled && budget_[l] <= 0.0) budget_empty_[l] = 1;
    const bool down = load_down_[l] ? !(power && cooled) : !power || (!cooled && budget_empty_[l]);
    if (down != static_cast<bool>(load_down_[l])) {
      load_down_[l] = down;
      if (down) {
        load_down_since_[l] = now_;
        load_shed_[l] = load_shed_now(l);
        if (record_load_blame_ && now_ < tend_)
          std::tie(load_blame_begin_[l], load_blame_end_[l]) = snapshot_down();
      } else if (load_down_since_[l] < tend_ && now_ > t0_) {
        out_->load_down[l].push_back({load_down_since_[l] - t0_, now_ - t0_, load_blame_begin_[l],
                                      load_blame_end_[l], load_shed_[l] != 0});
      }
      if (m_.critical[l]) {
        if (down && critical_down_++ == 0) {
          facility_down_since_ = now_;
          facility_shed_ = load_shed_[l] != 0;
          if (now_ < tend_) std::tie(pending_blame_begin_, pending_blame_end_) = snapshot_down();
        } else if (!down && --critical_down_ == 0) {
          facility_back();
          close_facility_interval(now_);
        }
      }
    }
    budget_set_mode(l, load_cool_live_[l] != 0);
  }
  dirty_loads_.clear();
}

}  // namespace ridethrough::failure_models
