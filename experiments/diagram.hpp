#pragma once
// The single-line diagram: the design as a Graphviz graph (power path, cooling path, powered_by
// links, capacities and k-of-n groups, spare pools, common-cause groups), laid out by Graphviz's
// `dot` program. With results, components are coloured by a figure and single points of failure
// outlined.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "topology/model.hpp"

namespace ridethrough::experiments {

struct DiagramOptions {
  /// A `run` or `importance` JSON: components coloured by `outage_share` (run) or `birnbaum`
  /// (importance); null: no colours.
  const nlohmann::json* results = nullptr;
  /// Above this many components, components whose ids differ only in their numbers (templated
  /// instances, `count:` copies) are drawn as one node "id# x N".
  int group_above = 120;
};

struct Diagram {
  std::string dot;        ///< the graph in Graphviz's DOT language
  std::string colour_by;  ///< the figure components are coloured by, or empty
  int nodes = 0;          ///< nodes drawn for components (fewer than components when grouped)
};

/// The diagram of a compiled design; `check` is check_design's JSON (its single points of
/// failure are outlined).
Diagram diagram_dot(const topology::Model& m, const nlohmann::json& check,
                    const DiagramOptions& options);

/// Runs `dot -Tsvg` on the graph: the SVG, or nothing with `error` set (no Graphviz, or it
/// failed).
std::optional<std::string> render_svg(const std::string& dot, std::string& error);

}  // namespace ridethrough::experiments
