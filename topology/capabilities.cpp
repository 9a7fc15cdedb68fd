// What each analysis handles, in one place: one declaration per analysis, one line per
// feature. The solvers refuse from here (`assess`), the CLI prints from here, the README's table
// is this file, and tests/topology/test_capabilities.cpp checks that every analysis declares
// every feature and that every key of the format brings in a declared feature.
#include "topology/capabilities.hpp"

#include <array>

namespace ridethrough::topology {

namespace {

using F = Feature;
using S = Support;

struct Line {
  Feature feature;
  Support support;
  const char* note;
};

// Notes shared by several declarations.
constexpr const char* kNoCosts =
    "gives availabilities and outage figures, not tenant costs or economics";
constexpr const char* kStaticRule =
    "the static admission rule: generators run if up, switches follow their first live input, a "
    "UPS passes power only while fed, chillers run while powered, delays and ride-through are "
    "ignored";

constexpr const char* kStatedValues =
    "at the stated values (the medians of the uncertain parameters); `run`, `compare` and "
    "`sweep` with --uncertainty K propagate the spread";

/// A plain run is the reference: it handles everything.
std::vector<Line> run_lines() {
  std::vector<Line> v;
  for (int f = 0; f < kFeatureCount; ++f) v.push_back({static_cast<F>(f), S::Handled, ""});
  return v;
}

std::vector<Line> exact_lines() {
  const char* markov = "is not Markovian";
  return {
      {F::GridEvents, S::Handled,
       "a feed with grid events is down a share 1 - exp(-sum of rate x mean duration) of the "
       "time and goes down at rate (sum of rates) x exp(-...), whatever the duration law "
       "(M/G/infinity), independently of everything else"},
      {F::SeasonalEvents, S::Refused, "seasonal grid events have no steady state"},
      {F::CurtailmentCalls, S::Refused,
       "curtailment calls shed flexible loads by a limit the chain does not model"},
      {F::Generators, S::Refused, "start delays and start failures are not Markovian"},
      {F::Switches, S::Refused, "transfers and their delays are not Markovian"},
      {F::Ups, S::Refused, "battery charge is not Markovian"},
      {F::BatteryEnergy, S::Refused, "battery charge is not Markovian"},
      {F::CoolingRestart, S::Refused, "a restart time is not Markovian"},
      {F::ThermalRideThrough, S::Refused, "a thermal budget is not Markovian"},
      {F::StandbyFailures, S::Refused, "hidden failures found at demands are not Markovian"},
      {F::GeneratorTests, S::Refused, "periodic tests are not Markovian"},
      {F::Fuel, S::Refused, "a fuel tank is not Markovian"},
      {F::Refuel, S::Refused, "fuel deliveries are not Markovian"},
      {F::NonExponentialFailure, S::Refused, markov},
      {F::NonExponentialRepair, S::Refused, markov},
      {F::Maintenance, S::Refused, "periodic maintenance is not Markovian"},
      {F::MaintenanceCrew, S::Refused, "periodic maintenance is not Markovian"},
      {F::MaintenanceDeferral, S::Refused, "periodic maintenance is not Markovian"},
      {F::SparePools, S::Refused, "lead times of spares are not Markovian"},
      {F::SharedCrews, S::Handled, "first-come crews: the chain of failed-component sequences"},
      {F::CommonCause, S::Handled, "shocks as transitions of the crew chain"},
      {F::BindingCapacity, S::Handled,
       "every state evaluated by the admission rule (full enumeration, or the chain)"},
      {F::DivisibleLoads, S::NotEstimated,
       "a load shed in part counts as up while it gets any share; the energy it is short is not "
       "computed"},
      {F::TenantCosts, S::NotEstimated, kNoCosts},
      {F::ClusterWorkload, S::NotEstimated, kNoCosts},
      {F::Economics, S::NotEstimated, kNoCosts},
      {F::ParameterUncertainty, S::Approximated, kStatedValues},
      {F::Weather, S::Refused,
       "weather events change the cooling capacity over time, which the chain does not model"},
      {F::CallGenerators, S::Refused,
       "generators started for calls depend on when calls come, which the chain does not model"},
  };
}

/// Balanced failure biasing simulates regenerative cycles of failures and repairs only.
std::vector<Line> failure_biasing_lines() {
  const char* only = "failure biasing simulates failures and repairs only";
  const char* costs =
      "estimates availabilities and outage frequencies, not tenant costs or economics";
  std::vector<Line> v = exact_lines();
  for (auto& l : v) {
    if (l.support == S::Refused) l.note = only;
  }
  auto set = [&](F f, S s, const char* note) {
    for (auto& l : v)
      if (l.feature == f) l = {f, s, note};
  };
  set(F::GridEvents, S::Refused, "grid events are not failures with a repair");
  set(F::NonExponentialRepair, S::Handled, "repair times are drawn when repairs start");
  set(F::SharedCrews, S::Handled, "first-come crews");
  set(F::CommonCause, S::Handled, "shocks are failure events, biased like the others");
  set(F::BindingCapacity, S::Handled, "states evaluated by the admission rule");
  set(F::DivisibleLoads, S::NotEstimated, "the energy a load shed in part is short");
  set(F::TenantCosts, S::NotEstimated, costs);
  set(F::ClusterWorkload, S::NotEstimated, costs);
  set(F::Economics, S::NotEstimated, costs);
  return v;
}

/// Splitting runs the full simulation; only what depends on a whole replication's path is
/// left out, since copies share their past.
std::vector<Line> splitting_lines() {
  const char* costs =
      "tenant costs are not estimated (SLA credits depend on a whole month's downtime and "
      "training losses on whole outages, which the copies of a trajectory do not each see)";
  std::vector<Line> v = run_lines();
  for (auto& l : v) {
    if (l.feature == F::TenantCosts || l.feature == F::ClusterWorkload || l.feature == F::Economics)
      l = {l.feature, S::NotEstimated, costs};
    if (l.feature == F::DivisibleLoads)
      l = {l.feature, S::NotEstimated, "the energy a load shed in part is short"};
    if (l.feature == F::ParameterUncertainty) l = {l.feature, S::Approximated, kStatedValues};
  }
  return v;
}

std::vector<Line> check_lines() {
  std::vector<Line> v = run_lines();
  auto set = [&](F f, S s, const char* note) {
    for (auto& l : v)
      if (l.feature == f) l = {f, s, note};
  };
  for (F f : {F::Generators, F::Switches, F::Ups, F::BatteryEnergy, F::CoolingRestart,
              F::ThermalRideThrough, F::StandbyFailures, F::GeneratorTests, F::Fuel, F::Refuel})
    set(f, S::Approximated, kStaticRule);
  set(F::CommonCause, S::Approximated,
      "cut sets are sets of components down; a common-cause shock takes a whole group down at "
      "once, so any cut set within one group is a single event");
  set(F::CurtailmentCalls, S::Handled, "calls never shed a critical load");
  set(F::ParameterUncertainty, S::Approximated, kStatedValues);
  set(F::Weather, S::Approximated,
      "at the usual ambient: weather events are left out, derates taken at the usual ambient");
  set(F::CallGenerators, S::Approximated,
      "the static rule (generators run if up, switches follow their first live input): a call "
      "moving switches onto generators, and its fuel cost, are left out");
  for (F f : {F::TenantCosts, F::ClusterWorkload, F::Economics})
    set(f, S::Handled, "structure only: costs do not change what a state serves");
  return v;
}

/// The Open-PSA export writes the static structure (check's rule) as minimal cut sets of
/// basic events whose probability is each component's steady unavailability.
std::vector<Line> export_lines() {
  std::vector<Line> v = check_lines();
  auto set = [&](F f, S s, const char* note) {
    for (auto& l : v)
      if (l.feature == f) l = {f, s, note};
  };
  const char* demand =
      "the static rule (check's); start and transfer failure probabilities are folded into the "
      "component's basic event; delays, batteries, restarts and ride-through have no static "
      "equivalent";
  for (F f : {F::Generators, F::Switches, F::Ups, F::BatteryEnergy, F::CoolingRestart,
              F::ThermalRideThrough, F::StandbyFailures, F::GeneratorTests, F::Fuel, F::Refuel})
    set(f, S::Approximated, demand);
  set(F::Switches, S::Approximated,
      "the static rule (check's); a switch's transfer fail_prob is folded into its basic event; "
      "transfer delays and the human error of planned transfers (how often a switch returns is "
      "not static) are left out");
  set(F::GridEvents, S::Handled, "a feed with events is down a share 1 - exp(-sum of rate x mean)");
  set(F::SeasonalEvents, S::Approximated, "the mean rate over the year");
  set(F::Maintenance, S::Approximated,
      "the share of time in maintenance is added to the basic event, as if independent of the "
      "rest (windows are in fact scheduled)");
  set(F::MaintenanceCrew, S::Approximated, "crews are not modelled: repairs are independent");
  set(F::MaintenanceDeferral, S::Approximated, "windows are not deferred");
  set(F::SharedCrews, S::Approximated,
      "each basic event's probability assumes its own repair crew (independent repair)");
  set(F::SparePools, S::Approximated, "spares and their lead times are left out");
  set(F::CommonCause, S::Approximated,
      "a group's shock is a basic event of its own, ORed with each member, with probability "
      "rate x the members' mean repair time; MEF's beta-factor model is not ours (our shocks "
      "fail the members that are up, each repaired on its own)");
  set(F::BindingCapacity, S::Handled,
      "the exact structure as its minimal cut sets where it is coherent; refused where it is "
      "not (admission order or shared capacity make more down serve more)");
  for (F f : {F::DivisibleLoads, F::TenantCosts, F::ClusterWorkload, F::Economics})
    set(f, S::NotEstimated, "a fault tree of critical loads: no costs, no energy");
  return v;
}

}  // namespace

const char* analysis_name(Analysis a) {
  switch (a) {
    case Analysis::Run:
      return "run";
    case Analysis::Exact:
      return "exact";
    case Analysis::FailureBiasing:
      return "failure biasing (--importance-sampling)";
    case Analysis::Splitting:
      return "splitting";
    case Analysis::Check:
      return "check";
    case Analysis::Importance:
      return "importance";
    case Analysis::Sensitivity:
      return "sensitivity";
    case Analysis::Optimize:
      return "optimize";
    case Analysis::Portfolio:
      return "portfolio";
    case Analysis::Checkpoint:
      return "checkpoints";
    case Analysis::Export:
      return "export (open-psa)";
    case Analysis::kCount:
      break;
  }
  return "?";
}

namespace {

/// Every declaration, built once.
const std::array<std::vector<Line>, kAnalysisCount>& declarations() {
  static const std::array<std::vector<Line>, kAnalysisCount> all = [] {
    std::array<std::vector<Line>, kAnalysisCount> d;
    d[static_cast<int>(Analysis::Run)] = run_lines();
    d[static_cast<int>(Analysis::Exact)] = exact_lines();
    d[static_cast<int>(Analysis::FailureBiasing)] = failure_biasing_lines();
    d[static_cast<int>(Analysis::Splitting)] = splitting_lines();
    d[static_cast<int>(Analysis::Check)] = check_lines();
    d[static_cast<int>(Analysis::Export)] = export_lines();
    // These run the full simulation on variants of the design (importance: each component
    // perfect and failed; sensitivity: each parameter scaled; optimize: each option), or the
    // design itself in several pieces (portfolio, checkpoints).
    for (Analysis a : {Analysis::Importance, Analysis::Sensitivity, Analysis::Optimize,
                       Analysis::Portfolio, Analysis::Checkpoint}) {
      d[static_cast<int>(a)] = run_lines();
      for (auto& l : d[static_cast<int>(a)])
        if (l.feature == F::ParameterUncertainty) l = {l.feature, S::Approximated, kStatedValues};
    }
    for (auto& l : d[static_cast<int>(Analysis::Optimize)])
      if (l.feature == F::ParameterUncertainty)
        l = {l.feature, S::Approximated,
             "searches at the stated values; --uncertainty K then runs the best five feasible "
             "choices over K parameter draws (spread, P(meets --require), P(beats the best))"};
    return d;
  }();
  return all;
}

const Line* find_line(Analysis a, Feature f) {
  for (const auto& l : declarations()[static_cast<int>(a)])
    if (l.feature == f) return &l;
  return nullptr;
}

}  // namespace

bool declared(Analysis a, Feature f) {
  return find_line(a, f) != nullptr;
}

Verdict capability(Analysis a, Feature f) {
  const Line* l = find_line(a, f);
  if (!l)
    return {Support::Refused, std::string(analysis_name(a)) +
                                  " does not declare what it does with " + feature_name(f)};
  return {l->support, l->note};
}

std::string Assessment::refusal_text() const {
  std::string s;
  for (const auto& r : refusals) s += r + "\n";
  return s;
}

namespace {

/// "component 'gen1'", or for several "components 'gen1', 'gen2'" (a counted group refused
/// once, not once per copy).
std::string places_text(const std::vector<std::string>& places) {
  if (places.size() == 1) return places[0];
  const std::string component = "component ";
  bool all_components = true;
  for (const auto& p : places) all_components = all_components && p.rfind(component, 0) == 0;
  std::string s = all_components ? "components " : "";
  for (std::size_t k = 0; k < places.size(); ++k)
    s += (k ? ", " : "") + (all_components ? places[k].substr(component.size()) : places[k]);
  return s;
}

}  // namespace

Assessment assess(Analysis a, const Model& m) {
  Assessment out;
  // Approximations and figures left out are said once per note, naming every feature it
  // covers ("generators, transfer switches: the static admission rule ...").
  std::vector<std::pair<std::string, std::string>> approximated, left_out;  // note, features
  // Refusals are said once per feature, naming every place that uses it.
  std::vector<std::pair<std::string, std::vector<std::string>>> refused;  // "(feature): note"
  auto add = [](std::vector<std::pair<std::string, std::string>>& list, const std::string& note,
                const char* feature) {
    for (auto& [n, features] : list)
      if (n == note) {
        if (features.find(feature) == std::string::npos) features += std::string(", ") + feature;
        return;
      }
    list.emplace_back(note, feature);
  };
  for (const auto& use : features_of(m)) {
    const Verdict v = capability(a, use.feature);
    const char* what = feature_name(use.feature);
    switch (v.support) {
      case Support::Handled:
        break;
      case Support::Refused: {
        const std::string key = std::string(" (") + what + "): " + v.note;
        if (refused.empty() || refused.back().first != key) refused.push_back({key, {}});
        refused.back().second.push_back(use.where);
        break;
      }
      case Support::Approximated:
        add(approximated, v.note, what);
        break;
      case Support::NotEstimated:
        add(left_out, v.note, what);
        break;
    }
  }
  for (const auto& [key, places] : refused) out.refusals.push_back(places_text(places) + key);
  for (const auto& [note, features] : approximated)
    out.approximations.push_back(features + ": " + note);
  for (const auto& [note, features] : left_out) out.not_estimated.push_back(features + ": " + note);
  return out;
}

}  // namespace ridethrough::topology
