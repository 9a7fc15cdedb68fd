#pragma once
// Exchangeable units for the exact crew chain (failure_models/markov.cpp): failing components
// grouped into classes whose members can be swapped without changing the design, so the chain
// counts how many of each class are down instead of which.
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::failure_models {

/// Failing components grouped into classes of exchangeable units: a class is a set of
/// components any two of which can be swapped without changing the design.
struct Classes {
  std::vector<std::vector<int>> members;          ///< per class, its components (ascending)
  std::vector<double> failure_rate, repair_rate;  ///< per unit of the class
  std::vector<std::vector<int>> cc_classes;       ///< per common-cause group, its classes in order
};

/// Every failing component its own class: the unlumped chain.
Classes singleton_classes(const topology::Model& m, const std::vector<int>& failing,
                          const std::vector<double>& lam, const std::vector<double>& mu);

/// Exchangeable units lumped into classes (see the definition for what counts as one).
Classes exchangeable_classes(const topology::Model& m, const std::vector<int>& failing,
                             const std::vector<double>& lam, const std::vector<double>& mu);

/// Number of states of the first-come crew chain on these classes, without building it.
double chain_size(const Classes& cl, int crews);

}  // namespace ridethrough::failure_models
