#pragma once
// Templates: a parametrised group of components and loads (a hall, a row, a rack pair)
// stamped N times by `instances:`, expanded into a flat design before it is read. The flat
// design is YAML text with one entry per line, and every line remembers where it came from, so
// the loader's messages point at the template line and name the instance.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "topology/loader.hpp"

namespace ridethrough::topology {

/// A design with its templates expanded.
struct ExpandedDesign {
  std::string text;                  ///< flat YAML: no `templates`, no `instances`
  std::vector<Loc> origin;           ///< per line of `text`: where it came from in the file
  std::vector<std::string> context;  ///< per line: "" or " (in instance 3 of template 'rack' ...)"
};

/// True if the design uses templates (`templates:` or `instances:` at the top).
bool has_templates(const YAML::Node& root);

/// Expands every instance; problems of the templates themselves (unknown template, unknown
/// parameter, nesting too deep, too many entries) go to `errors` with their locations.
std::optional<ExpandedDesign> expand_templates(const YAML::Node& root,
                                               std::vector<Diagnostic>& errors);

}  // namespace ridethrough::topology
