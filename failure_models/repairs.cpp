// Failures and repairs: a component's life, crews (first ready, first served), spare pools,
// common-cause shocks, and coming back as good as new.
#include "failure_models/facility.hpp"
#include "topology/law.hpp"

#include <algorithm>

namespace ridethrough::failure_models {

using topology::Kind;

void FacilitySim::count_failure(int c) {
  if (now_ >= t0_ && now_ < tend_) ++out_->component_failures[c];
}

void FacilitySim::sync_down(int c) {
  const bool down = is_down(c);
  if (down == static_cast<bool>(was_down_[c])) return;
  was_down_[c] = down;
  if (down)
    down_start(c);
  else
    down_end(c);
}

void FacilitySim::down_start(int c) {
  down_since_[c] = now_;
}

void FacilitySim::down_end(int c) {
  out_->component_downtime[c] +=
      std::max(0.0, std::min(now_, tend_) - std::max(down_since_[c], t0_));
  if (critical_down_ > 0) add_overlap(c);
}

/// Time this component has been down during the current facility outage, within the span.
void FacilitySim::add_overlap(int c) {
  const double from = std::max({down_since_[c], facility_down_since_, t0_});
  out_->component_facility_overlap[c] += std::max(0.0, std::min(now_, tend_) - from);
}

/// The facility comes back: what is still down stops overlapping with its outage.
void FacilitySim::facility_back() {
  for (int c = 0; c < m_.n; ++c)
    if (is_down(c)) add_overlap(c);
}

/// Shuts down a component's own activity when it fails or goes into maintenance.
void FacilitySim::take_offline(int c) {
  ++life_stamp_[c];
  ++aux_stamp_[c];
  ++retr_stamp_[c];
  switch (m_.kind[c]) {
    case Kind::Generator:
      stop_generator(c);
      ++standby_stamp_[c];
      break;
    case Kind::Switch:
      transferring_[c] = 0;
      retr_target_[c] = -1;
      release_demands(c, -1);
      break;
    case Kind::Ups:
      ups_set_mode(c, 0);
      break;
    case Kind::CoolingSource:
      ready_[c] = 0;
      restart_pending_[c] = 0;
      break;
    default:
      break;
  }
  cancel_maintenance_request(c);
  mark(c);
}

/// A failure, or (already_down) a hidden generator failure found at a start: either way the
/// component now waits for its spare and a crew.
void FacilitySim::fail_component(int c, bool already_down, Why how) {
  if (!already_down) count_failure(c);
  failed_how_[c] = how;
  take_offline(c);
  const int pool = m_.spare_pool[c];
  if (pool >= 0) {
    q_.push(now_ + m_.pool_lead_time[pool], kSpareArrive, pool, 0);
    if (pool_stock_[pool] > 0) {
      --pool_stock_[pool];
      ready_for_crew(c);
    } else {
      set_status(c, Status::WaitSpare);
      pool_wait_[pool].push_back(c);
    }
  } else {
    ready_for_crew(c);
  }
}

void FacilitySim::ready_for_crew(int c) {
  if (free_crews_ < 0) {
    start_repair(c);  // unlimited crews
  } else if (free_crews_ > 0) {
    --free_crews_;
    start_repair(c);
  } else {
    set_status(c, Status::WaitCrew);
    crew_queue_.push_back({c, false});
  }
}

void FacilitySim::start_repair(int c) {
  set_status(c, Status::Repairing);
  q_.push(now_ + sample(m_.repair[c], rng(c, kRepairStream)), kRepairDone, c, 0);
}

/// A crew is free: it goes straight to the first job still waiting (a maintenance request
/// whose component failed meanwhile is gone), else it is idle.
void FacilitySim::release_crew() {
  if (free_crews_ < 0) return;
  while (!crew_queue_.empty()) {
    const CrewJob job = crew_queue_.front();
    crew_queue_.pop_front();
    const int c = job.component;
    if (!job.maintenance) {
      start_repair(c);
      return;
    }
    if (maint_pending_[c] != MaintPending::WaitCrew) continue;
    maint_pending_[c] = MaintPending::None;
    if (m_.maintenance_defer[c] && maintenance_unsafe(c)) {
      maint_pending_[c] = MaintPending::Deferred;
      maint_pending_since_[c] = now_;
      deferred_.push_back(c);
      continue;
    }
    start_maintenance(c, true);
    return;
  }
  ++free_crews_;
}

/// Back in service after a repair or maintenance, as good as new.
void FacilitySim::set_up(int c) {
  set_status(c, Status::Up);
  renew(c);
  switch (m_.kind[c]) {
    case Kind::Switch:
      follow_[c] = -1;  // follows its first live input, with no transfer
      break;
    case Kind::Generator:
      enter_idle(c);
      if (gen_demand_[c] > 0) start_generator(c);
      break;
    default:
      break;
  }
  mark(c);
}

/// Draws a new life. A generator's life is counted in running hours, its standby life in idle
/// hours.
void FacilitySim::renew(int c) {
  const double life = sample(m_.failure[c], rng(c, kLifeStream)) * m_.life_stretch[c];
  if (m_.kind[c] == Kind::Generator) {
    life_left_[c] = life;
    standby_left_[c] = sample(m_.standby_failure[c], rng(c, kStandbyStream));
  } else if (life < topology::kUnlimited) {
    q_.push(now_ + life, kFail, c, ++life_stamp_[c]);
  }
}

void FacilitySim::spare_arrives(int pool) {
  ++pool_stock_[pool];
  if (pool_wait_[pool].empty()) return;
  const int c = pool_wait_[pool].front();
  pool_wait_[pool].pop_front();
  --pool_stock_[pool];
  ready_for_crew(c);
}

void FacilitySim::common_cause_shock(int group) {
  q_.push(now_ + cc_rng_[group].exponential() / m_.cc_rate[group], kCommonCause, group, 0);
  for (int member : m_.cc_members[group])
    if (status_[member] == Status::Up) fail_component(member, false, Why::CommonCause);
}

}  // namespace ridethrough::failure_models
