// A UPS: passes on what its inputs deliver while fed, and runs on its battery while not.
#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

using reading::Reader;

void read_ups(Reader& r, const YAML::Node& n, const std::string& what, Component& c) {
  if (auto v = n["autonomy"])
    c.autonomy = r.duration(v, what + " autonomy", Reader::Sign::Positive).value_or(1);
  if (auto v = n["battery_energy"])
    c.battery_energy = r.energy(v, what + " battery_energy", Reader::Sign::Positive).value_or(1);
  if (auto v = n["recharge"])
    c.recharge = r.duration(v, what + " recharge", Reader::Sign::Positive).value_or(1);
}

void check(Reader& r, const YAML::Node& key, const YAML::Node& n, const std::string& what) {
  if (!n["autonomy"] && !n["battery_energy"])
    r.error(key, what + " of kind 'ups' needs 'autonomy' or 'battery_energy'");
  if (n["autonomy"] && n["battery_energy"])
    r.error(n["battery_energy"], what +
                                     " has both 'autonomy' and 'battery_energy': give one "
                                     "(battery_energy makes runtime depend on the load)");
  if (!n["recharge"]) r.error(key, what + " of kind 'ups' needs 'recharge'");
}

}  // namespace

const KindSpec kUpsKind = {Kind::Ups,
                           "ups",
                           "a UPS with a battery",
                           {{"components.*", "inputs", kNoFeature},
                            {"components.*", "autonomy", Feature::Ups},
                            {"components.*", "battery_energy", Feature::BatteryEnergy},
                            {"components.*", "recharge", Feature::Ups}},
                           true,
                           read_ups,
                           check};

}  // namespace ridethrough::topology
