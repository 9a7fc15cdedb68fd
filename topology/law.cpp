#include "topology/law.hpp"

namespace ridethrough::topology {

double Law::mean() const {
  switch (kind) {
    case LawKind::Never:
      return kUnlimited;
    case LawKind::Exponential:
      return scale;
    case LawKind::Weibull:
      return scale * std::tgamma(1.0 + 1.0 / shape);
    case LawKind::Lognormal:
      return scale * std::exp(0.5 * shape * shape);
    case LawKind::Fixed:
      return scale;
  }
  return kUnlimited;
}

const char* Law::scale_key() const {
  switch (kind) {
    case LawKind::Exponential:
      return "mean";
    case LawKind::Weibull:
      return "scale";
    case LawKind::Lognormal:
      return "median";
    case LawKind::Fixed:
      return "value";
    case LawKind::Never:
      break;
  }
  return "";
}

}  // namespace ridethrough::topology
