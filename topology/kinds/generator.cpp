// A standby generator: starts when a switch demands it (with a delay and a failure
// probability), ages while running, may fail unseen while idle, is tested, burns fuel.
#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

using reading::Reader;

void read_fuel(Reader& r, const YAML::Node& f, const std::string& what, Component& c) {
  r.check_keys(f, keys_of("components.*.fuel"), what + " fuel");
  if (auto v = f["tank"])
    c.fuel_tank = r.duration(v, what + " fuel tank", Reader::Sign::Positive).value_or(1);
  else
    r.error(f, what + " fuel needs 'tank' (hours of running at full capacity)");
  const YAML::Node rf = f["refuel"];
  if (!rf || !r.expect_map(rf, what + " fuel refuel")) return;
  c.has_refuel = true;
  r.check_keys(rf, keys_of("components.*.fuel.refuel"), what + " fuel refuel");
  if (auto v = rf["delay"])
    c.refuel_delay = r.duration(v, what + " fuel refuel delay", Reader::Sign::Positive).value_or(1);
  else
    r.error(rf, what + " fuel refuel needs 'delay'");
  if (auto v = rf["fail_prob"]) {
    c.refuel_fail_prob = r.share(v, what + " fuel refuel fail_prob").value_or(0);
    if (c.refuel_fail_prob >= 1.0)
      r.error(v, what +
                     " fuel refuel fail_prob must be below 1 (a delivery must be able to "
                     "arrive)");
  }
  const YAML::Node st = rf["during_events"];
  if (!st || !r.expect_map(st, what + " fuel refuel during_events")) return;
  const std::string sw = what + " fuel refuel during_events";
  r.check_keys(st, keys_of("components.*.fuel.refuel.during_events"), sw);
  c.has_storm_refuel = true;
  c.storm_refuel_delay = c.refuel_delay;
  c.storm_refuel_fail_prob = c.refuel_fail_prob;
  if (auto v = st["delay"])
    c.storm_refuel_delay = r.duration(v, sw + " delay", Reader::Sign::Positive).value_or(1);
  if (auto v = st["fail_prob"]) {
    c.storm_refuel_fail_prob = r.share(v, sw + " fail_prob").value_or(0);
    if (c.storm_refuel_fail_prob >= 1.0)
      r.error(v, sw + " fail_prob must be below 1 (a delivery must be able to arrive)");
  }
}

void read_generator(Reader& r, const YAML::Node& n, const std::string& what, Component& c) {
  if (auto s = n["start"]; s && r.expect_map(s, what + " start")) {
    r.check_keys(s, keys_of("components.*.start"), what + " start");
    if (auto v = s["delay"])
      c.start_delay = r.duration(v, what + " start delay", Reader::Sign::NonNegative).value_or(0);
    if (auto v = s["fail_prob"])
      c.start_fail_prob = r.share(v, what + " start fail_prob").value_or(0);
    if (auto u = s["uncertainty"]) c.start_fail_uncertainty = r.uncertainty(u, what + " start");
  }
  if (auto m = n["test"]; m && r.expect_map(m, what + " test")) {
    c.has_test = true;
    read_window(r, m, what, "test", c.test_interval, c.test_duration, c.test_offset);
    if (auto v = m["human_error"])
      c.test_human_error = r.share(v, what + " test human_error").value_or(0);
  }
  if (auto v = n["standby_failure"]) c.standby_failure = r.law(v, what + " standby_failure");
  if (auto f = n["fuel"]; f && r.expect_map(f, what + " fuel")) read_fuel(r, f, what, c);
}

}  // namespace

const KindSpec kGeneratorKind = {
    Kind::Generator,
    "generator",
    "a standby generator",
    {{"components.*", "start", Feature::Generators},
     {"components.*", "standby_failure", Feature::StandbyFailures},
     {"components.*", "test", Feature::GeneratorTests},
     {"components.*", "fuel", Feature::Fuel},
     {"components.*.start", "delay", Feature::Generators},
     {"components.*.start", "fail_prob", Feature::Generators},
     {"components.*.start", "uncertainty", Feature::ParameterUncertainty},
     {"components.*.test", "interval", Feature::GeneratorTests},
     {"components.*.test", "duration", Feature::GeneratorTests},
     {"components.*.test", "offset", Feature::GeneratorTests},
     {"components.*.test", "human_error", Feature::GeneratorTests},
     {"components.*.fuel", "tank", Feature::Fuel},
     {"components.*.fuel", "refuel", Feature::Refuel},
     {"components.*.fuel.refuel", "delay", Feature::Refuel},
     {"components.*.fuel.refuel", "fail_prob", Feature::Refuel},
     {"components.*.fuel.refuel", "during_events", Feature::Refuel},
     {"components.*.fuel.refuel.during_events", "delay", Feature::Refuel},
     {"components.*.fuel.refuel.during_events", "fail_prob", Feature::Refuel}},
    false,
    read_generator,
    nullptr};

}  // namespace ridethrough::topology
