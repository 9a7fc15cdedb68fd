#pragma once
#include <vector>

#include "failure_models/replication.hpp"
#include "topology/design.hpp"

namespace ridethrough::experiments {

using failure_models::Interval;

/// One tenant's costs in one replication.
struct TenantCost {
  double sla = 0.0;       ///< SLA credits and per-incident penalties, summed over months
  double workload = 0.0;  ///< lost work (training) or lost revenue (mining)
  int months = 0;
  int breach_months = 0;  ///< months with a non-zero SLA cost
  double total() const { return sla + workload; }
};

/// Sorted union of intervals: a tenant's incidents are the maximal intervals during which at
/// least one of its loads is down.
std::vector<Interval> merge_intervals(std::vector<Interval> all);

/// SLA cost of one month (SPEC section 2 "Costs"): the credit of the band with the smallest
/// `below` that `availability` is strictly below, times the fee, plus `per_incident` per
/// incident started in the month, capped at `cap` times the fee.
double month_sla_cost(const topology::Tenant& t, double availability, int incidents_started);

/// Hours a training job is charged for: down, restarting, and running work lost since its last
/// checkpoint at each interruption. `incidents` are merged, measured from the end of the warmup;
/// the job starts fresh at time 0.
double training_hours(const std::vector<Interval>& incidents, double checkpoint_interval,
                      double restart_time);

/// All costs of one tenant in one replication. `loads` are the tenant's loads' down intervals
/// with their demands (kW).
/// `shortfall_kwh`: per load, energy not delivered while it received part of its demand.
TenantCost tenant_cost(const topology::Tenant& t,
                       const std::vector<const std::vector<Interval>*>& loads,
                       const std::vector<double>& demands, double horizon,
                       const std::vector<double>& shortfall_kwh = {});

}  // namespace ridethrough::experiments
