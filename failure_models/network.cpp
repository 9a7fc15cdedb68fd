// The networks at one instant: which components are live (in topological order, only those
// marked dirty), which draws and loads are admitted (SPEC "Serving loads"), and, where some
// equipment depends on it, how the power is shared out over the sources.
#include "failure_models/facility.hpp"

#include <algorithm>
#include <cassert>
#include <functional>

namespace ridethrough::failure_models {

using topology::Kind;
using topology::Mode;

// ---------------------------------------------------------------------------------------------
// Liveness

void FacilitySim::mark(int c) {
  if (dirty_[c]) return;
  dirty_[c] = 1;
  dirty_heap_.push_back(m_.topo_pos[c]);
  std::push_heap(dirty_heap_.begin(), dirty_heap_.end(), std::greater<int>());
}

void FacilitySim::mark_load(int l) {
  if (!load_dirty_[l]) load_dirty_[l] = 1, dirty_loads_.push_back(l);
}

void FacilitySim::mark_items(int c) {
  const auto& pw = m_.power.items_of_component;
  for (int k = pw.begin(c); k < pw.end(c); ++k) {
    const int i = pw.idx[k];
    if (!power_item_dirty_[i]) power_item_dirty_[i] = 1, power_dirty_items_.push_back(i);
  }
  const auto& cl = m_.cooling.items_of_component;
  for (int k = cl.begin(c); k < cl.end(c); ++k) {
    const int i = cl.idx[k];
    if (!cooling_item_dirty_[i]) cooling_item_dirty_[i] = 1, cooling_dirty_items_.push_back(i);
  }
  // (A change in the power network always reaches admit_power, which asks for the sharing.)
  if (m_.net[c] == topology::Net::Power)
    power_dirty_ = true;
  else
    cooling_dirty_ = true;
}

/// Only equipment in service asks for its draw: a component that is failed, waiting, or in
/// maintenance draws nothing, so its share of a bus sized for N goes to the standby unit.
void FacilitySim::update_draw_candidate(int c) {
  const int i = m_.power.draw_item[c];
  const std::uint8_t want = in_service(c) ? 1 : 0;
  if (power_candidate_[i] == want) return;
  power_candidate_[i] = want;
  power_key_[power_admission_->layout().item0 + i] = static_cast<char>(want);
  if (!power_item_dirty_[i]) power_item_dirty_[i] = 1, power_dirty_items_.push_back(i);
  power_dirty_ = true;
}

/// Recomputes one component's state from its inputs.
void FacilitySim::update(int c) {
  const bool up = status_[c] == Status::Up;
  bool live = false;
  Mode mode = Mode::Pass;
  const int old_follow = follow_[c];
  switch (m_.kind[c]) {
    case Kind::Source:
      live = up && grid_active_[c] == 0 && powered(c);
      mode = Mode::Source;
      break;
    case Kind::Generator:
      live = up && gen_[c] == Gen::Running && powered(c);
      mode = Mode::Source;
      break;
    case Kind::Node:
      live = up && powered(c) && any_input_live(c);
      break;
    case Kind::CoolingSource:
      live = up && powered(c) && ready_[c];
      mode = Mode::Source;
      cooling_touched_ = true;  // its restart is decided at the end of the instant
      break;
    case Kind::Ups:
      live = ups_update(c);
      mode = any_input_live(c) ? Mode::Pass : Mode::Source;
      break;
    case Kind::Switch:
      live = switch_update(c);
      break;
  }
  if (!live) mode = Mode::Dead;
  // A transfer that completes sets follow_ before this update (switch.cpp, transfer_done): the
  // key's followed-input byte is then compared with what it should be, not with old_follow.
  bool follow_stale = false;
  if (m_.kind[c] == Kind::Switch) {
    const bool power = m_.net[c] == topology::Net::Power;
    if (!(power ? m_.power : m_.cooling).capacity_free) {
      const auto& layout = (power ? *power_admission_ : *cooling_admission_).layout();
      const std::string& key = power ? power_key_ : cooling_key_;
      follow_stale =
          layout.follow_pos[c] >= 0 &&
          key[layout.follow_pos[c]] != topology::Admission::follow_byte(mode, follow_[c]);
    }
  }
  if (live != static_cast<bool>(live_[c]) || mode != mode_[c] || follow_[c] != old_follow ||
      follow_stale) {
    live_[c] = live;
    mode_[c] = mode;
    // The admission cache key, where a network needs one (no key without capacities).
    const bool power = m_.net[c] == topology::Net::Power;
    if (!(power ? m_.power : m_.cooling).capacity_free) {
      const auto& layout = (power ? *power_admission_ : *cooling_admission_).layout();
      std::string& key = power ? power_key_ : cooling_key_;
      key[layout.mode_pos[c]] = static_cast<char>(mode);
      if (layout.follow_pos[c] >= 0)
        key[layout.follow_pos[c]] = topology::Admission::follow_byte(mode, follow_[c]);
    }
    for (int k = m_.dependents.begin(c); k < m_.dependents.end(c); ++k) mark(m_.dependents.idx[k]);
    mark_items(c);
  }
}

// ---------------------------------------------------------------------------------------------
// Admission

/// Debug builds check that the key kept up to date equals one built from scratch.
bool FacilitySim::check_key(const topology::Admission& a, const std::string& key,
                            const std::vector<std::uint8_t>& candidate) const {
  std::string fresh;
  const int state = &a == power_admission_.get() ? (call_active_ > 0 ? 1 : 0) : weather_level_ << 1;
  a.build_key(mode_, follow_, candidate, state, fresh);
  return fresh == key;
}

void FacilitySim::admit_power() {
  power_dirty_ = false;
  power_shared_dirty_ = m_.needs_power_sharing;
  const auto& items = m_.power.items;
  if (m_.power.capacity_free) {
    // No capacity can bind: an item is admitted as soon as it asks and one of its feeds is live.
    for (int i : power_dirty_items_) {
      power_item_dirty_[i] = 0;
      bool any = false;
      if (power_candidate_[i])
        for (int a : items[i].attach) any = any || live_[a];
      power_admitted_[i] = any;
      apply_power_item(i);
    }
  } else {
    for (int i : power_dirty_items_) power_item_dirty_[i] = 0;
    assert(check_key(*power_admission_, power_key_, power_candidate_));
    power_admission_->admit_keyed(power_key_, mode_, follow_, power_candidate_, call_active_ > 0,
                                  power_result_);
    power_admitted_ = power_result_.item;
    for (std::size_t i = 0; i < items.size(); ++i) apply_power_item(static_cast<int>(i));
  }
  power_dirty_items_.clear();
}

/// Passes one power item's admission on: to the equipment drawing it, or to the load.
void FacilitySim::apply_power_item(int i) {
  const auto& item = m_.power.items[i];
  const bool a = power_admitted_[i];
  if (item.component >= 0) {
    if (a != static_cast<bool>(draw_admitted_[item.component])) {
      draw_admitted_[item.component] = a;
      mark(item.component);
    }
    return;
  }
  const int l = item.load;
  if (a == static_cast<bool>(load_power_[l])) return;
  load_power_[l] = a;
  mark_load(l);
  const int ci = cooling_item_of_load_[l];
  if (ci >= 0) {
    cooling_candidate_[ci] = a;
    cooling_key_[cooling_admission_->layout().item0 + ci] = static_cast<char>(a);
    if (!cooling_item_dirty_[ci]) cooling_item_dirty_[ci] = 1, cooling_dirty_items_.push_back(ci);
    cooling_dirty_ = true;
  }
}

/// Cooling is admitted for the loads that have power; a load without power produces no heat,
/// so its cooling counts as live (for its thermal budget) when any of its cooling feeds is.
void FacilitySim::admit_cooling() {
  cooling_dirty_ = false;
  const auto& items = m_.cooling.items;
  if (items.empty()) return;
  for (int i : cooling_dirty_items_) {
    cooling_item_dirty_[i] = 0;
    bool any = false;
    for (int a : items[i].attach) any = any || live_[a];
    cooling_reach_[i] = any;
    if (m_.cooling.capacity_free) cooling_admitted_[i] = any && cooling_candidate_[i];
  }
  if (!m_.cooling.capacity_free) {
    assert(check_key(*cooling_admission_, cooling_key_, cooling_candidate_));
    cooling_admission_->admit_keyed(cooling_key_, mode_, follow_, cooling_candidate_,
                                    weather_level_ << 1, cooling_result_);
    cooling_admitted_ = cooling_result_.item;
  }
  cooling_dirty_items_.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const int l = items[i].load;
    const bool a = cooling_admitted_[i];
    const bool live = load_power_[l] ? a : cooling_reach_[i] != 0;
    if (a != static_cast<bool>(load_cooled_[l]) || live != static_cast<bool>(load_cool_live_[l])) {
      load_cooled_[l] = a;
      load_cool_live_[l] = live;
      mark_load(l);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Power sharing

/// Shares the admitted power out over the sources: each item's demand splits over its live
/// feeds, and each passing component's load over its live inputs (a switch: the input it
/// follows), in proportion to their capacities when all have one, else equally. Generators
/// with a tank and UPS with a battery energy then burn at the rate of what they carry.
void FacilitySim::share_power() {
  power_shared_dirty_ = false;
  carried_.assign(m_.n, 0.0);
  auto split = [&](double load, int begin, int end, const std::vector<int>& idx) {
    double total = 0.0;
    int live = 0;
    bool finite = true;
    for (int k = begin; k < end; ++k) {
      const int a = idx[k];
      if (mode_[a] == Mode::Dead) continue;
      ++live;
      finite = finite && m_.capacity[a] < topology::kUnlimited;
      total += m_.capacity[a];
    }
    if (live == 0) return;
    for (int k = begin; k < end; ++k) {
      const int a = idx[k];
      if (mode_[a] == Mode::Dead) continue;
      carried_[a] += load * (finite && total > 0.0 ? m_.capacity[a] / total : 1.0 / live);
    }
  };
  for (std::size_t i = 0; i < m_.power.items.size(); ++i) {
    if (!power_admitted_[i]) continue;
    const auto& item = m_.power.items[i];
    split(item.demand * item_share(static_cast<int>(i)), 0, static_cast<int>(item.attach.size()),
          item.attach);
  }
  for (auto it = m_.power.members.rbegin(); it != m_.power.members.rend(); ++it) {
    const int c = *it;
    if (mode_[c] != Mode::Pass || carried_[c] == 0.0) continue;
    if (m_.kind[c] == Kind::Switch) {
      carried_[m_.inputs.idx[m_.inputs.begin(c) + follow_[c]]] += carried_[c];
    } else {
      split(carried_[c], m_.inputs.begin(c), m_.inputs.end(c), m_.inputs.idx);
    }
  }
  for (int c : m_.power.members) {
    if (m_.kind[c] == Kind::Ups && m_.battery_energy[c] > 0.0) {
      ups_power_[c] = std::min(carried_[c], m_.capacity[c]);
      if (ups_mode_[c] < 0) ups_set_rate(c);
    } else if (m_.kind[c] == Kind::Generator && m_.fuel_tank[c] > 0.0 && gen_[c] == Gen::Running &&
               gen_demand_[c] > 0) {
      const double cap = m_.capacity[c];
      fuel_set_rate(c, cap < topology::kUnlimited ? std::min(1.0, carried_[c] / cap) : 1.0);
    }
  }
}

}  // namespace ridethrough::failure_models
