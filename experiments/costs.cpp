#include "experiments/costs.hpp"

#include <algorithm>
#include <cmath>

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

double training_hours(const std::vector<Interval>& incidents, double checkpoint_interval,
                      double restart_time) {
  double hours = 0.0;
  double job_start = 0.0;  // when the job last (re)started running
  double resume = 0.0;     // end of the restart in progress (running from then on)
  double restart_from = 0.0;
  for (const auto& iv : incidents) {
    const double s = std::max(iv.start, 0.0);
    const double e = iv.end;
    if (e <= s) continue;
    if (s < resume) {
      hours += s - restart_from;  // interrupted during a restart: no work lost, restart over
    } else {
      if (resume > restart_from) hours += resume - restart_from;  // the restart that completed
      if (iv.start >= 0.0) {
        const double ran = s - job_start;
        hours += ran - std::floor(ran / checkpoint_interval) * checkpoint_interval;
      }
    }
    hours += e - s;
    restart_from = e;
    resume = e + restart_time;
    job_start = resume;
  }
  if (resume > restart_from) hours += resume - restart_from;
  return hours;
}

TenantCost tenant_cost(const topology::Tenant& t,
                       const std::vector<const std::vector<Interval>*>& loads,
                       const std::vector<double>& demands, double horizon,
                       const std::vector<double>& shortfall_kwh) {
  TenantCost c;
  std::vector<Interval> all;
  for (const auto* l : loads) all.insert(all.end(), l->begin(), l->end());
  const auto incidents = merge_intervals(std::move(all));

  if (t.has_sla) {
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
  switch (t.workload) {
    case topology::WorkloadKind::Training:
      c.workload =
          t.cost_per_hour * training_hours(incidents, t.checkpoint_interval, t.restart_time);
      break;
    case topology::WorkloadKind::Mining: {
      // Energy not received, load by load; an outage is followed to its end.
      double mwh = 0.0;
      for (std::size_t i = 0; i < loads.size(); ++i)
        for (const auto& iv : *loads[i])
          mwh += demands[i] / 1000.0 * (iv.end - std::max(iv.start, 0.0));
      for (double kwh : shortfall_kwh) mwh += kwh / 1000.0;  // partial delivery
      c.workload = t.revenue_per_mwh * mwh;
      break;
    }
    case topology::WorkloadKind::Cluster:  // priced by the cluster model (experiments/cluster)
    case topology::WorkloadKind::None:
      break;
  }
  return c;
}

}  // namespace ridethrough::experiments
