#include <catch2/catch.hpp>

#include "tests/support/run.hpp"

using ridethrough::testing::run_yaml;

namespace {
const char* kDesign = R"(
version: 1
crews: 1
components:
  grid: {kind: source, failure: {dist: exponential, mean: 300h}, repair: {dist: lognormal, median: 1h, sigma: 1}}
  a: {kind: node, inputs: [grid], capacity: 500kW, failure: {dist: weibull, shape: 1.5, scale: 900h}, repair: {dist: exponential, mean: 12h}}
  b: {kind: node, inputs: [grid], capacity: 500kW, failure: {dist: exponential, mean: 700h}, repair: {dist: fixed, value: 5h}}
loads:
  x: {demand: 400kW, power: [a, b]}
  y: {demand: 400kW, power: [a, b], priority: flexible}
)";
nlohmann::json strip(nlohmann::json j) {
  j.erase("performance");
  return j;
}
}  // namespace

TEST_CASE("the summary is bit-identical whatever the thread count", "[reproducibility]") {
  const auto one = run_yaml(kDesign, 777, 9, 1);
  const auto two = run_yaml(kDesign, 777, 9, 2);
  const auto three = run_yaml(kDesign, 777, 9, 3);
  CHECK(strip(one).dump() == strip(two).dump());
  CHECK(strip(one).dump() == strip(three).dump());
}

TEST_CASE("a different seed gives different numbers", "[reproducibility]") {
  const auto a = run_yaml(kDesign, 200, 1);
  const auto b = run_yaml(kDesign, 200, 2);
  CHECK(a["facility"]["downtime_hours"]["mean"] != b["facility"]["downtime_hours"]["mean"]);
}
