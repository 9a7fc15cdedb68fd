#pragma once
// The one place that knows SimGrid: a cluster's platform and the actors that drive its jobs.
// SimGrid allows one engine per process and its clock never goes back, so a worker process
// builds the platform once and forks a child per request (see worker.hpp); run() is called once
// in each child.
#include <memory>
#include <vector>

#include "experiments/cluster/spec.hpp"

namespace ridethrough::experiments::cluster {

class SimgridCluster {
 public:
  /// Creates the engine and the platform: a star of host links around the storage, CM02 flow
  /// sharing (exact max-min fairness), no latency, reads and writes on the same links.
  explicit SimgridCluster(const Platform& p);
  ~SimgridCluster();
  SimgridCluster(const SimgridCluster&) = delete;
  SimgridCluster& operator=(const SimgridCluster&) = delete;

  /// Runs every job of the request to its end, one actor per job; at most once per process.
  std::vector<JobTally> run(const std::vector<JobSpec>& jobs, const Request& r);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ridethrough::experiments::cluster
