#include "experiments/portfolio.hpp"

#include "experiments/progress.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "experiments/full_results.hpp"
#include "experiments/summary.hpp"
#include "experiments/text.hpp"
#include "failure_models/facility.hpp"
#include "failure_models/season.hpp"
#include "sim/mpi.hpp"
#include "sim/rng.hpp"
#include "sim/runner.hpp"
#include "topology/law.hpp"

namespace ridethrough::experiments {

using nlohmann::json;

namespace {

/// The portfolio's own figures over a block of replications.
struct PortfolioStats {
  sim::Moments total_cost, two_or_more_hours, any_hours;
  sim::Sample total_cost_sample;
  std::uint64_t two_or_more_replications = 0;
  std::vector<sim::CoMoments> pairs;  ///< site costs, pair by pair (i < j, row by row)
  std::vector<sim::Moments> regional_count;

  void resize(std::size_t sites, std::size_t classes) {
    pairs.resize(sites * (sites - 1) / 2);
    regional_count.resize(classes);
  }
  void merge(const PortfolioStats& o) {
    total_cost.merge(o.total_cost);
    two_or_more_hours.merge(o.two_or_more_hours);
    any_hours.merge(o.any_hours);
    total_cost_sample.merge(o.total_cost_sample);
    two_or_more_replications += o.two_or_more_replications;
    for (std::size_t k = 0; k < pairs.size(); ++k) pairs[k].merge(o.pairs[k]);
    for (std::size_t k = 0; k < regional_count.size(); ++k)
      regional_count[k].merge(o.regional_count[k]);
  }
  void save(sim::Archive& a) const {
    for (const auto* m : {&total_cost, &two_or_more_hours, &any_hours}) m->save(a);
    total_cost_sample.save(a);
    a.put(two_or_more_replications);
    for (const auto& p : pairs) p.save(a);
    for (const auto& c : regional_count) c.save(a);
  }
  void load(sim::Archive& a) {
    for (auto* m : {&total_cost, &two_or_more_hours, &any_hours}) m->load(a);
    total_cost_sample.load(a);
    a.get(two_or_more_replications);
    for (auto& p : pairs) p.load(a);
    for (auto& c : regional_count) c.load(a);
  }
};

struct PortfolioBlock : sim::BlockResult {
  std::vector<std::unique_ptr<Accumulator>> sites;
  PortfolioStats stats;
  std::vector<std::vector<double>> rows;  ///< HDF5 columns, when asked for
};

/// Hours within [0, horizon] during which at least `k` of the sites' facilities are down.
double hours_at_least(const std::vector<const std::vector<failure_models::Interval>*>& sites,
                      double horizon, int k) {
  std::vector<std::pair<double, int>> edges;
  for (const auto* s : sites)
    for (const auto& iv : *s) {
      const double a = std::max(iv.start, 0.0), b = std::min(iv.end, horizon);
      if (b > a) edges.emplace_back(a, +1), edges.emplace_back(b, -1);
    }
  std::sort(edges.begin(), edges.end());  // at a tie an end (-1) comes before a start
  double hours = 0.0, last = 0.0;
  int down = 0;
  for (const auto& [t, d] : edges) {
    if (down >= k) hours += t - last;
    down += d;
    last = t;
  }
  return hours;
}

/// A share of time with its 95% interval, kept within [0, 1]: a share cannot be negative,
/// however few replications saw it.
json share_block(const sim::Moments& hours, double horizon) {
  const double m = hours.mean() / horizon, hw = hours.ci95_half_width() / horizon;
  return {{"mean", m}, {"ci95", {std::max(0.0, m - hw), std::min(1.0, m + hw)}}};
}

/// The Wilson score interval (95%) of a proportion k / n: within [0, 1], and not empty when
/// k = 0 (where the normal interval would be the single point 0).
json wilson_interval(std::uint64_t k, std::uint64_t n) {
  if (n == 0) return nullptr;
  const double z = 1.959963984540054, nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn, z2 = z * z / nn;
  const double centre = (p + z2 / 2) / (1 + z2);
  const double half = z / (1 + z2) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

/// What every worker of a portfolio run shares: each site's model (with the regional classes
/// that hit it as causes of its own), seed and cluster model.
struct PortfolioSetup {
  const topology::Portfolio& p;
  const RunOptions& options;
  std::size_t n_sites, n_classes;
  std::vector<topology::Model> models;
  std::vector<std::vector<int>> hit_cause;  ///< [class][hit]: the cause in its site
  std::vector<std::uint64_t> seeds;
  std::vector<cluster::ClusterModel> clusters;
  double horizon, warmup, limit;
  bool full;  ///< HDF5 rows asked for

  PortfolioSetup(const topology::Portfolio& portfolio, const RunOptions& o)
      : p(portfolio), options(o), n_sites(p.sites.size()), n_classes(p.regional.size()) {
    for (const auto& s : p.sites) models.push_back(*s.model);
    hit_cause.resize(n_classes);
    for (std::size_t k = 0; k < n_classes; ++k)
      for (const auto& h : p.regional[k].hits) {
        auto& m = models[h.site];
        hit_cause[k].push_back(static_cast<int>(m.cause_names.size()));
        m.cause_names.push_back(m.ids[h.component] + ":" + p.regional[k].name);
        m.cause_owner.push_back(h.component);
      }
    // Site 1 runs with the master seed, as `run` would; every other site with a seed derived
    // from the master seed and its id, so that sites with the same component ids do not share
    // random numbers. Each site's summary shows its seed: `run --seed` reproduces it alone.
    for (std::size_t s = 0; s < n_sites; ++s)
      seeds.push_back(
          s == 0 ? options.seed
                 : sim::stream_key(options.seed, 0,
                                   topology::name_hash("portfolio site:" + p.sites[s].id)));
    horizon = models[0].horizon;
    warmup = models[0].warmup;
    limit = warmup + horizon + std::max(10.0 * horizon, 1e5);
    full = !options.out.empty();
    for (const auto& m : models)
      clusters.push_back(cluster::build_cluster_model(m, {options.worker_executable}));
  }

  std::unique_ptr<PortfolioBlock> fresh() const {
    auto b = std::make_unique<PortfolioBlock>();
    for (const auto& m : models) b->sites.push_back(std::make_unique<Accumulator>(m));
    b->stats.resize(n_sites, n_classes);
    if (full) b->rows.assign(3 + 2 * n_sites, {});
    return b;
  }

  /// Replication i's regional events, from streams of their own, as outages imposed on the
  /// sources they hit; counts those that begin within the span.
  void regional_outages(std::uint64_t i,
                        std::vector<std::vector<failure_models::ExternalOutage>>& external,
                        PortfolioStats& stats) const {
    for (auto& e : external) e.clear();
    for (std::size_t k = 0; k < n_classes; ++k) {
      const auto& ev = p.regional[k];
      sim::Rng rng(sim::stream_key(options.seed, i, topology::name_hash("portfolio:" + ev.name)));
      const double peak_rate = ev.rate * (1.0 + ev.amplitude);
      std::uint32_t count = 0;
      for (double t = rng.exponential() / peak_rate; t < limit;
           t += rng.exponential() / peak_rate) {
        if (ev.amplitude > 0.0 &&
            rng.uniform() >= failure_models::season_keep(t, ev.peak, ev.amplitude))
          continue;
        const double d = topology::sample(ev.duration, rng);
        if (t >= warmup && t < warmup + horizon) ++count;
        for (std::size_t h = 0; h < ev.hits.size(); ++h)
          external[ev.hits[h].site].push_back({ev.hits[h].component, t, t + d, hit_cause[k][h]});
      }
      stats.regional_count[k].add(count);
    }
  }
};

/// One thread's simulators, one per site.
struct PortfolioWorker {
  std::vector<std::unique_ptr<failure_models::FacilitySim>> sims;
  std::vector<failure_models::ReplicationResult> results;
  std::vector<std::vector<failure_models::ExternalOutage>> external;
  std::vector<std::unique_ptr<cluster::ClusterEvaluator>> clusters;
  cluster::ClusterOutcome outcome;

  explicit PortfolioWorker(const PortfolioSetup& su) : results(su.n_sites), external(su.n_sites) {
    for (std::size_t s = 0; s < su.n_sites; ++s) {
      sims.push_back(std::make_unique<failure_models::FacilitySim>(su.models[s]));
      clusters.push_back(std::make_unique<cluster::ClusterEvaluator>(su.clusters[s]));
    }
  }

  /// Replication i of every site, then the portfolio's joint figures.
  void replicate(const PortfolioSetup& su, std::uint64_t i, PortfolioBlock& block) {
    su.regional_outages(i, external, block.stats);
    std::vector<double> cost(su.n_sites);
    std::vector<const std::vector<failure_models::Interval>*> downs;
    for (std::size_t s = 0; s < su.n_sites; ++s) {
      sims[s]->run(su.seeds[s], i, results[s], external[s]);
      const cluster::ClusterOutcome* co = nullptr;
      if (!clusters[s]->empty()) {
        clusters[s]->evaluate(su.models[s], results[s], outcome);
        co = &outcome;
      }
      block.sites[s]->add(results[s], su.models[s], nullptr, co);
      cost[s] = block.sites[s]->last_cost;
      downs.push_back(&results[s].facility_down);
    }
    double total_cost = 0.0;
    for (double c : cost) total_cost += c;
    const double two = hours_at_least(downs, su.horizon, 2),
                 any = hours_at_least(downs, su.horizon, 1);
    auto& st = block.stats;
    st.total_cost.add(total_cost);
    st.total_cost_sample.add(total_cost);
    st.two_or_more_hours.add(two);
    st.any_hours.add(any);
    st.two_or_more_replications += two > 0.0;
    std::size_t pair = 0;
    for (std::size_t a = 0; a < su.n_sites; ++a)
      for (std::size_t b = a + 1; b < su.n_sites; ++b) st.pairs[pair++].add(cost[a], cost[b]);
    if (su.full) add_rows(su, i, total_cost, two, cost, block);
  }

  void add_rows(const PortfolioSetup& su, std::uint64_t i, double total_cost, double two,
                const std::vector<double>& cost, PortfolioBlock& block) const {
    block.rows[0].push_back(static_cast<double>(i));
    block.rows[1].push_back(total_cost);
    block.rows[2].push_back(two);
    for (std::size_t s = 0; s < su.n_sites; ++s) {
      double down = 0.0;
      for (const auto& iv : results[s].facility_down)
        down += std::max(0.0, std::min(iv.end, su.horizon) - std::max(iv.start, 0.0));
      block.rows[3 + 2 * s].push_back(down);
      block.rows[4 + 2 * s].push_back(cost[s]);
    }
  }
};

/// The HDF5 table of one row per replication (rank 0 only).
std::unique_ptr<TableWriter> portfolio_writer(const PortfolioSetup& su) {
  if (!su.full || !sim::mpi_ranks().root()) return nullptr;
  std::vector<std::pair<std::string, std::string>> cols = {
      {"replication", "replication index"},
      {"total_cost", "every site's tenant costs plus curtailment net, summed"},
      {"two_or_more_down_hours", "hours within the horizon with two or more sites down"}};
  for (const auto& s : su.p.sites) {
    cols.push_back({s.id + ".facility_downtime_hours", "site facility downtime in the horizon"});
    cols.push_back({s.id + ".cost", "site tenant costs plus curtailment net"});
  }
  return std::make_unique<TableWriter>(
      su.options.out,
      std::vector<std::pair<std::string, std::string>>{
          {"portfolio_path", su.p.path},
          {"options",
           json({{"seed", su.options.seed}, {"replications", su.options.replications}}).dump()}},
      cols);
}

json optional_number(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

/// The portfolio's joint figures: total cost, sites down together, correlations, regional
/// event counts.
json portfolio_figures(const PortfolioSetup& su, PortfolioStats& st) {
  st.total_cost_sample.finalize();
  const auto& c = st.total_cost_sample;
  const auto opt = optional_number;
  const double hw = st.total_cost.ci95_half_width();
  json corr = json::object();
  std::size_t pair = 0;
  for (std::size_t a = 0; a < su.n_sites; ++a)
    for (std::size_t b = a + 1; b < su.n_sites; ++b) {
      const auto r = st.pairs[pair++].correlation();
      corr[su.p.sites[a].id][su.p.sites[b].id] = opt(r);
      corr[su.p.sites[b].id][su.p.sites[a].id] = opt(r);
    }
  json regional = json::object();
  for (std::size_t k = 0; k < su.n_classes; ++k)
    regional[su.p.regional[k].name] = {{"count", st.regional_count[k].mean()}};
  json ids = json::array();
  for (const auto& s : su.p.sites) ids.push_back(s.id);
  return {{"sites", ids},
          {"total_cost",
           {{"mean", st.total_cost.mean()},
            {"ci95", {st.total_cost.mean() - hw, st.total_cost.mean() + hw}},
            {"std", st.total_cost.stddev()},
            {"p50", opt(c.quantile(50, 100))},
            {"p90", opt(c.quantile(90, 100))},
            {"p99", opt(c.quantile(99, 100))},
            {"cvar99", opt(c.cvar(1, 100))},
            {"max", opt(c.max())}}},
          {"probability_two_or_more_down",
           static_cast<double>(st.two_or_more_replications) /
               static_cast<double>(std::max<std::uint64_t>(1, st.total_cost.count()))},
          {"probability_two_or_more_down_ci95",
           wilson_interval(st.two_or_more_replications, st.total_cost.count())},
          {"share_of_time_two_or_more_down", share_block(st.two_or_more_hours, su.horizon)},
          {"share_of_time_any_down", share_block(st.any_hours, su.horizon)},
          {"cost_correlation", corr},
          {"regional_events", regional}};
}

sim::BlockCodec portfolio_codec(const PortfolioSetup& su) {
  return {[](const sim::BlockResult& r, sim::Archive& a) {
            const auto& b = static_cast<const PortfolioBlock&>(r);
            for (const auto& s : b.sites) s->save(a);
            b.stats.save(a);
            a.put(b.rows);
          },
          [&su](sim::Archive& a) {
            auto b = su.fresh();
            for (auto& s : b->sites) s->load(a);
            b->stats.load(a);
            a.get(b->rows);
            return std::unique_ptr<sim::BlockResult>(std::move(b));
          }};
}

}  // namespace

json run_portfolio(const topology::Portfolio& p, const RunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const PortfolioSetup su(p, options);
  auto total = su.fresh();
  auto writer = portfolio_writer(su);
  auto make_work = [&]() -> sim::BlockWork {
    auto w = std::make_shared<PortfolioWorker>(su);
    return [w, &su](std::uint64_t first, std::uint64_t last) {
      auto block = su.fresh();
      for (std::uint64_t i = first; i < last; ++i) w->replicate(su, i, *block);
      return std::unique_ptr<sim::BlockResult>(std::move(block));
    };
  };
  auto merge = [&](std::uint64_t, std::unique_ptr<sim::BlockResult> r) {
    const auto& b = static_cast<const PortfolioBlock&>(*r);
    for (std::size_t s = 0; s < su.n_sites; ++s) total->sites[s]->merge(*b.sites[s]);
    total->stats.merge(b.stats);
    if (writer) writer->append(b.rows);
    return true;
  };
  const unsigned threads = options.threads ? options.threads : sim::default_threads();
  ProgressBar bar(options.progress && sim::mpi_ranks().root());
  sim::run_blocks_distributed(sim::BlockPlan{options.replications, 64}, threads, make_work, merge,
                              portfolio_codec(su),
                              [&](std::uint64_t done, std::uint64_t n) { bar.update(done, n); });
  Performance perf;
  perf.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  perf.threads = threads;
  perf.ranks = sim::mpi_ranks().size;

  json sites = json::object();
  std::uint64_t events = 0;
  for (std::size_t s = 0; s < su.n_sites; ++s) {
    auto& acc = *total->sites[s];
    events += acc.events;
    sites[p.sites[s].id] = summarize(acc, su.models[s], p.sites[s].id, su.seeds[s],
                                     options.replications, perf, &su.clusters[s]);
  }
  const double wall = std::max(perf.wall_seconds, 1e-9);
  json out = {{"version", RIDETHROUGH_VERSION},
              {"design", p.name.empty() ? p.path : p.name},
              {"seed", options.seed},
              {"replications", options.replications},
              {"horizon_hours", su.horizon},
              {"portfolio", portfolio_figures(su, total->stats)},
              {"sites", sites},
              {"performance",
               {{"events", events},
                {"wall_seconds", perf.wall_seconds},
                {"replications_per_second", static_cast<double>(options.replications) / wall},
                {"events_per_second", static_cast<double>(events) / wall},
                {"threads", perf.threads},
                {"mpi_ranks", perf.ranks}}}};
  if (writer) writer->finish(out);
  return out;
}

void print_portfolio(std::ostream& os, const json& r) {
  const auto& pf = r["portfolio"];
  os << "portfolio: " << r["design"].get<std::string>() << "  (" << r["replications"]
     << " replications of " << fmt("%g", r["horizon_hours"].get<double>()) << " h, seed "
     << r["seed"] << ")\n\n";
  const std::string per = per_horizon(r["horizon_hours"].get<double>());
  os << pad("site", 16) << pad("availability", 16) << pad("outages" + per, 12)
     << pad("downtime h" + per, 14) << "cost mean" << per << " (tenants + curtailment net)\n";
  for (const auto& id : pf["sites"]) {
    const auto& s = r["sites"][id.get<std::string>()];
    double mean = 0.0;
    for (const auto& [t, v] : s["tenants"].items()) mean += v["cost"]["mean"].get<double>();
    if (s.contains("curtailment"))
      mean += s["curtailment"]["penalty"]["mean"].get<double>() -
              s["curtailment"]["revenue"]["mean"].get<double>();
    os << pad("  " + id.get<std::string>(), 16);
    if (s["facility"].value("critical_loads", 1) == 0)
      os << pad("no critical load", 42);
    else
      os << pad(fmt("%.5f%%", 100 * s["facility"]["availability"]["mean"].get<double>()), 16)
         << pad(fmt("%.4g", s["facility"]["outages"]["mean"].get<double>()), 12)
         << pad(fmt("%.4g", s["facility"]["downtime_hours"]["mean"].get<double>()), 14);
    os << money(mean) << "\n";
  }
  const auto& t = pf["total_cost"];
  os << "\ntotal cost per replication: mean " << money(t["mean"].get<double>()) << ", p99 "
     << (t["p99"].is_null() ? "-" : money(t["p99"].get<double>())) << ", CVaR99 "
     << (t["cvar99"].is_null() ? "-" : money(t["cvar99"].get<double>())) << "\n";
  os << "two or more sites down at once: in "
     << fmt("%.3g%%", 100 * pf["probability_two_or_more_down"].get<double>())
     << " of replications, "
     << fmt("%.3g", pf["share_of_time_two_or_more_down"]["mean"].get<double>())
     << " of the time (any site: "
     << fmt("%.3g", pf["share_of_time_any_down"]["mean"].get<double>()) << ")\n";
  if (pf["sites"].size() > 1) {
    os << "correlation of site costs:\n";
    for (const auto& a : pf["sites"])
      for (const auto& b : pf["sites"])
        if (a.get<std::string>() < b.get<std::string>()) {
          const auto& v = pf["cost_correlation"][a.get<std::string>()][b.get<std::string>()];
          os << "  " << a.get<std::string>() << " / " << b.get<std::string>() << ": "
             << (v.is_null() ? std::string("-") : fmt("%.3f", v.get<double>())) << "\n";
        }
  }
  for (const auto& [name, e] : pf["regional_events"].items())
    os << "regional events '" << name << "': " << fmt("%.4g", e["count"].get<double>())
       << " per replication\n";
}

}  // namespace ridethrough::experiments
