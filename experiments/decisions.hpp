#pragma once
#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "topology/design.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// `importance`: per component, the design rerun with the component made perfect and with it
/// always failed (common random numbers), giving Birnbaum importance U(failed) - U(perfect)
/// with its paired interval, risk achievement worth U(failed) / U, risk reduction worth
/// U / U(perfect), Fussell-Vesely (the share of facility downtime during which it was down)
/// and each tenant's expected cost if it were perfect or failed.
/// `share_work`: a perfect variant's replication in which nothing happened to the component is
/// taken from the design's own (bit-identical; false only to test that).
nlohmann::json importance_analysis(const topology::Design& d, const RunOptions& options,
                                   bool share_work = true);
void print_importance(std::ostream& os, const nlohmann::json& result);

/// `sensitivity`: one at a time, every parameter of the design (experiments/parameters.hpp:
/// laws' scales, start, transfer and refuel failure probabilities, grid event rates and
/// durations, common-cause betas, autonomy, battery energy, restarts, thermal ride-through,
/// delays, lead times, curtailment calls) multiplied by each factor (common random numbers),
/// and the change in facility unavailability and each tenant's expected cost, ranked by the
/// largest change; each row is labelled with the parameter's key path.
nlohmann::json sensitivity_analysis(const topology::Design& d, const std::vector<double>& factors,
                                    const RunOptions& options);
void print_sensitivity(std::ostream& os, const nlohmann::json& result);

}  // namespace ridethrough::experiments
