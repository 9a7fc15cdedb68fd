#include "experiments/summary.hpp"

#include "experiments/economics.hpp"
#include "experiments/pricing.hpp"
#include "failure_models/mechanism.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace ridethrough::experiments {

using nlohmann::json;

namespace {

json optional(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json mean_ci(const sim::Moments& m, double scale = 1.0, double offset = 0.0) {
  const double mean = offset + scale * m.mean();
  const double hw = std::fabs(scale) * m.ci95_half_width();
  return {{"mean", mean}, {"ci95", {mean - hw, mean + hw}}, {"std", std::fabs(scale) * m.stddev()}};
}

json downtime_block(DowntimeStats& s, double horizon) {
  json out;
  // Availability is 1 - downtime / horizon replication by replication, so its mean and
  // interval follow from the downtime's exactly.
  out["availability"] = mean_ci(s.downtime, -1.0 / horizon, 1.0);
  out["outages"] = mean_ci(s.outages);
  s.downtime_sample.finalize();
  const auto& d = s.downtime_sample;
  out["downtime_hours"] = {{"mean", s.downtime.mean()},
                           {"ci95",
                            {s.downtime.mean() - s.downtime.ci95_half_width(),
                             s.downtime.mean() + s.downtime.ci95_half_width()}},
                           {"std", s.downtime.stddev()},
                           {"p50", optional(d.quantile(50, 100))},
                           {"p90", optional(d.quantile(90, 100))},
                           {"p99", optional(d.quantile(99, 100))},
                           {"max", optional(d.max())}};
  s.durations.finalize();
  const auto& o = s.durations;
  if (o.count() == 0) {
    out["outage_duration_hours"] = nullptr;
  } else {
    out["outage_duration_hours"] = {{"mean", o.sum() / static_cast<double>(o.count())},
                                    {"p50", optional(o.quantile(50, 100))},
                                    {"p90", optional(o.quantile(90, 100))},
                                    {"p99", optional(o.quantile(99, 100))},
                                    {"max", optional(o.max())},
                                    {"count", o.count()}};
  }
  // The share of outages that began with the load shed for capacity (the admission rule, see
  // README "Shedding"), not cut off.
  out["shed_share"] =
      o.count() == 0 ? json(nullptr)
                     : json(static_cast<double>(s.shed_outages) / static_cast<double>(o.count()));
  return out;
}

}  // namespace

FigureSet figure_set(const topology::Model& m) {
  FigureSet f;
  auto downtime_figures = [&](const std::string& prefix) {
    f.paths.push_back(prefix + ".availability");
    f.better.push_back(+1);
    f.paths.push_back(prefix + ".outages");
    f.better.push_back(-1);
    f.paths.push_back(prefix + ".downtime_hours");
    f.better.push_back(-1);
  };
  downtime_figures("facility");
  for (int l = 0; l < m.n_loads; ++l) downtime_figures("loads." + m.load_ids[l]);
  for (const auto& t : m.tenants) {
    f.paths.push_back("tenants." + t.id + ".cost");
    f.better.push_back(-1);
  }
  for (const auto& t : m.tenants) {
    if (t.workload != topology::WorkloadKind::Cluster) continue;
    auto figures = [&](const std::string& prefix) {
      for (const auto& [name, better] : cluster::compared_figures()) {
        f.paths.push_back(prefix + name);
        f.better.push_back(better);
      }
    };
    figures("tenants." + t.id + ".");
    for (const auto& j : t.cluster.jobs) figures("tenants." + t.id + ".jobs." + j.name + ".");
  }
  if (m.economics.present) {
    f.paths.push_back("economics.expected_total_cost");
    f.better.push_back(-1);
  }
  return f;
}

PairedDifferences::PairedDifferences(const FigureSet& a, const FigureSet& b) {
  for (std::size_t i = 0; i < b.paths.size(); ++i)
    for (std::size_t k = 0; k < a.paths.size(); ++k)
      if (a.paths[k] == b.paths[i]) {
        paths.push_back(b.paths[i]);
        better.push_back(b.better[i]);
        index.emplace_back(static_cast<int>(k), static_cast<int>(i));
      }
  diff.resize(paths.size());
}

void PairedDifferences::add(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t k = 0; k < index.size(); ++k)
    diff[k].add(b[index[k].second] - a[index[k].first]);
}

void PairedDifferences::merge(const PairedDifferences& o) {
  for (std::size_t k = 0; k < diff.size(); ++k) diff[k].merge(o.diff[k]);
}

