#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "experiments/parameters.hpp"
#include "experiments/variants.hpp"
#include "tests/support/run.hpp"
#include "topology/features.hpp"
#include "topology/loader.hpp"

using ridethrough::testing::check_within_ci;
using ridethrough::testing::num;
using ridethrough::testing::run_yaml;

namespace {

/// Two chillers of 600 kW for a 500 kW hall; `classes` are the weather event classes.
std::string hall(const std::string& classes) {
  return "version: 1\nweather:\n  ambient: 25C\n  events:\n" + classes +
         "components:\n  grid: {kind: source}\n"
         "  ch1: {kind: cooling_source, capacity: 600kW, powered_by: [grid],\n"
         "        derate: [{above: 30C, capacity: 90%}, {above: 35C, capacity: 40%}]}\n"
         "  ch2: {kind: cooling_source, capacity: 600kW, powered_by: [grid],\n"
         "        derate: [{above: 35C, capacity: 40%}]}\n"
         "loads:\n  hall: {demand: 500kW, power: [grid], cooling: [ch1, ch2]}\n";
}

}  // namespace

TEST_CASE("weather: heat waves that derate the chillers below the load", "[weather]") {
  // Heat waves of a fixed 72 h at 2 a year, overlapping freely (M/D/infinity): the hall is
  // down while any is under way, a share 1 - exp(-rate x duration) of the time, and goes down
  // at rate x exp(-rate x duration) (a wave that begins while none is under way).
  const auto s = run_yaml(
      hall(
          "    - {name: heatwave, rate: 2/y, duration: {dist: fixed, value: 72h}, ambient: 40C}\n"),
      20000);
  const double load = 2.0 / 8760.0 * 72.0;
  check_within_ci(s["facility"]["availability"], std::exp(-load));
  check_within_ci(s["facility"]["outages"], 2.0 * std::exp(-load));
  CHECK(s["facility"]["top_causes"][0]["mechanism"].get<std::string>().find("weather (heatwave)") !=
        std::string::npos);
}

TEST_CASE("weather: overlapping classes take the hottest ambient", "[weather]") {
  // Warm spells (33C, 5 a year, 100 h) derate ch1 to 90%: 540 + 600 kW still cool the hall.
  // Heat waves (40C) drop both to 40%. Whatever overlaps, the hall is down exactly while a
  // heat wave is under way: availability exp(-rate x duration) of the heat waves alone.
  const auto s =
      run_yaml(hall("    - {name: warm, rate: 5/y, duration: {dist: fixed, value: 100h}, "
                    "ambient: 33C}\n"
                    "    - {name: heatwave, rate: 2/y, duration: {dist: exponential, mean: 72h}, "
                    "ambient: 40C}\n"),
               20000);
  check_within_ci(s["facility"]["availability"], std::exp(-2.0 / 8760.0 * 72.0));
  check_within_ci(s["facility"]["outages"], 2.0 * std::exp(-2.0 / 8760.0 * 72.0));
}

TEST_CASE("weather: bad input is an error at its line", "[weather]") {
  using ridethrough::topology::format_diagnostic;
  using ridethrough::topology::load_design_text;
  auto errors = [](const std::string& yaml) {
    std::string all;
    for (const auto& e : load_design_text(yaml, "w.yaml").errors)
      all += format_diagnostic("w.yaml", e) + "\n";
    return all;
  };
  const std::string no_c =
      hall("    - {name: hw, rate: 2/y, duration: {dist: fixed, value: 72h}, ambient: 40}\n");
  CHECK(errors(no_c).find("w.yaml:5:75: error: weather event class 1 ambient: expected a "
                          "temperature in degrees Celsius such as 35C, got '40'") !=
        std::string::npos);
  const std::string no_ambient =
      hall("    - {name: hw, rate: 2/y, duration: {dist: fixed, value: 72h}}\n");
  CHECK(errors(no_ambient).find("weather event class 1 needs 'ambient'") != std::string::npos);
  std::string no_capacity =
      hall("    - {rate: 2/y, duration: {dist: fixed, value: 1h}, ambient: 40C}\n");
  no_capacity.replace(no_capacity.find("capacity: 600kW, "), 17, "");
  CHECK(errors(no_capacity).find("has a derate but no capacity") != std::string::npos);
}

TEST_CASE("weather: sensitivity varies the classes, and a perfect generator is never left off",
          "[weather][human_error]") {
  const auto l = ridethrough::testing::load_yaml(
      hall("    - {name: heatwave, rate: 2/y, duration: {dist: fixed, value: 72h}, "
           "ambient: 40C}\n"));
  std::vector<std::string> paths;
  for (const auto& p : ridethrough::experiments::parameters_of(l.design)) paths.push_back(p.path);
  CHECK(std::count(paths.begin(), paths.end(), "weather.events.heatwave.rate") == 1);
  CHECK(std::count(paths.begin(), paths.end(), "weather.events.heatwave.duration.value") == 1);
  // importance's "perfect" unit: a generator test's human error goes with the rest.
  const auto g = ridethrough::testing::load_yaml(R"(
version: 1
components:
  utility: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: fixed, value: 2h}}
  gen: {kind: generator, capacity: 1MW, test: {interval: 730h, duration: 30min, human_error: 100%},
        repair: {dist: fixed, value: 8h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 500kW, power: [ats]}
)");
  CHECK(ridethrough::topology::can_be_down(g.model, 1));  // only a test can leave it off
  const auto perfect = ridethrough::experiments::perfect_variant(g.design, 1);
  const auto m = ridethrough::topology::compile(perfect);
  CHECK(m.test_human_error[1] == 0.0);
  CHECK_FALSE(ridethrough::topology::can_be_down(m, 1));
}
