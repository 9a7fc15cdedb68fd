// Accumulating replications into the merged statistics (Accumulator, DowntimeStats): the part
// of the summaries that runs once per replication, so it is compiled with the hot code;
// summary.cpp turns the merged statistics into JSON.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "experiments/economics.hpp"
#include "experiments/full_results.hpp"
#include "experiments/pricing.hpp"
#include "experiments/summary.hpp"

namespace ridethrough::experiments {

double DowntimeStats::add(const std::vector<failure_models::Interval>& down, double horizon) {
  double downtime = 0.0;
  std::uint64_t count = 0;
  for (const auto& iv : down) {
    downtime += std::max(0.0, std::min(iv.end, horizon) - std::max(iv.start, 0.0));
    if (iv.start >= 0.0) {  // counted in the replication in which it starts
      ++count;
      durations.add(iv.end - iv.start);
      shed_outages += iv.shed;
    }
  }
  this->downtime.add(downtime);
  outages.add(static_cast<double>(count));
  downtime_sample.add(downtime);
  return downtime;
}

void DowntimeStats::merge(const DowntimeStats& o) {
  downtime.merge(o.downtime);
  outages.merge(o.outages);
  downtime_sample.merge(o.downtime_sample);
  durations.merge(o.durations);
  shed_outages += o.shed_outages;
}

void TenantStats::merge(const TenantStats& o) {
  cost.merge(o.cost);
  sla.merge(o.sla);
  workload.merge(o.workload);
  cost_sample.merge(o.cost_sample);
  months += o.months;
  breach_months += o.breach_months;
}

void DowntimeStats::save(sim::Archive& a) const {
  downtime.save(a);
  outages.save(a);
  downtime_sample.save(a);
  durations.save(a);
  a.put(shed_outages);
}

void DowntimeStats::load(sim::Archive& a) {
  downtime.load(a);
  outages.load(a);
  downtime_sample.load(a);
  durations.load(a);
  a.get(shed_outages);
}

void TenantStats::save(sim::Archive& a) const {
  cost.save(a);
  sla.save(a);
  workload.save(a);
  cost_sample.save(a);
  a.put(months);
  a.put(breach_months);
}

void TenantStats::load(sim::Archive& a) {
  cost.load(a);
  sla.load(a);
  workload.load(a);
  cost_sample.load(a);
  a.get(months);
  a.get(breach_months);
}

void Accumulator::save(sim::Archive& a) const {
  facility.save(a);
  for (const auto& l : loads) l.save(a);
  for (const auto& c : component_failures) c.save(a);
  for (const auto& c : component_downtime) c.save(a);
  for (const auto& c : component_windows) c.save(a);
  for (const auto& c : component_deferred) c.save(a);
  for (const auto& c : component_overlap) c.save(a);
  a.put(component_blamed);
  a.put(owner_blamed);
  for (const auto& x : load_shortfall) x.save(a);
  for (const auto* x :
       {&calls, &call_revenue, &call_penalty, &call_mwh, &call_gen_cost, &call_gen_mwh})
    x->save(a);
  for (const auto* x : {&call_revenue_sample, &call_penalty_sample, &call_mwh_sample,
                        &call_gen_cost_sample, &call_gen_mwh_sample})
    x->save(a);
  for (const auto& e : event_count) e.save(a);
  for (const auto& e : event_hours) e.save(a);
  a.put(closed_at_limit);
  a.put(facility_outages);
  a.put(causes);
  for (const auto& t : tenants) t.save(a);
  for (const auto& c : clusters) c.save(a);
  a.put(simgrid_runs), a.put(simgrid_seconds);
  a.put(events);
  a.put(worst_downtime), a.put(worst_index);
  a.put<std::uint8_t>(rows ? 1 : 0);
  if (rows) rows->save(a);
}

void Accumulator::load(sim::Archive& a) {
  facility.load(a);
  for (auto& l : loads) l.load(a);
  for (auto& c : component_failures) c.load(a);
  for (auto& c : component_downtime) c.load(a);
  for (auto& c : component_windows) c.load(a);
  for (auto& c : component_deferred) c.load(a);
  for (auto& c : component_overlap) c.load(a);
  a.get(component_blamed);
  a.get(owner_blamed);
  for (auto& x : load_shortfall) x.load(a);
  for (auto* x : {&calls, &call_revenue, &call_penalty, &call_mwh, &call_gen_cost, &call_gen_mwh})
    x->load(a);
  for (auto* x : {&call_revenue_sample, &call_penalty_sample, &call_mwh_sample,
                  &call_gen_cost_sample, &call_gen_mwh_sample})
    x->load(a);
  for (auto& e : event_count) e.load(a);
  for (auto& e : event_hours) e.load(a);
  a.get(closed_at_limit);
  a.get(facility_outages);
  a.get(causes);
  for (auto& t : tenants) t.load(a);
  for (auto& c : clusters) c.load(a);
  a.get(simgrid_runs), a.get(simgrid_seconds);
  a.get(events);
  a.get(worst_downtime), a.get(worst_index);
  std::uint8_t has_rows = 0;
  a.get(has_rows);
  if (has_rows && rows) rows->load(a);
}

Accumulator::Accumulator(const topology::Model& m, bool keep_rows)
    : loads(m.n_loads),
      component_failures(m.n),
      component_downtime(m.n),
      component_windows(m.n),
      component_deferred(m.n),
      component_overlap(m.n),
      component_blamed(m.cause_names.size(), 0),
      owner_blamed(m.n, 0),
      event_count(m.event_rate.size()),
      event_hours(m.event_rate.size()),
      load_shortfall(m.n_loads),
      tenants(m.tenants.size()),
      cost_model_of_design(cost_model(m)) {
  if (keep_rows) rows = std::make_unique<FullRows>(m);
  for (const auto& t : m.tenants) {
    if (t.workload != topology::WorkloadKind::Cluster) {
      cluster_slot.push_back(-1);
      continue;
    }
    cluster_slot.push_back(static_cast<int>(clusters.size()));
    clusters.emplace_back(t.cluster.jobs.size());
  }
}

void Accumulator::add(const failure_models::ReplicationResult& r, const topology::Model& m,
                      std::vector<double>* figures,
                      const cluster::ClusterOutcome* cluster_outcome) {
  const double facility_downtime = facility.add(r.facility_down, m.horizon);
  if (facility_downtime > 0.0) keep_worst(facility_downtime, r.index);
  std::vector<double> load_downtime(m.n_loads);
  for (int l = 0; l < m.n_loads; ++l) load_downtime[l] = loads[l].add(r.load_down[l], m.horizon);
  add_components_and_events(r, m);
  const CallMoney money = call_money(m, r);
  if (m.call_rate > 0.0) add_calls(r, money);
  for (const auto& iv : r.facility_down)
    if (iv.start >= 0.0) add_outage_causes(r, m, iv);  // not one that began in the warmup
  std::vector<TenantCost> costs;
  std::vector<cluster::JobFigures> cluster_figures;
  add_tenants(r, m, figures != nullptr, cluster_outcome, costs, cluster_figures);
  if (rows) rows->add(r, m, facility_downtime, load_downtime, costs, cluster_outcome);
  events += r.events;
  last_cost = 0.0;
  for (const auto& c : costs) last_cost += c.total();
  last_cost += money.net;
  if (figures)
    fill_figures(r, m, facility_downtime, load_downtime, costs, cluster_figures, money, *figures);
}

void Accumulator::add_components_and_events(const failure_models::ReplicationResult& r,
                                            const topology::Model& m) {
  for (int c = 0; c < m.n; ++c) {
    component_failures[c].add(r.component_failures[c]);
    component_downtime[c].add(r.component_downtime[c]);
    component_windows[c].add(r.component_windows[c]);
    component_deferred[c].add(r.component_deferred[c]);
    component_overlap[c].add(r.component_facility_overlap[c]);
  }
  closed_at_limit += r.closed_at_limit;
  for (std::size_t k = 0; k < event_count.size(); ++k) {
    event_count[k].add(r.event_count[k]);
    event_hours[k].add(r.event_hours[k]);
  }
  for (int l = 0; l < m.n_loads; ++l)
    if (m.load_steps[l] >= 0) load_shortfall[l].add(r.load_shortfall_kwh[l]);
}

void Accumulator::add_calls(const failure_models::ReplicationResult& r, const CallMoney& money) {
  calls.add(r.calls);
  call_revenue.add(money.revenue);
  call_penalty.add(money.penalty);
  call_mwh.add(money.mwh_shed);
  call_revenue_sample.add(money.revenue);
  call_penalty_sample.add(money.penalty);
  call_mwh_sample.add(money.mwh_shed);
  call_gen_cost.add(money.generator_cost);
  call_gen_mwh.add(money.mwh_generated);
  call_gen_cost_sample.add(money.generator_cost);
  call_gen_mwh_sample.add(money.mwh_generated);
}

/// One facility outage: what was down at its start (blame) and what the site did (mechanism).
void Accumulator::add_outage_causes(const failure_models::ReplicationResult& r,
                                    const topology::Model& m, const failure_models::Interval& iv) {
  ++facility_outages;
  const std::vector<int> down(r.blame.begin() + iv.blame_begin, r.blame.begin() + iv.blame_end);
  for (std::size_t k = 0; k < down.size(); ++k) {
    ++component_blamed[down[k]];
    // A component is blamed once per outage, whether it is down itself or for a cause of
    // its own (out of fuel, a grid event).
    const int o = m.cause_owner[down[k]];
    bool first = true;
    for (std::size_t j = 0; j < k && first; ++j) first = m.cause_owner[down[j]] != o;
    if (first) ++owner_blamed[o];
  }
  // The key: the components down, then -1, then the mechanism (sorted: one key per set).
  std::vector<int> key = down;
  key.push_back(-1);
  const auto why_start = static_cast<std::ptrdiff_t>(key.size());
  key.insert(key.end(), r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end);
  std::sort(key.begin() + why_start, key.end());
  key.erase(std::unique(key.begin() + why_start, key.end()), key.end());
  ++causes[key];
}

/// Each tenant's costs from its loads' down intervals (a cluster tenant's lost work from its
/// jobs); with `want_figures`, each cluster tenant's figures then its jobs'.
void Accumulator::add_tenants(const failure_models::ReplicationResult& r, const topology::Model& m,
                              bool want_figures, const cluster::ClusterOutcome* cluster_outcome,
                              std::vector<TenantCost>& costs,
                              std::vector<cluster::JobFigures>& cluster_figures) {
  costs.assign(m.tenants.size(), {});
  std::vector<cluster::JobFigures> job_figures;
  for (std::size_t t = 0; t < m.tenants.size(); ++t) {
    std::vector<const std::vector<failure_models::Interval>*> down;
    std::vector<double> demand, shortfall;
    for (int l = 0; l < m.n_loads; ++l) {
      if (m.tenant[l] != static_cast<int>(t)) continue;
      down.push_back(&r.load_down[l]);
      demand.push_back(m.demand[l]);
      shortfall.push_back(r.load_shortfall_kwh[l]);
    }
    TenantCost c = tenant_cost(m.tenants[t], down, demand, m.horizon, shortfall);
    if (const int slot = cluster_slot[t]; slot >= 0) {
      if (!cluster_outcome)
        throw std::logic_error("a cluster tenant's replication came without its jobs");
      // The jobs' figures come from the cluster model, fed the same down intervals.
      const auto f = clusters[slot].add(cluster_outcome->jobs[slot], m.tenants[t].cluster,
                                        m.horizon, want_figures ? &job_figures : nullptr);
      c.workload = m.tenants[t].cluster.cost_per_gpu_hour * f.lost_gpu_hours;
      cluster_figures.push_back(f);
      cluster_figures.insert(cluster_figures.end(), job_figures.begin(), job_figures.end());
    }
    costs[t] = c;
    tenants[t].cost.add(c.total());
    tenants[t].sla.add(c.sla);
    tenants[t].workload.add(c.workload);
    tenants[t].cost_sample.add(c.total());
    tenants[t].months += static_cast<std::uint64_t>(c.months);
    tenants[t].breach_months += static_cast<std::uint64_t>(c.breach_months);
  }
  if (cluster_outcome) {
    simgrid_runs += cluster_outcome->simulated;
    simgrid_seconds += cluster_outcome->simgrid_seconds;
  }
}

/// The replication's figures, in figure_set order (paired differences compare them).
void Accumulator::fill_figures(const failure_models::ReplicationResult& r, const topology::Model& m,
                               double facility_downtime, const std::vector<double>& load_downtime,
                               const std::vector<TenantCost>& costs,
                               const std::vector<cluster::JobFigures>& cluster_figures,
                               const CallMoney& money, std::vector<double>& f) const {
  f.clear();
  auto count = [](const std::vector<failure_models::Interval>& down) {
    double n = 0;
    for (const auto& iv : down) n += iv.start >= 0.0;
    return n;
  };
  f.push_back(1.0 - facility_downtime / m.horizon);
  f.push_back(count(r.facility_down));
  f.push_back(facility_downtime);
  for (int l = 0; l < m.n_loads; ++l) {
    f.push_back(1.0 - load_downtime[l] / m.horizon);
    f.push_back(count(r.load_down[l]));
    f.push_back(load_downtime[l]);
  }
  double all = 0.0;
  for (const auto& c : costs) {
    f.push_back(c.total());
    all += c.total();
  }
  for (const auto& cf : cluster_figures)
    for (double v : cluster::compared_values(cf)) f.push_back(v);
  all += money.net;
  if (m.economics.present) f.push_back(cost_model_of_design.total(all));
}

void Accumulator::keep_worst(double downtime, std::uint64_t index) {
  if (worst_index.size() == kWorstKept &&
      std::make_pair(-downtime, index) >=
          std::make_pair(-worst_downtime.back(), worst_index.back()))
    return;
  std::size_t k = 0;
  while (k < worst_index.size() &&
         std::make_pair(-worst_downtime[k], worst_index[k]) < std::make_pair(-downtime, index))
    ++k;
  worst_downtime.insert(worst_downtime.begin() + static_cast<std::ptrdiff_t>(k), downtime);
  worst_index.insert(worst_index.begin() + static_cast<std::ptrdiff_t>(k), index);
  if (worst_index.size() > kWorstKept) worst_downtime.pop_back(), worst_index.pop_back();
}

void Accumulator::merge(const Accumulator& o) {
  facility.merge(o.facility);
  for (std::size_t l = 0; l < loads.size(); ++l) loads[l].merge(o.loads[l]);
  for (std::size_t c = 0; c < component_failures.size(); ++c) {
    component_failures[c].merge(o.component_failures[c]);
    component_downtime[c].merge(o.component_downtime[c]);
    component_windows[c].merge(o.component_windows[c]);
    component_deferred[c].merge(o.component_deferred[c]);
    component_overlap[c].merge(o.component_overlap[c]);
  }
  for (std::size_t c = 0; c < component_blamed.size(); ++c)
    component_blamed[c] += o.component_blamed[c];
  for (std::size_t c = 0; c < owner_blamed.size(); ++c) owner_blamed[c] += o.owner_blamed[c];
  for (std::size_t k = 0; k < event_count.size(); ++k) {
    event_count[k].merge(o.event_count[k]);
    event_hours[k].merge(o.event_hours[k]);
  }
  for (std::size_t l = 0; l < load_shortfall.size(); ++l)
    load_shortfall[l].merge(o.load_shortfall[l]);
  calls.merge(o.calls);
  call_revenue.merge(o.call_revenue);
  call_penalty.merge(o.call_penalty);
  call_mwh.merge(o.call_mwh);
  call_revenue_sample.merge(o.call_revenue_sample);
  call_penalty_sample.merge(o.call_penalty_sample);
  call_mwh_sample.merge(o.call_mwh_sample);
  call_gen_cost.merge(o.call_gen_cost);
  call_gen_mwh.merge(o.call_gen_mwh);
  call_gen_cost_sample.merge(o.call_gen_cost_sample);
  call_gen_mwh_sample.merge(o.call_gen_mwh_sample);
  closed_at_limit += o.closed_at_limit;
  facility_outages += o.facility_outages;
  for (const auto& [k, v] : o.causes) causes[k] += v;
  for (std::size_t t = 0; t < tenants.size(); ++t) tenants[t].merge(o.tenants[t]);
  for (std::size_t c = 0; c < clusters.size(); ++c) clusters[c].merge(o.clusters[c]);
  for (std::size_t k = 0; k < o.worst_index.size(); ++k)
    keep_worst(o.worst_downtime[k], o.worst_index[k]);
  simgrid_runs += o.simgrid_runs;
  simgrid_seconds += o.simgrid_seconds;
  events += o.events;
}

}  // namespace ridethrough::experiments
