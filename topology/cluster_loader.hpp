#pragma once
// `workload: {kind: cluster}`: reading a cluster tenant and checking it against the loads.
#include <string>

#include "topology/design.hpp"
#include "topology/reader.hpp"

namespace ridethrough::topology {

/// Reads the keys of a cluster workload into `t.cluster` (`w` is the workload mapping).
void parse_cluster_workload(reading::Reader& r, const YAML::Node& w, const std::string& what,
                            Tenant& t);

/// Checks every cluster tenant against the loads, once all are read: known loads powering all
/// of their hosts, loads shared by two tenants only within the hosts they declare, jobs that fit.
void validate_clusters(reading::Reader& r, const Design& d);

}  // namespace ridethrough::topology
