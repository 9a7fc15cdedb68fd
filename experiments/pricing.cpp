#include "experiments/pricing.hpp"

#include <algorithm>
#include <cmath>

#include "experiments/workloads/workload.hpp"
#include "sim/intervals.hpp"

namespace ridethrough::experiments {

std::vector<Interval> merge_intervals(std::vector<Interval> all) {
  return sim::merge_overlapping(std::move(all));
}

double month_sla_cost(const topology::Tenant& t, double availability, int incidents_started) {
  double credit = 0.0, smallest_below = 2.0;
  for (const auto& band : t.credits) {
    if (availability < band.below && band.below < smallest_below) {
      smallest_below = band.below;
      credit = band.credit;
    }
  }
  double cost = credit * t.monthly_fee + t.per_incident * incidents_started;
  if (t.cap) cost = std::min(cost, *t.cap * t.monthly_fee);
  return cost;
}

void price_sla(const topology::Tenant& t, const std::vector<Interval>& incidents, double horizon,
               TenantCost& c) {
  if (!t.has_sla) return;
  c.months = static_cast<int>(std::lround(horizon / topology::kHoursPerMonth));
  std::size_t first = 0;  // incidents before this one end before the current month
  for (int m = 0; m < c.months; ++m) {
    const double lo = m * topology::kHoursPerMonth, hi = lo + topology::kHoursPerMonth;
    double down = 0.0;
    int started = 0;
    while (first < incidents.size() && incidents[first].end <= lo) ++first;
    for (std::size_t k = first; k < incidents.size() && incidents[k].start < hi; ++k) {
      down += std::max(0.0, std::min(incidents[k].end, hi) - std::max(incidents[k].start, lo));
      if (incidents[k].start >= lo) ++started;
    }
    const double cost = month_sla_cost(t, 1.0 - down / topology::kHoursPerMonth, started);
    c.sla += cost;
    if (cost > 0.0) ++c.breach_months;
  }
}

TenantCost tenant_cost(const topology::Tenant& t,
                       const std::vector<const std::vector<Interval>*>& loads,
                       const std::vector<double>& demands, double horizon,
                       const std::vector<double>& shortfall_kwh) {
  TenantCost c;
  std::vector<Interval> all;
  for (const auto* l : loads) all.insert(all.end(), l->begin(), l->end());
  const auto incidents = merge_intervals(std::move(all));
  price_sla(t, incidents, horizon, c);
  c.workload = workload_model(t.workload).cost(t, {incidents, loads, demands, shortfall_kwh});
  return c;
}

CallMoney call_money(const topology::Model& m, const failure_models::ReplicationResult& r) {
  CallMoney money;
  if (m.call_rate <= 0.0) return money;
  // The grid pays for the import given up, however it was given up: flexible load shed, or
  // load moved onto call generators while the limit was on.
  const double given_up_kwh = r.call_shed_kwh + r.call_generated_kwh;
  money.revenue = m.call_price * given_up_kwh / 1000.0;
  money.penalty = m.call_penalty * r.call_excess_kwh / 1000.0;
  money.mwh_shed = r.call_shed_kwh / 1000.0;
  money.mwh_generated = r.call_generated_kwh / 1000.0;
  money.generator_cost = m.call_generator_cost * r.call_generator_kwh / 1000.0;
  // (Not penalty - revenue: this rounding is the one every summary has been recorded with;
  // without call generators the added terms are exact zeros.)
  money.net = (m.call_penalty * r.call_excess_kwh - m.call_price * given_up_kwh +
               m.call_generator_cost * r.call_generator_kwh) /
              1000.0;
  return money;
}

}  // namespace ridethrough::experiments
