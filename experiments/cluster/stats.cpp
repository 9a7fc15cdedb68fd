#include "experiments/cluster/stats.hpp"

#include <cmath>

namespace ridethrough::experiments::cluster {

using nlohmann::json;

JobFigures job_figures(const JobTally& t, double gpus, double horizon) {
  JobFigures f;
  f.lost_gpu_hours = gpus * (t.lost_work + t.stopped + t.restart);
  f.wasted_gpu_hours = f.lost_gpu_hours + gpus * t.write_in_horizon;
  f.restart_hours = t.restart;
  f.checkpoint_overhead_share = t.write_in_horizon / horizon;
  f.goodput = (t.work_in_horizon - t.lost_work) / horizon;
  f.interruptions = t.interruptions;
  f.restarts = static_cast<double>(t.restarts.size());
  for (const auto& r : t.restarts)
    if (!std::isnan(r.read_hours)) f.read_hours += r.read_hours, f.reads += 1;
  return f;
}

void JobStats::add(const JobFigures& f) {
  lost_gpu_hours.add(f.lost_gpu_hours);
  wasted_gpu_hours.add(f.wasted_gpu_hours);
  restart_hours.add(f.restart_hours);
  overhead_share.add(f.checkpoint_overhead_share);
  goodput.add(f.goodput);
  interruptions.add(f.interruptions);
  restarts.add(f.restarts);
  lost_sample.add(f.lost_gpu_hours);
  restart_sample.add(f.restart_hours);
  read_hours += f.read_hours;
  reads += static_cast<std::uint64_t>(f.reads);
}

void JobStats::merge(const JobStats& o) {
  lost_gpu_hours.merge(o.lost_gpu_hours);
  wasted_gpu_hours.merge(o.wasted_gpu_hours);
  restart_hours.merge(o.restart_hours);
  overhead_share.merge(o.overhead_share);
  goodput.merge(o.goodput);
  interruptions.merge(o.interruptions);
  restarts.merge(o.restarts);
  lost_sample.merge(o.lost_sample);
  restart_sample.merge(o.restart_sample);
  read_hours += o.read_hours;
  reads += o.reads;
}

void JobStats::save(sim::Archive& a) const {
  lost_gpu_hours.save(a), wasted_gpu_hours.save(a), restart_hours.save(a), overhead_share.save(a),
      goodput.save(a);
  interruptions.save(a), restarts.save(a);
  lost_sample.save(a), restart_sample.save(a);
  a.put(read_hours), a.put(reads);
}

void JobStats::load(sim::Archive& a) {
  lost_gpu_hours.load(a), wasted_gpu_hours.load(a), restart_hours.load(a), overhead_share.load(a),
      goodput.load(a);
  interruptions.load(a), restarts.load(a);
  lost_sample.load(a), restart_sample.load(a);
  a.get(read_hours), a.get(reads);
}

namespace {
json opt(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json interval(const sim::Moments& m) {
  const double hw = m.ci95_half_width();
  return {{"mean", m.mean()}, {"ci95", {m.mean() - hw, m.mean() + hw}}, {"std", m.stddev()}};
}

json distribution(const sim::Moments& m, sim::Sample& s) {
  s.finalize();
  json out = interval(m);
  out["p50"] = opt(s.quantile(50, 100));
  out["p90"] = opt(s.quantile(90, 100));
  out["p99"] = opt(s.quantile(99, 100));
  out["max"] = opt(s.max());
  return out;
}
}  // namespace

json JobStats::to_json() {
  return {{"lost_gpu_hours", distribution(lost_gpu_hours, lost_sample)},
          {"wasted_gpu_hours", interval(wasted_gpu_hours)},
          {"restart_hours", distribution(restart_hours, restart_sample)},
          {"checkpoint_overhead_share", interval(overhead_share)},
          {"goodput", interval(goodput)},
          {"interruptions", interval(interruptions)},
          {"restarts", interval(restarts)},
          // Mean time to read the checkpoint back, over every completed read of every
          // replication: against the lone read time, what restart storms cost.
          {"read_hours_per_restart",
           reads ? json(read_hours / static_cast<double>(reads)) : json(nullptr)}};
}

JobFigures ClusterTenantStats::add(const std::vector<JobTally>& tallies, const topology::Cluster& c,
                                   double horizon, std::vector<JobFigures>* per_job) {
  JobFigures sum;
  double gpus_total = 0.0;
  if (per_job) per_job->clear();
  for (std::size_t j = 0; j < tallies.size(); ++j) {
    const double gpus = static_cast<double>(c.jobs[j].hosts) * c.gpus_per_host;
    const JobFigures f = job_figures(tallies[j], gpus, horizon);
    jobs[j].add(f);
    if (per_job) per_job->push_back(f);
    sum.lost_gpu_hours += f.lost_gpu_hours;
    sum.wasted_gpu_hours += f.wasted_gpu_hours;
    sum.restart_hours += f.restart_hours;
    sum.checkpoint_overhead_share += gpus * f.checkpoint_overhead_share;
    sum.goodput += gpus * f.goodput;
    sum.interruptions += f.interruptions;
    sum.restarts += f.restarts;
    sum.read_hours += f.read_hours;
    sum.reads += f.reads;
    gpus_total += gpus;
  }
  // Shares of the tenant are GPU-weighted: the share of its GPU-time spent so.
  sum.checkpoint_overhead_share /= gpus_total;
  sum.goodput /= gpus_total;
  tenant.add(sum);
  return sum;
}

void ClusterTenantStats::merge(const ClusterTenantStats& o) {
  for (std::size_t j = 0; j < jobs.size(); ++j) jobs[j].merge(o.jobs[j]);
  tenant.merge(o.tenant);
}

void ClusterTenantStats::save(sim::Archive& a) const {
  for (const auto& j : jobs) j.save(a);
  tenant.save(a);
}

void ClusterTenantStats::load(sim::Archive& a) {
  for (auto& j : jobs) j.load(a);
  tenant.load(a);
}

const std::vector<std::pair<std::string, int>>& compared_figures() {
  static const std::vector<std::pair<std::string, int>> f = {{"lost_gpu_hours", -1},
                                                             {"wasted_gpu_hours", -1},
                                                             {"restart_hours", -1},
                                                             {"checkpoint_overhead_share", -1},
                                                             {"goodput", +1}};
  return f;
}

std::vector<double> compared_values(const JobFigures& f) {
  return {f.lost_gpu_hours, f.wasted_gpu_hours, f.restart_hours, f.checkpoint_overhead_share,
          f.goodput};
}

}  // namespace ridethrough::experiments::cluster
