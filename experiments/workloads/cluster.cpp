// An AI training cluster (kind: cluster): its jobs are simulated on SimGrid from the same down
// intervals (experiments/cluster), and priced there at cost_per_gpu_hour per lost GPU-hour.
#include "experiments/workloads/workload.hpp"

namespace ridethrough::experiments {

namespace {

class Cluster : public WorkloadModel {
 public:
  double cost(const topology::Tenant&, const WorkloadInput&) const override { return 0.0; }
  bool priced_by_cluster_model() const override { return true; }
};

}  // namespace

const WorkloadModel& cluster_workload() {
  static const Cluster w;
  return w;
}

}  // namespace ridethrough::experiments
