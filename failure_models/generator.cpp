// Generators: idle until a switch demands them; a start takes its delay and may fail; the
// running life ages only while running, the standby life (hidden failures) only while idle;
// periodic test runs find hidden failures; fuel burns in proportion to the load carried.
#include "failure_models/facility.hpp"

#include <algorithm>
#include <cassert>

namespace ridethrough::failure_models {

// ---------------------------------------------------------------------------------------------
// Demand, starts and stops

void FacilitySim::demand_generator(int g, int delta) {
  const int before = gen_demand_[g];
  gen_demand_[g] += delta;
  assert(gen_demand_[g] >= 0);
  if (!in_service(g)) return;
  if (before == 0 && gen_demand_[g] > 0 && gen_[g] == Gen::Idle && !dry_[g]) {
    start_generator(g);
  } else if (before > 0 && gen_demand_[g] == 0) {
    if (!testing_[g])
      stop_generator(g);
    else if (m_.fuel_tank[g] > 0.0 && gen_[g] == Gen::Running)
      fuel_set_rate(g, 0.0);  // back to an unloaded test run
  }
}

void FacilitySim::start_generator(int g) {
  leave_idle(g);
  gen_[g] = Gen::Starting;
  q_.push(now_ + m_.start_delay[g], kStartDone, g, ++aux_stamp_[g]);
}

/// The start delay is over: a hidden failure is found, or the start fails with its fail_prob,
/// or the generator runs (a refuel is ordered at the start of a run).
void FacilitySim::start_done(int g) {
  if (status_[g] == Status::Hidden) {
    const Why how = left_off_[g] ? Why::HumanError : Why::HiddenFailure;
    left_off_[g] = 0;
    fail_component(g, true, how);
    return;
  }
  if (rng(g, kDrawStream).bernoulli(m_.start_fail_prob[g])) {
    fail_component(g, false, Why::StartFailure);
    return;
  }
  gen_[g] = Gen::Running;
  run_since_[g] = now_;
  if (life_left_[g] < kInf) q_.push(now_ + life_left_[g], kFail, g, ++life_stamp_[g]);
  if (m_.fuel_tank[g] > 0.0 && !in_run_[g]) {
    in_run_[g] = 1;
    fuel_level_[g] = m_.fuel_tank[g];
    fuel_t_[g] = now_;
    fuel_rate_[g] = 0.0;
    if (m_.refuel_delay[g] < kInf) order_fuel(g);
  }
  if (testing_[g] && gen_demand_[g] == 0)
    q_.push(now_ + m_.test_duration[g], kTestEnd, g, ++test_stamp_[g]);
  else
    testing_[g] = 0;  // already demanded: the test is moot
  mark(g);
}

/// Ends whatever the generator is doing and the run with it (the supplier tops the tank up).
void FacilitySim::stop_generator(int g) {
  if (gen_[g] == Gen::Running) leave_running(g);
  if (gen_[g] == Gen::Starting) ++aux_stamp_[g];
  const bool was_idle = gen_[g] == Gen::Idle;
  gen_[g] = Gen::Idle;
  testing_[g] = 0;
  ++test_stamp_[g];
  end_run(g);
  if (!was_idle) enter_idle(g);
  mark(g);
}

/// Running time ages the running life.
void FacilitySim::leave_running(int g) {
  life_left_[g] -= now_ - run_since_[g];
  ++life_stamp_[g];
  if (m_.fuel_tank[g] > 0.0) fuel_set_rate(g, 0.0);
}

/// Idle time ages the standby life; a hidden failure shows only at the next start or test.
void FacilitySim::enter_idle(int g) {
  idle_since_[g] = now_;
  ++standby_stamp_[g];
  if (status_[g] == Status::Up && standby_left_[g] < kInf)
    q_.push(now_ + standby_left_[g], kStandbyFail, g, standby_stamp_[g]);
}

void FacilitySim::leave_idle(int g) {
  if (status_[g] == Status::Up && standby_left_[g] < kInf)
    standby_left_[g] -= now_ - idle_since_[g];
  ++standby_stamp_[g];
}

void FacilitySim::standby_failure(int g) {
  if (status_[g] != Status::Up || gen_[g] != Gen::Idle) return;
  count_failure(g);
  standby_left_[g] = kInf;
  set_status(g, Status::Hidden);
}

// ---------------------------------------------------------------------------------------------
// Tests: an unloaded run that finds hidden failures and ages the running life

void FacilitySim::schedule_test(int g) {
  const double interval = m_.test_interval[g];
  if (interval <= 0.0) return;
  const double offset = m_.test_offset[g];
  q_.push(offset >= 0.0 ? offset : rng(g, kTestStream).uniform() * interval, kTestDue, g, 0);
}

void FacilitySim::test_due(int g) {
  q_.push(now_ + m_.test_interval[g], kTestDue, g, 0);
  if (!in_service(g) || gen_[g] != Gen::Idle || dry_[g] || gen_demand_[g] > 0) return;
  testing_[g] = 1;
  start_generator(g);
}

/// A test run that was not taken over by a real demand stops; with the test's human_error
/// probability the generator is left unable to start (a breaker open, a switch in OFF), which
/// only the next start or test finds, like a standby failure.
void FacilitySim::test_end(int g) {
  testing_[g] = 0;
  if (gen_demand_[g] != 0) return;
  stop_generator(g);
  if (status_[g] == Status::Up && rng(g, kTestStream).bernoulli(m_.test_human_error[g])) {
    count_failure(g);
    left_off_[g] = 1;
    standby_left_[g] = kInf;
    set_status(g, Status::Hidden);
  }
}

// ---------------------------------------------------------------------------------------------
// Fuel: the tank holds `fuel_tank` hours at full capacity and burns at the share of capacity
// carried; while a run lasts one delivery is always on its way.

void FacilitySim::end_run(int g) {
  if (!in_run_[g]) return;
  in_run_[g] = 0;
  dry_[g] = 0;
  fuel_level_[g] = m_.fuel_tank[g];
  fuel_rate_[g] = 0.0;
  ++fuel_stamp_[g];
  ++order_stamp_[g];
}

void FacilitySim::fuel_set_rate(int g, double rate) {
  if (rate == fuel_rate_[g]) return;
  fuel_level_[g] = std::max(0.0, fuel_level_[g] - fuel_rate_[g] * (now_ - fuel_t_[g]));
  fuel_t_[g] = now_;
  fuel_rate_[g] = rate;
  ++fuel_stamp_[g];
  if (rate > 0.0) q_.push(now_ + fuel_level_[g] / rate, kFuelEmpty, g, fuel_stamp_[g]);
}

/// The tank is dry: the generator stops, still demanded, until a delivery arrives.
void FacilitySim::fuel_empty(int g) {
  leave_running(g);
  fuel_level_[g] = 0.0;
  gen_[g] = Gen::Idle;
  dry_[g] = 1;
  if (testing_[g]) testing_[g] = 0, ++test_stamp_[g];
  enter_idle(g);
  mark(g);
}

/// Orders the next delivery. An order placed while the region is in an event (a grid event
/// class or a regional event cutting a feed, a weather event) takes the storm's delay and
/// failure probability: trucks in the storm.
void FacilitySim::order_fuel(int g) {
  const bool storm =
      grid_cut_feeds_ > 0 ||
      std::any_of(weather_active_.begin(), weather_active_.end(), [](int k) { return k > 0; });
  order_in_storm_[g] = storm;
  q_.push(now_ + (storm ? m_.storm_refuel_delay[g] : m_.refuel_delay[g]), kFuelArrive, g,
          ++order_stamp_[g]);
}

void FacilitySim::fuel_arrives(int g) {
  const double fail = order_in_storm_[g] ? m_.storm_refuel_fail_prob[g] : m_.refuel_fail_prob[g];
  order_fuel(g);
  if (rng(g, kFuelStream).bernoulli(fail)) return;  // re-ordered above
  const double rate = fuel_rate_[g];
  fuel_rate_[g] = 0.0;
  fuel_level_[g] = m_.fuel_tank[g];
  fuel_t_[g] = now_;
  fuel_set_rate(g, rate);
  if (dry_[g]) {
    dry_[g] = 0;
    if (in_service(g) && gen_demand_[g] > 0) start_generator(g);
  }
}

}  // namespace ridethrough::failure_models
