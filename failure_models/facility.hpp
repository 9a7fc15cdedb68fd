#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "failure_models/replication.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"
#include "topology/flow.hpp"
#include "topology/model.hpp"

namespace ridethrough::failure_models {

/// Simulates one replication of a compiled design: failures, repairs, crews, spares,
/// maintenance, common cause, generators, switches, UPS batteries, chiller restarts and
/// thermal ride-through, and records when each load is down.
///
/// One FacilitySim per worker thread: it owns scratch state and admission caches that are
/// reused across replications, but `run` depends only on (model, seed, index).
class FacilitySim {
 public:
  explicit FacilitySim(const topology::Model& model);
  /// Also record which components were down when each load outage began (for full results);
  /// facility outages always carry it, for the blame figures.
  void set_record_load_blame(bool on) { record_load_blame_ = on; }
  void run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out);

 private:
  enum EventType : std::uint8_t {
    kFail,          ///< a component's own life ends (stamp: life_stamp_)
    kRepairDone,    ///< repair finished
    kSpareArrive,   ///< a replacement reaches a spare pool (target: pool)
    kMaintStart,    ///< a maintenance window opens
    kMaintEnd,      ///< a maintenance window closes
    kStartDone,     ///< generator start delay over (stamp: aux_stamp_)
    kTransferDone,  ///< switch transfer delay over (stamp: aux_stamp_)
    kRetransfer,    ///< a better input has been live for retransfer_after (stamp: retr_stamp_)
    kUpsEmpty,      ///< battery charge reaches 0 (stamp: aux_stamp_)
    kRestartDone,   ///< chiller restart over (stamp: aux_stamp_)
    kThermalEmpty,  ///< a load's thermal budget is spent (target: load)
    kCommonCause,   ///< a common-cause shock (target: group)
  };
  enum class Status : std::uint8_t { Up, WaitSpare, WaitCrew, Repairing, Maintenance };
  enum class Gen : std::uint8_t { Idle, Starting, Running };

  void reset(std::uint64_t seed, std::uint64_t index);
  void apply(const sim::Event& e);
  void process_instant();
  void settle();
  bool finish_instant();
  bool following() const;
  void close_facility_interval();
  void apply_power_item(int i);
  void record_loads();
  std::pair<std::uint32_t, std::uint32_t> snapshot_down();
  void update(int c);
  void mark(int c);
  void mark_items(int c);
  void admit_power();
  void admit_cooling();

  bool powered(int c) const;
  bool any_input_live(int c) const;
  int first_live_input(int s, int except) const;
  void fail_component(int c);
  void take_offline(int c);
  void renew(int c);
  void ready_for_crew(int c);
  void start_repair(int c);
  void set_up(int c);
  void demand_generator(int g, int delta);
  void start_generator(int g);
  void begin_transfer(int s, int k);
  void release_demands(int s, int keep_input);
  double ups_charge_now(int u) const;
  void ups_set_mode(int u, int mode);
  void down_start(int c);
  void down_end(int c);
  void count_failure(int c);
  void load_budget_update(int l);

  const topology::Model& m_;
  topology::Admission power_admission_, cooling_admission_;
  sim::EventQueue q_;
  double now_ = 0.0;
  double t0_ = 0.0;    ///< start of the measured span (end of warmup)
  double tend_ = 0.0;  ///< end of the measured span
  std::uint64_t events_ = 0;
  ReplicationResult* out_ = nullptr;

  // Per component.
  std::vector<sim::Rng> life_rng_, aux_rng_;
  std::vector<Status> status_;
  std::vector<std::uint32_t> life_stamp_, aux_stamp_, retr_stamp_;
  std::vector<char> live_;
  std::vector<topology::Mode> mode_;
  std::vector<double> down_since_;
  std::vector<Gen> gen_;
  std::vector<int> gen_demand_;
  std::vector<double> life_left_, run_since_;
  std::vector<int> follow_, target_, retr_target_;
  std::vector<char> transferring_;
  std::vector<char> cancel_on_return_;      ///< the transfer began because the followed input died
  std::vector<std::vector<int>> demanded_;  ///< per switch: generators it demands
  std::vector<double> charge_, charge_t_;
  std::vector<int> ups_mode_;  ///< -1 discharging, 0 frozen, +1 charging
  std::vector<char> ups_empty_;
  std::vector<char> ready_, restart_pending_, was_powered_;
  std::vector<char> draw_admitted_;
  std::vector<char> dirty_;
  std::vector<int> dirty_heap_;  ///< topological positions, min-heap
  std::vector<int> cooling_sources_;

  // Repairs, spares, common cause.
  int free_crews_ = 0;
  std::deque<int> crew_queue_;
  std::vector<int> pool_stock_;
  std::vector<std::deque<int>> pool_wait_;
  std::vector<sim::Rng> cc_rng_;

  // Networks.
  bool power_dirty_ = false, cooling_dirty_ = false;
  std::vector<int> power_dirty_items_, cooling_dirty_items_;
  std::vector<char> power_item_dirty_, cooling_item_dirty_;
  std::vector<std::uint8_t> power_candidate_, power_admitted_;
  std::vector<std::uint8_t> cooling_candidate_, cooling_admitted_;
  std::vector<int> cooling_item_of_load_;

  // Loads.
  std::vector<char> load_power_, load_cooled_, load_down_, load_dirty_;
  std::vector<int> dirty_loads_;
  std::vector<double> load_down_since_;
  std::vector<double> budget_, budget_t_;
  std::vector<int> budget_mode_;  ///< -1 draining, 0 frozen, +1 refilling
  std::vector<char> budget_empty_;
  std::vector<std::uint32_t> thermal_stamp_;
  int critical_down_ = 0;
  double facility_down_since_ = 0.0;
  std::uint32_t pending_blame_begin_ = 0, pending_blame_end_ = 0;  ///< current facility outage
  std::vector<std::uint32_t> load_blame_begin_, load_blame_end_;
  bool record_load_blame_ = false;
};

}  // namespace ridethrough::failure_models
