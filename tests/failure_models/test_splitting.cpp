// Splitting (RESTART on the full simulation) against closed forms with batteries, generators
// and switches, pushed to unavailabilities of 1e-7 to 1e-12 that plain sampling cannot reach.
#include <catch2/catch.hpp>
#include <cmath>

#include "tests/support/run.hpp"

using ridethrough::testing::check_unavailability;
using ridethrough::testing::check_within_ci;
using ridethrough::testing::load_yaml;

namespace {

nlohmann::json split_yaml(const std::string& yaml, std::uint64_t replications,
                          std::uint64_t seed = 1, unsigned threads = 2) {
  const auto l = load_yaml(yaml);
  ridethrough::experiments::RunOptions o;
  o.replications = replications;
  o.seed = seed;
  o.threads = threads;
  o.splitting = true;
  return ridethrough::experiments::run_design(l.design, l.model, o);
}

double mean(const nlohmann::json& block) {
  return block["mean"].get<double>();
}
double sigma(const nlohmann::json& block) {
  return (block["ci95"][1].get<double>() - block["ci95"][0].get<double>()) / 2.0 / 1.96;
}

/// Utility, generator behind an ATS, UPS (as in test_dynamics), with a battery that outlasts
/// one failed start: the load goes down only after two or more.
std::string gen_design(double fail_prob) {
  return R"(
version: 1
warmup: 1000h
horizon: 2000h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 2h}}
  gen: {kind: generator, start: {delay: 10s, fail_prob: )" +
         std::to_string(fail_prob) + R"(}, repair: {dist: fixed, value: 1h}}
  ats: {kind: switch, inputs: [utility, gen]}
  ups: {kind: ups, inputs: [ats], autonomy: 90min, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)";
}

/// The closed form of test_dynamics: per utility outage D ~ exp(r), start k + 1 succeeds with
/// probability (1-p) p^k and brings the generator on line at X_k = d + k (R + d); the load is
/// down from T to min(D, X_k) when X_k > T.
double gen_unavailability(double p) {
  const double mttf = 200.0, r = 2.0, T = 1.5, R = 1.0, d = 10.0 / 3600.0;
  double down = 0.0;
  for (int k = 1; k < 60; ++k) {
    const double x = d + k * (R + d);
    down += std::pow(p, k) * (1.0 - p) * r * std::max(0.0, std::exp(-T / r) - std::exp(-x / r));
  }
  return down / (mttf + r);
}

}  // namespace

TEST_CASE("splitting: UPS with autonomy 20 r, U = r exp(-T/r) / (MTTF + r) about 2e-12",
          "[splitting][exact]") {
  // Twenty seeds: each estimate's z-score against the closed form; the z-scores must look
  // like draws of a standard normal (their interval is valid), and their pooled mean agrees.
  const double mttf = 1000.0, r = 1.0, T = 20.0;
  const double exact = r * std::exp(-T / r) / (mttf + r);
  const char* yaml = R"(
version: 1
warmup: 500h
horizon: 1000h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 1h}}
  ups: {kind: ups, inputs: [utility], autonomy: 20h, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)";
  std::vector<double> z;
  double pooled = 0.0, var = 0.0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const auto s = split_yaml(yaml, 256, seed);
    const auto& u = s["facility"]["unavailability"];
    REQUIRE(sigma(u) > 0.0);
    z.push_back((mean(u) - exact) / sigma(u));
    pooled += mean(u) / 20.0;
    var += sigma(u) * sigma(u) / 400.0;
  }
  double mz = 0.0, sz = 0.0;
  for (double v : z) mz += v / 20.0;
  for (double v : z) sz += (v - mz) * (v - mz) / 19.0;
  sz = std::sqrt(sz);
  INFO("pooled " << pooled << " exact " << exact << " z mean " << mz << " z sd " << sz);
  CHECK(std::fabs(pooled - exact) <= 4.0 * std::sqrt(var));
  CHECK(std::fabs(mz) < 1.2);  // the mean of 20 standard normals has sd 0.22
  CHECK(sz > 0.5);
  CHECK(sz < 1.7);
  for (double v : z) CHECK(std::fabs(v) < 4.5);
}

