// The exact solver against closed forms, to 1e-9 relative.
#include <catch2/catch.hpp>

#include <cmath>

#include "failure_models/markov.hpp"
#include "tests/support/ctmc.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

using namespace ridethrough;

namespace {
failure_models::ExactResult solve(const std::string& yaml) {
  auto r = topology::load_design_text(yaml, "t.yaml");
  REQUIRE(r.design);
  return failure_models::solve_exact(topology::compile(*r.design));
}
const double lam = 1.0 / 200.0, mu = 1.0 / 8.0, a1 = mu / (lam + mu);
std::string unit(const std::string& id, const std::string& extra = "") {
  return "  " + id + ": {kind: " + (extra.empty() ? "source" : extra) +
         ", failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}\n";
}
}  // namespace

TEST_CASE("exact: series chain", "[exact][markov]") {
  const auto r = solve("version: 1\ncomponents:\n" + unit("a") +
                       "  b: {kind: node, inputs: [a], failure: {dist: exponential, mean: 1000h}, "
                       "repair: {dist: exponential, mean: 20h}}\n"
                       "  c: {kind: node, inputs: [b], failure: {dist: exponential, mean: 5000h}, "
                       "repair: {dist: exponential, mean: 50h}}\n"
                       "loads:\n  l: {demand: 1, power: [c]}\n");
  REQUIRE(r.refusal.empty());
  const double ab = 1000.0 / 1020.0, ac = 5000.0 / 5050.0;
  CHECK(1.0 - r.unavailability[0] == Approx(a1 * ab * ac).epsilon(1e-9));
  // Birnbaum of each part is the others' availability: f = A * sum(lambda_i).
  CHECK(r.frequency[0] == Approx(a1 * ab * ac * (lam + 1.0 / 1000.0 + 1.0 / 5000.0)).epsilon(1e-9));
  CHECK(r.unavailability[1] == Approx(r.unavailability[0]).epsilon(1e-12));
}

TEST_CASE("exact: 1-out-of-2 with one crew and with two", "[exact][markov]") {
  const std::string pair =
      "components:\n" + unit("a") + unit("b") + "loads:\n  l: {demand: 1, power: [a, b]}\n";
  const auto one = solve("version: 1\ncrews: 1\n" + pair);
  REQUIRE(one.refusal.empty());
  const double p0 = 1.0 / (1.0 + 2.0 * lam / mu + 2.0 * lam * lam / (mu * mu));
  const double p1 = 2.0 * lam / mu * p0, p2 = lam / mu * p1;
  CHECK(one.unavailability[0] == Approx(p2).epsilon(1e-9));
  CHECK(one.frequency[0] == Approx(p1 * lam).epsilon(1e-9));
  const auto two = solve("version: 1\ncrews: 2\n" + pair);
  REQUIRE(two.refusal.empty());
  const double u = lam / (lam + mu);
  CHECK(two.unavailability[0] == Approx(u * u).epsilon(1e-9));
  CHECK(two.frequency[0] == Approx(2.0 * u * lam * a1).epsilon(1e-9));
  const auto unlimited = solve("version: 1\n" + pair);
  CHECK(unlimited.unavailability[0] == Approx(u * u).epsilon(1e-9));
  CHECK(unlimited.method.find("product form") != std::string::npos);
}

TEST_CASE("exact: k-out-of-n through capacities", "[exact][markov]") {
  auto modules = [&](int n, const std::string& cap) {
    std::string y = "version: 1\ncomponents:\n  grid: {kind: source}\n";
    std::string list;
    for (int i = 0; i < n; ++i) {
      std::string id = "m";
      id += std::to_string(i);
      y += "  " + id + ": {kind: node, inputs: [grid], capacity: " + cap +
           ", failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}\n";
      if (i > 0) list += ", ";
      list += id;
    }
    return y + "loads:\n  hall: {demand: 1MW, power: [" + list + "]}\n";
  };
  const double a = a1, u = 1.0 - a1;
  const auto r23 = solve(modules(3, "500kW"));
  REQUIRE(r23.refusal.empty());
  CHECK(1.0 - r23.unavailability[0] == Approx(a * a * a + 3 * a * a * u).epsilon(1e-9));
  CHECK(r23.frequency[0] == Approx(3 * 2 * a * u * lam * a).epsilon(1e-9));
  const auto r45 = solve(modules(5, "250kW"));
  REQUIRE(r45.refusal.empty());
  CHECK(1.0 - r45.unavailability[0] ==
        Approx(std::pow(a, 5) + 5 * std::pow(a, 4) * u).epsilon(1e-9));
  // Birnbaum of one module: exactly three of the other four up.
  CHECK(r45.frequency[0] == Approx(5 * 4 * std::pow(a, 3) * u * lam * a).epsilon(1e-9));
}

