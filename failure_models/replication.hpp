#pragma once
#include <cstdint>
#include <vector>

namespace ridethrough::failure_models {

/// One interval during which a load (or the facility) was down. Times are measured from the end
/// of the warmup, so the measured span is [0, horizon]; `start` < 0 means it began during the
/// warmup, and `end` > horizon that it was followed past the horizon to its end.
struct Interval {
  double start = 0.0;
  double end = 0.0;
  /// The components down when it began: blame[blame_begin, blame_end) of its replication.
  std::uint32_t blame_begin = 0, blame_end = 0;
  /// It began with the load shed: a live path reached it, but capacity was short and the
  /// admission rule served others (for the facility: the critical load that took it down).
  bool shed = false;
  /// Its mechanism: why[why_begin, why_end) of its replication (codes of mechanism.hpp).
  std::uint32_t why_begin = 0, why_end = 0;
};

/// An outage imposed on a source from outside the site (a regional event of a portfolio): the
/// source is down from `start` to `end` (hours from the start of the replication), blamed on
/// `cause` (an index into Model::cause_names).
struct ExternalOutage {
  int component = -1;
  double start = 0.0, end = 0.0;
  int cause = -1;
};

/// Everything one replication produced; the statistics are derived from it afterwards, so the
/// engine itself knows nothing about summaries, SLAs or money.
struct ReplicationResult {
  std::uint64_t index = 0;
  std::uint64_t events = 0;
  std::vector<std::vector<Interval>> load_down;  ///< per load
  std::vector<Interval> facility_down;           ///< any critical load down
  std::vector<int> blame;  ///< cause indices (Model::cause_names), see Interval
  std::vector<int> why;    ///< mechanism codes (mechanism.hpp), see Interval
  std::vector<std::uint32_t> component_failures;  ///< within the measured span
  std::vector<double> component_downtime;         ///< hours within the measured span
  std::vector<std::uint32_t> component_windows;   ///< maintenance windows begun in the span
  /// Hours within the span during which the component was down while the facility was down
  /// (Fussell-Vesely: divided by the facility downtime).
  std::vector<double> component_facility_overlap;
  std::vector<double> component_deferred;  ///< hours maintenance waited while it was unsafe
  /// Whether the component's own laws acted in the whole replication (it left service, or an
  /// event of its life, standby life or maintenance came up, stale or not): where they did
  /// not, the same replication with the component made perfect is this one, bit for bit
  /// (importance shares the work, see DesignRun). Starts, transfers, batteries and restarts
  /// happen alike in both; its draws on demand all succeeded.
  std::vector<char> component_touched;
  /// Per load: kWh not delivered within the span while it received part of its demand (a
  /// divisible load; the time it received none is in its outages).
  std::vector<double> load_shortfall_kwh;
  /// Curtailment calls: begun in the span; kWh flexible loads gave up because of them; kWh
  /// the critical loads imported above the limit.
  std::uint32_t calls = 0;
  double call_shed_kwh = 0.0, call_excess_kwh = 0.0;
  /// kWh the call generators carried while a call was made (what they are paid to burn), and
  /// while its limit was on (what the call pays for as a reduction of the import).
  double call_generator_kwh = 0.0, call_generated_kwh = 0.0;
  /// Per grid event class (Model::event_*): events begun in the span, and their hours in it.
  std::vector<std::uint32_t> event_count;
  std::vector<double> event_hours;
  /// Outages still going at the end of the follow-up, closed there (SPEC section 2).
  std::uint32_t closed_at_limit = 0;

  void reset(int loads, int components, int event_classes = 0) {
    events = 0;
    load_shortfall_kwh.assign(loads, 0.0);
    calls = 0;
    call_shed_kwh = call_excess_kwh = call_generator_kwh = call_generated_kwh = 0.0;
    event_count.assign(event_classes, 0);
    event_hours.assign(event_classes, 0.0);
    closed_at_limit = 0;
    component_windows.assign(components, 0);
    component_facility_overlap.assign(components, 0.0);
    component_deferred.assign(components, 0.0);
    component_touched.assign(components, 0);
    load_down.resize(loads);
    for (auto& v : load_down) v.clear();
    facility_down.clear();
    blame.clear();
    why.clear();
    component_failures.assign(components, 0);
    component_downtime.assign(components, 0.0);
  }
};

}  // namespace ridethrough::failure_models
