#include <catch2/catch.hpp>

#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "experiments/uncertainty.hpp"
#include "tests/support/run.hpp"

using namespace ridethrough::experiments;
using ridethrough::testing::load_yaml;

namespace {

constexpr double kZ95 = 1.6448536269514722;

/// One unit in series with the grid: failure mean M (uncertain, error factor EF), fixed repair
/// r. Its availability is A(M) = M / (M + r) whatever the failure law's shape.
std::string one_unit(double mean, double ef, double repair, const std::string& extra = "") {
  return "version: 1\nhorizon: 10y\ncomponents:\n  grid: {kind: source}\n  unit:\n"
         "    kind: node\n    inputs: [grid]\n    failure: {dist: exponential, mean: " +
         std::to_string(mean) + "h, uncertainty: {error_factor: " + std::to_string(ef) + extra +
         "}}\n    repair: {dist: fixed, value: " + std::to_string(repair) +
         "h}\nloads:\n  hall: {demand: 100kW, power: [unit]}\n";
}

double availability(double m, double r) {
  return m / (m + r);
}

}  // namespace

TEST_CASE("uncertainty: the spread of one unit's availability is A(m/EF), A(m), A(m EF)",
          "[uncertainty]") {
  const double m = 1000.0, ef = 3.0, r = 10.0;
  const std::size_t draws = 400;
  const auto l = load_yaml(one_unit(m, ef, r));
  RunOptions run;
  run.replications = 100;  // 1,000 years a draw
  run.seed = 7;
  run.threads = 2;
  UncertaintyOptions o;
  o.draws = draws;
  o.requirements.push_back(*parse_requirement("facility.availability>=0.99"));
  const auto b = propagate_uncertainty({&l.design}, run, o).front();
  const double sigma = std::log(ef) / kZ95;
  const boost::math::normal_distribution<double> normal;
  for (const auto& [key, p] :
       {std::pair<const char*, double>{"p05", 0.05}, {"p50", 0.50}, {"p95", 0.95}}) {
    const double z = boost::math::quantile(normal, p);
    const double mp = m * std::exp(sigma * z);
    // Latin hypercube: the quantile of K stratified draws lies within a stratum either side.
    const double dz = 1.0 / (static_cast<double>(draws) * boost::math::pdf(normal, z));
    const double lhs = availability(m * std::exp(sigma * (z + dz)), r) -
                       availability(m * std::exp(sigma * (z - dz)), r);
    // Inner noise: 1,000 years of alternating exponential up times and fixed repairs.
    const double years = 1000.0 * 8760.0, cycles = years / (mp + r);
    const double se = r * std::sqrt(cycles) * mp / (mp + r) / years;
    INFO(key << ": exact " << availability(mp, r) << " lhs band " << lhs << " se " << se);
    CHECK(b["facility"]["availability"][key].get<double>() ==
          Approx(availability(mp, r)).margin(lhs + 4.0 * se));
  }
  // P(A >= 0.99) = P(M >= 0.99 r / 0.01) = 1 - Phi(ln(M*/m) / sigma).
  const double m_star = 0.99 * r / 0.01, z_star = std::log(m_star / m) / sigma;
  const double exact = 1.0 - boost::math::cdf(normal, z_star);
  const double se_star = r * std::sqrt(8760e3 / (m_star + r)) * m_star / (m_star + r) / 8760e3;
  // Draws within 4 inner standard errors of the target may land on either side.
  const double band = 4.0 * se_star / (r / ((m_star + r) * (m_star + r))) / m_star / sigma *
                      boost::math::pdf(normal, z_star);
  INFO("exact " << exact << " band " << band);
  CHECK(b["probability_meets"].get<double>() == Approx(exact).margin(2.0 / draws + band));
  CHECK(b["drivers"]["facility.availability"][0]["parameter"] == "unit.failure.mean");
  CHECK(b["drivers"]["facility.availability"][0]["rank_correlation"].get<double>() > 0.95);
}

