// Shedding when capacity is short (issue "every figure right where features meet", finding
// 4): loads of equal standing share a shortage, so identical loads get identical figures
// whatever their order in the file; `shed_order` says who goes first when the operator has a
// sequence. Closed forms from independent chillers.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "experiments/analysis.hpp"
#include "tests/support/run.hpp"

using ridethrough::testing::check_within_ci;
using ridethrough::testing::load_yaml;
using ridethrough::testing::num;
using ridethrough::testing::run_yaml;

namespace {

constexpr const char* kLaw =
    "failure: {dist: exponential, mean: 2000h}, repair: {dist: exponential, mean: 50h}";

/// Three 500 kW halls on a plant of three 600 kW chillers: short as soon as one is down.
std::string plant(const std::string& halls, const std::string& chillers = "") {
  const std::string ch =
      chillers.empty() ? "  ch1: {kind: cooling_source, capacity: 600kW, " + std::string(kLaw) +
                             "}\n  ch2: {kind: cooling_source, capacity: 600kW, " + kLaw +
                             "}\n  ch3: {kind: cooling_source, capacity: 600kW, " + kLaw + "}\n"
                       : chillers;
  return "version: 1\nwarmup: 1000h\ncomponents:\n  grid: {kind: source}\n" + ch +
         "  loop: {kind: node, inputs: [ch1, ch2, ch3]}\nloads:\n" + halls;
}
const char* kHalls =
    "  h1: {demand: 500kW, power: [grid], cooling: [loop]}\n"
    "  h2: {demand: 500kW, power: [grid], cooling: [loop]}\n"
    "  h3: {demand: 500kW, power: [grid], cooling: [loop]}\n";
const double a = 2000.0 / 2050.0;

nlohmann::json without_names(nlohmann::json s) {
  s.erase("performance");
  s.erase("design");
  return s;
}
}  // namespace

TEST_CASE("shedding: identical halls short of cooling go down together, in any order",
          "[shedding][exact][trust]") {
  // With one chiller down the plant carries 1200 of 1500 kW: no hall has a better claim than
  // another, so all three lose cooling (before, file order decided: 0.99999, 0.998, 0.93).
  // Each is up only while all three chillers are: a^3.
  const auto s = run_yaml(plant(kHalls), 3000, 2);
  for (const char* h : {"h1", "h2", "h3"}) {
    INFO(h);
    check_within_ci(s["loads"][h]["availability"], a * a * a);
    CHECK(s["loads"][h]["downtime_hours"] == s["loads"]["h1"]["downtime_hours"]);
    CHECK(num(s["loads"][h]["shed_share"]) == 1.0);  // every outage: cooling short, not cut
  }
  // The same design with the loads and the chillers in another order: bit-identical figures.
  const std::string reordered = plant(
      "  h3: {demand: 500kW, power: [grid], cooling: [loop]}\n"
      "  h1: {demand: 500kW, power: [grid], cooling: [loop]}\n"
      "  h2: {demand: 500kW, power: [grid], cooling: [loop]}\n",
      "  ch3: {kind: cooling_source, capacity: 600kW, " + std::string(kLaw) +
          "}\n  ch1: {kind: cooling_source, capacity: 600kW, " + kLaw +
          "}\n  ch2: {kind: cooling_source, capacity: 600kW, " + kLaw + "}\n");
  CHECK(without_names(run_yaml(reordered, 3000, 2)).dump() == without_names(s).dump());
  // check agrees: each chiller is a single point of failure of every hall.
  const auto c = ridethrough::experiments::check_design(load_yaml(plant(kHalls)).model);
  for (const char* h : {"h1", "h2", "h3"})
    CHECK(c["loads"][h]["single_points_of_failure"] ==
          nlohmann::json::array({"ch1", "ch2", "ch3"}));
}

TEST_CASE("shedding: shed_order sheds the first loads first, the rest stand together",
          "[shedding][exact][trust]") {
  // h3 is shed first (shed_order 1): with one chiller down h1 and h2 keep their 1000 kW of
  // 1200; with two down, 600 kW is short for both. h1, h2: up while at most one chiller is
  // down, a^3 + 3 a^2 (1 - a); h3: a^3.
  const std::string halls =
      "  h1: {demand: 500kW, power: [grid], cooling: [loop]}\n"
      "  h2: {demand: 500kW, power: [grid], cooling: [loop]}\n"
      "  h3: {demand: 500kW, power: [grid], cooling: [loop], shed_order: 1}\n";
  const auto s = run_yaml(plant(halls), 3000, 3);
  check_within_ci(s["loads"]["h1"]["availability"], a * a * a + 3 * a * a * (1 - a));
  CHECK(s["loads"]["h1"]["downtime_hours"] == s["loads"]["h2"]["downtime_hours"]);
  check_within_ci(s["loads"]["h3"]["availability"], a * a * a);
  // check: h3 falls with any chiller, h1 with any two.
  const auto c = ridethrough::experiments::check_design(load_yaml(plant(halls)).model);
  CHECK(c["loads"]["h3"]["single_points_of_failure"].size() == 3);
  CHECK(c["loads"]["h1"]["single_points_of_failure"].empty());
  CHECK(c["loads"]["h1"]["cut_sets"].size() == 3);
}

TEST_CASE("shedding: divisible loads of equal standing share a shortage in proportion",
          "[shedding][grid][trust]") {
  // Two flexible divisible loads of 600 kW and 300 kW on a 600 kW feed: each gets two thirds,
  // whatever their order; in blocks of a quarter, each floors its share to 1/2.
  for (const char* steps : {"divisible: true", "steps: 4"}) {
    for (bool swap : {false, true}) {
      INFO(steps << (swap ? " swapped" : ""));
      const std::string a_load =
          std::string("  a: {demand: 600kW, power: [feed], priority: flexible, ") + steps + "}\n";
      const std::string b_load =
          std::string("  b: {demand: 300kW, power: [feed], priority: flexible, ") + steps + "}\n";
      const auto s = run_yaml(
          "version: 1\nhorizon: 100h\ncomponents:\n  feed: {kind: source, "
          "capacity: 600kW}\nloads:\n" +
              (swap ? b_load + a_load : a_load + b_load),
          2, 1);
      const double share = std::string(steps) == "divisible: true" ? 2.0 / 3.0 : 0.5;
      CHECK(num(s["loads"]["a"]["energy_delivered_share"]) == Approx(share).epsilon(1e-12));
      CHECK(num(s["loads"]["b"]["energy_delivered_share"]) == Approx(share).epsilon(1e-12));
    }
  }
}

TEST_CASE("shedding: a load cut off is not shed, and the outage rows say which was",
          "[shedding][trust]") {
  // The feed fails: every outage is a cut, not a shortage.
  const auto s = run_yaml(R"(version: 1
components:
  feed: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: exponential, mean: 5h}}
loads:
  hall: {demand: 1MW, power: [feed]}
)",
                          200, 1);
  CHECK(num(s["loads"]["hall"]["shed_share"]) == 0.0);
}
