#pragma once
// What a cluster simulation needs and returns, in the form that crosses to a SimGrid worker
// process: plain numbers, no design or model.
#include <cstdint>
#include <vector>

#include "experiments/cluster/job_machine.hpp"
#include "sim/archive.hpp"

namespace ridethrough::experiments::cluster {

/// The network of one cluster tenant: `hosts` hosts, each with its own link of
/// `host_bandwidth` to a storage system of `storage_bandwidth` that every transfer shares.
struct Platform {
  int hosts = 0;
  double host_bandwidth = 0.0, storage_bandwidth = 0.0;  ///< bytes/s
};

/// A job as its drivers see it.
struct JobSpec {
  std::vector<int> hosts;                 ///< host indices in the platform
  double bytes_per_host = 0.0;            ///< a checkpoint split evenly over the hosts
  double interval = 1.0, overhead = 0.0;  ///< hours
  double analytic_write = 0.0;            ///< hours a write takes outside the windows
};

/// One tenant's cluster over one replication (or over the calibration period).
struct Request {
  double horizon = 0.0;
  std::vector<Span> windows;             ///< where writes are simulated transfers
  std::vector<std::vector<Span>> stops;  ///< per job
  bool record_writes = false;
};

/// Seconds a job's transfer takes when nothing else is in flight: each host moves its share
/// over its own link, all of them through the storage.
double alone_seconds(const Platform& p, const JobSpec& j);

void save(sim::Archive& a, const Platform& p, const std::vector<JobSpec>& jobs);
void load(sim::Archive& a, Platform& p, std::vector<JobSpec>& jobs);
void save(sim::Archive& a, const Request& r);
void load(sim::Archive& a, Request& r);
void save(sim::Archive& a, const std::vector<JobTally>& tallies);
void load(sim::Archive& a, std::vector<JobTally>& tallies);

/// Drives every job with transfers at their lone speed: exact when the jobs cannot slow each
/// other down (one job, or links that never fill the storage), and for replications without
/// stops, whose writes all take their analytic time.
std::vector<JobTally> run_analytic(const Platform& p, const std::vector<JobSpec>& jobs,
                                   const Request& r);

}  // namespace ridethrough::experiments::cluster
