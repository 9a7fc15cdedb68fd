// The design format's keys, each once: where it goes and what feature it brings in. A new key
// is one line here, or in its kind's file (topology/kinds/), and its reading in the loader.
#include "topology/keys.hpp"

#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

/// The keys of every component and of the design's other blocks; each kind's own keys are in
/// its file (topology/kinds/). A table, one line per key, so longer than a function should be.
std::vector<DesignKey> common_keys() {
  using F = Feature;
  constexpr F none = kNoFeature;
  return {
      // The design.
      {"", "version", none},
      {"", "name", none},
      {"", "horizon", none},
      {"", "warmup", none},
      {"", "crews", F::SharedCrews},
      {"", "spares", F::SparePools},
      {"", "components", none},
      {"", "common_cause", F::CommonCause},
      {"", "loads", none},
      {"", "tenants", F::TenantCosts},
      {"", "economics", F::Economics},
      {"", "options", none},  // read by `optimize` only, which runs the variants it makes
      {"", "grid", none},
      {"", "weather", F::Weather},
      {"weather", "ambient", F::Weather},
      {"weather", "events", F::Weather},
      {"weather.events[]", "name", F::Weather},
      {"weather.events[]", "rate", F::Weather},
      {"weather.events[]", "duration", F::Weather},
      {"weather.events[]", "season", F::Weather},
      {"weather.events[]", "ambient", F::Weather},
      {"weather.events[]", "grid_event_factor", F::Weather},
      {"weather.events[]", "call_factor", F::Weather},
      {"weather.events[].season", "peak", F::Weather},
      {"weather.events[].season", "amplitude", F::Weather},
      {"spares.*", "stock", F::SparePools},
      {"spares.*", "lead_time", F::SparePools},
      // Components: keys of every kind, then each kind's own.
      {"components.*", "kind", none},
      {"components.*", "capacity", F::BindingCapacity},
      {"components.*", "failure", none},  // its law decides: see features_of
      {"components.*", "repair", none},
      {"components.*", "maintenance", F::Maintenance},
      {"components.*", "use", none},  // a catalogue record: its keys bring their features
      {"components.*", "cost", F::Economics},
      {"components.*.cost", "capex", F::Economics},
      {"components.*.cost", "annual_opex", F::Economics},
      {"components.*", "spare_pool", F::SparePools},
      {"components.*", "powered_by", none},
      {"components.*", "power_draw", none},
      {"components.*", "count", none},
      {"components.*.maintenance", "interval", F::Maintenance},
      {"components.*.maintenance", "duration", F::Maintenance},
      {"components.*.maintenance", "offset", F::Maintenance},
      {"components.*.maintenance", "crew", F::MaintenanceCrew},
      {"components.*.maintenance", "defer_if_unsafe", F::MaintenanceDeferral},
      {"components.*.maintenance", "human_error", F::Maintenance},
      // Laws (failure, repair, standby_failure, event and call durations): the feature is that
      // of where the law is used, and of its kind for failures and repairs (features_of).
      {"law:exponential", "dist", none},
      {"law:exponential", "mean", none},
      {"law:weibull", "dist", F::NonExponentialFailure},
      {"law:weibull", "shape", F::NonExponentialFailure},
      {"law:weibull", "scale", F::NonExponentialFailure},
      {"law:lognormal", "dist", F::NonExponentialFailure},
      {"law:lognormal", "median", F::NonExponentialFailure},
      {"law:lognormal", "sigma", F::NonExponentialFailure},
      {"law:fixed", "dist", F::NonExponentialFailure},
      {"law:fixed", "value", F::NonExponentialFailure},
      {"law:exponential", "uncertainty", F::ParameterUncertainty},
      {"law:weibull", "uncertainty", F::ParameterUncertainty},
      {"law:lognormal", "uncertainty", F::ParameterUncertainty},
      {"law:fixed", "uncertainty", F::ParameterUncertainty},
      {"uncertainty", "error_factor", F::ParameterUncertainty},
      {"uncertainty", "shared", F::ParameterUncertainty},
      {"common_cause[]", "group", F::CommonCause},
      {"common_cause[]", "beta", F::CommonCause},
      // Loads.
      {"loads.*", "demand", none},
      {"loads.*", "power", none},
      {"loads.*", "cooling", none},
      {"loads.*", "thermal_ride_through", F::ThermalRideThrough},
      {"loads.*", "priority", none},
      {"loads.*", "shed_order", none},  // the admission rule every analysis shares
      {"loads.*", "tenant", F::TenantCosts},
      {"loads.*", "divisible", F::DivisibleLoads},
      {"loads.*", "steps", F::DivisibleLoads},
      {"loads.*", "hosts", F::ClusterWorkload},
      // Tenants.
      {"tenants.*", "monthly_fee", F::TenantCosts},
      {"tenants.*", "sla", F::TenantCosts},
      {"tenants.*", "workload", F::TenantCosts},
      {"tenants.*.sla", "period", F::TenantCosts},
      {"tenants.*.sla", "credits", F::TenantCosts},
      {"tenants.*.sla", "per_incident", F::TenantCosts},
      {"tenants.*.sla", "cap", F::TenantCosts},
      {"tenants.*.sla.credits[]", "below", F::TenantCosts},
      {"tenants.*.sla.credits[]", "credit", F::TenantCosts},
      {"tenants.*.workload:training", "kind", F::TenantCosts},
      {"tenants.*.workload:training", "checkpoint_interval", F::TenantCosts},
      {"tenants.*.workload:training", "restart_time", F::TenantCosts},
      {"tenants.*.workload:training", "cost_per_hour", F::TenantCosts},
      {"tenants.*.workload:mining", "kind", F::TenantCosts},
      {"tenants.*.workload:mining", "revenue_per_mwh", F::TenantCosts},
      {"tenants.*.workload:cluster", "kind", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "cost_per_gpu_hour", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "hosts", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "gpus_per_host", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "host_bandwidth", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "storage_bandwidth", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "placement", F::ClusterWorkload},
      {"tenants.*.workload:cluster", "jobs", F::ClusterWorkload},
      {"tenants.*.workload:cluster.jobs[]", "name", F::ClusterWorkload},
      {"tenants.*.workload:cluster.jobs[]", "hosts", F::ClusterWorkload},
      {"tenants.*.workload:cluster.jobs[]", "checkpoint_interval", F::ClusterWorkload},
      {"tenants.*.workload:cluster.jobs[]", "checkpoint_size", F::ClusterWorkload},
      {"tenants.*.workload:cluster.jobs[]", "restart_overhead", F::ClusterWorkload},
      // Money, the grid, options.
      {"economics", "capex", F::Economics},
      {"economics", "annual_opex", F::Economics},
      {"economics", "years", F::Economics},
      {"economics", "discount_rate", F::Economics},
      {"economics", "crew_cost_per_year", F::Economics},
      {"economics", "spare_unit_cost", F::Economics},
      {"grid", "curtailment", F::CurtailmentCalls},
      {"grid.curtailment", "rate", F::CurtailmentCalls},
      {"grid.curtailment", "duration", F::CurtailmentCalls},
      {"grid.curtailment", "limit", F::CurtailmentCalls},
      {"grid.curtailment", "notice", F::CurtailmentCalls},
      {"grid.curtailment", "price_per_mwh", F::CurtailmentCalls},
      {"grid.curtailment", "penalty_per_mwh", F::CurtailmentCalls},
      {"grid.curtailment", "sources", F::CurtailmentCalls},
      {"grid.curtailment", "generators", F::CallGenerators},
      {"grid.curtailment", "generator_cost_per_mwh", F::CallGenerators},
      {"options[]", "path", none},
      {"options[]", "values", none},
      {"options[]", "capex", none},
      // Templates are stamped into the flat design before anything reads it.
      {"", "templates", none},
      {"", "instances", none},
      {"templates.*", "params", none},
      {"templates.*", "spares", none},
      {"templates.*", "components", none},
      {"templates.*", "loads", none},
      {"templates.*", "tenants", none},
      {"templates.*", "common_cause", none},
      {"templates.*", "instances", none},
      {"instances[]", "template", none},
      {"instances[]", "count", none},
      {"instances[]", "first", none},
      {"instances[]", "with", none},
      {"instances[]", "each", none},
      // Portfolio files (`ridethrough portfolio`): sites are design files.
      {"portfolio:", "version", none},
      {"portfolio:", "name", none},
      {"portfolio:", "sites", none},
      {"portfolio:", "regional_events", none},
      {"portfolio:regional_events[]", "name", none},
      {"portfolio:regional_events[]", "rate", none},
      {"portfolio:regional_events[]", "duration", none},
      {"portfolio:regional_events[]", "hits", none},
      {"portfolio:regional_events[]", "season", none},
      {"portfolio:regional_events[].season", "peak", none},
      {"portfolio:regional_events[].season", "amplitude", none},
  };
}

}  // namespace

const std::vector<DesignKey>& design_keys() {
  static const std::vector<DesignKey> keys = [] {
    std::vector<DesignKey> all = common_keys();
    for (const auto* k : kinds())
      for (DesignKey key : k->keys) {
        if (key.scope == "components.*") key.kind = k->name;
        all.push_back(key);
      }
    return all;
  }();
  return keys;
}

std::vector<std::string> keys_of(std::string_view scope, std::string_view kind) {
  std::vector<std::string> out;
  for (const auto& k : design_keys())
    if (k.scope == scope && (k.kind.empty() || k.kind == kind)) out.emplace_back(k.key);
  return out;
}

std::string kind_of_key(std::string_view key) {
  for (const auto& k : design_keys())
    if (k.scope == "components.*" && k.key == key && !k.kind.empty()) return std::string(k.kind);
  return {};
}

}  // namespace ridethrough::topology
