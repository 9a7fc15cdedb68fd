#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "failure_models/mechanism.hpp"
#include "failure_models/replication.hpp"
#include "failure_models/trace.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"
#include "topology/flow.hpp"
#include "topology/model.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::failure_models {

/// "Never" for clocks and remaining lives (the design's unlimited).
inline constexpr double kInf = topology::kUnlimited;

/// Simulates one replication of a compiled design: failures, repairs, crews, spares,
/// maintenance, common cause, generators (standby failures, tests, fuel), switches, UPS
/// batteries, chiller restarts and thermal ride-through, and records when each load is down.
///
/// One FacilitySim per worker thread: it owns scratch state and admission caches that are
/// reused across replications, but `run` depends only on (model, seed, index).
///
/// The class is one state machine; its member functions live in one file per behaviour:
///   facility.cpp     the replication, the event loop and the settling of one instant
///   repairs.cpp      failures, repairs, crews, spare pools, common cause
///   maintenance.cpp  maintenance windows: schedules, crews, deferral while unsafe
///   generator.cpp    generators: starts, running life, standby failures, tests, fuel
///   switch.cpp       transfer switches: following, transfers, demands on generators
///   ups.cpp          UPS batteries
///   cooling.cpp      chiller restarts and the thermal budget of loads
///   network.cpp      liveness of components, admission of draws and loads, power sharing
///   loads.cpp        load and facility outage records, blame
///   grid.cpp         grid event classes, curtailment calls, energy accounting
///   weather.cpp      weather events and the ambient that derates cooling
///   branching.cpp    stepping, copying and re-randomising a replication (splitting)
class FacilitySim {
 public:
  explicit FacilitySim(const topology::Model& model);
  /// A copy continues the same replication from the same instant (splitting, see
  /// splitting.hpp); it shares the admission caches, so copies must stay in one thread.
  FacilitySim(const FacilitySim&) = default;
  FacilitySim& operator=(const FacilitySim&) = delete;
  ~FacilitySim();
  /// Also record which components were down when each load outage began (for full results);
  /// facility outages always carry it, for the blame figures.
  void set_record_load_blame(bool on) { record_load_blame_ = on; }
  /// Share the admission caches and the static rule's memory of another simulator of the same
  /// network, run by the same thread (topology::same_network): a state one of them has solved,
  /// the other need not.
  void share_network_caches(const FacilitySim& other) {
    power_admission_->share_cache(*other.power_admission_);
    cooling_admission_->share_cache(*other.cooling_admission_);
    if (safety_ && other.safety_) safety_ = other.safety_;
  }
  /// Also record the replication's timeline into `trace` (trace.cpp): every change of state,
  /// compared at the end of each instant, so the event loop itself is untouched. For
  /// `ridethrough trace`: it costs a pass over every component per instant.
  void set_trace(std::vector<TraceEntry>* trace) {
    trace_ = trace;
    if (trace) record_load_blame_ = true;
  }
  void run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out);
  /// The same, with outages imposed from outside the site (a portfolio's regional events).
  void run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out,
           const std::vector<ExternalOutage>& external);

  // Stepping a replication one instant at a time, for splitting (branching.cpp). The measured
  // span ends at span_end(); outages are not followed past it.
  /// Starts a replication and settles t = 0; `out` receives the records (unused by splitting).
  void begin(std::uint64_t seed, std::uint64_t index, ReplicationResult& out);
  double now() const { return now_; }
  double span_start() const { return t0_; }
  double span_end() const { return tend_; }
  /// The time of the next event, or infinity.
  double next_time() const { return q_.empty() ? topology::kUnlimited : q_.top().time; }
  /// Processes every event of the next instant.
  void step() {
    now_ = q_.top().time;
    process_instant();
  }
  /// Moves the clock to `t` (before the next event): only ride-through stores change.
  void advance_to(double t) { now_ = t; }
  std::uint64_t events() const { return events_; }
  bool facility_down() const { return critical_down_ > 0; }
  bool load_is_down(int l) const { return load_down_[l] != 0; }
  bool component_down(int c) const { return is_down(c); }
  /// An idle generator fails only by its standby life: its running life and its start wait
  /// for a demand.
  bool idle_generator(int c) const {
    return m_.kind[c] == topology::Kind::Generator && gen_[c] == Gen::Idle;
  }
  /// The largest share left of any ride-through store now draining (a UPS on battery, a load's
  /// thermal budget without cooling), or -1 if none drains: the facility goes down, if it
  /// goes, when the last of them is empty.
  double ride_through_left() const;
  /// When ride_through_left() falls to `share`, if nothing else happens first.
  double ride_through_reaches(double share) const;
  /// Makes this copy's future independent of the copy it was made from, given everything
  /// observable: fresh random streams from `key`, and every pending exponential clock (lives,
  /// repairs, common-cause shocks, grid events, calls, standby lives) drawn again, which the
  /// memoryless law allows. Other clocks stay as drawn: a valid sample too, only shared.
  void rebranch(std::uint64_t key);

 private:
  enum EventType : std::uint8_t {
    kFail,           ///< a component's own life ends (stamp: life_stamp_)
    kRepairDone,     ///< repair finished
    kSpareArrive,    ///< a replacement reaches a spare pool (target: pool)
    kMaintDue,       ///< a maintenance window is due
    kMaintEnd,       ///< a maintenance window closes
    kStartDone,      ///< generator start delay over (stamp: aux_stamp_)
    kTransferDone,   ///< switch transfer delay over (stamp: aux_stamp_)
    kRetransfer,     ///< a better input has been live for retransfer_after (stamp: retr_stamp_)
    kUpsEmpty,       ///< battery charge reaches 0 (stamp: aux_stamp_)
    kRestartDone,    ///< chiller restart over (stamp: aux_stamp_)
    kThermalEmpty,   ///< a load's thermal budget is spent (target: load)
    kCommonCause,    ///< a common-cause shock (target: group)
    kStandbyFail,    ///< an idle generator fails unseen (stamp: standby_stamp_)
    kTestDue,        ///< a generator test is due
    kTestEnd,        ///< a generator test run is over (stamp: test_stamp_)
    kFuelEmpty,      ///< a running generator's tank runs dry (stamp: fuel_stamp_)
    kFuelArrive,     ///< a fuel delivery arrives (stamp: order_stamp_)
    kGridArrive,     ///< a grid event class's next event (target: class)
    kGridEnd,        ///< a grid event ends (target: class)
    kCallArrive,     ///< a curtailment call is made (its limit starts after the notice)
    kCallStart,      ///< a call's limit starts
    kCallEnd,        ///< a call's limit ends
    kExternalStart,  ///< an imposed outage begins (target: its index)
    kExternalEnd,    ///< an imposed outage ends (target: its index)
    kWeatherArrive,  ///< a weather class's next event (target: class)
    kWeatherEnd,     ///< a weather event ends (target: class)
  };
  /// Up and Hidden are in service as far as the site knows; every other status is down.
  enum class Status : std::uint8_t { Up, Hidden, WaitSpare, WaitCrew, Repairing, Maintenance };
  enum class Gen : std::uint8_t { Idle, Starting, Running };
  /// One random stream per component and purpose, so adding a feature to one component does
  /// not shift the random numbers of another, nor of the same component's other behaviours.
  enum Stream : std::uint8_t {
    kLifeStream,
    kRepairStream,
    kDrawStream,  ///< on-demand failures: start and transfer fail_prob
    kMaintStream,
    kStandbyStream,
    kTestStream,
    kFuelStream,
    kStreams
  };
  enum class MaintPending : std::uint8_t { None, Deferred, WaitCrew };
  struct CrewJob {
    int component;
    bool maintenance;
  };

  // facility.cpp: the replication and one instant.
  void reset(std::uint64_t seed, std::uint64_t index);
  void reset_streams(std::uint64_t seed, std::uint64_t index);
  void reset_site_events();
  void reset_components();
  void reset_generators();
  void reset_switches_and_ups();
  void reset_flows();
  void reset_repairs();
  void reset_admission();
  void reset_loads();
  void schedule_first_events();
  sim::Rng& rng(int c, Stream s) {
    const std::size_t k = static_cast<std::size_t>(c) * kStreams + s;
    if (rng_generation_[k] != generation_) seed_stream(c, s);
    return rng_[k];
  }
  void seed_stream(int c, Stream s);
  void apply(const sim::Event& e);
  void process_instant();
  void settle();
  bool finish_instant();
  bool following() const;
  void close_at_limit(double limit);

  // grid.cpp
  void schedule_grid_event(int k);
  double grid_gap(int k);
  void grid_arrives(int k);
  void grid_event_starts(int k, double duration);
  void grid_event_ends(int k);
  void grid_cut(int c, int delta);
  void add_class_hours(int k);
  /// Down as far as outages are concerned: failed, waiting, in maintenance, or cut off by the
  /// grid.
  bool is_down(int c) const { return status_[c] != Status::Up || grid_active_[c] > 0; }
  void schedule_call();
  void call_made(int delta);
  int preferred_input(int s) const;
  void hold_input_generators(int s, int k);
  void queue_react(int s);
  double call_gap();
  void call_arrives();
  void call_changes(int delta);
  void account_energy();
  /// The share of an admitted power item's demand it receives (below 1 only when divisible).
  double item_share(int i) const {
    return m_.power.capacity_free ? 1.0 : power_result_.share[static_cast<std::size_t>(i)];
  }

  // weather.cpp
  void schedule_weather(int k);
  void weather_arrives(int k);
  void weather_ends(int k);
  void weather_changes();

  // repairs.cpp
  bool in_service(int c) const { return status_[c] == Status::Up || status_[c] == Status::Hidden; }
  void count_failure(int c);
  /// Starts or ends the component's down interval when is_down() changes: every change of
  /// status or of the grid's cut goes through here, so overlapping causes (a regional event
  /// on a feed already failed) make one interval.
  void sync_down(int c);
  void down_start(int c);
  void down_end(int c);
  void add_overlap(int c);
  void facility_back();
  /// Every status change goes through here: a draw is asked for only by equipment in service.
  void set_status(int c, Status s) {
    if (s != Status::Up) out_->component_touched[c] = 1;
    const bool was = in_service(c);
    status_[c] = s;
    if (was != in_service(c)) {
      status_changed_ = true;
      out_of_service_ += was ? 1 : -1;
      set_draw_candidate(c);
    }
    sync_down(c);
  }
  void take_offline(int c);
  /// `how` is kept for the outage mechanism until the component is back.
  void fail_component(int c, bool already_down = false, Why how = Why::Failure);
  void ready_for_crew(int c);
  void start_repair(int c);
  void release_crew();
  void set_up(int c);
  void renew(int c);
  void spare_arrives(int pool);
  void common_cause_shock(int group);

  // maintenance.cpp
  void schedule_maintenance(int c);
  void maintenance_due(int c);
  void request_maintenance(int c);
  bool maintenance_unsafe(int c);
  bool judge_maintenance(int c);
  void start_maintenance(int c, bool with_crew);
  void end_maintenance(int c);
  void cancel_maintenance_request(int c) {
    if (maint_pending_[c] != MaintPending::None) drop_maintenance_request(c);
  }
  void drop_maintenance_request(int c);
  bool retry_deferred_maintenance();

  // generator.cpp
  void schedule_test(int g);
  void test_due(int g);
  void test_end(int g);
  void demand_generator(int g, int delta);
  void start_generator(int g);
  void start_done(int g);
  void stop_generator(int g);
  void leave_running(int g);
  void enter_idle(int g);
  void leave_idle(int g);
  void standby_failure(int g);
  void end_run(int g);
  void fuel_set_rate(int g, double rate);
  void fuel_empty(int g);
  void fuel_arrives(int g);
  void order_fuel(int g);

  // switch.cpp
  bool switch_update(int s);
  void switch_react(int s);
  void begin_transfer(int s, int k, bool planned);
  void transfer_done(int s);
  void retransfer(int s);
  void release_demands(int s, int keep_input);
  int first_live_input(int s, int except) const;

  // ups.cpp
  bool ups_update(int u);
  double ups_charge_now(int u) const;
  void ups_set_mode(int u, int mode);
  void ups_set_rate(int u);
  void ups_empty(int u);

  // cooling.cpp
  bool cooling_restarts();
  void restart_done(int c);
  void budget_advance(int l);
  void budget_set_mode(int l, bool cooling_live);
  void thermal_empty(int l);

  // network.cpp
  bool powered(int c) const {
    const int b = m_.powered_by.begin(c), e = m_.powered_by.end(c);
    if (b == e) return true;
    bool any = false;
    for (int k = b; k < e && !any; ++k) any = live_[m_.powered_by.idx[k]] != 0;
    return any && draw_admitted_[c];
  }
  bool any_input_live(int c) const {
    for (int k = m_.inputs.begin(c); k < m_.inputs.end(c); ++k)
      if (live_[m_.inputs.idx[k]]) return true;
    return false;
  }
  void update(int c);
  void mark(int c);
  void mark_items(int c);
  void mark_load(int l);
  void set_draw_candidate(int c) {
    if (m_.power.draw_item[c] >= 0) update_draw_candidate(c);
  }
  void update_draw_candidate(int c);
  bool check_key(const topology::Admission& a, const std::string& key,
                 const std::vector<std::uint8_t>& candidate) const;
  void admit_power();
  void apply_power_item(int i);
  void admit_cooling();
  void share_power();

  // trace.cpp
  void trace_instant();
  void trace_component(int c);
  void trace_load(int l);
  void note(const std::string& subject, const std::string& what);

  // loads.cpp
  void record_loads();
  void close_facility_interval(double end);
  bool load_shed_now(int l) const;
  std::pair<std::uint32_t, std::uint32_t> snapshot_down();
  bool human_error_now(int c) const;
  std::pair<std::uint32_t, std::uint32_t> snapshot_why(const std::vector<int>& loads);
  void why_roots(int c, std::vector<int>& w) const;
  void why_dynamics(int c, std::vector<int>& w) const;
  int interruption_cause(int c);

  const topology::Model& m_;
  /// Caches of admissions: shared by the copies of one replication (splitting).
  std::shared_ptr<topology::Admission> power_admission_, cooling_admission_;
  sim::EventQueue q_;
  double now_ = 0.0;
  double t0_ = 0.0;    ///< start of the measured span (end of warmup)
  double tend_ = 0.0;  ///< end of the measured span
  std::uint64_t events_ = 0;
  ReplicationResult* out_ = nullptr;
  std::uint64_t seed_ = 0, index_ = 0;

  // Random streams, seeded on first use in each replication.
  std::vector<sim::Rng> rng_;
  std::vector<std::uint32_t> rng_generation_;
  std::uint32_t generation_ = 0;
  std::vector<sim::Rng> cc_rng_;
  std::vector<sim::Rng> event_rng_;    ///< per grid event class
  std::vector<sim::Rng> weather_rng_;  ///< per weather class

  // Per component.
  std::vector<Status> status_;
  std::vector<Why> failed_how_;  ///< how a component that is down failed (see mechanism.hpp)
  std::vector<std::uint32_t> life_stamp_, aux_stamp_, retr_stamp_;
  std::vector<char> live_;
  std::vector<topology::Mode> mode_;
  std::vector<double> down_since_;
  std::vector<char> was_down_;   ///< is_down() as of the last sync_down()
  bool status_changed_ = false;  ///< some component went down or came back in this instant
  int out_of_service_ = 0;       ///< components down as far as the site knows

  // Grid events.
  std::vector<int> grid_active_;  ///< per component: events under way
  int grid_cut_feeds_ = 0;        ///< components with events under way
  const std::vector<ExternalOutage>* external_ = nullptr;
  std::vector<int> cause_active_;    ///< per cause: imposed outages under way
  std::vector<int> class_active_;    ///< per class: events under way
  std::vector<double> class_since_;  ///< per class: when its events began to keep the feed down
  sim::Rng call_rng_;
  int call_active_ = 0;  ///< curtailment calls whose limit is on
  int calls_made_ = 0;   ///< calls made (from the call to its end) when generators run for them
  std::vector<int> call_switches_;  ///< switches with an input behind a call generator
  /// What the call generators carry while a call is made, and while its limit is on.
  double call_gen_kw_ = 0.0, call_gen_limit_kw_ = 0.0;
  double accounted_ = 0.0;                  ///< energies are integrated up to here
  double excess_kw_ = 0.0, shed_kw_ = 0.0;  ///< what the current call costs, as rates
  std::vector<int> divisible_loads_;
  bool accounts_energy_ = false;      ///< divisible loads or curtailment calls: integrate energies
  std::vector<double> shortfall_kw_;  ///< per load, while it receives part of its demand
  std::vector<int> power_item_of_load_;

  // Weather.
  std::vector<int> weather_active_;  ///< per class: events under way
  int weather_level_ = 0;            ///< Model::weather_levels index of the ambient now
  double grid_factor_ = 1.0, call_factor_ = 1.0;  ///< the weather's factors on their rates now

  // Generators.
  std::vector<Gen> gen_;
  std::vector<int> gen_demand_;
  std::vector<double> life_left_, run_since_;
  std::vector<double> standby_left_, idle_since_;
  std::vector<std::uint32_t> standby_stamp_, test_stamp_;
  std::vector<char> testing_;
  std::vector<char> left_off_;  ///< a test left the generator unable to start (human error)
  std::vector<char> in_run_, dry_;
  std::vector<double> fuel_level_, fuel_t_, fuel_rate_;
  std::vector<std::uint32_t> fuel_stamp_, order_stamp_;
  std::vector<char> order_in_storm_;  ///< the delivery on its way was ordered during an event

  // Switches.
  std::vector<int> follow_, target_, retr_target_;
  std::vector<char> transferring_;
  std::vector<char> planned_transfer_;      ///< the transfer under way is a planned (manual) one
  std::vector<char> cancel_on_return_;      ///< the transfer began because the followed input died
  std::vector<std::vector<int>> demanded_;  ///< per switch: generators it demands
  std::vector<char> react_pending_;
  std::vector<int> react_heap_;  ///< switches to decide on at the end of the instant (topo pos)

  // UPS.
  std::vector<double> charge_, charge_t_, charge_rate_;  ///< rate: charge per hour, signed
  std::vector<int> ups_mode_;                            ///< -1 discharging, 0 frozen, +1 charging
  std::vector<char> ups_empty_;
  std::vector<double> ups_power_;  ///< kW the UPS delivers, from the last power sharing

  // Cooling sources.
  std::vector<char> ready_, restart_pending_, was_powered_;
  std::vector<int> restart_cause_;  ///< what cut the power of a restarting source (-1: none)
  std::vector<int> cooling_sources_;
  bool cooling_touched_ = false;  ///< a cooling source was updated in this instant
  std::vector<int> fuel_generators_;

  // Settling.
  std::vector<char> draw_admitted_;
  std::vector<char> dirty_;
  std::vector<int> dirty_heap_;  ///< topological positions, min-heap
  bool power_shared_dirty_ = false;
  bool any_energy_ups_ = false;  ///< some UPS discharges with the load it carries
  bool loaded_fuel_generators() const {
    for (int g : fuel_generators_)
      if (gen_[g] == Gen::Running && gen_demand_[g] > 0) return true;
    return false;
  }
  std::vector<double> carried_;

  // Repairs, spares, common cause.
  int free_crews_ = 0;
  std::deque<CrewJob> crew_queue_;
  std::vector<int> pool_stock_;
  std::vector<std::deque<int>> pool_wait_;

  // Maintenance.
  std::vector<MaintPending> maint_pending_;
  std::vector<double> maint_pending_since_;
  std::vector<char> maint_holds_crew_;
  std::vector<int> deferred_;  ///< components whose window waits until it is safe
  std::shared_ptr<topology::MemoEvaluator> safety_;
  std::vector<char> safety_down_, safety_served_now_;
  /// Per component (-1 unknown, 0 safe, 1 unsafe): taking it out with everything else in
  /// service, the usual case, is a fact of the design, worked out once.
  std::vector<signed char> unsafe_alone_;

  // Networks.
  bool power_dirty_ = false, cooling_dirty_ = false;
  std::vector<int> power_dirty_items_, cooling_dirty_items_;
  std::vector<char> power_item_dirty_, cooling_item_dirty_;
  std::vector<std::uint8_t> power_candidate_, power_admitted_;
  topology::Admitted power_result_, cooling_result_;
  std::vector<std::uint8_t> cooling_candidate_, cooling_admitted_, cooling_reach_;
  /// The admission cache keys, kept up to date as modes and candidates change (see
  /// topology::Admission::KeyLayout), so admitting costs a hash, not a walk of the network.
  std::string power_key_, cooling_key_;
  std::vector<int> cooling_item_of_load_;

  // Loads.
  std::vector<char> load_power_, load_cooled_, load_cool_live_, load_down_, load_dirty_;
  std::vector<int> dirty_loads_;
  std::vector<double> load_down_since_;
  std::vector<char> load_shed_;  ///< per load: its current outage began with it shed
  bool facility_shed_ = false;   ///< the current facility outage began with a load shed
  std::vector<double> budget_, budget_t_;
  std::vector<int> budget_mode_;  ///< -1 draining, 0 frozen, +1 refilling
  std::vector<char> budget_empty_;
  std::vector<std::uint32_t> thermal_stamp_;
  int critical_down_ = 0;
  double facility_down_since_ = 0.0;
  std::uint32_t pending_blame_begin_ = 0, pending_blame_end_ = 0;  ///< current facility outage
  std::vector<std::uint32_t> load_blame_begin_, load_blame_end_;
  std::uint32_t pending_why_begin_ = 0, pending_why_end_ = 0;
  std::vector<std::uint32_t> load_why_begin_, load_why_end_;
  std::vector<char> in_cone_;          ///< scratch of snapshot_why, all 0 between calls
  std::vector<int> cone_;              ///< scratch of snapshot_why
  bool facility_why_pending_ = false;  ///< the facility went down in this instant
  bool record_load_blame_ = false;
  std::vector<TraceEntry>* trace_ = nullptr;
  TraceState traced_;
};

}  // namespace ridethrough::failure_models
