// Loads: when each load is down (power, cooling and thermal budget), the facility's outages,
// and what was down when each began.
#include "failure_models/facility.hpp"

#include <algorithm>
#include <tuple>

namespace ridethrough::failure_models {

using topology::Csr;
using topology::Kind;

/// Records the facility interval that ends at `end`, with the components down at its start.
void FacilitySim::close_facility_interval(double end) {
  if (facility_down_since_ >= tend_ || end <= t0_) return;
  out_->facility_down.push_back({facility_down_since_ - t0_, end - t0_, pending_blame_begin_,
                                 pending_blame_end_, facility_shed_, pending_why_begin_,
                                 pending_why_end_});
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

/// Down because a window or a test went wrong: blamed on the component's human-error cause.
bool FacilitySim::human_error_now(int c) const {
  switch (status_[c]) {
    case Status::Hidden:
      return left_off_[c] != 0;
    case Status::WaitSpare:
    case Status::WaitCrew:
    case Status::Repairing:
      return failed_how_[c] == Why::HumanError;
    default:
      return false;
  }
}

/// Appends what is down now to the replication's blame list (components, then generators out
/// of fuel); returns its range.
std::pair<std::uint32_t, std::uint32_t> FacilitySim::snapshot_down() {
  auto& b = out_->blame;
  const auto begin = static_cast<std::uint32_t>(b.size());
  for (int c = 0; c < m_.n; ++c)
    if (status_[c] != Status::Up) b.push_back(human_error_now(c) ? m_.human_error_cause[c] : c);
  for (int c : fuel_generators_)
    if (dry_[c]) b.push_back(m_.fuel_cause[c]);
  for (std::size_t k = 0; k < class_active_.size(); ++k)
    if (class_active_[k] > 0) b.push_back(m_.event_cause[k]);
  for (const auto& x : *external_)
    if (cause_active_[x.cause] > 0 && std::find(b.begin() + begin, b.end(), x.cause) == b.end())
      b.push_back(x.cause);
  return {begin, static_cast<std::uint32_t>(b.size())};
}

/// What went wrong for `loads` as they go down, within their cones (Model::load_cone: what
/// can reach them): what was down and how, then the dynamics under way. Appended to the
/// replication's mechanism list; returns its range.
std::pair<std::uint32_t, std::uint32_t> FacilitySim::snapshot_why(const std::vector<int>& loads) {
  auto& w = out_->why;
  const auto begin = static_cast<std::uint32_t>(w.size());
  cone_.clear();
  for (int l : loads)
    for (int k = m_.load_cone.begin(l); k < m_.load_cone.end(l); ++k) {
      const int c = m_.load_cone.idx[k];
      if (!in_cone_[c]) cone_.push_back(c);
      in_cone_[c] = 1;
    }
  for (int c : cone_) why_roots(c, w);
  for (std::size_t k = 0; k < class_active_.size(); ++k)
    if (class_active_[k] > 0 && in_cone_[m_.event_component[k]])
      w.push_back(why_code(Why::GridEvent, static_cast<int>(k)));
  for (const auto& x : *external_)
    if (cause_active_[x.cause] > 0 && in_cone_[x.component] &&
        std::find(w.begin() + begin, w.end(), why_code(Why::RegionalEvent, x.cause)) == w.end())
      w.push_back(why_code(Why::RegionalEvent, x.cause));
  for (int c : cone_) why_dynamics(c, w);
  // A hot spell under way: it derates cooling (named once, whatever the loads).
  if (weather_level_ > 0)
    for (std::size_t k = 0; k < weather_active_.size(); ++k)
      if (weather_active_[k] > 0) w.push_back(why_code(Why::Weather, static_cast<int>(k)));
  for (int l : loads) {
    if (!load_cooled_[l] && budget_empty_[l]) w.push_back(why_code(Why::ThermalRideThrough, l));
    if (load_shed_[l]) w.push_back(why_code(Why::Shed, l));
    if (load_shed_[l] && call_active_ > 0 && !m_.critical[l])
      w.push_back(why_code(Why::CurtailmentCall, l));
  }
  for (int c : cone_) in_cone_[c] = 0;
  return {begin, static_cast<std::uint32_t>(w.size())};
}

/// A component that is down, and how (a generator out of fuel is down in its own way).
void FacilitySim::why_roots(int c, std::vector<int>& w) const {
  switch (status_[c]) {
    case Status::Up:
    case Status::Hidden:
      break;
    case Status::Maintenance:
      w.push_back(why_code(Why::Maintenance, c));
      break;
    default:
      w.push_back(why_code(failed_how_[c], c));
  }
  if (m_.fuel_cause[c] >= 0 && dry_[c]) w.push_back(why_code(Why::FuelExhausted, c));
}

/// What a component in service is doing that can drop a load: a transfer's open gap, a start
/// delay, an empty battery, a chiller restart.
void FacilitySim::why_dynamics(int c, std::vector<int>& w) const {
  if (!in_service(c)) return;
  switch (m_.kind[c]) {
    case Kind::Switch:
      if (transferring_[c]) w.push_back(why_code(Why::Transferring, c));
      break;
    case Kind::Generator:
      if (gen_[c] == Gen::Starting) w.push_back(why_code(Why::Starting, c));
      break;
    case Kind::Ups:
      if (ups_empty_[c]) w.push_back(why_code(Why::BatteryExhausted, c));
      break;
    case Kind::CoolingSource:
      if (!restart_pending_[c]) break;
      w.push_back(why_code(Why::ChillerRestart, c));
      if (restart_cause_[c] >= 0)
        w.push_back(why_code(Why::PowerInterruption, why_subject(restart_cause_[c])));
      break;
    default:
      break;
  }
}

/// What cut the power of cooling source `c` just now: the first thing down or transferring
/// upstream of it (a walk up powered_by and inputs), or -1.
int FacilitySim::interruption_cause(int c) {
  // The walk reuses snapshot_why's scratch (in_cone_ marks, cone_ the visited): no allocation
  // of the size of the design each time a chiller loses power.
  std::vector<int> stack, found;
  cone_.clear();
  for (int k = m_.powered_by.begin(c); k < m_.powered_by.end(c); ++k)
    stack.push_back(m_.powered_by.idx[k]);
  while (!stack.empty() && found.empty()) {
    const int u = stack.back();
    stack.pop_back();
    if (in_cone_[u]) continue;
    in_cone_[u] = 1;
    cone_.push_back(u);
    why_roots(u, found);
    why_dynamics(u, found);
    for (const Csr* up : {&m_.inputs, &m_.powered_by})
      for (int k = up->begin(u); k < up->end(u); ++k) stack.push_back(up->idx[k]);
  }
  for (int u : cone_) in_cone_[u] = 0;
  return found.empty() ? -1 : found.front();
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
        if (record_load_blame_ && now_ < tend_) {
          std::tie(load_blame_begin_[l], load_blame_end_[l]) = snapshot_down();
          std::tie(load_why_begin_[l], load_why_end_[l]) = snapshot_why({l});
        }
      } else if (load_down_since_[l] < tend_ && now_ > t0_) {
        out_->load_down[l].push_back({load_down_since_[l] - t0_, now_ - t0_, load_blame_begin_[l],
                                      load_blame_end_[l], load_shed_[l] != 0, load_why_begin_[l],
                                      load_why_end_[l]});
      }
      if (m_.critical[l]) {
        if (down && critical_down_++ == 0) {
          facility_down_since_ = now_;
          facility_shed_ = load_shed_[l] != 0;
          if (now_ < tend_) {
            std::tie(pending_blame_begin_, pending_blame_end_) = snapshot_down();
            facility_why_pending_ = true;
          }
        } else if (!down && --critical_down_ == 0) {
          facility_back();
          close_facility_interval(now_);
        }
      }
    }
    budget_set_mode(l, load_cool_live_[l] != 0);
  }
  dirty_loads_.clear();
  // The facility's mechanism covers every critical load that went down in this instant, so
  // which of them the loop met first does not show.
  if (facility_why_pending_) {
    facility_why_pending_ = false;
    std::vector<int> now_down;
    for (int l = 0; l < m_.n_loads; ++l)
      if (m_.critical[l] && load_down_[l] && load_down_since_[l] == now_) now_down.push_back(l);
    std::tie(pending_why_begin_, pending_why_end_) = snapshot_why(now_down);
  }
}

}  // namespace ridethrough::failure_models
