#include "experiments/cluster/evaluator.hpp"

#include <algorithm>
#include <chrono>

#include "experiments/cluster/worker.hpp"
#include "sim/intervals.hpp"

namespace ridethrough::experiments::cluster {

namespace {

/// Hosts numbered load by load in file order; jobs take them in file order, packed (load by
/// load) or spread (one per load in turn, skipping full loads).
void place(const topology::Model& m, const topology::Cluster& c, TenantCluster& tc) {
  std::vector<int> first, free, load_index;
  int total = 0;
  for (const auto& [id, n] : c.hosts) {
    first.push_back(total);
    free.push_back(n);
    total += n;
    const auto it = std::find(m.load_ids.begin(), m.load_ids.end(), id);
    load_index.push_back(static_cast<int>(it - m.load_ids.begin()));
  }
  tc.platform = {total, c.host_bandwidth, c.storage_bandwidth};
  const std::size_t loads = free.size();
  for (const auto& job : c.jobs) {
    JobSpec spec;
    std::vector<bool> used(loads, false);
    std::size_t cursor = 0;
    for (int k = 0; k < job.hosts; ++k) {
      if (!c.spread) cursor = 0;
      std::size_t tries = 0;
      while (free[cursor] == 0 && tries++ < loads) cursor = (cursor + 1) % loads;
      spec.hosts.push_back(first[cursor] + (c.hosts[cursor].second - free[cursor]));
      --free[cursor];
      used[cursor] = true;
      if (c.spread) cursor = (cursor + 1) % loads;
    }
    std::vector<int> job_loads;
    for (std::size_t l = 0; l < loads; ++l)
      if (used[l]) job_loads.push_back(load_index[l]);
    spec.bytes_per_host = job.checkpoint_size / job.hosts;
    spec.interval = job.checkpoint_interval;
    spec.overhead = job.restart_overhead;
    tc.alone_write_hours.push_back(alone_seconds(tc.platform, spec) / 3600.0);
    spec.analytic_write = tc.alone_write_hours.back();
    tc.jobs.push_back(std::move(spec));
    tc.job_loads.push_back(std::move(job_loads));
    tc.gpus.push_back(static_cast<double>(job.hosts) * c.gpus_per_host);
  }
}

/// Steady-state write times where jobs contend: every job starts at time 0 with nothing
/// written (as after a facility-wide restart) and runs without stops; a job's write time is
/// the mean over the writes begun in the second half of the period.
void calibrate(TenantCluster& tc, const std::string& worker_path) {
  double longest = 0.0, writes_per_hour = 0.0;
  for (std::size_t j = 0; j < tc.jobs.size(); ++j) {
    longest = std::max(longest, tc.jobs[j].interval + tc.window_before);
    writes_per_hour += 1.0 / (tc.jobs[j].interval + tc.alone_write_hours[j]);
  }
  // Twenty cycles of the slowest job, but no more than about 20,000 writes in all.
  const double period = std::min(20.0 * longest, 20000.0 / writes_per_hour);
  tc.calibration_hours = period;
  Request r;
  r.horizon = period;
  r.windows = {{0.0, kNever}};
  r.stops.assign(tc.jobs.size(), {});
  r.record_writes = true;
  WorkerClient worker(tc.platform, tc.jobs, worker_path);
  const auto tallies = worker.run(r);
  for (std::size_t j = 0; j < tc.jobs.size(); ++j) {
    double sum = 0.0;
    int n = 0;
    for (const auto& w : tallies[j].writes)
      if (w.start >= period / 2) sum += w.end - w.start, ++n;
    if (n > 0) tc.jobs[j].analytic_write = sum / n;
  }
}

}  // namespace

ClusterModel build_cluster_model(const topology::Model& m, const ClusterOptions& options) {
  ClusterModel cm;
  cm.worker = options.worker;
  for (std::size_t t = 0; t < m.tenants.size(); ++t) {
    const auto& tenant = m.tenants[t];
    if (tenant.workload != topology::WorkloadKind::Cluster) continue;
    TenantCluster tc;
    tc.tenant = static_cast<int>(t);
    place(m, tenant.cluster, tc);
    const auto& p = tc.platform;
    // Each host carries one flow at a time, so no flow ever gets less than this.
    const double slowest = std::min(p.host_bandwidth, p.storage_bandwidth / p.hosts);
    double overhead = 0.0, largest = 0.0;
    int used = 0;
    for (const auto& j : tc.jobs) {
      overhead = std::max(overhead, j.overhead);
      largest = std::max(largest, j.bytes_per_host);
      used += static_cast<int>(j.hosts.size());
    }
    const double bound = largest / slowest / 3600.0 * (1.0 + 1e-9);
    tc.window_before = bound;
    tc.window_after = bound + overhead;
    tc.contention = options.force_simgrid ||
                    (tc.jobs.size() > 1 && used * p.host_bandwidth > p.storage_bandwidth);
    if (tc.contention && tc.jobs.size() > 1) calibrate(tc, options.worker);
    cm.tenants.push_back(std::move(tc));
  }
  return cm;
}

ClusterEvaluator::ClusterEvaluator(const ClusterModel& cm) : cm_(cm), workers_(cm.tenants.size()) {}

ClusterEvaluator::~ClusterEvaluator() = default;

void ClusterEvaluator::evaluate(const topology::Model& m,
                                const failure_models::ReplicationResult& r, ClusterOutcome& out) {
  out.jobs.resize(cm_.tenants.size());
  out.simulated = 0;
  out.simgrid_seconds = 0.0;
  for (std::size_t k = 0; k < cm_.tenants.size(); ++k) {
    const auto& tc = cm_.tenants[k];
    auto& req = request_;
    req.horizon = m.horizon;
    req.record_writes = false;
    req.windows.clear();
    req.stops.resize(tc.jobs.size());
    bool any = false;
    std::vector<Span> around;
    for (std::size_t j = 0; j < tc.jobs.size(); ++j) {
      std::vector<Span> all;
      for (int l : tc.job_loads[j])
        for (const auto& iv : r.load_down[l]) {
          const double s = std::max(iv.start, 0.0);  // down since the warmup: from time 0
          if (iv.end > s) all.push_back({s, iv.end});
        }
      req.stops[j] = sim::merge_overlapping(std::move(all));
      any = any || !req.stops[j].empty();
      for (const auto& s : req.stops[j])
        around.push_back({std::max(0.0, s.start - tc.window_before), s.end + tc.window_after});
    }
    if (!any || !tc.contention) {
      out.jobs[k] = run_analytic(tc.platform, tc.jobs, req);
      continue;
    }
    req.windows = sim::merge_overlapping(std::move(around));
    const auto start = std::chrono::steady_clock::now();
    if (!workers_[k])
      workers_[k] = std::make_unique<WorkerClient>(tc.platform, tc.jobs, cm_.worker);
    out.jobs[k] = workers_[k]->run(req);
    ++out.simulated;
    out.simgrid_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
}

}  // namespace ridethrough::experiments::cluster
