#pragma once
// Loader tests: a design's error lines, and looking for one of them by position and text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "topology/loader.hpp"

namespace ridethrough::testing {

/// Every error of a design text read as "d.yaml", formatted as the CLI prints it; checks that
/// the design loads exactly when there is none.
inline std::vector<std::string> errors_of(const std::string& yaml) {
  auto r = topology::load_design_text(yaml, "d.yaml");
  std::vector<std::string> out;
  for (const auto& d : r.errors) out.push_back(topology::format_diagnostic("d.yaml", d));
  CHECK(r.design.has_value() == out.empty());
  return out;
}
/// True if one error line starts with `where` (d.yaml:LINE:COL) and contains `what`.
inline bool has(const std::vector<std::string>& errs, const std::string& where,
                const std::string& what) {
  for (const auto& e : errs)
    if (e.rfind("d.yaml:" + where + ": error: ", 0) == 0 && e.find(what) != std::string::npos)
      return true;
  return false;
}
inline std::string dump(const std::vector<std::string>& errs) {
  std::string s;
  for (const auto& e : errs) s += e + "\n";
  return s;
}

}  // namespace ridethrough::testing
