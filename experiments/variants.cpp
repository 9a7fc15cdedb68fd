#include "experiments/variants.hpp"

#include <algorithm>

namespace ridethrough::experiments {

using topology::Design;
using topology::Law;

Design perfect_variant(const Design& d, std::size_t component) {
  Design v = d;
  auto& c = v.components[component];
  c.failure = Law{};
  c.standby_failure = Law{};
  c.start_fail_prob = 0.0;
  c.transfer_fail_prob = 0.0;
  c.transfer_human_error = 0.0;  // its manual transfers are always done right
  c.has_maintenance = false;     // its human errors go with it
  c.test_human_error = 0.0;      // a test never leaves it off
  c.events.clear();              // a feed without storms
  c.fuel_tank = 0.0;             // a generator that never runs dry
  c.has_refuel = false;
  for (auto& g : v.common_cause) {
    auto it = std::find(g.members.begin(), g.members.end(), c.id);
    if (it == g.members.end()) continue;
    g.member_locs.erase(g.member_locs.begin() + (it - g.members.begin()));
    g.members.erase(it);
  }
  // A group left with one member is no common cause any more.
  v.common_cause.erase(std::remove_if(v.common_cause.begin(), v.common_cause.end(),
                                      [](const auto& g) { return g.members.size() < 2; }),
                       v.common_cause.end());
  return v;
}

Design failed_variant(const Design& d, std::size_t component) {
  Design v = d;
  v.components[component].forced_down = true;
  return v;
}

}  // namespace ridethrough::experiments
