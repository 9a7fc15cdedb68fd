#include "experiments/workloads/workload.hpp"

namespace ridethrough::experiments {

namespace {

class NoWorkload : public WorkloadModel {
 public:
  double cost(const topology::Tenant&, const WorkloadInput&) const override { return 0.0; }
};

}  // namespace

const WorkloadModel& workload_model(topology::WorkloadKind kind) {
  static const NoWorkload none;
  switch (kind) {  // one line per workload
    case topology::WorkloadKind::Training:
      return training_workload();
    case topology::WorkloadKind::Mining:
      return mining_workload();
    case topology::WorkloadKind::Cluster:
      return cluster_workload();
    case topology::WorkloadKind::None:
      break;
  }
  return none;
}

}  // namespace ridethrough::experiments
