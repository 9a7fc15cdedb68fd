#pragma once
// How an outage is priced, in one place: a tenant's incidents, its SLA months, its workload
// (experiments/workloads/), and what curtailment calls earn and cost.
#include <vector>

#include "failure_models/replication.hpp"
#include "topology/design.hpp"
#include "topology/model.hpp"

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

/// SLA costs of the months of one replication from a tenant's incidents (0 without an SLA).
void price_sla(const topology::Tenant& t, const std::vector<Interval>& incidents, double horizon,
               TenantCost& c);

/// All costs of one tenant in one replication. `loads` are the tenant's loads' down intervals
/// with their demands (kW).
/// `shortfall_kwh`: per load, energy not delivered while it received part of its demand.
TenantCost tenant_cost(const topology::Tenant& t,
                       const std::vector<const std::vector<Interval>*>& loads,
                       const std::vector<double>& demands, double horizon,
                       const std::vector<double>& shortfall_kwh = {});

/// What the curtailment calls of one replication earn (the import given up: flexible load
/// shed, and load the call generators carried while a limit was on), cost (the critical import
/// above a call's limit, and running the call generators) and shed.
struct CallMoney {
  double revenue = 0.0, penalty = 0.0, mwh_shed = 0.0;
  double generator_cost = 0.0, mwh_generated = 0.0;
  double net = 0.0;  ///< penalty + generator cost - revenue, what the calls cost the site
};
CallMoney call_money(const topology::Model& m, const failure_models::ReplicationResult& r);

}  // namespace ridethrough::experiments
