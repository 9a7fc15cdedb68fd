#pragma once
#include <ostream>

#include <nlohmann/json.hpp>

#include "topology/design.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// `check`: single points of failure, order-2 cut sets and concurrent maintainability of every
/// critical load, as JSON (SPEC section 4) plus a readable report with the topology.
/// `order`: the largest cut sets listed (2, or 3 on request).
nlohmann::json check_design(const topology::Model& m, int order = 2);
void print_check(std::ostream& os, const topology::Design& d, const topology::Model& m,
                 const nlohmann::json& check);

/// `exact`: the summary blocks with exact means, or {"refusal": why}.
/// `lump`: solve crew chains on classes of exchangeable units (the default); false solves the
/// chain of individual components, to check the lumping.
nlohmann::json exact_design(const topology::Design& d, const topology::Model& m, bool lump = true);
void print_exact(std::ostream& os, const nlohmann::json& exact);

/// `capabilities`: what every analysis does with every feature (topology/capabilities.cpp), or,
/// given a design, what each would refuse, approximate or leave out for it.
nlohmann::json capabilities_json(const topology::Model* m = nullptr);
void print_capabilities(std::ostream& os, const nlohmann::json& caps);

/// `sweep`: one row per point, the varied values first.
void print_sweep_table(std::ostream& os, const std::vector<nlohmann::json>& points);

}  // namespace ridethrough::experiments
