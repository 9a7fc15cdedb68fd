#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "topology/design.hpp"
#include "topology/loader.hpp"

namespace ridethrough::experiments {

/// A constraint on a summary figure: `facility.availability>=0.9999` (a figure with a mean is
/// compared by its mean).
struct Requirement {
  std::string text, path, op;
  double value = 0.0;
  bool met(double v) const;
};
/// A figure of a summary by its dotted path (`facility.availability`); a block with a mean
/// stands for its mean. nullopt if there is no such number.
std::optional<double> summary_figure(const nlohmann::json& summary, const std::string& path);
/// Parses "PATH>=V" (or <=, >, <); nullopt if malformed.
std::optional<Requirement> parse_requirement(const std::string& text);

struct OptimizeOptions {
  RunOptions run;
  std::vector<Requirement> requirements;
  std::size_t exhaustive_limit = 64;  ///< grids up to this size are searched exhaustively
};

/// `optimize`: searches the grid of the design's `options` with common random numbers, ranks
/// the feasible designs by expected total cost (or, without economics, by unavailability) with
/// paired intervals against the best, and gives the Pareto front of capex against
/// availability. Grids up to `exhaustive_limit` points are searched exhaustively; larger ones by
/// coordinate descent (each option in turn set to its best value with the others held, until a
/// round changes nothing). Throws std::invalid_argument with a message for a design whose
/// options cannot be used.
nlohmann::json optimize_design(const topology::Design& d, const OptimizeOptions& options);
void print_optimize(std::ostream& os, const nlohmann::json& result);

/// The overrides that make one choice of the options (a ranking row's `choice`).
std::vector<topology::Override> choice_overrides(const topology::Design& d,
                                                 const nlohmann::json& choice);

/// `optimize --uncertainty K`: the `top` feasible choices of a result, best first, run again
/// over K parameter draws (experiments/uncertainty.hpp): each with its `uncertainty` block, the
/// requirements' `probability_meets`, and `probability_better_than_first` against the choice
/// ranked best at the stated values.
nlohmann::json optimize_uncertainty(const topology::Design& d, const nlohmann::json& result,
                                    const OptimizeOptions& options, std::size_t draws,
                                    std::size_t top = 5);

/// The overrides that make the best design of an optimize result.
std::vector<topology::Override> best_overrides(const topology::Design& d,
                                               const nlohmann::json& result);

}  // namespace ridethrough::experiments
