#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "topology/design.hpp"

namespace ridethrough::topology {

/// Compressed sparse rows: the neighbours of i are idx[off[i] .. off[i+1]).
struct Csr {
  std::vector<int> off{0};
  std::vector<int> idx;
  void push_row(const std::vector<int>& row) {
    idx.insert(idx.end(), row.begin(), row.end());
    off.push_back(static_cast<int>(idx.size()));
  }
  int begin(int i) const { return off[i]; }
  int end(int i) const { return off[i + 1]; }
  int size(int i) const { return off[i + 1] - off[i]; }
};

enum class Net : std::uint8_t { Power = 0, Cooling = 1 };

/// One thing that asks a network for flow: the draw of powered equipment, or a load.
struct FlowItem {
  double demand = 0.0;
  std::vector<int> attach;  ///< components it draws from
  int component = -1;       ///< for a draw: the equipment drawing
  int load = -1;            ///< for a load
  bool critical = true;     ///< draws and critical loads come first, whatever a grid call says
  int steps = -1;           ///< -1: all or nothing; 0: any share (divisible); N: N equal blocks
};

/// The static description of one network for admission (section "Serving loads").
struct FlowNetwork {
  Net net = Net::Power;
  std::vector<int> members;     ///< components of this network, in topological order
  std::vector<FlowItem> items;  ///< in admission order
  /// Items of equal standing, admitted together: [begin, end) ranges of `items`, in order.
  /// Each draw stands alone (equipment starts in file order: the plant's lead/lag sequence);
  /// loads of one priority and shed_order stand together (see topology::Admission).
  std::vector<std::pair<int, int>> groups;
  std::vector<double> capacity;  ///< per component (global index); infinity = never binding
  bool capacity_free = true;     ///< no capacity can ever bind: admission is connectivity
  Csr items_of_component;        ///< items attached to each component (global index)
  /// Curtailment: during a grid call, the import from these sources (per component, 1) must
  /// stay at or under `call_limit` kW, flexible items giving way first.
  std::vector<char> grid_source;
  /// Per component: its capacity in kW at each weather level (empty: `capacity` always). Level
  /// 0 is the usual ambient (Model::weather_levels).
  std::vector<std::vector<double>> derate;
  double call_limit = kUnlimited;
  std::vector<int> draw_item;  ///< per component: the index of its draw among the items, or -1
};

/// A validated design compiled into flat arrays with ids turned into indices. Immutable and
/// shared by every replication and worker.
struct Model {
  std::string name;
  double horizon = 0.0, warmup = 0.0;
  int crews = -1;  ///< -1: unlimited

  // Components, indexed 0..n-1 in file order.
  int n = 0;
  std::vector<std::string> ids;
  std::vector<Kind> kind;
  std::vector<Net> net;
  Csr inputs, powered_by, dependents;  ///< dependents: components with i in inputs or powered_by
  std::vector<double> capacity, power_draw;
  std::vector<Law> failure, repair;
  std::vector<std::vector<DerateStep>> derate;  ///< cooling sources: capacity with the ambient
  /// P(a maintenance window leaves the unit failed), P(a generator test leaves it unable to
  /// start); and the cause of such failures (Model::cause_names "id:human_error"), or -1.
  std::vector<double> maintenance_human_error, test_human_error;
  std::vector<int> human_error_cause;
  /// Some number of the component carries an error factor (parameter uncertainty).
  std::vector<char> uncertain;
  std::vector<double> start_delay, start_fail_prob;
  std::vector<double> transfer_delay, transfer_fail_prob, retransfer_after;
  std::vector<double> transfer_human_error;  ///< per planned (manual) transfer of a switch
  std::vector<double> autonomy, recharge, restart;
  std::vector<double> maintenance_interval, maintenance_duration;  ///< interval 0: none
  std::vector<double> maintenance_offset;  ///< negative: a random phase per replication
  std::vector<char> maintenance_crew, maintenance_defer;
  bool any_defer = false;
  std::vector<Law> standby_failure;                    ///< generators: hidden failures while idle
  std::vector<double> test_interval, test_duration;    ///< interval 0: never tested
  std::vector<double> test_offset;                     ///< negative: a random phase
  std::vector<double> fuel_tank;                       ///< hours at full capacity; 0: unlimited
  std::vector<double> refuel_delay, refuel_fail_prob;  ///< delay infinite: no refuel
  /// The same for an order placed while any grid, weather or regional event is under way.
  std::vector<double> storm_refuel_delay, storm_refuel_fail_prob;
  std::vector<double> battery_energy;  ///< kWh; 0: the charge follows autonomy
  std::vector<char> forced_down;       ///< down all along (see Component)
  /// Some equipment's behaviour depends on the power it delivers (fuel, battery energy), so
  /// the simulation shares each instant's power out over the sources.
  bool needs_power_sharing = false;
  /// Random streams are keyed by this hash of the component id, not by its position, so a
  /// component present in two designs sees the same random numbers in both.
  std::vector<std::uint64_t> stream_id;
  /// What a facility outage can be blamed on: every component (its index), then causes that are
  /// not components, such as a generator out of fuel ("gen1:fuel").
  std::vector<std::string> cause_names;
  std::vector<int> fuel_cause;   ///< per component: its "out of fuel" cause, or -1
  std::vector<int> cause_owner;  ///< per cause: the component it belongs to