void PairedDifferences::save(sim::Archive& ar) const {
  for (const auto& d : diff) d.save(ar);
}

void PairedDifferences::load(sim::Archive& ar) {
  for (auto& d : diff) d.load(ar);
}

json PairedDifferences::to_json(const std::string& against) const {
  json out = {{"against", against}};
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const double mean = diff[k].mean(), hw = diff[k].ci95_half_width();
    const double se = hw / 1.96;
    // P(better): the sampling distribution of the mean difference, taken as normal.
    double p_better;
    if (se > 0.0)
      p_better = 0.5 * std::erfc(-better[k] * mean / se / std::sqrt(2.0));
    else
      p_better = better[k] * mean > 0 ? 1.0 : better[k] * mean < 0 ? 0.0 : 0.5;
    std::string pointer = "/";
    for (char ch : paths[k]) pointer += ch == '.' ? '/' : ch;
    out[json::json_pointer(pointer)] = {
        {"mean", mean}, {"ci95", {mean - hw, mean + hw}}, {"p_better", p_better}};
  }
  return out;
}

namespace {

/// The causes (Model::cause_names) a mechanism names as down: components, fuel, grid events.
std::vector<std::string> mechanism_causes(const std::vector<int>& why, const topology::Model& m) {
  using failure_models::Why;
  std::vector<std::string> names;
  for (int code : why) {
    const Why w = failure_models::why_kind(code);
    const int s = failure_models::why_subject(code);
    if (w == Why::GridEvent)
      names.push_back(m.cause_names[m.event_cause[s]]);
    else if (w == Why::FuelExhausted)
      names.push_back(m.cause_names[m.fuel_cause[s]]);
    else if (w == Why::HumanError)
      names.push_back(m.cause_names[m.human_error_cause[s]]);
    else if (w == Why::RegionalEvent)
      names.push_back(m.cause_names[s]);
    else if (w < Why::GridEvent)
      names.push_back(m.ids[s]);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

/// The most frequent mechanisms of facility outages, with what they name as down (in the
/// cone of the load that went down first), each named in alphabetical order and ties broken
/// by name, so that the order of the file does not show.
json top_causes(const Accumulator& acc, const topology::Model& m) {
  using Cause = std::pair<std::vector<std::string>, std::string>;
  std::map<Cause, std::uint64_t> merged;
  for (const auto& [key, count] : acc.causes) {
    const auto split = std::find(key.begin(), key.end(), -1);
    const std::vector<int> why(split == key.end() ? split : split + 1, key.end());
    merged[{mechanism_causes(why, m), failure_models::describe_mechanism(why, m)}] += count;
  }
  std::vector<std::pair<Cause, std::uint64_t>> causes(merged.begin(), merged.end());
  std::stable_sort(causes.begin(), causes.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  json top = json::array();
  for (std::size_t k = 0; k < causes.size() && k < 5; ++k)
    top.push_back({{"components", causes[k].first.first},
                   {"mechanism", causes[k].first.second},
                   {"share", static_cast<double>(causes[k].second) /
                                 static_cast<double>(acc.facility_outages)}});
  return top;
}

}  // namespace

namespace {

/// The share of facility outages a cause was down at the start of (null without outages).
json share_of_outages(const Accumulator& acc, std::uint64_t blamed) {
  if (acc.facility_outages == 0) return nullptr;
  return static_cast<double>(blamed) / static_cast<double>(acc.facility_outages);
}

/// The facility's block: downtime figures, critical loads, top causes; and whether the
/// quantiles are exact, the worst replications, the outages closed at the follow-up limit.
void facility_figures(Accumulator& acc, const topology::Model& m, json& s) {
  s["facility"] = downtime_block(acc.facility, m.horizon);
  // The facility is in outage while a critical load is down: without one it is never down,
  // and its 100% says nothing (the tables print "no critical load").
  s["facility"]["critical_loads"] = std::count(m.critical.begin(), m.critical.end(), true);
  bool exact = acc.facility.downtime_sample.exact() && acc.facility.durations.exact();
  for (const auto& l : acc.loads) exact = exact && l.downtime_sample.exact() && l.durations.exact();
  for (const auto& t : acc.tenants) exact = exact && t.cost_sample.exact();
  s["quantiles_exact"] = exact;
  s["facility"]["top_causes"] = top_causes(acc, m);
  // The replications to replay first (`ridethrough trace --replication K`, `run --trace N`).
  json worst = json::array();
  for (std::size_t k = 0; k < acc.worst_index.size(); ++k)
    worst.push_back(
        {{"replication", acc.worst_index[k]}, {"facility_downtime_hours", acc.worst_downtime[k]}});
  s["worst_replications"] = worst;
  s["outages_closed_at_follow_up_limit"] = acc.closed_at_limit;
}

json load_figures(Accumulator& acc, const topology::Model& m) {
  json loads = json::object();
  for (int l = 0; l < m.n_loads; ++l) {
    loads[m.load_ids[l]] = downtime_block(acc.loads[l], m.horizon);
    // The share of the energy asked for that was delivered within the horizon: the time it got
    // nothing, and what it did not get while it received part of its demand.
    const double missing =
        acc.loads[l].downtime.mean() * m.demand[l] + acc.load_shortfall[l].mean();
    loads[m.load_ids[l]]["energy_delivered_share"] = 1.0 - missing / (m.demand[l] * m.horizon);
  }
  return loads;
}

json curtailment_figures(Accumulator& acc, const topology::Model& m) {
  auto block = [](const sim::Moments& mo, sim::Sample& sample) {
    sample.finalize();
    const double mean = mo.mean(), hw = mo.ci95_half_width();
    return json{{"mean", mean},
                {"ci95", {mean - hw, mean + hw}},
                {"p99", optional(sample.quantile(99, 100))}};
  };
  json c = {{"calls", acc.calls.mean()},
            {"revenue", block(acc.call_revenue, acc.call_revenue_sample)},
            {"penalty", block(acc.call_penalty, acc.call_penalty_sample)},
            {"mwh_shed", block(acc.call_mwh, acc.call_mwh_sample)}};
  if (!m.call_generators.empty()) {
    c["generator_cost"] = block(acc.call_gen_cost, acc.call_gen_cost_sample);
    c["mwh_generated"] = block(acc.call_gen_mwh, acc.call_gen_mwh_sample);
  }
  return c;
}

json component_figures(const Accumulator& acc, const topology::Model& m, int c) {
  // Fussell-Vesely: the share of facility downtime during which the component was down.
  json fv = nullptr;
  if (acc.facility.downtime.mean() > 0)
    fv = acc.component_overlap[c].mean() / acc.facility.downtime.mean();
  json out = {{"failures", acc.component_failures[c].mean()},
              {"downtime_hours", acc.component_downtime[c].mean()},
              {"outage_share", share_of_outages(acc, acc.owner_blamed[c])},
              {"downtime_share", fv}};
  if (m.maintenance_interval[c] > 0) {
    out["maintenance_windows"] = acc.component_windows[c].mean();
    out["maintenance_deferred_hours"] = acc.component_deferred[c].mean();
  }
  if (m.human_error_cause[c] >= 0)
    out["human_error_outage_share"] =
        share_of_outages(acc, acc.component_blamed[m.human_error_cause[c]]);
  if (m.fuel_cause[c] >= 0)
    out["fuel_outage_share"] = share_of_outages(acc, acc.component_blamed[m.fuel_cause[c]]);
  if (m.events.size(c) > 0) {
    json classes = json::object();
    for (int j = m.events.begin(c); j < m.events.end(c); ++j) {
      const int k = m.events.idx[j];
      classes[m.event_names[k]] = {
          {"count", acc.event_count[k].mean()},
          {"hours", acc.event_hours[k].mean()},
          {"outage_share", share_of_outages(acc, acc.component_blamed[m.event_cause[k]])}};
    }
    out["events"] = classes;
  }
  return out;
}

/// Value at risk at several levels (quantiles of the cost per replication).
json value_at_risk(const sim::Sample& c) {
  json var = json::object();
  for (const auto& [num, den, label] : {std::tuple<int, int, const char*>{90, 100, "0.9"},
                                        {95, 100, "0.95"},
                                        {99, 100, "0.99"},
                                        {995, 1000, "0.995"},
                                        {999, 1000, "0.999"}})
    var[label] = optional(c.quantile(num, den));
  return var;
}

/// The loss exceedance curve P(cost > x) at 50 log-spaced x up to the largest cost.
json loss_exceedance(const sim::Sample& c) {
  json curve = json::array();
  const auto lo = c.min_positive();
  const auto hi = c.max();
  if (lo && hi && *hi > 0) {
    const int points = 50;
    const double a = std::log10(*lo), b = std::log10(*hi);
    for (int k = 0; k < points; ++k) {
      // From just below the smallest positive cost (P = share of non-zero costs) up.
      const double x =
          k == 0 ? *lo * (1 - 1e-12) : std::pow(10.0, a + (b - a) * k / (points - 1.0));
      curve.push_back({{"x", x}, {"p", c.share_above(x)}});
    }
  }
  return curve;
}

json tenant_figures(TenantStats& ts) {
  ts.cost_sample.finalize();
  const auto& c = ts.cost_sample;
  // Share of months with a non-zero SLA cost: 0 for a tenant without an SLA.
  double breach = 0.0;
  if (ts.months > 0)
    breach = static_cast<double>(ts.breach_months) / static_cast<double>(ts.months);
  return {
      {"cost",
       {{"mean", ts.cost.mean()},
        {"ci95",
         {ts.cost.mean() - ts.cost.ci95_half_width(), ts.cost.mean() + ts.cost.ci95_half_width()}},
        {"std", ts.cost.stddev()},
        {"p50", optional(c.quantile(50, 100))},
        {"p90", optional(c.quantile(90, 100))},
        {"p99", optional(c.quantile(99, 100))},
        {"cvar99", optional(c.cvar(1, 100))},
        {"max", optional(c.max())},
        {"var", value_at_risk(c)},
        {"loss_exceedance", loss_exceedance(c)}}},
      {"sla_cost", {{"mean", ts.sla.mean()}}},
      {"workload_cost", {{"mean", ts.workload.mean()}}},
      {"sla_breach_probability", breach}};
}

/// A cluster tenant's own figures: its work lost, SimGrid's calibration, and per job.
void cluster_figures(cluster::ClusterTenantStats& cs, const topology::Model& m, std::size_t t,
                     const cluster::TenantCluster* tc, json& out) {
  out.update(cs.tenant.to_json());
  const auto& spec = m.tenants[t].cluster;
  if (tc)
    out["simgrid"] = {{"contention", tc->contention},
                      {"calibration_hours", tc->calibration_hours},
                      {"window_before_hours", tc->window_before},
                      {"window_after_hours", tc->window_after}};
  json jobs = json::object();
  for (std::size_t j = 0; j < spec.jobs.size(); ++j) {
    json job = cs.jobs[j].to_json();
    job["hosts"] = spec.jobs[j].hosts;
    job["gpus"] = spec.jobs[j].hosts * spec.gpus_per_host;
    if (tc) {
      json loads = json::array();
      for (int l : tc->job_loads[j]) loads.push_back(m.load_ids[l]);
      job["loads"] = loads;
      job["checkpoint_write_hours"] = {{"alone", tc->alone_write_hours[j]},
                                       {"steady", tc->jobs[j].analytic_write}};
      job["read_hours_alone"] = tc->alone_write_hours[j];
    }
    jobs[spec.jobs[j].name] = job;
  }
  out["jobs"] = jobs;
}

/// Capex, opex and the expected total cost over the years: the tenants' costs, and the
/// curtailment calls' net (penalties and running the call generators, less what the grid pays
/// for the import given up).
json economics_figures(const Accumulator& acc, const topology::Model& m, double yearly_cost) {
  const auto& e = m.economics;
  const CostModel cm = cost_model(m);
  const double per_year = topology::kHoursPerYear / m.horizon;
  json out = {{"capex", e.capex + e.component_capex},
              {"annual_opex", e.annual_opex + e.component_opex},
              {"years", e.years},
              {"discount_rate", e.discount_rate},
              {"present_value_factor", cm.factor},
              {"crews_cost_per_year", cm.crews_per_year},
              {"spares_cost", cm.spares},
              {"expected_yearly_tenant_cost", yearly_cost}};
  double grid = 0.0;
  if (m.call_rate > 0.0) {
    grid = (acc.call_penalty.mean() - acc.call_revenue.mean()) * per_year;
    if (!m.call_generators.empty()) grid += acc.call_gen_cost.mean() * per_year;
    out["expected_yearly_curtailment_net"] = grid;
  }
  out["expected_total_cost"] = cm.fixed + cm.factor * (yearly_cost + grid);
  if (e.priced_components) {
    out["site_capex"] = e.capex;
    out["components_capex"] = e.component_capex;
    out["site_annual_opex"] = e.annual_opex;
    out["components_annual_opex"] = e.component_opex;
  }
  return out;
}

json performance_figures(const Accumulator& acc, std::uint64_t replications,
                         const Performance& perf) {
  const double wall = std::max(perf.wall_seconds, 1e-9);
  json out = {{"events", acc.events},
              {"wall_seconds", perf.wall_seconds},
              {"events_per_second", static_cast<double>(acc.events) / wall},
              {"replications_per_second", static_cast<double>(replications) / wall},
              {"threads", perf.threads},
              {"mpi_ranks", perf.ranks}};
  if (!acc.clusters.empty()) {
    // What SimGrid added: the tenant-replications it simulated and their wall time (summed
    // over threads, so it can exceed wall_seconds).
    out["simgrid_replications"] = acc.simgrid_runs;
    out["simgrid_seconds"] = acc.simgrid_seconds;
  }
  return out;
}

}  // namespace

json summarize(Accumulator& acc, const topology::Model& m, const std::string& design,
               std::uint64_t seed, std::uint64_t replications, const Performance& perf,
               const cluster::ClusterModel* clusters) {
  json s;
  s["version"] = RIDETHROUGH_VERSION;
  s["design"] = design;
  s["seed"] = seed;
  s["replications"] = replications;
  s["horizon_hours"] = m.horizon;
  s["warmup_hours"] = m.warmup;
  facility_figures(acc, m, s);
  s["loads"] = load_figures(acc, m);
  if (m.call_rate > 0.0) s["curtailment"] = curtailment_figures(acc, m);
  json comps = json::object();
  for (int c = 0; c < m.n; ++c) comps[m.ids[c]] = component_figures(acc, m, c);
  s["components"] = comps;
  json tenants = json::object();
  double yearly_cost = 0.0;
  const double per_year = topology::kHoursPerYear / m.horizon;
  for (std::size_t t = 0; t < m.tenants.size(); ++t) {
    auto& out = tenants[m.tenants[t].id] = tenant_figures(acc.tenants[t]);
    if (const int slot = acc.cluster_slot[t]; slot >= 0)
      cluster_figures(acc.clusters[slot], m, t, clusters ? &clusters->tenants[slot] : nullptr, out);
    yearly_cost += acc.tenants[t].cost.mean() * per_year;
  }
  s["tenants"] = tenants;
  if (m.economics.present) s["economics"] = economics_figures(acc, m, yearly_cost);
  s["performance"] = performance_figures(acc, replications, perf);
  return s;
}

}  // namespace ridethrough::experiments

namespace ridethrough::experiments {

namespace {
/// The figures of a rare-event estimate (unavailability u and outages o per horizon H, with
/// their 95% half-widths), in the keys of SPEC section 4; quantiles do not exist there.
json rare_block(double u, double hu, double o, double ho, double H) {
  json duration = nullptr;
  if (o > 0) duration = {{"mean", u * H / o}, {"p50", nullptr}, {"p90", nullptr}, {"p99", nullptr}};
  return json{{"availability", {{"mean", 1.0 - u}, {"ci95", {1.0 - u - hu, 1.0 - u + hu}}}},
              {"unavailability",
               {{"mean", u},
                {"ci95", {u - hu, u + hu}},
                {"relative_half_width", u > 0 ? json(hu / u) : json(nullptr)}}},
              {"outages", {{"mean", o}, {"ci95", {o - ho, o + ho}}}},
              {"downtime_hours",
               {{"mean", u * H},
                {"ci95", {(u - hu) * H, (u + hu) * H}},
                {"p50", nullptr},
                {"p90", nullptr},
                {"p99", nullptr},
                {"max", nullptr}}},
              {"outage_duration_hours", duration}};
}
}  // namespace

json summarize_importance(const failure_models::CycleStats& st, const topology::Model& m,
                          const std::string& design, std::uint64_t seed, double bias,
                          const Performance& perf) {
  const double mt = st.length.mean();
  const double var_t =
      st.length.variance() / static_cast<double>(std::max<std::uint64_t>(1, st.length.count()));
  // Ratio of two independent means, per hour; 95% half-width by the delta method.
  auto ratio = [&](const sim::Moments& z) {
    const double mz = z.mean();
    const double var_z = z.variance() / static_cast<double>(std::max<std::uint64_t>(1, z.count()));
    const double r = mz / mt;
    const double var = var_z / (mt * mt) + mz * mz * var_t / (mt * mt * mt * mt);
    return std::make_pair(r, 1.96 * std::sqrt(var));
  };
  const double H = m.horizon;
  auto block = [&](int t) {
    const auto [u, hu] = ratio(st.down[t]);
    const auto [f, hf] = ratio(st.outages[t]);
    return rare_block(u, hu, f * H, hf * H, H);
  };
  json s;
  s["version"] = RIDETHROUGH_VERSION;
  s["design"] = design;
  s["seed"] = seed;
  s["replications"] = st.length.count();
  s["horizon_hours"] = H;
  s["method"] = "importance sampling: balanced failure biasing, regenerative cycles from all up";
  s["importance_sampling"] = {
      {"cycles", st.length.count()}, {"bias", bias}, {"mean_cycle_hours", mt}};
  s["facility"] = block(0);
  s["facility"]["top_causes"] = json::array();
  json loads = json::object();
  for (int l = 0; l < m.n_loads; ++l) loads[m.load_ids[l]] = block(l + 1);
  s["loads"] = loads;
  double blamed_total = st.outages[0].mean();
  json comps = json::object();
  for (int c = 0; c < m.n; ++c) {
    json share = nullptr;
    if (blamed_total > 0) share = st.comp_blamed[c].mean() / blamed_total;
    comps[m.ids[c]] = {{"failures", ratio(st.comp_failures[c]).first * H},
                       {"downtime_hours", ratio(st.comp_down[c]).first * H},
                       {"outage_share", share}};
  }
  s["components"] = comps;
  s["tenants"] = json::object();
  std::uint64_t cycles = st.length.count();
  const double wall = std::max(perf.wall_seconds, 1e-9);
  s["performance"] = {{"wall_seconds", perf.wall_seconds},
                      {"cycles_per_second", 2.0 * static_cast<double>(cycles) / wall},
                      {"threads", perf.threads},
                      {"mpi_ranks", perf.ranks}};
  return s;
}

}  // namespace ridethrough::experiments

namespace ridethrough::experiments {

json summarize_splitting(const failure_models::SplitStats& st,
                         const failure_models::PilotResult& pilot,
                         const failure_models::ImportanceFunction& f, const topology::Model& m,
                         const std::string& design, std::uint64_t seed, double pilot_seconds,
                         const Performance& perf) {
  const double H = m.horizon;
  auto block = [&](int t) {
    return rare_block(st.down[t].mean() / H, st.down[t].ci95_half_width() / H, st.outages[t].mean(),
                      st.outages[t].ci95_half_width(), H);
  };
  json s;
  s["version"] = RIDETHROUGH_VERSION;
  s["design"] = design;
  s["seed"] = seed;
  s["replications"] = st.down[0].count();
  s["horizon_hours"] = H;
  s["method"] = "splitting: RESTART on the full simulation, thresholds from cut sets and batteries";
  json thresholds = json::array();
  for (std::size_t i = 0; i < pilot.plan.threshold.size(); ++i)
    thresholds.push_back(
        {{"importance", pilot.plan.threshold[i]}, {"factor", pilot.plan.factor[i]}});
  s["splitting"] = {
      {"importance_function",
       "largest share of a minimal cut set's weight down (order <= 3, weight -ln q), then 1 + "
       "share drained of the last ride-through store, 2 while down"},
      {"cut_sets", f.cut_sets()},
      {"depth", f.depth()},
      {"thresholds", thresholds},
      {"trajectories_per_replication", st.trials.mean()},
      {"pilot",
       {{"replications", pilot.replications},
        {"stages", pilot.stages},
        {"seconds", pilot_seconds},
        {"reached_outage", pilot.reached_outage}}},
      {"not_estimated",
       "tenant costs (SLA credits depend on a whole month's downtime and training losses on "
       "whole outages, which the copies of a trajectory do not each see), component figures "
       "and quantiles"}};
  s["facility"] = block(0);
  s["facility"]["top_causes"] = json::array();
  json loads = json::object();
  for (int l = 0; l < m.n_loads; ++l) loads[m.load_ids[l]] = block(l + 1);
  s["loads"] = loads;
  s["components"] = json::object();
  s["tenants"] = json::object();
  const double wall = std::max(perf.wall_seconds, 1e-9);
  const auto n = static_cast<double>(st.down[0].count());
  s["performance"] = {{"events", st.events},
                      {"wall_seconds", perf.wall_seconds},
                      {"events_per_second", static_cast<double>(st.events) / wall},
                      {"replications_per_second", n / wall},
                      {"threads", perf.threads},
                      {"mpi_ranks", perf.ranks}};
  return s;
}

}  // namespace ridethrough::experiments
