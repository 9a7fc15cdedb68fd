#pragma once
// Workloads: what a tenant's work loses when its loads are down. Each is one file here and one
// line in the table of table.cpp; a workload consumes down intervals and never reaches back into
// the facility simulation. The SLA side of a tenant is priced in experiments/pricing.cpp.
#include <vector>

#include "failure_models/replication.hpp"
#include "topology/design.hpp"

namespace ridethrough::experiments {

/// What a workload is priced from, for one tenant in one replication.
struct WorkloadInput {
  /// The tenant's incidents: the union of its loads' down intervals, measured from the end of
  /// the warmup, each followed to its end.
  const std::vector<failure_models::Interval>& incidents;
  /// Each of its loads' down intervals, demand (kW) and energy not delivered while it received
  /// part of its demand (kWh).
  const std::vector<const std::vector<failure_models::Interval>*>& loads;
  const std::vector<double>& demands;
  const std::vector<double>& shortfall_kwh;
};

class WorkloadModel {
 public:
  virtual ~WorkloadModel() = default;
  /// The workload's cost in one replication (currency units).
  virtual double cost(const topology::Tenant& t, const WorkloadInput& in) const = 0;
  /// True if the workload is priced elsewhere from what happened to its jobs (the cluster
  /// workload: experiments/cluster), not from the intervals here.
  virtual bool priced_by_cluster_model() const { return false; }
};

/// The model of a tenant's workload kind (none: one that costs nothing).
const WorkloadModel& workload_model(topology::WorkloadKind kind);

// The workloads (experiments/workloads/*.cpp).
const WorkloadModel& training_workload();
const WorkloadModel& mining_workload();
const WorkloadModel& cluster_workload();

/// Hours a training job is charged for: down, restarting, and running work lost since its last
/// checkpoint at each interruption. `incidents` are merged, measured from the end of the warmup;
/// the job starts fresh at time 0.
double training_hours(const std::vector<failure_models::Interval>& incidents,
                      double checkpoint_interval, double restart_time);

}  // namespace ridethrough::experiments
