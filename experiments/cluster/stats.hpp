#pragma once
// Statistics of the cluster workload over replications: per job and per tenant, merged in
// block order like every other statistic.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/cluster/evaluator.hpp"
#include "sim/stats.hpp"
#include "topology/design.hpp"

namespace ridethrough::experiments::cluster {

/// One replication's figures of a job (or of a whole tenant: sums of GPU-hours and restart
/// hours, GPU-weighted shares).
struct JobFigures {
  double lost_gpu_hours = 0.0;  ///< GPUs x (work lost + stopped + restart)
  /// lost_gpu_hours plus GPUs x checkpoint writing time: all GPU-time that produced no
  /// surviving work, the quantity Young/Daly's interval minimizes.
  double wasted_gpu_hours = 0.0;
  double restart_hours = 0.0;
  double checkpoint_overhead_share = 0.0;  ///< writing time / horizon
  double goodput = 0.0;                    ///< surviving work / horizon
  double interruptions = 0.0, restarts = 0.0;
  double read_hours = 0.0;  ///< summed over the checkpoint reads that completed
  double reads = 0.0;       ///< how many completed
};

JobFigures job_figures(const JobTally& t, double gpus, double horizon);

struct JobStats {
  sim::Moments lost_gpu_hours, wasted_gpu_hours, restart_hours, overhead_share, goodput,
      interruptions, restarts;
  sim::Sample lost_sample, restart_sample;
  double read_hours = 0.0;  ///< over all replications: completed reads and their time
  std::uint64_t reads = 0;
  void add(const JobFigures& f);
  void merge(const JobStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
  /// lost_gpu_hours and restart_hours with mean, ci95, std, p50, p90, p99, max; the shares
  /// with mean and ci95.
  nlohmann::json to_json();
};

struct ClusterTenantStats {
  std::vector<JobStats> jobs;
  JobStats tenant;
  explicit ClusterTenantStats(std::size_t jobs = 0) : jobs(jobs) {}
  /// Adds a replication; returns the tenant's figures in it.
  JobFigures add(const std::vector<JobTally>& tallies, const topology::Cluster& c, double horizon,
                 std::vector<JobFigures>* per_job = nullptr);
  void merge(const ClusterTenantStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

/// The figures of a cluster tenant that designs are compared on (paths below
/// "tenants.<t>."), and which way is better.
const std::vector<std::pair<std::string, int>>& compared_figures();
/// The same figures of one replication, in compared_figures() order.
std::vector<double> compared_values(const JobFigures& f);

}  // namespace ridethrough::experiments::cluster
