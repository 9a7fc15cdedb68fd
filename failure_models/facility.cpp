// The replication and its event loop: how one instant is applied, settled and finished.
#include "failure_models/facility.hpp"

#include <algorithm>
#include <cassert>
#include <functional>
#include <stdexcept>
#include <string>

namespace ridethrough::failure_models {

using topology::Kind;
using topology::Mode;

namespace {
/// Separates the purposes of one component's streams (any odd constant would do).
constexpr std::uint64_t kPurposeStride = 0x9e3779b97f4a7c15ULL;
}  // namespace

FacilitySim::FacilitySim(const topology::Model& model)
    : m_(model),
      power_admission_(std::make_shared<topology::Admission>(model, model.power)),
      cooling_admission_(std::make_shared<topology::Admission>(model, model.cooling)) {
  const int n = m_.n;
  rng_.resize(static_cast<std::size_t>(n) * kStreams);
  rng_generation_.assign(rng_.size(), 0);
  demanded_.resize(n);
  pool_wait_.resize(m_.pool_ids.size());
  cc_rng_.resize(m_.cc_members.size());
  event_rng_.resize(m_.event_rate.size());
  weather_rng_.resize(m_.weather_rate.size());
  in_cone_.assign(n, 0);
  for (int c = 0; c < n; ++c)
    if (m_.kind[c] == Kind::CoolingSource) cooling_sources_.push_back(c);
  for (int c = 0; c < n; ++c)
    if (m_.fuel_cause[c] >= 0) fuel_generators_.push_back(c);
  cooling_item_of_load_.assign(m_.n_loads, -1);
  power_item_of_load_.assign(m_.n_loads, -1);
  for (std::size_t i = 0; i < m_.power.items.size(); ++i)
    if (m_.power.items[i].load >= 0)
      power_item_of_load_[m_.power.items[i].load] = static_cast<int>(i);
  for (int l = 0; l < m_.n_loads; ++l)
    if (m_.load_steps[l] >= 0) divisible_loads_.push_back(l);
  accounts_energy_ = !divisible_loads_.empty() || m_.call_rate > 0.0;
  for (int s = 0; s < n && !m_.call_input.empty(); ++s)
    for (int k = m_.inputs.begin(s); k < m_.inputs.end(s); ++k)
      if (m_.kind[s] == Kind::Switch && m_.call_input[k]) {
        call_switches_.push_back(s);
        break;
      }
  for (std::size_t i = 0; i < m_.cooling.items.size(); ++i)
    cooling_item_of_load_[m_.cooling.items[i].load] = static_cast<int>(i);
  if (m_.any_defer) safety_ = std::make_shared<topology::MemoEvaluator>(m_);
  unsafe_alone_.assign(n, -1);
  for (int c = 0; c < n; ++c) any_energy_ups_ = any_energy_ups_ || m_.battery_energy[c] > 0.0;
}

FacilitySim::~FacilitySim() = default;

void FacilitySim::seed_stream(int c, Stream s) {
  const std::size_t k = static_cast<std::size_t>(c) * kStreams + s;
  rng_generation_[k] = generation_;
  rng_[k].seed(sim::stream_key(seed_, index_, m_.stream_id[c] + s * kPurposeStride));
}

// ---------------------------------------------------------------------------------------------
// Replication set-up and main loop

/// A replication starts from the same state whatever ran before on this object: every
/// stream reseeded, every state reset, the first events scheduled (in this order, which the
/// event heap's ties keep).
void FacilitySim::reset(std::uint64_t seed, std::uint64_t index) {
  reset_streams(seed, index);
  reset_site_events();
  reset_components();
  reset_generators();
  reset_switches_and_ups();
  reset_flows();
  reset_repairs();
  reset_admission();
  reset_loads();
  schedule_first_events();
}

void FacilitySim::reset_streams(std::uint64_t seed, std::uint64_t index) {
  q_.clear();
  now_ = 0.0;
  t0_ = m_.warmup;
  tend_ = m_.warmup + m_.horizon;
  events_ = 0;
  seed_ = seed;
  index_ = index;
  if (++generation_ == 0) {  // wrapped: forget every stream
    std::fill(rng_generation_.begin(), rng_generation_.end(), 0);
    generation_ = 1;
  }
  for (std::size_t g = 0; g < cc_rng_.size(); ++g)
    cc_rng_[g].seed(sim::stream_key(seed, index, m_.cc_stream_id[g]));
  for (std::size_t k = 0; k < event_rng_.size(); ++k)
    event_rng_[k].seed(sim::stream_key(seed, index, m_.event_stream_id[k]));
  for (std::size_t k = 0; k < weather_rng_.size(); ++k)
    weather_rng_[k].seed(sim::stream_key(seed, index, m_.weather_stream_id[k]));
  call_rng_.seed(sim::stream_key(seed, index, m_.call_stream_id));
}

/// Grid events, weather, curtailment calls and the energies they account.
void FacilitySim::reset_site_events() {
  const int n = m_.n;
  weather_active_.assign(m_.weather_rate.size(), 0);
  weather_level_ = 0;
  grid_factor_ = call_factor_ = 1.0;
  grid_active_.assign(n, 0);
  grid_cut_feeds_ = 0;
  class_active_.assign(m_.event_rate.size(), 0);
  class_since_.assign(m_.event_rate.size(), 0.0);
  call_active_ = calls_made_ = 0;
  call_gen_kw_ = call_gen_limit_kw_ = 0.0;
  accounted_ = 0.0;
  shortfall_kw_.assign(m_.n_loads, 0.0);
  excess_kw_ = shed_kw_ = 0.0;
}

/// Every component up, live nowhere yet.
void FacilitySim::reset_components() {
  const int n = m_.n;
  status_.assign(n, Status::Up);
  failed_how_.assign(n, Why::Failure);
  life_stamp_.assign(n, 0);
  aux_stamp_.assign(n, 0);
  retr_stamp_.assign(n, 0);
  live_.assign(n, 0);
  mode_.assign(n, Mode::Dead);
  down_since_.assign(n, 0.0);
  was_down_.assign(n, 0);
  status_changed_ = false;
  out_of_service_ = 0;
}

/// Generators idle with full tanks.
void FacilitySim::reset_generators() {
  const int n = m_.n;
  gen_.assign(n, Gen::Idle);
  gen_demand_.assign(n, 0);
  life_left_.assign(n, kInf);
  run_since_.assign(n, 0.0);
  standby_left_.assign(n, kInf);
  idle_since_.assign(n, 0.0);
  standby_stamp_.assign(n, 0);
  test_stamp_.assign(n, 0);
  testing_.assign(n, 0);
  left_off_.assign(n, 0);
  order_in_storm_.assign(n, 0);
  in_run_.assign(n, 0);
  dry_.assign(n, 0);
  fuel_level_.assign(m_.fuel_tank.begin(), m_.fuel_tank.end());
  fuel_t_.assign(n, 0.0);
  fuel_rate_.assign(n, 0.0);
  fuel_stamp_.assign(n, 0);
  order_stamp_.assign(n, 0);
}

/// Switches following nothing yet; batteries full.
void FacilitySim::reset_switches_and_ups() {
  const int n = m_.n;
  follow_.assign(n, -1);
  target_.assign(n, -1);
  retr_target_.assign(n, -1);
  transferring_.assign(n, 0);
  planned_transfer_.assign(n, 0);
  cancel_on_return_.assign(n, 0);
  for (auto& d : demanded_) d.clear();
  react_pending_.assign(n, 0);
  react_heap_.clear();

  charge_.assign(n, 1.0);
  charge_t_.assign(n, 0.0);
  charge_rate_.assign(n, 0.0);
  ups_mode_.assign(n, 0);
  ups_empty_.assign(n, 0);
  ups_power_.assign(n, 0.0);
}

/// Every component ready and to be settled.
void FacilitySim::reset_flows() {
  const int n = m_.n;
  ready_.assign(n, 1);
  restart_pending_.assign(n, 0);
  was_powered_.assign(n, 1);
  restart_cause_.assign(n, -1);
  draw_admitted_.assign(n, 1);
  dirty_.assign(n, 0);
  dirty_heap_.clear();
  power_shared_dirty_ = m_.needs_power_sharing;
  cooling_touched_ = true;
}

/// Crews free, spares in stock, no window pending.
void FacilitySim::reset_repairs() {
  const int n = m_.n;
  free_crews_ = m_.crews;
  crew_queue_.clear();
  pool_stock_ = m_.pool_stock;
  for (auto& w : pool_wait_) w.clear();

  maint_pending_.assign(n, MaintPending::None);
  maint_pending_since_.assign(n, 0.0);
  maint_holds_crew_.assign(n, 0);
  deferred_.clear();
}

/// Both networks: every item a candidate to be admitted again.
void FacilitySim::reset_admission() {
  const std::size_t np = m_.power.items.size(), nc = m_.cooling.items.size();
  power_candidate_.assign(np, 1);
  power_admitted_.assign(np, 0);
  power_item_dirty_.assign(np, 0);
  power_dirty_items_.clear();
  cooling_candidate_.assign(nc, 0);
  cooling_admitted_.assign(nc, 0);
  cooling_reach_.assign(nc, 0);
  cooling_item_dirty_.assign(nc, 0);
  cooling_dirty_items_.clear();
  power_dirty_ = cooling_dirty_ = true;
  power_result_ = {};
  power_result_.share.assign(np, 0.0);
  power_admission_->build_key(mode_, follow_, power_candidate_, false, power_key_);
  cooling_admission_->build_key(mode_, follow_, cooling_candidate_, false, cooling_key_);
}

/// Loads up, thermal budgets full, no outage open.
void FacilitySim::reset_loads() {
  const int nl = m_.n_loads;
  load_power_.assign(nl, 0);
  load_cooled_.assign(nl, 0);
  load_cool_live_.assign(nl, 0);
  load_down_.assign(nl, 0);
  load_dirty_.assign(nl, 0);
  dirty_loads_.clear();
  load_down_since_.assign(nl, 0.0);
  load_shed_.assign(nl, 0);
  facility_shed_ = false;
  load_blame_begin_.assign(nl, 0);
  load_blame_end_.assign(nl, 0);
  load_why_begin_.assign(nl, 0);
  load_why_end_.assign(nl, 0);
  budget_.assign(m_.thermal_ride_through.begin(), m_.thermal_ride_through.end());
  budget_t_.assign(nl, 0.0);
  budget_mode_.assign(nl, 0);
  budget_empty_.assign(nl, 0);
  thermal_stamp_.assign(nl, 0);
  critical_down_ = 0;
  facility_down_since_ = 0.0;
  facility_why_pending_ = false;
  traced_ = TraceState{};
}

/// Lives, schedules, shocks, grid, weather and call arrivals, imposed outages; then every
/// component, load and admission item marked to be settled at time 0.
void FacilitySim::schedule_first_events() {
  const int n = m_.n, nl = m_.n_loads;
  const std::size_t np = m_.power.items.size(), nc = m_.cooling.items.size();
  // Lives, schedules, common-cause shocks. A component forced down is down from the start
  // and never comes back: no life, no schedule.
  for (int c = 0; c < n; ++c) {
    if (m_.forced_down[c]) {
      set_status(c, Status::Repairing);
      continue;
    }
    renew(c);
    if (m_.kind[c] == Kind::Generator) enter_idle(c);
    schedule_maintenance(c);
    schedule_test(c);
  }
  for (std::size_t g = 0; g < m_.cc_members.size(); ++g)
    q_.push(cc_rng_[g].exponential() / m_.cc_rate[g], kCommonCause, static_cast<int>(g), 0);
  for (std::size_t k = 0; k < m_.event_rate.size(); ++k) schedule_grid_event(static_cast<int>(k));
  if (m_.call_rate > 0.0) schedule_call();
  for (std::size_t k = 0; k < m_.weather_rate.size(); ++k) schedule_weather(static_cast<int>(k));
  cause_active_.assign(m_.cause_names.size(), 0);
  for (std::size_t k = 0; k < external_->size(); ++k) {
    q_.push((*external_)[k].start, kExternalStart, static_cast<int>(k), 0);
    q_.push((*external_)[k].end, kExternalEnd, static_cast<int>(k), 0);
  }
  for (int c : m_.topo) mark(c);
  for (int l = 0; l < nl; ++l) mark_load(l);
  for (std::size_t i = 0; i < np; ++i)
    power_item_dirty_[i] = 1, power_dirty_items_.push_back(static_cast<int>(i));
  for (std::size_t i = 0; i < nc; ++i)
    cooling_item_dirty_[i] = 1, cooling_dirty_items_.push_back(static_cast<int>(i));
}

void FacilitySim::run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out) {
  static const std::vector<ExternalOutage> none;
  run(seed, index, out, none);
}

