#pragma once
// SimGrid runs out of process. SimGrid allows one engine per process and its clock cannot be
// reset, while replications run on many threads and must each be a pure function of their
// inputs. So every thread that needs SimGrid starts a worker: this same executable, started
// with the hidden command `__simgrid-worker`, single-threaded, which builds the platform once
// and forks a fresh child for every request. A child simulates from time 0 in a clean engine
// and exits; nothing carries over from one replication to the next.
#include <sys/types.h>

#include <string>
#include <vector>

#include "experiments/cluster/spec.hpp"

namespace ridethrough::experiments::cluster {

/// argv[1] of a worker process; every main() of the project must hand it to worker_main().
inline constexpr const char* kWorkerCommand = "__simgrid-worker";

/// The worker's side: reads the platform and jobs, then answers requests until its input
/// closes. Returns the process exit status.
int worker_main();

/// The side of a thread that needs SimGrid: one worker process for one cluster.
class WorkerClient {
 public:
  /// Starts the worker (`executable`, by default this one) and sends it the cluster.
  WorkerClient(const Platform& p, const std::vector<JobSpec>& jobs,
               const std::string& executable = "/proc/self/exe");
  ~WorkerClient();
  WorkerClient(const WorkerClient&) = delete;
  WorkerClient& operator=(const WorkerClient&) = delete;

  /// Simulates the request; throws std::runtime_error if the worker or its child failed.
  std::vector<JobTally> run(const Request& r);

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
};

}  // namespace ridethrough::experiments::cluster
