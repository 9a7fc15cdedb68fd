#pragma once
#include <string>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::topology {

/// What a design can use beyond components that fail, get repaired and pass flow. Every
/// analysis declares, for each of these, whether it handles it, approximates it, leaves its
/// figures out, or refuses it (topology/capabilities.hpp); every key of the design format
/// brings in one of these or none (topology/keys.hpp). A new feature is a line here, a line in
/// `features_of`, and a declaration in every analysis: a test fails until all three exist.
enum class Feature : int {
  GridEvents,             ///< a source with grid event classes
  SeasonalEvents,         ///< a grid event class whose rate follows the seasons
  CurtailmentCalls,       ///< grid curtailment calls
  Generators,             ///< standby generators: starts, start failures, running life
  Switches,               ///< transfer switches: transfers, delays, transfer failures
  Ups,                    ///< UPS batteries
  BatteryEnergy,          ///< a UPS whose runtime depends on the load it carries
  CoolingRestart,         ///< a chiller's restart time
  ThermalRideThrough,     ///< a load's thermal budget
  StandbyFailures,        ///< hidden failures of idle generators
  GeneratorTests,         ///< periodic generator test runs
  Fuel,                   ///< generator fuel tanks
  Refuel,                 ///< fuel deliveries with a delay and a failure probability
  NonExponentialFailure,  ///< a failure law other than exponential
  NonExponentialRepair,   ///< a repair law other than exponential
  Maintenance,            ///< scheduled maintenance windows
  MaintenanceCrew,        ///< maintenance that waits for a crew
  MaintenanceDeferral,    ///< maintenance postponed while it would drop a load
  SparePools,             ///< repairs that wait for a spare
  SharedCrews,            ///< a limited number of repair crews
  CommonCause,            ///< common-cause groups (beta factor)
  BindingCapacity,        ///< a capacity that can bind (service is then not monotone)
  DivisibleLoads,         ///< flexible loads shed in part
  TenantCosts,            ///< tenants with SLA credits or workloads priced per outage
  ClusterWorkload,        ///< AI training clusters simulated on SimGrid
  Economics,              ///< capex, opex and the expected total cost
  ParameterUncertainty,   ///< laws or probabilities with an error factor
  Weather,                ///< weather events, and cooling derated with the ambient
  CallGenerators,         ///< generators run to carry the load through curtailment calls
  kCount
};

constexpr int kFeatureCount = static_cast<int>(Feature::kCount);

/// A short name for messages ("grid events").
const char* feature_name(Feature f);

/// One use of a feature in a design, and where: "component 'utility'".
struct FeatureUse {
  Feature feature;
  std::string where;
};

/// Every use of every feature in a compiled design, in feature order, then design order.
std::vector<FeatureUse> features_of(const Model& m);

/// True if the design uses `f` anywhere.
bool uses(const std::vector<FeatureUse>& uses, Feature f);

/// Whether a component can ever be down or fail to serve: a failure law, grid events, a
/// standby life, a start or transfer failure probability, maintenance, or a common-cause group.
/// A component that cannot (a bus with no failure law) is structural.
bool can_be_down(const Model& m, int c);

/// The long-run share of time a component is down on its own account, with unlimited crews and
/// spares: MTTR / (MTTF + MTTR) for a failure law (running hours for a generator), 1 -
/// exp(-sum of rate x mean duration) for grid events (the busy share of an M/G/infinity queue,
/// whatever the duration law), plus the share of time in maintenance. 0 if it cannot fail.
double steady_unavailability(const Model& m, int c);

/// The probability a component is down or fails when asked, as a static fault tree takes it:
/// steady_unavailability with the start and transfer failure probabilities folded in
/// (independent repair, every demand answered as if it came at a random time).
double basic_event_probability(const Model& m, int c);

}  // namespace ridethrough::topology
