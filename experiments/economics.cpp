#include "experiments/economics.hpp"

#include <cmath>

namespace ridethrough::experiments {

CostModel cost_model(const topology::Model& m) {
  CostModel c;
  const auto& e = m.economics;
  c.present = e.present;
  if (!e.present) return c;
  const double r = e.discount_rate;
  // An annuity: the sum over years 1..Y of 1 / (1 + r)^y (continued for a fractional Y).
  c.factor = r > 0.0 ? (1.0 - std::pow(1.0 + r, -e.years)) / r : e.years;
  c.per_year = topology::kHoursPerYear / m.horizon;
  int stock = 0;
  for (int s : m.pool_stock) stock += s;
  c.spares = e.spare_unit_cost * stock;
  c.crews_per_year = m.crews > 0 ? e.crew_cost_per_year * m.crews : 0.0;
  c.fixed = e.capex + e.component_capex + c.spares +
            c.factor * (e.annual_opex + e.component_opex + c.crews_per_year);
  return c;
}

}  // namespace ridethrough::experiments
