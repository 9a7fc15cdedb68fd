#pragma once
// A critical load's static structure function as a fault tree: every minimal cut set over the
// components that can be down, all orders, for export to the fault-tree world (Open-PSA MEF).
#include <string>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::topology {

struct LoadFaultTree {
  int load = -1;
  std::vector<std::vector<int>> cut_sets;  ///< minimal, each sorted, by order then index
  /// Non-empty: the structure cannot be written as the union of its minimal cut sets (the
  /// load is served again when more goes down: not coherent), or is too big to enumerate.
  std::string refusal;
};

/// The minimal cut sets of critical load `l` under check's static admission rule, over the
/// components that can be down (structural ones never are), after at most `max_evaluations`
/// evaluations of the structure. Where a capacity can bind, the structure is also checked to
/// be coherent (more down never serves more) over every state of its relevant components
/// (at most 2^20).
LoadFaultTree load_fault_tree(const Model& m, int l, std::size_t max_evaluations = 4'000'000);

}  // namespace ridethrough::topology
