#pragma once
#include <string>

#include "topology/design.hpp"

namespace ridethrough::experiments {

/// Variants of a design that analyses compare against it with common random numbers. Each
/// keeps every id, so every other component sees the same random numbers.

/// The component is never down and never fails to serve: no failure law (running or standby),
/// no grid events, no failure on demand, no maintenance, no fuel limit, out of its common-cause
/// group. Delays and ride-through stay: they are the design, not failures.
topology::Design perfect_variant(const topology::Design& d, std::size_t component);
/// The component is down for the whole of every replication.
topology::Design failed_variant(const topology::Design& d, std::size_t component);
}  // namespace ridethrough::experiments
