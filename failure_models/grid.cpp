// The grid side of a utility feed: classes of events (blips, storms), each a Poisson process
// of outages with a duration law, optionally seasonal; the feed is down while any is under way.
// No crew is involved.
#include <algorithm>
#include <cmath>

#include "failure_models/facility.hpp"
#include "failure_models/season.hpp"
#include "topology/law.hpp"

namespace ridethrough::failure_models {

/// The next event of class k. A seasonal class's rate is rate (1 + amplitude cos(2 pi (t -
/// peak) / 1 y)), times the weather's factor while a weather event raises it; it is drawn by
/// thinning a process at the peak rate. A class without season or weather factor draws no
/// thinning number, so amplitude 0 and no season give the same random numbers.
void FacilitySim::schedule_grid_event(int k) {
  q_.push(grid_gap(k), kGridArrive, k, 0);
}

double FacilitySim::grid_gap(int k) {
  return now_ +
         seasonal_gap(event_rng_[k], m_.event_rate[k], m_.event_amplitude[k], m_.max_grid_factor);
}

void FacilitySim::grid_arrives(int k) {
  schedule_grid_event(k);
  if (season_rejects(event_rng_[k], now_, m_.event_peak[k], m_.event_amplitude[k], grid_factor_,
                     m_.max_grid_factor))
    return;
  grid_event_starts(k, sample(m_.event_duration[k], event_rng_[k]));
}

void FacilitySim::grid_event_starts(int k, double duration) {
  const int c = m_.event_component[k];
  if (now_ >= t0_ && now_ < tend_) {
    ++out_->event_count[k];
    count_failure(c);
  }
  if (class_active_[k]++ == 0) class_since_[k] = now_;
  grid_cut(c, +1);
  q_.push(now_ + duration, kGridEnd, k, 0);
}

void FacilitySim::grid_event_ends(int k) {
  if (--class_active_[k] == 0) add_class_hours(k);
  grid_cut(m_.event_component[k], -1);
}

/// The hours, within the span, since class k's events began to keep the feed down: overlapping
/// events of a class count once (the union), so a class's hours never exceed the feed's.
void FacilitySim::add_class_hours(int k) {
  out_->event_hours[k] += std::max(0.0, std::min(now_, tend_) - std::max(class_since_[k], t0_));
}

/// One more (or one fewer) event cutting the feed off; it is down while any is under way.
void FacilitySim::grid_cut(int c, int delta) {
  const int before = grid_active_[c];
  grid_active_[c] += delta;
  if ((before == 0) != (grid_active_[c] == 0)) {
    grid_cut_feeds_ += before == 0 ? 1 : -1;
    status_changed_ = true;  // deferred maintenance looks again
    sync_down(c);
    mark(c);
  }
}

// ---------------------------------------------------------------------------------------------
// Curtailment calls: while one is on, the import from the grid sources is capped (admission,
// topology::Admission); what the flexible loads give up earns, what the critical loads import
// above the limit pays.

void FacilitySim::schedule_call() {
  q_.push(call_gap(), kCallArrive, 0, 0);
}

/// Calls are Poisson, raised by the weather's call factor as grid events are (thinning).
double FacilitySim::call_gap() {
  return now_ + seasonal_gap(call_rng_, m_.call_rate, 0.0, m_.max_call_factor);
}

void FacilitySim::call_arrives() {
  schedule_call();
  if (season_rejects(call_rng_, now_, 0.0, 0.0, call_factor_, m_.max_call_factor)) return;
  const double duration = sample(m_.call_duration, call_rng_);
  const double start = now_ + m_.call_notice;
  if (start >= t0_ && start < tend_) ++out_->calls;
  call_made(+1);
  q_.push(start, kCallStart, 0, 0);
  q_.push(start + duration, kCallEnd, 0, 0);
}

void FacilitySim::call_changes(int delta) {
  const bool before = call_active_ > 0;
  call_active_ += delta;
  if (before == (call_active_ > 0)) return;
  power_key_[power_admission_->layout().call] = static_cast<char>(call_active_ > 0);
  power_dirty_ = true;
}

/// A call is made (or over): the call generators start at once (during the notice) and the
/// switches behind them move there once they run (switch.cpp, preferred_input); after the
/// last call they stop once no switch holds them.
void FacilitySim::call_made(int delta) {
  if (m_.call_generators.empty()) return;
  const bool before = calls_made_ > 0;
  calls_made_ += delta;
  if (before == (calls_made_ > 0)) return;
  for (int g : m_.call_generators) demand_generator(g, delta);
  for (int s : call_switches_) queue_react(s);
  power_shared_dirty_ = true;
}

/// Integrates, up to now, the energies that change only at instants: the shortfall of loads
/// that receive part of their demand and what a call sheds or imports in excess; then takes
/// the rates the instant ends with.
void FacilitySim::account_energy() {
  const double dt = std::max(0.0, std::min(now_, tend_) - std::max(accounted_, t0_));
  accounted_ = now_;
  if (dt > 0.0) {
    out_->call_shed_kwh += shed_kw_ * dt;
    out_->call_excess_kwh += excess_kw_ * dt;
    out_->call_generator_kwh += call_gen_kw_ * dt;
    out_->call_generated_kwh += call_gen_limit_kw_ * dt;
    for (int l : divisible_loads_) out_->load_shortfall_kwh[l] += shortfall_kw_[l] * dt;
  }
  const bool call = call_active_ > 0 && !m_.power.capacity_free;
  shed_kw_ = call ? power_result_.shed : 0.0;
  excess_kw_ = call ? power_result_.excess : 0.0;
  if (!m_.call_generators.empty()) {
    double kw = 0.0;
    for (int g : m_.call_generators)
      if (calls_made_ > 0 && gen_[g] == Gen::Running && mode_[g] != Mode::Dead) kw += carried_[g];
    call_gen_kw_ = kw;
    call_gen_limit_kw_ = call ? kw : 0.0;
  }
  // A load without power at all is in outage (counted there), not short.
  for (int l : divisible_loads_)
    shortfall_kw_[l] =
        load_power_[l] ? (1.0 - item_share(power_item_of_load_[l])) * m_.demand[l] : 0.0;
}

}  // namespace ridethrough::failure_models
