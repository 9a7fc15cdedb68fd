#include "topology/kinds.hpp"

namespace ridethrough::topology {

const std::vector<const KindSpec*>& kinds() {
  // One line per kind.
  static const std::vector<const KindSpec*> table = {
      &kSourceKind, &kGeneratorKind, &kNodeKind, &kSwitchKind, &kUpsKind, &kCoolingSourceKind};
  return table;
}

const KindSpec* kind_named(std::string_view name) {
  for (const auto* k : kinds())
    if (name == k->name) return k;
  return nullptr;
}

const KindSpec& kind_spec(Kind k) {
  for (const auto* s : kinds())
    if (s->kind == k) return *s;
  return kNodeKind;
}

const char* kind_name(Kind k) {
  return kind_spec(k).name;
}

void read_window(reading::Reader& r, const YAML::Node& m, const std::string& what,
                 const std::string& block, double& interval, double& duration,
                 std::optional<double>& offset) {
  using reading::Reader;
  r.check_keys(m, keys_of("components.*." + block), what + " " + block);
  if (!m["interval"]) r.error(m, what + " " + block + " needs 'interval'");
  if (!m["duration"]) r.error(m, what + " " + block + " needs 'duration'");
  if (m["interval"])
    interval = r.duration(m["interval"], what + " " + block + " interval", Reader::Sign::Positive)
                   .value_or(1);
  if (m["duration"])
    duration = r.duration(m["duration"], what + " " + block + " duration", Reader::Sign::Positive)
                   .value_or(0);
  if (m["offset"])
    offset = r.duration(m["offset"], what + " " + block + " offset", Reader::Sign::NonNegative)
                 .value_or(0);
  if (m["interval"] && m["duration"] && duration >= interval && duration > 0)
    r.error(m, what + " " + block + " duration must be shorter than its interval");
}

}  // namespace ridethrough::topology