void FacilitySim::run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out,
                      const std::vector<ExternalOutage>& external) {
  external_ = &external;
  out.reset(m_.n_loads, m_.n, static_cast<int>(m_.event_rate.size()));
  out.index = index;
  out_ = &out;
  reset(seed, index);

  // Outages that start within the horizon are followed to their end, up to a limit that only
  // a design whose repairs never finish (or a load that never fits) reaches.
  const double limit = tend_ + std::max(10.0 * m_.horizon, 1e5);
  process_instant();  // t = 0 settles even without events
  while (!q_.empty()) {
    const double t = q_.top().time;
    if (t > tend_ && (!following() || t > limit)) break;
    now_ = t;
    process_instant();
  }
  // What is still down was never going to come back within the follow-up: an outage begun
  // within the horizon is closed at the limit, whatever else would happen in the design.
  close_at_limit(limit);
  out.events = events_;
  out_ = nullptr;
}

void FacilitySim::close_at_limit(double limit) {
  if (accounts_energy_) {
    now_ = std::max(now_, tend_);  // energies count only within the span
    account_energy();
  }
  if (critical_down_ > 0) {
    now_ = std::max(now_, tend_);  // overlaps count only within the span
    facility_back();
  }
  for (std::size_t k = 0; k < class_active_.size(); ++k)
    if (class_active_[k] > 0)
      out_->event_hours[k] += std::max(0.0, tend_ - std::max(class_since_[k], t0_));
  for (int c = 0; c < m_.n; ++c) {
    if (is_down(c))
      out_->component_downtime[c] += std::max(0.0, tend_ - std::max(down_since_[c], t0_));
    if (maint_pending_[c] == MaintPending::Deferred)
      out_->component_deferred[c] += std::max(0.0, tend_ - std::max(maint_pending_since_[c], t0_));
  }
  now_ = limit;
  for (int l = 0; l < m_.n_loads; ++l) {
    if (!load_down_[l] || load_down_since_[l] >= tend_) continue;
    out_->load_down[l].push_back({load_down_since_[l] - t0_, limit - t0_, load_blame_begin_[l],
                                  load_blame_end_[l], load_shed_[l] != 0, load_why_begin_[l],
                                  load_why_end_[l]});
    if (load_down_since_[l] >= t0_) ++out_->closed_at_limit;
  }
  if (critical_down_ > 0) close_facility_interval(limit);
}