TEST_CASE("splitting: two independent UPS paths to a dual-corded load give U1 U2 (8e-13)",
          "[splitting][exact]") {
  const double u1 = std::exp(-7.0) / 1001.0;
  const auto s = split_yaml(R"(
version: 1
warmup: 500h
horizon: 500h
components:
  s1: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 1h}}
  s2: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 1h}}
  u1: {kind: ups, inputs: [s1], autonomy: 7h, recharge: 1s}
  u2: {kind: ups, inputs: [s2], autonomy: 7h, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [u1, u2]}
)",
                            256, 3);
  check_within_ci(s["facility"]["unavailability"], u1 * u1);
  CHECK(s["facility"]["unavailability"]["relative_half_width"].get<double>() < 0.5);
  CHECK(s["method"].get<std::string>().rfind("splitting", 0) == 0);
}

TEST_CASE("splitting: generator with failures to start behind an ATS and a UPS (1e-7)",
          "[splitting][exact]") {
  const auto s = split_yaml(gen_design(0.01), 512, 5);
  check_unavailability(s["facility"], gen_unavailability(0.01));
  check_within_ci(s["loads"]["hall"]["unavailability"], gen_unavailability(0.01));
}

TEST_CASE("splitting agrees with plain sampling where both can go (U about 5e-7)", "[splitting]") {
  const double exact = gen_unavailability(0.02);
  const auto l = load_yaml(gen_design(0.02));
  ridethrough::experiments::RunOptions o;
  o.replications = 300000;
  o.seed = 11;
  const auto plain = ridethrough::experiments::run_design(l.design, l.model, o);
  const auto split = split_yaml(gen_design(0.02), 256, 11);
  CHECK_FALSE(split["splitting"]["thresholds"].empty());  // rare enough to split
  const auto& a = plain["facility"]["availability"];
  const auto& u = split["facility"]["unavailability"];
  INFO("plain " << 1.0 - mean(a) << " splitting " << mean(u) << " exact " << exact);
  CHECK(std::fabs((1.0 - mean(a)) - mean(u)) <=
        4.0 * std::sqrt(sigma(a) * sigma(a) + sigma(u) * sigma(u)));
  check_within_ci(u, exact);
  const auto& op = plain["facility"]["outages"];
  const auto& os = split["facility"]["outages"];
  CHECK(std::fabs(mean(op) - mean(os)) <=
        4.0 * std::sqrt(sigma(op) * sigma(op) + sigma(os) * sigma(os)));
}

TEST_CASE("splitting: the same numbers whatever the thread count", "[splitting]") {
  const auto a = split_yaml(gen_design(0.02), 128, 2, 1);
  const auto b = split_yaml(gen_design(0.02), 128, 2, 2);
  CHECK_FALSE(a["splitting"]["thresholds"].empty());
  CHECK(a["facility"].dump() == b["facility"].dump());
  CHECK(a["splitting"]["thresholds"] == b["splitting"]["thresholds"]);
}

TEST_CASE("splitting: outages plain sampling sees often are not split", "[splitting]") {
  // Start failures of 0.3: the pilot's plain stage sees enough outages,
  // the plan stays empty and the run is plain sampling, with plain sampling's numbers.
  const auto l = load_yaml(gen_design(0.3));
  ridethrough::experiments::RunOptions o;
  o.replications = 2000;
  o.seed = 4;
  const auto plain = ridethrough::experiments::run_design(l.design, l.model, o);
  o.splitting = true;
  const auto split = ridethrough::experiments::run_design(l.design, l.model, o);
  CHECK(split["splitting"]["thresholds"].empty());
  CHECK(mean(split["facility"]["outages"]) == Approx(mean(plain["facility"]["outages"])));
  CHECK(1.0 - mean(split["facility"]["availability"]) ==
        Approx(1.0 - mean(plain["facility"]["availability"])).epsilon(1e-9));
}

TEST_CASE("splitting is not used by --importance-sampling on Markovian designs", "[splitting]") {
  const auto l = load_yaml(R"(
version: 1
components:
  a: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
  b: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
loads:
  hall: {demand: 1MW, power: [a, b]}
)");
  ridethrough::experiments::RunOptions o;
  o.replications = 1000;
  o.importance_sampling = true;
  const auto s = ridethrough::experiments::run_design(l.design, l.model, o);
  CHECK(s["method"].get<std::string>().rfind("importance sampling", 0) == 0);
  CHECK(s.contains("importance_sampling"));
}
