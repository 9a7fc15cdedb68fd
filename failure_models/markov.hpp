#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::failure_models {

/// Exact steady state of a Markovian design (SPEC `exact`).
struct ExactResult {
  std::string refusal;  ///< non-empty: the design cannot be solved exactly, and why
  std::string method;
  double states = 0.0;  ///< size of the chain (product form: 2^k for k failing parts)
  std::size_t evaluated_states = 0;
  int classes = 0;        ///< classes of exchangeable units in the crew chain (0: not used)
  int iterations = 0;     ///< iterative solver only
  double residual = 0.0;  ///< iterative solver only: relative residual reached
  /// Index 0 is the facility (any critical load down), then each load in file order.
  std::vector<double> unavailability;
  std::vector<double> frequency;  ///< outages per hour
};

/// Solves the chain. Independent components (no shared crews, no common cause) use the product
/// form and the structure function; otherwise the chain of failed-component sequences (FIFO
/// crews, common-cause shocks) is built, with exchangeable units lumped (`lump`), and solved
/// with Eigen's sparse LU up to `direct_limit` states and BiCGSTAB beyond, up to `max_states`. A
/// refusal for size says how many states the chain would have.
ExactResult solve_exact(const topology::Model& m, std::size_t max_states = 10'000'000,
                        bool lump = true, std::size_t direct_limit = 5'000);

/// Every reason the design is not Markovian, one per line; empty if it is (the declared
/// capabilities of `exact`, topology/capabilities.cpp).
std::string markov_refusal(const topology::Model& m);

}  // namespace ridethrough::failure_models
