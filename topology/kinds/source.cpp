// A utility feed: live when up; its outages are a failure law or classes of grid events.
#include <set>

#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

using reading::loc_of;
using reading::Reader;

void read_source(Reader& r, const YAML::Node& n, const std::string& what, Component& c) {
  const YAML::Node ev = n["events"];
  if (!ev) return;
  if (!ev.IsSequence() || ev.size() == 0) {
    r.error(ev, what + " events must be a non-empty list of {rate, duration, name, season}");
  } else {
    std::set<std::string> names;
    for (std::size_t k = 0; k < ev.size(); ++k) {
      const std::string ew = what + " event class " + std::to_string(k + 1);
      if (!r.expect_map(ev[k], ew)) continue;
      c.events.push_back(read_event_class(r, ev[k], ew, k, "components.*.events[]"));
      if (!names.insert(c.events.back().name).second)
        r.error(ev[k], ew + ": another class is named '" + c.events.back().name + "'");
    }
  }
  if (n["failure"] || n["repair"])
    r.error(ev, what + " has events and failure/repair: events replace them for a utility feed");
  if (n["maintenance"])
    r.error(ev, what + " has events and maintenance: a utility's planned work is an event class");
}

}  // namespace

/// One class of grid events: a Poisson process of outages with a duration law, maybe seasonal.
GridEventClass read_event_class(Reader& r, const YAML::Node& e, const std::string& ew,
                                std::size_t k, const std::string& scope) {
  GridEventClass g;
  g.loc = loc_of(e);
  g.name = "event" + std::to_string(k + 1);
  r.check_keys(e, keys_of(scope), ew);
  if (auto v = e["name"])
    if (auto s = r.id_ref(v, ew + " name")) g.name = *s;
  if (auto v = e["rate"])
    g.rate = r.rate(v, ew + " rate").value_or(1.0 / kHoursPerYear);
  else
    r.error(e, ew + " needs 'rate' (such as 2/y)");
  if (auto v = e["duration"]) {
    g.duration = r.law(v, ew + " duration");
    if (!g.duration.can_fail()) r.error(v, ew + " duration cannot be 'never'");
  } else {
    r.error(e, ew + " needs 'duration' (a law)");
  }
  if (auto s = e["season"]; s && r.expect_map(s, ew + " season")) {
    r.check_keys(s, keys_of(scope + ".season"), ew + " season");
    g.seasonal = true;
    if (auto v = s["peak"])
      g.peak_month = r.month(v, ew + " season peak").value_or(1);
    else
      r.error(s, ew + " season needs 'peak' (the month the rate peaks, such as 7m)");
    if (auto v = s["amplitude"])
      g.amplitude = r.share(v, ew + " season amplitude").value_or(0);
    else
      r.error(s, ew + " season needs 'amplitude' (such as 50%)");
  }
  return g;
}

const KindSpec kSourceKind = {
    Kind::Source,
    "source",
    "a utility feed",
    {{"components.*", "events", Feature::GridEvents},
     {"components.*.events[]", "name", Feature::GridEvents},
     {"components.*.events[]", "rate", Feature::GridEvents},
     {"components.*.events[]", "duration", Feature::GridEvents},
     {"components.*.events[]", "season", Feature::SeasonalEvents},
     {"components.*.events[].season", "peak", Feature::SeasonalEvents},
     {"components.*.events[].season", "amplitude", Feature::SeasonalEvents}},
    false,
    read_source,
    nullptr};

}  // namespace ridethrough::topology
