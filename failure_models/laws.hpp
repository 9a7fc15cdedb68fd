#pragma once
#include <cmath>

#include "sim/rng.hpp"
#include "topology/design.hpp"

namespace ridethrough::failure_models {

/// Draws one duration (hours) from a law; infinity for `never`.
inline double sample(const topology::Law& law, sim::Rng& rng) {
  using topology::LawKind;
  const double p = law.mean_or_scale_or_median_or_value;
  switch (law.kind) {
    case LawKind::Never:
      return topology::kUnlimited;
    case LawKind::Exponential:
      return p * rng.exponential();
    case LawKind::Weibull:
      return p * std::pow(rng.exponential(), 1.0 / law.shape_or_sigma);
    case LawKind::Lognormal:
      return p * std::exp(law.shape_or_sigma * rng.normal());
    case LawKind::Fixed:
      return p;
  }
  return topology::kUnlimited;
}

}  // namespace ridethrough::failure_models
