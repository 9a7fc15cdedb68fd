#pragma once
// Failure, repair and duration laws: what they are, their mean, and drawing from them, in one
// place. Reading one from a design file is topology::reading::Reader::law (reader.hpp).
#include <cmath>
#include <string>

#include "sim/rng.hpp"
#include "topology/units.hpp"

namespace ridethrough::topology {

/// State-of-knowledge uncertainty of a parameter (`uncertainty: {error_factor: EF}`): the
/// stated value is the median of a lognormal whose 95th percentile is EF times it. Parameters
/// with the same `shared` name (or from the same catalogue record) are drawn together: one
/// draw moves all of them, as the same doubt about a source moves every unit taken from it.
struct Uncertainty {
  double error_factor = 0.0;  ///< 0: the value is taken as known
  std::string shared;         ///< the draw's name; empty: its own (see experiments/uncertainty)
  bool present() const { return error_factor > 0.0; }
};

enum class LawKind { Never, Exponential, Weibull, Lognormal, Fixed };

/// A law of a duration. All durations are in hours.
struct Law {
  LawKind kind = LawKind::Never;
  double scale =
      0.0;  ///< the exponential's mean, Weibull's scale, lognormal's median, the fixed value
  double shape = 0.0;       ///< Weibull's shape, lognormal's sigma
  Uncertainty uncertainty;  ///< on `scale` (the mean, scale, median or value)
  double mean() const;      ///< infinity for Never
  bool can_fail() const { return kind != LawKind::Never; }
  /// The key of `scale` in a design file: mean, scale, median or value ("" for never).
  const char* scale_key() const;
};

/// Draws one duration (hours) from a law; infinity for `never`.
inline double sample(const Law& law, sim::Rng& rng) {
  switch (law.kind) {
    case LawKind::Never:
      return kUnlimited;
    case LawKind::Exponential:
      return law.scale * rng.exponential();
    case LawKind::Weibull:
      return law.scale * std::pow(rng.exponential(), 1.0 / law.shape);
    case LawKind::Lognormal:
      return law.scale * std::exp(law.shape * rng.normal());
    case LawKind::Fixed:
      return law.scale;
  }
  return kUnlimited;
}

}  // namespace ridethrough::topology
