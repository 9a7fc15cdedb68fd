#pragma once
// The design loader's parts, each in its own file: reading components (read_component.cpp),
// the other blocks (read_blocks.cpp), checks that need the whole design (validate.cpp) and
// overrides (overrides.cpp). loader.cpp checks the text, expands templates and calls them.
#include <string>
#include <vector>

#include "topology/design.hpp"
#include "topology/loader.hpp"
#include "topology/reader.hpp"

namespace ridethrough::topology::loading {

using reading::Reader;

/// Calls fn(id, key node, value node) for each entry of a mapping of named entries.
template <class Fn>
void each_entry(Reader& r, const YAML::Node& map, const std::string& what, Fn fn) {
  if (!r.expect_map(map, what)) return;
  r.check_ids(map, what);
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar()) fn(it->first.Scalar(), it->first, it->second);
}

// read_component.cpp
void read_component(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
                    Design& d);

// read_blocks.cpp: the design's blocks besides components.
void read_header(Reader& r, const YAML::Node& root, Design& d);
void read_spares(Reader& r, const YAML::Node& s, Design& d);
void read_common_cause(Reader& r, const YAML::Node& cc, Design& d);
void read_load(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
               Design& d);
void read_tenant(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
                 Design& d);
void read_economics(Reader& r, const YAML::Node& e, bool has_crews, Design& d);
void read_grid(Reader& r, const YAML::Node& g, Design& d);
void read_weather(Reader& r, const YAML::Node& w, Design& d);
void read_options(Reader& r, const YAML::Node& opts, Design& d);

// validate.cpp
/// Cross-references, networks, cycles, common cause, SLA months, the clock's resolution:
/// everything that needs the whole design.
void validate(Reader& r, Design& d);
/// Errors in the order of the file (stable: messages at one place keep theirs).
void sort_by_position(std::vector<Diagnostic>& errors);

// overrides.cpp
/// Applies `path=value` to the parsed tree, so --vary and --set go through the same
/// validation as the file; false (with an error) if the path matches nothing.
bool apply_override(YAML::Node root, const Override& o, std::vector<Diagnostic>& errors);

}  // namespace ridethrough::topology::loading