TEST_CASE("exact: beta-factor common-cause pair matches its 4-state chain", "[exact][markov]") {
  const double beta = 0.1, own = lam * (1 - beta), shock = beta * lam;
  std::vector<std::vector<double>> q = {
      {0, own, own, shock}, {mu, 0, 0, own + shock}, {mu, 0, 0, own + shock}, {0, mu, mu, 0}};
  for (std::size_t i = 0; i < q.size(); ++i) {
    double s = 0;
    for (double v : q[i]) s += v;
    q[i][i] = -s;
  }
  const auto pi = ridethrough::testing::stationary(q);
  const auto r = solve(
      "version: 1\ncomponents:\n" + unit("a") + unit("b") +
      "common_cause:\n  - {group: [a, b], beta: 0.1}\nloads:\n  l: {demand: 1, power: [a, b]}\n");
  REQUIRE(r.refusal.empty());
  CHECK(r.states == 4.0);
  CHECK(r.unavailability[0] == Approx(pi[3]).epsilon(1e-9));
  CHECK(r.frequency[0] == Approx(pi[0] * shock + (pi[1] + pi[2]) * (own + shock)).epsilon(1e-9));
}

TEST_CASE("exact: cooling and power, critical and flexible loads", "[exact][markov]") {
  // A chiller powered by the grid; the hall needs both. Availability is the product.
  const auto r = solve("version: 1\ncomponents:\n" + unit("grid") +
                       "  ch: {kind: cooling_source, powered_by: [grid], failure: {dist: "
                       "exponential, mean: 1000h}, repair: {dist: exponential, mean: 24h}}\n"
                       "loads:\n  hall: {demand: 1MW, power: [grid], cooling: [ch]}\n  rigs: "
                       "{demand: 1MW, power: [grid], priority: flexible}\n");
  REQUIRE(r.refusal.empty());
  const double ach = 1000.0 / 1024.0;
  CHECK(1.0 - r.unavailability[1] == Approx(a1 * ach).epsilon(1e-9));
  CHECK(1.0 - r.unavailability[2] == Approx(a1).epsilon(1e-9));
  CHECK(r.unavailability[0] == Approx(r.unavailability[1]).epsilon(1e-12));
}

TEST_CASE("exact refuses what is not Markovian, saying why", "[exact][markov]") {
  const auto r = solve(R"(version: 1
components:
  u: {kind: source, failure: {dist: weibull, shape: 2, scale: 100h}, repair: {dist: fixed, value: 1h}}
  g: {kind: generator, start: {delay: 10s}}
  s: {kind: switch, inputs: [u, g]}
  b: {kind: ups, inputs: [s], autonomy: 5min, recharge: 1h, maintenance: {interval: 1y, duration: 4h}}
loads:
  l: {demand: 1, power: [b], thermal_ride_through: 2min}
)");
  CHECK(r.refusal.find("'u' has a non-exponential failure law") != std::string::npos);
  CHECK(r.refusal.find("'u' has a non-exponential repair law") != std::string::npos);
  CHECK(r.refusal.find("'g' is a generator") != std::string::npos);
  CHECK(r.refusal.find("'s' is a switch") != std::string::npos);
  CHECK(r.refusal.find("'b' is a ups") != std::string::npos);
  CHECK(r.refusal.find("'b' has maintenance") != std::string::npos);
  CHECK(r.refusal.find("'l' has a thermal ride-through") != std::string::npos);
}

TEST_CASE("exact: a shared crew over many components is refused when the chain is too big",
          "[exact][markov]") {
  std::string y = "version: 1\ncrews: 1\ncomponents:\n";
  std::string list;
  for (int i = 0; i < 12; ++i) {
    std::string id = "u";
    id += std::to_string(i);
    y += unit(id);
    if (i > 0) list += ", ";
    list += id;
  }
  y += "loads:\n  l: {demand: 1, power: [" + list + "]}\n";
  auto r = topology::load_design_text(y, "t.yaml");
  REQUIRE(r.design);
  const auto res = failure_models::solve_exact(topology::compile(*r.design), 1000);
  CHECK(res.refusal.find("more than 1000 states") != std::string::npos);
}

TEST_CASE("exact: 200 feeds, 100 dual-corded racks, by independent groups", "[exact][markov]") {
  // Racks share no feed, so the facility's availability is the product over racks.
  auto r = topology::load_design_file(std::string(RIDETHROUGH_SOURCE_DIR) +
                                      "/experiments/designs/bench/feeds200.yaml");
  REQUIRE(r.design);
  const auto res = failure_models::solve_exact(topology::compile(*r.design));
  REQUIRE(res.refusal.empty());
  const double l = 1.0 / 1000.0, m = 1.0 / 8.0, u = l / (l + m);
  const double rack_u = u * u, rack_f = 2.0 * u * l * (1.0 - u);  // Birnbaum x cycle rate, twice
  CHECK(res.unavailability[1] == Approx(rack_u).epsilon(1e-9));
  CHECK(res.frequency[1] == Approx(rack_f).epsilon(1e-9));
  CHECK(1.0 - res.unavailability[0] == Approx(std::pow(1.0 - rack_u, 100)).epsilon(1e-9));
  CHECK(res.frequency[0] == Approx(100.0 * rack_f * std::pow(1.0 - rack_u, 99)).epsilon(1e-9));
}