/// Applies every event of the current instant, settles, and records loads once nothing is left
/// to happen at this instant (so zero-length outages never exist).
void FacilitySim::process_instant() {
  for (;;) {
    while (!q_.empty() && q_.top().time == now_) apply(q_.pop());
    settle();
    if (!q_.empty() && q_.top().time == now_) continue;
    if (finish_instant()) break;
  }
  // Sharing the power out matters only while something burns what it carries (a generator
  // on an unloaded test run burns nothing) or a call counts what its generators carry.
  if (power_shared_dirty_ && (any_energy_ups_ || loaded_fuel_generators() || calls_made_ > 0))
    share_power();
  if (accounts_energy_) account_energy();
  record_loads();
  status_changed_ = false;
  if (trace_) trace_instant();
}

bool FacilitySim::following() const {
  if (critical_down_ > 0 && facility_down_since_ < tend_) return true;
  for (int l = 0; l < m_.n_loads; ++l)
    if (load_down_[l] && load_down_since_[l] < tend_) return true;
  return false;
}

/// The decisions that react to how the instant ends, taken only once nothing else happens at
/// it, so that a state that lasts zero time has no effect (SPEC section 2, "Outage"): switches
/// react to a dead input, chillers restart, deferred maintenance starts. Returns false if a
/// decision created more work at this instant; the caller then settles and asks again.
bool FacilitySim::finish_instant() {
  // Switches, upstream first: one switch's transfer (possibly without delay) changes what the
  // next one sees, so after any decision with an effect now (an event at this instant, or a
  // change to settle) the instant is settled again before the next switch decides.
  while (!react_heap_.empty()) {
    std::pop_heap(react_heap_.begin(), react_heap_.end(), std::greater<int>());
    const int s = m_.topo[react_heap_.back()];
    react_heap_.pop_back();
    react_pending_[s] = 0;
    switch_react(s);
    if (!dirty_heap_.empty() || (!q_.empty() && q_.top().time == now_)) {
      settle();
      return false;
    }
  }
  // A chiller's readiness changes only the cooling network: unless that moved a switch, one
  // pass settles it.
  if (cooling_touched_) {
    cooling_touched_ = false;
    if (cooling_restarts()) settle();
  }
  if (!deferred_.empty() && status_changed_ && retry_deferred_maintenance()) {
    settle();
    return false;
  }
  return react_heap_.empty() && (q_.empty() || q_.top().time != now_);
}

