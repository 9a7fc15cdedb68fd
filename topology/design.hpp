#pragma once
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "topology/law.hpp"

namespace ridethrough::topology {

/// Where a value came from in the design file (1-based, as printed in diagnostics).
struct Loc {
  int line = 0;
  int col = 0;
};

enum class Kind { Source, Generator, Node, Switch, Ups, CoolingSource };
enum class Priority { Critical, Flexible };
enum class WorkloadKind { None, Training, Mining, Cluster };

/// A class of grid events on a utility feed: a Poisson process of outages with a duration law,
/// optionally seasonal.
struct GridEventClass {
  std::string name;
  Loc loc;
  double rate = 0.0;  ///< per hour
  Law duration;
  bool seasonal = false;
  double peak_month = 1.0;  ///< 1..13: the rate peaks in the middle of this month
  double amplitude = 0.0;   ///< share: the rate swings by +-amplitude over the year
};

/// A class of weather events (heat waves): a Poisson process like a grid event class, with the
/// ambient temperature while one lasts (overlapping events take the hottest).
struct WeatherClass {
  GridEventClass event;
  double ambient = 0.0;  ///< degrees Celsius
  /// While one lasts, every grid event class's rate and the curtailment calls' rate are
  /// multiplied by these (overlapping classes: the largest).
  double grid_event_factor = 1.0, call_factor = 1.0;
};

/// `weather:`: the usual ambient and the classes of events that raise it.
struct Weather {
  bool present = false;
  Loc loc;
  double ambient = 25.0;  ///< degrees Celsius
  std::vector<WeatherClass> events;
};

/// One step of a cooling source's derating: above this ambient, this share of its capacity.
struct DerateStep {
  double above = 0.0;     ///< degrees Celsius
  double capacity = 1.0;  ///< share of the rated capacity
};

struct Component {
  std::string id;
  Kind kind = Kind::Node;
  Loc loc;
  std::vector<std::string> inputs;
  std::vector<Loc> input_locs;
  std::vector<std::string> powered_by;
  std::vector<Loc> powered_by_locs;
  double capacity = kUnlimited;  ///< kW of power, or kW of heat for cooling equipment
  double power_draw = 0.0;       ///< kW
  Law failure;
  Law repair;
  bool has_repair = false;
  double start_delay = 0.0, start_fail_prob = 0.0;                                // generator
  double transfer_delay = 0.0, transfer_fail_prob = 0.0, retransfer_after = 0.0;  // switch
  double transfer_human_error = 0.0;  ///< switch: a planned (manual) transfer done wrongly
  Uncertainty start_fail_uncertainty, transfer_fail_uncertainty;  ///< on the fail_prob
  double autonomy = 0.0, recharge = 0.0;                          // ups
  double restart = 0.0;                                           // cooling_source
  bool has_maintenance = false;
  double maintenance_interval = 0.0, maintenance_duration = 0.0;
  std::optional<double> maintenance_offset;  ///< none: a random phase in each replication
  bool maintenance_crew = false;             ///< the window needs a free crew
  bool maintenance_defer = false;            ///< postponed while starting it would drop a load
  double maintenance_human_error = 0.0;      ///< P(the unit comes back from a window failed)
  double test_human_error = 0.0;  ///< generator: P(a test leaves it unable to start, unseen)
  Law standby_failure;            ///< generator: hidden failures while idle
  bool has_test = false;          ///< generator: periodic unloaded test runs
  double test_interval = 0.0, test_duration = 0.0;
  std::optional<double> test_offset;
  double fuel_tank = 0.0;  ///< generator: hours at full capacity; 0: unlimited fuel
  bool has_refuel = false;
  double refuel_delay = 0.0, refuel_fail_prob = 0.0;
  /// `refuel: {during_events: {delay, fail_prob}}`: an order placed while a grid event, a
  /// weather event or a regional event is under way (trucks in the storm).
  bool has_storm_refuel = false;
  double storm_refuel_delay = 0.0, storm_refuel_fail_prob = 0.0;
  double battery_energy = 0.0;  ///< ups: kWh; 0: the charge follows `autonomy`
  /// Down for the whole replication, never repaired: not a key of the file, set by analyses
  /// that ask what a design does without this component (`importance`).
  bool forced_down = false;
  std::vector<GridEventClass> events;  ///< source: replaces failure and repair
  std::vector<DerateStep> derate;      ///< cooling_source: capacity with the ambient
  std::string spare_pool;
  Loc spare_pool_loc;
  bool has_cost = false;  ///< `cost: {capex, annual_opex}`, added to the design's economics
  Loc cost_loc;
  double capex = 0.0, annual_opex = 0.0;
};

struct SparePool {
  std::string id;
  Loc loc;
  int stock = 0;
  double lead_time = 0.0;
};

struct CommonCauseGroup {
  Loc loc;
  std::vector<std::string> members;
  std::vector<Loc> member_locs;
  double beta = 0.0;
};

struct Load {
  std::string id;
  Loc loc;
  double demand = 0.0;  ///< kW
  std::vector<std::string> power, cooling;
  std::vector<Loc> power_locs, cooling_locs;
  double thermal_ride_through = 0.0;
  Priority priority = Priority::Critical;
  std::string tenant;
  Loc tenant_loc;
  int steps = -1;  ///< flexible: -1 all or nothing; 0 divisible (any share); N equal blocks
  int hosts = -1;  ///< cluster hosts it powers (`hosts: N`); -1: not said
  Loc hosts_loc;
  /// `shed_order: N`: within its priority, loads are shed in this order when capacity is
  /// short (1 first); 0: none given, shed only with the whole group of loads it stands with.
  int shed_order = 0;
};

/// A synchronous training job of a cluster tenant: it holds `hosts` hosts for the whole run.
struct ClusterJob {
  std::string name;
  Loc loc;
  int hosts = 0;
  double checkpoint_interval = 1.0;  ///< hours of running work between checkpoints
  double checkpoint_size = 0.0;      ///< bytes, split evenly over the job's hosts
  double restart_overhead = 0.0;     ///< hours after the checkpoint is read back
};

/// `workload: {kind: cluster}`: GPU hosts on loads, shared storage, and the jobs on them.
struct Cluster {
  double cost_per_gpu_hour = 0.0;
  std::vector<std::pair<std::string, int>> hosts;  ///< load id -> hosts it powers, file order
  std::vector<Loc> host_locs;
  int gpus_per_host = 1;
  double host_bandwidth = 0.0;     ///< bytes/s, each host's link to storage
  double storage_bandwidth = 0.0;  ///< bytes/s, shared by every transfer at once
  bool spread = false;             ///< placement: packed (false) or spread (true)
  std::vector<ClusterJob> jobs;
};

struct CreditBand {
  double below = 0.0;   ///< availability share
  double credit = 0.0;  ///< share of the month's fee
};

struct Tenant {
  std::string id;
  Loc loc;
  double monthly_fee = 0.0;
  bool has_sla = false;
  std::vector<CreditBand> credits;  ///< as written
  double per_incident = 0.0;
  std::optional<double> cap;  ///< share of the month's fee
  WorkloadKind workload = WorkloadKind::None;
  double checkpoint_interval = 0.0, restart_time = 0.0, cost_per_hour = 0.0;  // training
  double revenue_per_mwh = 0.0;                                               // mining
  Cluster cluster;                                                            // cluster
};

struct Economics {
  bool present = false;
  double capex = 0.0, annual_opex = 0.0, years = 0.0;
  double discount_rate = 0.0;       ///< per year; 0: costs are simply added over the years
  double crew_cost_per_year = 0.0;  ///< per crew (needs `crews`)
  double spare_unit_cost = 0.0;     ///< per spare in stock at the start, paid once
  /// The components' own `cost` blocks, summed (copies of `count:` each pay): filled by
  /// compile(), so a variant with one unit fewer costs less.
  double component_capex = 0.0, component_opex = 0.0;
  bool priced_components = false;  ///< some component has a `cost`
};

/// Curtailment calls from the grid: while a call lasts, the import from `sources` must stay
/// at or under `limit`; flexible loads give way (and earn), critical loads never do (and what
/// they import above the limit pays a penalty).
struct Curtailment {
  bool present = false;
  Loc loc;
  double rate = 0.0;  ///< calls per hour
  Law duration;
  double limit = 0.0;   ///< kW
  double notice = 0.0;  ///< hours between a call and the start of its limit
  double price_per_mwh = 0.0, penalty_per_mwh = 0.0;
  std::vector<std::string> sources;
  std::vector<Loc> source_locs;
  /// Generators started for each call, whose switches move onto them while it lasts, and what
  /// an MWh they carry for a call costs (fuel, wear).
  std::vector<std::string> generators;
  std::vector<Loc> generator_locs;
  double generator_cost_per_mwh = 0.0;
};

/// A choice `optimize` may make: a key path (as for --vary), the values it may take, and what
/// each adds to the capex.
struct OptionChoice {
  Loc loc;
  std::string path;
  std::vector<std::string> values;  ///< YAML text of each value
  std::vector<double> capex;        ///< per value (0 if not given)
};

/// A validated design, as written: ids are still names. `compile()` turns it into flat arrays.
struct Design {
  std::string path;  ///< for diagnostics
  std::string text;  ///< the file as read, kept for the HDF5 attributes
  std::string name;
  double horizon = kHoursPerYear;
  double warmup = 0.0;
  std::optional<int> crews;  ///< none: every ready repair starts at once
  std::vector<SparePool> spares;
  std::vector<Component> components;
  std::vector<CommonCauseGroup> common_cause;
  std::vector<Load> loads;
  std::vector<Tenant> tenants;
  Economics economics;
  /// Components written once with `count: N`: the id as written, and the ids of its copies
  /// (`gen` -> gen1 .. genN). A reference to the id means every copy.
  std::vector<std::pair<std::string, std::vector<std::string>>> counted;
  std::vector<OptionChoice> options;  ///< for `optimize`; ignored by every other command
  Curtailment curtailment;            ///< `grid: {curtailment: ...}`
  Weather weather;                    ///< `weather:`
};

const char* kind_name(Kind k);

}  // namespace ridethrough::topology
