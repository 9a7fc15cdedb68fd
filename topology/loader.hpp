#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "topology/design.hpp"

namespace ridethrough::topology {

struct Diagnostic {
  Loc loc;
  std::string message;
};

struct LoadResult {
  std::optional<Design> design;    ///< set only when there is no error
  std::vector<Diagnostic> errors;  ///< every problem found, in file order
};

/// A `--vary` style override: a dotted key path into the design and the YAML text of the value.
struct Override {
  std::string path;
  std::string value;
};

/// Parses and validates a design. Every problem is reported, each with its line and column;
/// nothing is defaulted silently.
LoadResult load_design_text(const std::string& text, const std::string& path,
                            const std::vector<Override>& overrides = {});
LoadResult load_design_file(const std::string& path, const std::vector<Override>& overrides = {});

/// The design with its templates expanded (`ridethrough expand`): flat YAML, one entry per
/// line; a design without templates comes back as it parses. nullopt with errors if the text,
/// a template or an override is bad (the flat design itself is not validated here).
std::optional<std::string> expand_design_text(const std::string& text,
                                              const std::vector<Override>& overrides,
                                              std::vector<Diagnostic>& errors);

/// The design text with overrides applied and top-level keys dropped, as YAML (comments and
/// layout are not kept); nullopt with errors if the text or an override is bad.
std::optional<std::string> rewrite_design_text(const std::string& text,
                                               const std::vector<Override>& overrides,
                                               const std::vector<std::string>& drop_keys,
                                               std::vector<Diagnostic>& errors);

/// `FILE:LINE:COL: error: MESSAGE`
std::string format_diagnostic(const std::string& path, const Diagnostic& d);

}  // namespace ridethrough::topology
