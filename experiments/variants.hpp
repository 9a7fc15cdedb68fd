#pragma once
#include <string>

#include "topology/design.hpp"

namespace ridethrough::experiments {

/// Variants of a design that analyses compare against it with common random numbers. Each
/// keeps every id, so every other component sees the same random numbers.

/// The component never fails: no failure law (running or standby), no failure on demand, no
/// maintenance, out of its common-cause group.
topology::Design perfect_variant(const topology::Design& d, std::size_t component);
/// The component is down for the whole of every replication.
topology::Design failed_variant(const topology::Design& d, std::size_t component);
/// The component's failure law (or its repair law) stretched by `factor`: mean, scale, median
/// or fixed value times the factor, shape kept.
topology::Design scaled_variant(const topology::Design& d, std::size_t component, bool repair,
                                double factor);

}  // namespace ridethrough::experiments
