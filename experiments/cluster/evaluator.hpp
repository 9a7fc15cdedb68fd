#pragma once
// The cluster workload model: from the loads' down intervals of a replication to what each
// job of each cluster tenant did. One-way: it reads the facility's results and never reaches
// back into the facility simulation.
#include <memory>
#include <string>
#include <vector>

#include "experiments/cluster/spec.hpp"
#include "failure_models/replication.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments::cluster {

/// One cluster tenant, compiled once per design.
struct TenantCluster {
  int tenant = -1;  ///< index into Model::tenants
  Platform platform;
  std::vector<JobSpec> jobs;                ///< analytic_write: the steady-state write time
  std::vector<std::vector<int>> job_loads;  ///< loads holding each job's hosts
  std::vector<double> gpus;                 ///< per job
  std::vector<double> alone_write_hours;    ///< per job, nothing else in flight
  /// True when jobs can slow each other down (two jobs or more, and host links that together
  /// exceed the storage): then replications with stops go to SimGrid.
  bool contention = false;
  double window_before = 0.0, window_after = 0.0;  ///< hours around each stop (see README)
  double calibration_hours = 0.0;                  ///< simulated to find the steady write times
};

struct ClusterModel {
  std::vector<TenantCluster> tenants;
  std::string worker;  ///< the executable started as a SimGrid worker
  bool empty() const { return tenants.empty(); }
};

struct ClusterOptions {
  /// An executable whose main() hands `__simgrid-worker` to worker_main(): this process's own
  /// (the CLI, the tests) unless embedded elsewhere (the Python module names the CLI's).
  std::string worker = "/proc/self/exe";
  /// Send every replication with a stop to SimGrid even where the closed form is exact (for
  /// tests that compare the two).
  bool force_simgrid = false;
};

/// Places the jobs on hosts and finds, with SimGrid where the jobs contend, how long their
/// checkpoint writes take in steady state.
ClusterModel build_cluster_model(const topology::Model& m, const ClusterOptions& options = {});

/// Per cluster tenant (in ClusterModel order), per job.
struct ClusterOutcome {
  std::vector<std::vector<JobTally>> jobs;
  std::uint32_t simulated = 0;  ///< tenants of this replication that went to SimGrid
  double simgrid_seconds = 0.0;
};

class WorkerClient;

/// One thread's evaluator: starts its SimGrid workers when first needed.
class ClusterEvaluator {
 public:
  explicit ClusterEvaluator(const ClusterModel& cm);
  ~ClusterEvaluator();
  ClusterEvaluator(const ClusterEvaluator&) = delete;
  ClusterEvaluator& operator=(const ClusterEvaluator&) = delete;

  void evaluate(const topology::Model& m, const failure_models::ReplicationResult& r,
                ClusterOutcome& out);
  bool empty() const { return cm_.empty(); }

 private:
  const ClusterModel& cm_;
  std::vector<std::unique_ptr<WorkerClient>> workers_;
  Request request_;
};

}  // namespace ridethrough::experiments::cluster
