#pragma once
#include <functional>
#include <string>
#include <vector>

#include "topology/design.hpp"

namespace ridethrough::experiments {

/// A number of the design that drives its figures: a law's scale (mean, scale, median or
/// value), a probability, a rate, a duration of the dynamics. `path` names it as `--set` and
/// `--vary` do (`components.gen1.start.fail_prob`, `components.utility.events.storm.rate`).
struct Parameter {
  std::string path;
  std::string component;  ///< the component it belongs to, or empty
  double value = 0.0;
  /// Scaled values stay at or below this: a probability below 1 (1 is refused where a start,
  /// a transfer, a delivery or a group must be able to succeed), a window within its interval.
  double upper = topology::kUnlimited;
  /// Sets the parameter to `v` in a copy of the design it was found in.
  std::function<void(topology::Design&, double)> set;
};

/// Every parameter of a design that is in use (a probability above 0, a duration above 0, a
/// law that can fail), in design order. `sensitivity` scales each; a new key with a number
/// that drives the figures is one line here.
std::vector<Parameter> parameters_of(const topology::Design& d);

/// `d` with parameter `p` multiplied by `factor`, kept at or below `p.upper`.
topology::Design scaled(const topology::Design& d, const Parameter& p, double factor);

}  // namespace ridethrough::experiments
