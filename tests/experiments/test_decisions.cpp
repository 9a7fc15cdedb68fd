// Decisions (issue "Decisions, not just figures"): paired differences with common random
// numbers, importance measures, sensitivity, risk figures and economics, against exact answers.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/driver.hpp"
#include "tests/support/run.hpp"

using namespace ridethrough;

namespace {
const char* kUpsHall = R"(
version: 1
warmup: 1000h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 1h}}
  ups: {kind: ups, inputs: [utility], autonomy: 30min, recharge: 1s}
  pdu: {kind: node, inputs: [ups], failure: {dist: exponential, mean: 2000h}, repair: {dist: exponential, mean: 40h}}
loads:
  hall: {demand: 1MW, power: [pdu]}
)";
}  // namespace

TEST_CASE("paired differences: designs that differ in one component, common random numbers",
          "[decisions][crn]") {
  // B has a 40 min battery instead of 30 min; every other component sees the same random
  // numbers in both designs, so the difference is measured on the same outages.
  std::string longer = kUpsHall;
  longer.replace(longer.find("autonomy: 30min"), 15, "autonomy: 40min");
  const auto a = testing::load_yaml(kUpsHall), b = testing::load_yaml(longer);
  experiments::RunOptions o;
  o.replications = 3000;
  o.seed = 5;
  const auto s =
      experiments::run_designs({{&a.design, &a.model, ""}, {&b.design, &b.model, ""}}, o);
  REQUIRE(s.size() == 2);
  const auto& d = s[1]["differences"]["facility"]["availability"];
  const double paired = (d["ci95"][1].get<double>() - d["ci95"][0].get<double>()) / 2;
  // The unpaired interval of the same difference, from the two runs' own intervals.
  auto half = [](const nlohmann::json& x) {
    return (x["ci95"][1].get<double>() - x["ci95"][0].get<double>()) / 2;
  };
  const double unpaired =
      std::hypot(half(s[0]["facility"]["availability"]), half(s[1]["facility"]["availability"]));
  INFO("paired half-width " << paired << ", unpaired " << unpaired);
  CHECK(unpaired >= 5.0 * paired);
  // The paired mean difference is the difference of the means, exactly (same replications).
  CHECK(d["mean"].get<double>() == Approx(s[1]["facility"]["availability"]["mean"].get<double>() -
                                          s[0]["facility"]["availability"]["mean"].get<double>())
                                       .margin(1e-15));
  CHECK(d["p_better"].get<double>() > 0.999);
  CHECK(s[1]["differences"]["against"] == "test.yaml");
  CHECK(s[1]["differences"]["loads"]["hall"]["outages"]["mean"].get<double>() < 0.0);
  // Exact effect: the UPS output is dead a share r exp(-T/r) / (MTTF + r) of the time, the pdu
  // independently a share 40 / 2040: A = (1 - U_pdu)(1 - U_ups(T)).
  auto u_ups = [](double t) { return 1.0 * std::exp(-t / 1.0) / (100.0 + 1.0); };
  const double exact = (1 - 40.0 / 2040.0) * (u_ups(0.5) - u_ups(40.0 / 60.0));
  testing::check_within_ci(d, exact);
}
