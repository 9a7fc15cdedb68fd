#pragma once
// What the loader accepts at most, checked before and while the YAML is read, so that a huge or
// malicious file is refused quickly and with bounded memory instead of exhausting the machine.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "topology/design.hpp"

namespace ridethrough::topology::limits {

/// Largest design file (and design text) read: far above any real design (the flat
/// 10,000-rack campus is 4 MB) and small enough to hold in memory twice.
constexpr std::size_t kMaxFileBytes = 64u << 20;
/// Deepest nesting of YAML collections (real designs nest 8 deep).
constexpr int kMaxDepth = 64;
/// Most YAML nodes the text may stand for once its aliases are expanded (a YAML bomb makes a
/// few lines of anchors stand for billions).
constexpr std::size_t kMaxExpandedNodes = 20'000'000;
/// Largest design: components plus loads after templates and `count`.
constexpr std::size_t kMaxEntries = 1'000'000;
/// Largest --replications.
constexpr std::uint64_t kMaxReplications = 1'000'000'000'000ull;

/// A problem with the YAML text as text: too deep, or its aliases expand too far. Runs the
/// yaml-cpp event parser (linear in the text, nothing expanded); nullopt if the text is
/// within the limits or is not valid YAML (the loader reports that).
struct TextProblem {
  Loc loc;
  std::string message;
};
std::optional<TextProblem> check_yaml_text(const std::string& text);

}  // namespace ridethrough::topology::limits
