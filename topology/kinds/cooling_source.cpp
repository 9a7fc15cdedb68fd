// A cooling source (chiller, dry cooler, tower plant): live when up and powered, after a
// restart following any loss of power or repair.
#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

void read_cooling_source(reading::Reader& r, const YAML::Node& n, const std::string& what,
                         Component& c) {
  if (auto v = n["restart"])
    c.restart = r.duration(v, what + " restart", reading::Reader::Sign::NonNegative).value_or(0);
  const YAML::Node d = n["derate"];
  if (!d) return;
  if (!d.IsSequence() || d.size() == 0) {
    r.error(d, what + " derate must be a list of {above: 35C, capacity: 80%}");
    return;
  }
  if (!n["capacity"]) r.error(d, what + " has a derate but no capacity to derate");
  for (std::size_t k = 0; k < d.size(); ++k) {
    const std::string sw = what + " derate step " + std::to_string(k + 1);
    if (!r.expect_map(d[k], sw)) continue;
    r.check_keys(d[k], keys_of("components.*.derate[]"), sw);
    DerateStep s;
    if (auto v = d[k]["above"])
      s.above = r.temperature(v, sw + " above").value_or(0);
    else
      r.error(d[k], sw + " needs 'above' (an ambient temperature such as 35C)");
    if (auto v = d[k]["capacity"])
      s.capacity = r.share(v, sw + " capacity").value_or(1);
    else
      r.error(d[k], sw + " needs 'capacity' (the share of the rated capacity left, such as 80%)");
    c.derate.push_back(s);
  }
}

}  // namespace

const KindSpec kCoolingSourceKind = {Kind::CoolingSource,
                                     "cooling_source",
                                     "a chiller or other cooling plant",
                                     {{"components.*", "restart", Feature::CoolingRestart},
                                      {"components.*", "derate", Feature::Weather},
                                      {"components.*.derate[]", "above", Feature::Weather},
                                      {"components.*.derate[]", "capacity", Feature::Weather}},
                                     false,
                                     read_cooling_source,
                                     nullptr};

}  // namespace ridethrough::topology