void FacilitySim::settle() {
  for (int round = 0; round < 64; ++round) {
    while (!dirty_heap_.empty()) {
      std::pop_heap(dirty_heap_.begin(), dirty_heap_.end(), std::greater<int>());
      const int c = m_.topo[dirty_heap_.back()];
      dirty_heap_.pop_back();
      dirty_[c] = 0;
      update(c);
    }
    if (power_dirty_) admit_power();
    if (!dirty_heap_.empty()) continue;  // a draw changed: equipment power changed
    if (cooling_dirty_) admit_cooling();
    if (dirty_heap_.empty()) return;
  }
  // Every round settles the draws that changed in the one before, so 64 rounds are more than
  // any acyclic design needs: going on would hide a bug, not fix it.
  throw std::logic_error("the networks did not settle at t = " + std::to_string(now_) +
                         " h after 64 rounds (replication " + std::to_string(index_) + ")");
}

// ---------------------------------------------------------------------------------------------
// Events: each goes to the behaviour it belongs to.

/// One event: its stamp checked (a stale event does nothing) and its handler called. One
/// switch over every event type, longer than a function should be, on purpose: it is the hot
/// path of every replication, compiled to one jump table, and each case is a stamp check and a
/// call to the handler that lives with its equipment (generator.cpp, switch.cpp, ...).
void FacilitySim::apply(const sim::Event& e) {
  const int c = e.target;
  // What only the design's own laws schedule (lives, standby lives, maintenance), stale or
  // not: the same replication with the component perfect has no such instant.
  if (e.type == kFail || e.type == kStandbyFail || e.type == kMaintDue)
    out_->component_touched[c] = 1;
  switch (e.type) {
    case kFail:
      if (e.stamp != life_stamp_[c] || status_[c] != Status::Up) return;
      ++events_;
      fail_component(c);
      return;
    case kRepairDone:
      ++events_;
      release_crew();
      set_up(c);
      return;
    case kSpareArrive:
      ++events_;
      spare_arrives(c);
      return;
    case kMaintDue:
      ++events_;
      maintenance_due(c);
      return;
    case kMaintEnd:
      ++events_;
      end_maintenance(c);
      return;
    case kStartDone:
      if (e.stamp != aux_stamp_[c] || gen_[c] != Gen::Starting) return;
      ++events_;
      start_done(c);
      return;
    case kTransferDone:
      if (e.stamp != aux_stamp_[c] || !transferring_[c]) return;
      ++events_;
      transfer_done(c);
      return;
    case kRetransfer:
      if (e.stamp != retr_stamp_[c] || status_[c] != Status::Up || transferring_[c]) return;
      ++events_;
      retransfer(c);
      return;
    case kUpsEmpty:
      if (e.stamp != aux_stamp_[c]) return;
      ++events_;
      ups_empty(c);
      return;
    case kRestartDone:
      if (e.stamp != aux_stamp_[c] || !restart_pending_[c]) return;
      ++events_;
      restart_done(c);
      return;
    case kThermalEmpty:
      if (e.stamp != thermal_stamp_[c]) return;
      ++events_;
      thermal_empty(c);
      return;
    case kCommonCause:
      ++events_;
      common_cause_shock(c);
      return;
    case kStandbyFail:
      if (e.stamp != standby_stamp_[c]) return;
      ++events_;
      standby_failure(c);
      return;
    case kTestDue:
      ++events_;
      test_due(c);
      return;
    case kTestEnd:
      if (e.stamp != test_stamp_[c] || !testing_[c]) return;
      ++events_;
      test_end(c);
      return;
    case kFuelEmpty:
      if (e.stamp != fuel_stamp_[c]) return;
      ++events_;
      fuel_empty(c);
      return;
    case kFuelArrive:
      if (e.stamp != order_stamp_[c] || !in_run_[c]) return;
      ++events_;
      fuel_arrives(c);
      return;
    case kGridArrive:
      ++events_;
      grid_arrives(c);
      return;
    case kGridEnd:
      ++events_;
      grid_event_ends(c);
      return;
    case kExternalStart: {
      ++events_;
      const auto& x = (*external_)[c];
      if (now_ >= t0_ && now_ < tend_) count_failure(x.component);
      ++cause_active_[x.cause];
      grid_cut(x.component, +1);
      return;
    }
    case kExternalEnd: {
      ++events_;
      const auto& x = (*external_)[c];
      --cause_active_[x.cause];
      grid_cut(x.component, -1);
      return;
    }
    case kCallArrive:
      ++events_;
      call_arrives();
      return;
    case kCallStart:
      ++events_;
      call_changes(+1);
      return;
    case kCallEnd:
      ++events_;
      call_changes(-1);
      call_made(-1);
      return;
    case kWeatherArrive:
      ++events_;
      weather_arrives(c);
      return;
    case kWeatherEnd:
      ++events_;
      weather_ends(c);
      return;
  }
}

}  // namespace ridethrough::failure_models