  // Grid event classes of all sources together; a source's classes are
  // events.begin(c) .. events.end(c) in the event_* arrays.
  Csr events;
  std::vector<double> event_rate, event_peak, event_amplitude;  ///< peak: hours into the year
  std::vector<Law> event_duration;
  std::vector<int> event_component, event_cause;
  std::vector<std::string> event_names;
  std::vector<std::uint64_t> event_stream_id;
  std::vector<int> spare_pool;       ///< -1: none
  std::vector<double> life_stretch;  ///< 1 / (1 - beta) for common-cause members, else 1
  std::vector<int> topo;             ///< topological order (inputs and powered_by first)
  std::vector<int> topo_pos;
  /// For switch input k (global position inputs.off[s] + k): generators upstream of it without
  /// crossing another switch.
  std::vector<std::vector<int>> switch_input_gens;

  // Spares and common cause.
  std::vector<std::string> pool_ids;
  std::vector<int> pool_stock;
  std::vector<double> pool_lead_time;
  std::vector<std::vector<int>> cc_members;
  std::vector<double> cc_rate;              ///< per hour
  std::vector<std::uint64_t> cc_stream_id;  ///< keyed by the member ids

  // Loads, in file order.
  int n_loads = 0;
  std::vector<std::string> load_ids;
  std::vector<double> demand, thermal_ride_through;
  std::vector<bool> critical;
  std::vector<int> load_steps;  ///< -1 all or nothing; 0 divisible; N blocks
  std::vector<int> tenant;      ///< -1: none
  Csr load_power, load_cooling;
  /// Per load: every component that can reach it (upstream through inputs and powered_by of
  /// its power and cooling), in topological order: where an outage's mechanism is looked for.
  Csr load_cone;

  FlowNetwork power, cooling;

  // Curtailment calls (rate 0: none).
  double call_rate = 0.0, call_notice = 0.0, call_price = 0.0, call_penalty = 0.0;
  Law call_duration;
  /// Generators a call starts (sorted), what an MWh they carry for a call costs, and per switch
  /// input (as switch_input_gens) whether a call generator is behind it: switches move there
  /// while a call is made.
  std::vector<int> call_generators;
  double call_generator_cost = 0.0;
  std::vector<char> call_input;

  // Weather: classes of events that raise the ambient; the network capacities they derate.
  std::vector<double> weather_rate, weather_peak, weather_amplitude, weather_ambient;
  std::vector<Law> weather_duration;
  std::vector<std::string> weather_names;
  std::vector<std::uint64_t> weather_stream_id;
  /// The ambient of each weather level, ascending: level 0 is the usual ambient, then each
  /// hotter temperature of a class; while classes overlap the hottest holds.
  std::vector<double> weather_levels = {25.0};
  std::vector<int> weather_level_of;  ///< per class: the level it raises the ambient to
  /// Per class: the factor on grid event and call rates while it lasts; and the largest of
  /// each (at least 1), the rate at which candidates are drawn and thinned.
  std::vector<double> weather_grid_factor, weather_call_factor;
  double max_grid_factor = 1.0, max_call_factor = 1.0;
  std::uint64_t call_stream_id = 0;

  // Tenants (costs are computed from load timelines after the run).
  std::vector<Tenant> tenants;
  Economics economics;
};

Model compile(const Design& d);

/// A stable 64-bit hash of a name (FNV-1a), for keying random streams.
std::uint64_t name_hash(const std::string& name);

}  // namespace ridethrough::topology