TEST_CASE("uncertainty: designs compared share the draws of the same parameter", "[uncertainty]") {
  // Same uncertain failure mean in both; the second is repaired faster. With the draw shared
  // (and common random numbers inside each draw) it is better in every draw: P = 1. Drawn
  // apart, the first would win whenever its draw was much luckier.
  const auto a = load_yaml(one_unit(1000.0, 3.0, 10.0));
  const auto b = load_yaml(one_unit(1000.0, 3.0, 5.0));
  RunOptions run;
  run.replications = 20;
  run.threads = 2;
  UncertaintyOptions o;
  o.draws = 40;
  const auto blocks = propagate_uncertainty({&a.design, &b.design}, run, o);
  CHECK(blocks[1]["probability_better_than_first"]["probability"].get<double>() == 1.0);
  // A shared name ties parameters of different entries: the draws of `unit` follow `fleet`.
  const auto c = load_yaml(one_unit(1000.0, 3.0, 10.0, ", shared: fleet"));
  const auto ps = uncertain_parameters(c.design);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].key == "fleet");
  CHECK(ps[0].path == "components.unit.failure.mean");
  const auto d1 = draw_parameters({"fleet", "other"}, 10, 3);
  const auto d2 = draw_parameters({"fleet"}, 10, 3);
  for (std::size_t k = 0; k < 10; ++k) CHECK(d1.of("fleet", k) == d2.of("fleet", k));
}

TEST_CASE("uncertainty: Latin hypercube draws are stratified and probabilities stay in [0, 1]",
          "[uncertainty]") {
  const auto d = draw_parameters({"x"}, 200, 1);
  const boost::math::normal_distribution<double> normal;
  std::vector<int> strata(200, 0);
  for (std::size_t k = 0; k < 200; ++k)
    ++strata[static_cast<std::size_t>(boost::math::cdf(normal, d.of("x", k)) * 200)];
  for (int s : strata) CHECK(s == 1);
  std::vector<double> v = {4, 1, 3, 2};
  CHECK(hazen_quantile(v, 0.5) == 2.5);
  CHECK(hazen_quantile(v, 0.125) == 1.0);
  // A start failure probability of 50% with error factor 10 is clipped at 1 in high draws.
  const auto l = load_yaml(
      "version: 1\ncomponents:\n  grid: {kind: source}\n  gen:\n    kind: generator\n"
      "    capacity: 1MW\n    start: {fail_prob: 50%, uncertainty: {error_factor: 10}}\n"
      "    repair: {dist: fixed, value: 1h}\n  ats: {kind: switch, inputs: [grid, gen]}\n"
      "loads:\n  hall: {demand: 100kW, power: [ats]}\n");
  const auto ps = uncertain_parameters(l.design);
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].probability);
  const auto draws = draw_parameters({ps[0].key}, 50, 1);
  double top = 0.0;
  for (std::size_t k = 0; k < 50; ++k)
    top = std::max(top, apply_draw(l.design, ps, draws, k).components[1].start_fail_prob);
  CHECK(top == 1.0);
}

TEST_CASE("uncertainty: optimize re-runs its best choices over the draws", "[uncertainty]") {
  // The repair time is the choice; the failure mean is uncertain and shared by every choice, so
  // the faster repair is better in every draw.
  const auto l = load_yaml(one_unit(1000.0, 3.0, 10.0) +
                           "options:\n  - {path: components.unit.repair.value, values: [5h, 10h, "
                           "20h]}\n");
  OptimizeOptions o;
  o.run.replications = 20;
  o.run.threads = 2;
  o.requirements.push_back(*parse_requirement("facility.availability>=0.985"));
  const auto result = optimize_design(l.design, o);
  const auto u = optimize_uncertainty(l.design, result, o, 30, 2);
  REQUIRE(u.size() == 2);
  CHECK(u[0]["choice"]["components.unit.repair.value"] == "5h");
  CHECK(u[1]["choice"]["components.unit.repair.value"] == "10h");
  CHECK(u[1]["uncertainty"]["probability_better_than_first"]["probability"].get<double>() == 0.0);
  // P(A >= 0.985) with r = 5 h: M >= 0.985 * 5 / 0.015 = 328 h, 1 - Phi(ln(0.328) / sigma).
  const double sigma = std::log(3.0) / kZ95;
  const boost::math::normal_distribution<double> normal;
  const double exact =
      1.0 - boost::math::cdf(normal, std::log(0.985 * 5.0 / 0.015 / 1000.0) / sigma);
  // Tolerance: a stratum either side (1/30 each), and the draws whose availability lies within
  // 4 inner standard errors (200 years a draw: about 5e-4) of the target, a band of about 0.05
  // in probability, may land on either side.
  CHECK(u[0]["uncertainty"]["probability_meets"].get<double>() ==
        Approx(exact).margin(2.0 / 30 + 0.05));
}
