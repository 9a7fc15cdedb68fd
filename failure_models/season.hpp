#pragma once
#include <cmath>

#include "sim/rng.hpp"
#include "topology/units.hpp"

namespace ridethrough::failure_models {

/// A seasonal rate rate (1 + amplitude cos(2 pi (t - peak) / 1 y)) is drawn by thinning a
/// Poisson process at the peak rate rate (1 + amplitude): a candidate at time t is kept with
/// this probability. Hours from the start of the replication; 8760 h a year.
inline double season_keep(double t, double peak, double amplitude) {
  const double phase = std::fmod(t, topology::kHoursPerYear) - peak;
  return (1.0 + amplitude * std::cos(6.283185307179586 * phase / topology::kHoursPerYear)) /
         (1.0 + amplitude);
}

/// The wait for the next candidate of a seasonal Poisson class (the thinning's process at the
/// peak rate; a class without season has amplitude 0). A class whose rate weather can raise
/// (up to max_boost times, failure_models/weather.cpp) is drawn at the raised peak too.
inline double seasonal_gap(sim::Rng& rng, double rate, double amplitude, double max_boost = 1.0) {
  return rng.exponential() / (rate * (1.0 + amplitude) * max_boost);
}

/// Whether the candidate at t is thinned out, the rate being raised boost times now. A class
/// without season or boost draws no number, so amplitude 0 and no season give the same random
/// numbers, and designs without a boost the same numbers as before it existed.
inline bool season_rejects(sim::Rng& rng, double t, double peak, double amplitude,
                           double boost = 1.0, double max_boost = 1.0) {
  if (amplitude <= 0.0 && max_boost == 1.0) return false;
  return rng.uniform() >= season_keep(t, peak, amplitude) * boost / max_boost;
}

}  // namespace ridethrough::failure_models
