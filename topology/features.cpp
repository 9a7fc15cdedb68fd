#include "topology/features.hpp"

#include <algorithm>
#include <cmath>

namespace ridethrough::topology {

const char* feature_name(Feature f) {
  switch (f) {
    case Feature::GridEvents:
      return "grid events";
    case Feature::SeasonalEvents:
      return "seasonal grid events";
    case Feature::CurtailmentCalls:
      return "curtailment calls";
    case Feature::Generators:
      return "generators";
    case Feature::Switches:
      return "transfer switches";
    case Feature::Ups:
      return "UPS batteries";
    case Feature::BatteryEnergy:
      return "UPS battery energy";
    case Feature::CoolingRestart:
      return "chiller restart times";
    case Feature::ThermalRideThrough:
      return "thermal ride-through";
    case Feature::StandbyFailures:
      return "generator standby failures";
    case Feature::GeneratorTests:
      return "generator tests";
    case Feature::Fuel:
      return "generator fuel";
    case Feature::Refuel:
      return "fuel deliveries";
    case Feature::NonExponentialFailure:
      return "non-exponential failure laws";
    case Feature::NonExponentialRepair:
      return "non-exponential repair laws";
    case Feature::Maintenance:
      return "maintenance";
    case Feature::MaintenanceCrew:
      return "maintenance crews";
    case Feature::MaintenanceDeferral:
      return "maintenance deferral";
    case Feature::SparePools:
      return "spare pools";
    case Feature::SharedCrews:
      return "shared repair crews";
    case Feature::CommonCause:
      return "common cause";
    case Feature::BindingCapacity:
      return "capacities that can bind";
    case Feature::DivisibleLoads:
      return "loads shed in part";
    case Feature::TenantCosts:
      return "tenant costs";
    case Feature::ClusterWorkload:
      return "cluster workloads";
    case Feature::Economics:
      return "economics";
    case Feature::ParameterUncertainty:
      return "parameter uncertainty";
    case Feature::Weather:
      return "weather";
    case Feature::CallGenerators:
      return "generators run for calls";
    case Feature::kCount:
      break;
  }
  return "?";
}

namespace {

bool non_exponential(const Law& law) {
  return law.kind != LawKind::Never && law.kind != LawKind::Exponential;
}

/// What the design uses, per component: each feature once per component that brings it in.
void component_features(const Model& m, int c, std::vector<FeatureUse>& out) {
  const std::string at = "component '" + m.ids[c] + "'";
  auto add = [&](Feature f) { out.push_back({f, at}); };
  if (m.events.size(c) > 0) add(Feature::GridEvents);
  for (int j = m.events.begin(c); j < m.events.end(c); ++j)
    if (m.event_amplitude[m.events.idx[j]] > 0.0) {
      add(Feature::SeasonalEvents);
      break;
    }
  if (m.kind[c] == Kind::Generator) add(Feature::Generators);
  if (m.kind[c] == Kind::Switch) add(Feature::Switches);
  if (m.kind[c] == Kind::Ups) add(Feature::Ups);
  if (m.battery_energy[c] > 0.0) add(Feature::BatteryEnergy);
  if (m.restart[c] > 0.0) add(Feature::CoolingRestart);
  if (m.standby_failure[c].can_fail()) add(Feature::StandbyFailures);
  if (m.test_interval[c] > 0.0) add(Feature::GeneratorTests);
  if (m.fuel_tank[c] > 0.0) add(Feature::Fuel);
  if (m.fuel_tank[c] > 0.0 && m.refuel_delay[c] < kUnlimited) add(Feature::Refuel);
  if (non_exponential(m.failure[c])) add(Feature::NonExponentialFailure);
  if (m.failure[c].can_fail() && non_exponential(m.repair[c])) add(Feature::NonExponentialRepair);
  if (m.maintenance_interval[c] > 0.0) add(Feature::Maintenance);
  if (m.maintenance_interval[c] > 0.0 && m.maintenance_crew[c]) add(Feature::MaintenanceCrew);
  if (m.maintenance_interval[c] > 0.0 && m.maintenance_defer[c]) add(Feature::MaintenanceDeferral);
  if (m.spare_pool[c] >= 0) add(Feature::SparePools);
  if (m.uncertain[c]) add(Feature::ParameterUncertainty);
  if (!m.derate[c].empty()) add(Feature::Weather);
}

}  // namespace

std::vector<FeatureUse> features_of(const Model& m) {
  std::vector<FeatureUse> out;
  for (int c = 0; c < m.n; ++c) component_features(m, c, out);
  for (int l = 0; l < m.n_loads; ++l) {
    const std::string at = "load '" + m.load_ids[l] + "'";
    if (m.thermal_ride_through[l] > 0.0) out.push_back({Feature::ThermalRideThrough, at});
    if (m.load_steps[l] >= 0) out.push_back({Feature::DivisibleLoads, at});
  }
  if (m.call_rate > 0.0) out.push_back({Feature::CurtailmentCalls, "grid curtailment"});
  if (!m.weather_rate.empty()) out.push_back({Feature::Weather, "weather"});
  if (!m.call_generators.empty())
    out.push_back({Feature::CallGenerators, "grid curtailment generators"});
  if (m.call_rate > 0.0 && m.call_duration.uncertainty.present())
    out.push_back({Feature::ParameterUncertainty, "grid curtailment"});
  if (m.crews >= 0) out.push_back({Feature::SharedCrews, "crews: " + std::to_string(m.crews)});
  for (std::size_t g = 0; g < m.cc_members.size(); ++g)
    out.push_back({Feature::CommonCause, "common_cause group " + std::to_string(g + 1)});
  if (!m.power.capacity_free) out.push_back({Feature::BindingCapacity, "the power network"});
  if (!m.cooling.capacity_free) out.push_back({Feature::BindingCapacity, "the cooling network"});
  for (const auto& t : m.tenants) {
    const std::string at = "tenant '" + t.id + "'";
    if (t.workload == WorkloadKind::Cluster) out.push_back({Feature::ClusterWorkload, at});
    if (t.has_sla || t.workload != WorkloadKind::None) out.push_back({Feature::TenantCosts, at});
  }
  if (m.economics.present) out.push_back({Feature::Economics, "economics"});
  std::stable_sort(out.begin(), out.end(),
                   [](const FeatureUse& a, const FeatureUse& b) { return a.feature < b.feature; });
  return out;
}

bool uses(const std::vector<FeatureUse>& list, Feature f) {
  return std::any_of(list.begin(), list.end(), [f](const FeatureUse& u) { return u.feature == f; });
}

bool can_be_down(const Model& m, int c) {
  return m.failure[c].can_fail() || m.events.size(c) > 0 || m.standby_failure[c].can_fail() ||
         m.start_fail_prob[c] > 0.0 || m.transfer_fail_prob[c] > 0.0 ||
         m.transfer_human_error[c] > 0.0 || m.maintenance_interval[c] > 0.0 ||
         m.test_human_error[c] > 0.0 || m.forced_down[c] ||
         (m.fuel_tank[c] > 0.0 && m.kind[c] == Kind::Generator);
}

double steady_unavailability(const Model& m, int c) {
  if (m.forced_down[c]) return 1.0;
  double up = 1.0;
  if (m.failure[c].can_fail()) {
    const double mttf = m.failure[c].mean() * m.life_stretch[c], mttr = m.repair[c].mean();
    up *= mttf / (mttf + mttr);
  }
  double load = 0.0;  // offered load of the grid event classes: sum of rate x mean duration
  for (int j = m.events.begin(c); j < m.events.end(c); ++j) {
    const int k = m.events.idx[j];
    load += m.event_rate[k] * m.event_duration[k].mean();
  }
  up *= std::exp(-load);
  // A window that leaves the unit failed (human error) adds a repair to it.
  if (m.maintenance_interval[c] > 0.0)
    up *= 1.0 - (m.maintenance_duration[c] + m.maintenance_human_error[c] * m.repair[c].mean()) /
                    m.maintenance_interval[c];
  return 1.0 - up;
}

double basic_event_probability(const Model& m, int c) {
  return 1.0 - (1.0 - steady_unavailability(m, c)) * (1.0 - m.start_fail_prob[c]) *
                   (1.0 - m.transfer_fail_prob[c]);
}

}  // namespace ridethrough::topology
