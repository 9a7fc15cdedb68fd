#pragma once
#include <array>
#include <utility>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::topology {

/// Minimal cut sets of order 1, 2 (and 3 on request) of one critical load.
struct LoadCutSets {
  int load = -1;
  bool served_all_up = true;  ///< false: the load is not served even with everything up
  std::vector<int> singles;   ///< single points of failure
  std::vector<std::pair<int, int>> pairs;
  std::vector<std::array<int, 3>> triples;  ///< only with order 3
  std::vector<int> maintenance_drops;       ///< singles with a maintenance schedule
};

/// For each critical load: every minimal cut set of order <= `order` (2 or 3), with the
/// simulation's admission rule (capacities included), every other component up, ignoring
/// ride-through and delays. A set is minimal if no proper subset of it is a cut set of that
/// load. Only sets within the load's relevant components are tried: its upstream cone, and
/// the cones of every load or draw that competes with it for a capacity that can bind; each
/// distinct candidate is evaluated once for every load it concerns, on that scope only.
std::vector<LoadCutSets> minimal_cut_sets(const Model& m, int order = 2);

/// Per load, the components that can decide whether it is served, in topological order: its
/// cone (upstream through inputs and powered_by), and the cones of every item (load or
/// equipment draw) it competes with for a capacity that can bind.
std::vector<std::vector<int>> relevant_components(const Model& m);

/// The same by brute force over every pair of components (the reference the fast version is
/// tested against; quadratic in the number of components).
std::vector<LoadCutSets> minimal_cut_sets_exhaustive(const Model& m);

}  // namespace ridethrough::topology
