// The words for outage mechanisms: one place that says how each kind of entry reads.
#include "failure_models/mechanism.hpp"

#include <algorithm>
#include <array>

namespace ridethrough::failure_models {
namespace {

/// How each kind reads, its subjects following in brackets (one table, in the order of Why).
constexpr std::array<const char*, kWhyKinds> kPhrases{{
    "failure",
    "start failure",
    "hidden failure found",
    "transfer failure",
    "common-cause shock",
    "maintenance",
    "human error",
    "grid event",
    "fuel exhausted",
    "regional event",
    "power interrupted by",
    "transfer under way",
    "generator starting",
    "UPS battery exhausted",
    "chiller restart",
    "thermal ride-through exceeded",
    "shed, capacity short",
    "curtailment call",
    "weather",
}};

std::string subject_name(int code, const topology::Model& m) {
  const int s = why_subject(code);
  switch (why_kind(code)) {
    case Why::GridEvent:
      return m.ids[m.event_component[s]] + " '" + m.event_names[s] + "'";
    case Why::Weather:
      return m.weather_names[s];
    case Why::RegionalEvent:
      return m.cause_names[s];
    case Why::ThermalRideThrough:
    case Why::Shed:
    case Why::CurtailmentCall:
      return m.load_ids[s];
    default:
      return m.ids[s];
  }
}

/// A failure of a source reads "utility lost"; of anything else "failure (tx1)".
std::string phrase(Why w, bool source, const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  if (w == Why::Failure && source) return list + " lost";
  return std::string(kPhrases[static_cast<int>(w)]) + " (" + list + ")";
}

}  // namespace

std::string describe_mechanism(const std::vector<int>& codes, const topology::Model& m) {
  // Group by kind (sources' failures apart from other failures), names sorted within a group.
  std::array<std::vector<std::string>, kWhyKinds> names, sources;
  for (int code : codes) {
    const Why w = why_kind(code);
    const bool source = w == Why::Failure && m.kind[why_subject(code)] == topology::Kind::Source;
    (source ? sources : names)[static_cast<int>(w)].push_back(subject_name(code, m));
  }
  std::string roots, dynamics;
  for (int k = 0; k < kWhyKinds; ++k) {
    const Why w = static_cast<Why>(k);
    std::string& part = k < static_cast<int>(Why::PowerInterruption) ? roots : dynamics;
    for (auto* group : {&sources[k], &names[k]}) {
      if (group->empty()) continue;
      std::sort(group->begin(), group->end());
      group->erase(std::unique(group->begin(), group->end()), group->end());
      part += (part.empty() ? "" : " + ") + phrase(w, group == &sources[k], *group);
    }
  }
  if (roots.empty() && dynamics.empty()) return "unexplained";
  if (roots.empty()) return dynamics;
  return dynamics.empty() ? roots : roots + " -> " + dynamics;
}

}  // namespace ridethrough::failure_models
