#pragma once
// The linear algebra of `exact`: the stationary distribution of a continuous-time Markov chain.
// Apart from markov.cpp so that Eigen's sparse templates compile in one small translation unit
// (markov.cpp with them was the slowest unit of the build, README "Building").
#include <cstddef>
#include <vector>

namespace ridethrough::failure_models {

/// A transition of a chain: from state `from` to state `to` at `rate` per hour.
struct Transition {
  int from, to;
  double rate;
};

/// The stationary distribution, or why it was not found.
struct Stationary {
  bool solved = false;
  bool iterative = false;  ///< BiCGSTAB (else sparse LU)
  int iterations = 0;      ///< iterative solver only
  double residual = 0.0;   ///< iterative solver only: relative residual reached
  std::vector<double> pi;  ///< normalised to sum 1 when solved
};

/// Relative residual |A pi - b| / |b| the iterative solver stops at.
inline constexpr double kIterativeTolerance = 1e-13;

/// pi Q = 0 over `n` states (state 0 the all-up state) for the chain's transitions: sparse LU up
/// to `direct_limit` states, BiCGSTAB beyond.
Stationary solve_stationary(int n, const std::vector<Transition>& trans, std::size_t direct_limit);

}  // namespace ridethrough::failure_models
