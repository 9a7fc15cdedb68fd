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

/// Every error of a design that must not load, as the CLI prints them (file w.yaml).
std::string errors(const std::string& yaml) {
  std::string all;
  for (const auto& e : ridethrough::topology::load_design_text(yaml, "w.yaml").errors)
    all += ridethrough::topology::format_diagnostic("w.yaml", e) + "\n";
  return all;
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

TEST_CASE("weather: heat waves make grid events and curtailment calls more frequent",
          "[weather][grid]") {
  // Heat waves at w = 50/y lasting a fixed D = 24 h, overlapping freely (M/D/infinity): one is
  // under way a share p = 1 - exp(-w D) of the time. Grid events (20/y) are 4 times as frequent
  // and calls (10/y) 3 times while one lasts, so their rates are 20 (1 + 3 p) and 10 (1 + 2 p)
  // a year. The counts are Poisson given the weather, so their variance is the mean plus the
  // variance of the weather-driven rate's integral: at most (rate (f - 1))^2 T 2 D e^{-2wD}
  // (e^{wD} - 1) (the heat-wave indicator's covariance vanishes beyond D).
  const double w = 50.0 / 8760, D = 24, T = 8760, p = 1 - std::exp(-w * D);
  const std::uint64_t n = 4000;
  const auto s = run_yaml(R"(
version: 1
warmup: 100h
horizon: 1y
weather:
  events:
    - {name: heat, rate: 50/y, duration: {dist: fixed, value: 24h}, ambient: 38C,
       grid_event_factor: 4, call_factor: 3}
components:
  utility: {kind: source, capacity: 10MW, events: [{rate: 20/y, duration: {dist: fixed, value: 1min}}]}
loads:
  hall: {demand: 1MW, power: [utility]}
grid:
  curtailment: {rate: 10/y, duration: {dist: fixed, value: 1h}, limit: 5MW, sources: [utility]}
)",
                          n, 3);
  auto check_count = [&](double estimate, double rate, double factor) {
    const double mean = rate * (1 + (factor - 1) * p);
    const double extra = std::pow(rate / T * (factor - 1), 2) * T * 2 * D * std::exp(-2 * w * D) *
                         (std::exp(w * D) - 1);
    const double se = std::sqrt((mean + extra) / static_cast<double>(n));
    INFO("estimate " << estimate << " exact " << mean << " se " << se);
    CHECK(std::fabs(estimate - mean) <= 4 * se);
    // And not the count without the factor: the test can tell them apart.
    CHECK(std::fabs(estimate - rate) > 8 * se);
  };
  check_count(num(s["components"]["utility"]["events"]["event1"]["count"]), 20, 4);
  check_count(num(s["curtailment"]["calls"]), 10, 3);
}

TEST_CASE("weather factors and call generators: bad input is an error at its line",
          "[weather][curtailment]") {
  const std::string base = R"(version: 1
weather:
  events:
    - {rate: 2/y, duration: {dist: fixed, value: 1h}, ambient: 40C, FACTOR}
components:
  utility: {kind: source}
  chiller: {kind: cooling_source, powered_by: [utility]}
loads:
  hall: {demand: 1MW, power: [utility], cooling: [chiller]}
)";
  auto with = [&](const std::string& factor, const std::string& tail = "") {
    std::string y = base;
    y.replace(y.find("FACTOR"), 6, factor);
    return y + tail;
  };
  CHECK(errors(with("grid_event_factor: 0.5"))
            .find("w.yaml:4:88: error: weather event class 1 "
                  "grid_event_factor must be at least 1") != std::string::npos);
  CHECK(errors(with("grid_event_factor: 2"))
            .find("has a grid_event_factor but no source has "
                  "grid events") != std::string::npos);
  CHECK(errors(with("call_factor: 2"))
            .find("has a call_factor but the grid has no curtailment "
                  "calls") != std::string::npos);
  const std::string calls =
      "grid:\n  curtailment: {rate: 1/y, duration: {dist: fixed, value: 1h}, limit: 0kW, "
      "sources: [utility], generators: [chiller]}\n";
  CHECK(errors(with("call_factor: 2", calls))
            .find("w.yaml:11:109: error: grid curtailment generators names 'chiller', which is "
                  "not a generator") != std::string::npos);
  CHECK(errors(with("call_factor: 2", calls)).find("call_factor") == std::string::npos);
}
