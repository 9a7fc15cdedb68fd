// A cooling source (chiller, dry cooler, tower plant): live when up and powered, after a
// restart following any loss of power or repair.
#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

void read_cooling_source(reading::Reader& r, const YAML::Node& n, const std::string& what,
                         Component& c) {
  if (auto v = n["restart"])
    c.restart = r.duration(v, what + " restart", reading::Reader::Sign::NonNegative).value_or(0);
}

}  // namespace

const KindSpec kCoolingSourceKind = {Kind::CoolingSource,
                                     "cooling_source",
                                     "a chiller or other cooling plant",
                                     {{"components.*", "restart", Feature::CoolingRestart}},
                                     false,
                                     read_cooling_source,
                                     nullptr};

}  // namespace ridethrough::topology
