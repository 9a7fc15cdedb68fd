#pragma once
#include <cmath>

namespace ridethrough::failure_models {

/// A seasonal rate rate (1 + amplitude cos(2 pi (t - peak) / 1 y)) is drawn by thinning a
/// Poisson process at the peak rate rate (1 + amplitude): a candidate at time t is kept with
/// this probability. Hours from the start of the replication; 8760 h a year.
inline double season_keep(double t, double peak, double amplitude) {
  const double phase = std::fmod(t, topology::kHoursPerYear) - peak;
  return (1.0 + amplitude * std::cos(6.283185307179586 * phase / topology::kHoursPerYear)) / (1.0 + amplitude);
}

}  // namespace ridethrough::failure_models
