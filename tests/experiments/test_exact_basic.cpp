// Simulation against exact answers for source and node components (issue "Foundation").
// Every design measures steady state: a warmup of many repair cycles precedes the horizon.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/support/run.hpp"

using ridethrough::testing::check_unavailability;
using ridethrough::testing::check_within_ci;
using ridethrough::testing::run_yaml;

TEST_CASE("single repairable unit: A = MTTF / (MTTF + MTTR), outage rate 1 / (MTTF + MTTR)",
          "[exact]") {
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
components:
  u: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
loads:
  l: {demand: 100kW, power: [u]}
)",
                          4000, 11);
  check_unavailability(s["facility"], 10.0 / 1010.0);
  check_within_ci(s["facility"]["outages"], 8760.0 / 1010.0);
  check_unavailability(s["loads"]["l"], 10.0 / 1010.0);
  // The mean of pooled outage durations is the mean repair time.
  const auto& d = s["facility"]["outage_duration_hours"];
  const double n = d["count"].get<double>();
  CHECK(std::fabs(d["mean"].get<double>() - 10.0) <= 4.0 * 10.0 / std::sqrt(n));
  CHECK(s["components"]["u"]["outage_share"].get<double>() == 1.0);
}

TEST_CASE("outage counts of a unit with 1 s repairs are Poisson: mean and interval width",
          "[exact][stats]") {
  // Failures every exp(100 h), repaired in 1 s: the count in a year is Poisson with mean
  // 87.6 (to within 3e-4), so its variance is known independently of the run. A confidence
  // interval that is too wide, or too narrow, fails here.
  const double mean = 8760.0 / 100.0, n = 4000;
  const auto s = run_yaml(R"(
version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: fixed, value: 1s}}
loads:
  l: {demand: 100kW, power: [u]}
)",
                          4000, 5);
  ridethrough::testing::check_within_sigma(s["facility"]["outages"], mean, std::sqrt(mean / n));
  ridethrough::testing::check_within_sigma(s["loads"]["l"]["outages"], mean, std::sqrt(mean / n));
}

TEST_CASE("weibull failures and lognormal repairs: renewal-reward availability", "[exact]") {
  // MTTF = 500 * Gamma(1 + 1/2) = 443.11 h; MTTR = 8 * exp(0.5^2 / 2) = 9.0650 h.
  const double mttf = 500.0 * std::tgamma(1.5), mttr = 8.0 * std::exp(0.125);
  const auto s = run_yaml(R"(
version: 1
warmup: 5000h
components:
  u: {kind: source, failure: {dist: weibull, shape: 2, scale: 500h},
      repair: {dist: lognormal, median: 8h, sigma: 0.5}}
loads:
  l: {demand: 1MW, power: u}
)",
                          4000, 5);
  check_unavailability(s["facility"], mttr / (mttf + mttr));
  check_within_ci(s["facility"]["outages"], 8760.0 / (mttf + mttr));
}

TEST_CASE("fixed repair times give outages of exactly that length", "[exact]") {
  const auto s = run_yaml(R"(
version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: fixed, value: 3h}}
loads:
  l: {demand: 1, power: [u]}
)",
                          500, 2);
  const auto& d = s["facility"]["outage_duration_hours"];
  CHECK(d["p50"].get<double>() == Approx(3.0).epsilon(1e-12));
  CHECK(d["max"].get<double>() == Approx(3.0).epsilon(1e-12));
}

namespace {
// 1-out-of-2, failure rate l and repair rate m per unit.
const double lam = 1.0 / 100.0, mu = 1.0 / 10.0;
const char* kPair = R"(
version: 1
warmup: 1000h
%CREWS%
components:
  a: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 10h}}
  b: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 10h}}
loads:
  l: {demand: 1, power: [a, b]}
)";
std::string with_crews(const std::string& crews) {
  std::string y = kPair;
  y.replace(y.find("%CREWS%"), 7, crews);
  return y;
}
}  // namespace

TEST_CASE("1-out-of-2 with unlimited crews: independent units", "[exact]") {
  const double u1 = lam / (lam + mu);
  const double nu = lam * mu / (lam + mu);  // cycle frequency of one unit
  const auto s = run_yaml(with_crews(""), 4000, 21);
  check_unavailability(s["facility"], u1 * u1);
  // Outage frequency: sum of Birnbaum importance (the other unit's unavailability) x cycle rate.
  check_within_ci(s["facility"]["outages"], 8760.0 * 2.0 * u1 * nu);
}

TEST_CASE("1-out-of-2 with one crew: birth-death chain, about twice the unavailability",
          "[exact]") {
  // States: both up, one down, both down (one repair at a time).
  const double p0 = 1.0 / (1.0 + 2.0 * lam / mu + 2.0 * lam * lam / (mu * mu));
  const double p1 = 2.0 * lam / mu * p0, p2 = lam / mu * p1;
  const auto s = run_yaml(with_crews("crews: 1"), 4000, 22);
  check_unavailability(s["facility"], p2);
  check_within_ci(s["facility"]["outages"], 8760.0 * p1 * lam);
}

TEST_CASE("2-out-of-3 through capacities: three 500 kW modules for a 1 MW load", "[exact]") {
  const double a = 1000.0 / 1020.0;  // module availability
  const double lam3 = 1.0 / 1000.0, mu3 = 1.0 / 20.0;
  const double nu = lam3 * mu3 / (lam3 + mu3);
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
components:
  grid: {kind: source}
  m1: {kind: node, inputs: [grid], capacity: 500kW, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 20h}}
  m2: {kind: node, inputs: [grid], capacity: 500kW, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 20h}}
  m3: {kind: node, inputs: [grid], capacity: 0.5MW, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 20h}}
loads:
  hall: {demand: 1MW, power: [m1, m2, m3]}
)",
                          4000, 31);
  const double avail = a * a * a + 3.0 * a * a * (1.0 - a);
  check_unavailability(s["facility"], 1.0 - avail);
  // Birnbaum importance of one module: exactly one of the other two is up.
  check_within_ci(s["facility"]["outages"], 8760.0 * 3.0 * 2.0 * a * (1.0 - a) * nu);
}

TEST_CASE("critical load is admitted before a flexible one when capacity is scarce", "[exact]") {
  // Two 600 kW feeds into one bus; critical and flexible loads of 600 kW each.
  const double ua = 20.0 / 520.0, ub = 10.0 / 810.0;
  const auto s = run_yaml(R"(
version: 1
warmup: 3000h
components:
  a: {kind: source, capacity: 600kW, failure: {dist: exponential, mean: 500h}, repair: {dist: exponential, mean: 20h}}
  b: {kind: source, capacity: 600kW, failure: {dist: exponential, mean: 800h}, repair: {dist: exponential, mean: 10h}}
  bus: {kind: node, inputs: [a, b]}
loads:
  miners: {demand: 600kW, power: [bus], priority: flexible}
  ai: {demand: 600kW, power: [bus]}
)",
                          4000, 41);
  check_unavailability(s["loads"]["ai"], ua * ub);
  check_unavailability(s["loads"]["miners"], 1.0 - (1.0 - ua) * (1.0 - ub));
  check_unavailability(s["facility"], ua * ub);  // only critical loads count
}
