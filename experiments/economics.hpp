#pragma once
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// What a design costs over `economics.years`: what does not depend on the simulation (capex,
/// spares in stock, opex and crews) plus the tenants' yearly cost, each year's discounted at
/// `discount_rate` (the present value; with no discount rate, the plain sum).
struct CostModel {
  bool present = false;
  double fixed = 0.0;     ///< capex + spares + present value of opex and crews
  double factor = 0.0;    ///< present value of one currency unit a year over the years
  double per_year = 1.0;  ///< a replication's cost scaled to a year: 8760 / horizon
  double crews_per_year = 0.0, spares = 0.0;
  /// The total for a tenant cost per replication (summed over tenants).
  double total(double tenant_cost_per_replication) const {
    return fixed + factor * per_year * tenant_cost_per_replication;
  }
};

CostModel cost_model(const topology::Model& m);

}  // namespace ridethrough::experiments
