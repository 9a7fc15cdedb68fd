#pragma once
#include <utility>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::topology {

/// Minimal cut sets of order 1 and 2 of one critical load.
struct LoadCutSets {
  int load = -1;
  bool served_all_up = true;  ///< false: the load is not served even with everything up
  std::vector<int> singles;   ///< single points of failure
  std::vector<std::pair<int, int>> pairs;
  std::vector<int> maintenance_drops;  ///< singles with a maintenance schedule
};

/// For each critical load: every minimal cut set of order <= 2, with the simulation's admission
/// rule (capacities included), every other component up, ignoring ride-through and delays.
/// A pair is minimal if neither member is a single point of failure of that load.
std::vector<LoadCutSets> minimal_cut_sets(const Model& m);

}  // namespace ridethrough::topology
