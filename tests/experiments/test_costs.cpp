#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/optimize.hpp"
#include "tests/support/run.hpp"
#include "topology/loader.hpp"

using namespace ridethrough;
using testing::num;
using testing::run_yaml;

namespace {

/// Chillers that never fail behind a grid that never fails: no tenant cost, so the expected
/// total cost is what the design costs to build and run.
std::string chillers(int count, const std::string& economics) {
  return "version: 1\ncomponents:\n  grid: {kind: source}\n  chiller:\n"
         "    kind: cooling_source\n    capacity: 400kW\n    powered_by: [grid]\n    count: " +
         std::to_string(count) +
         "\n    cost: {capex: 250000, annual_opex: 8000}\nloads:\n"
         "  hall: {demand: 300kW, power: [grid], cooling: [chiller]}\n" +
         economics;
}

}  // namespace

TEST_CASE("costs: each component's cost is added to the site's, copies each pay", "[costs]") {
  // 10 years at 5%: the present value of 1 a year is (1 - 1.05^-10) / 0.05.
  const std::string econ =
      "economics: {capex: 1000000, annual_opex: 20000, years: 10, "
      "discount_rate: 5%}\n";
  const double pv = (1.0 - std::pow(1.05, -10.0)) / 0.05;
  for (int n : {2, 3}) {
    const auto s = run_yaml(chillers(n, econ), 10);
    const auto& e = s["economics"];
    CHECK(num(e["capex"]) == 1000000.0 + n * 250000.0);
    CHECK(num(e["components_capex"]) == n * 250000.0);
    CHECK(num(e["site_capex"]) == 1000000.0);
    CHECK(num(e["annual_opex"]) == 20000.0 + n * 8000.0);
    CHECK(num(e["expected_total_cost"]) ==
          Approx(1000000.0 + n * 250000.0 + pv * (20000.0 + n * 8000.0)).epsilon(1e-12));
  }
}

TEST_CASE("costs: a cost without an economics block is an error at its line", "[costs]") {
  const auto r = topology::load_design_text(chillers(2, ""), "c.yaml");
  REQUIRE_FALSE(r.design);
  CHECK(topology::format_diagnostic("c.yaml", r.errors.at(0)) ==
        "c.yaml:9:11: error: component 'chiller1' has a cost, but the design has no economics "
        "block (years, discount_rate) to add it to");
}

TEST_CASE("costs: optimize warns about an option that changes the design but not its cost",
          "[costs]") {
  const std::string econ = "economics: {capex: 1000000, years: 10}\n";
  const std::string options_free =
      "options:\n  - {path: components.chiller.count, values: [1, 2]}\n"
      "  - {path: components.chiller.capacity, values: [400kW, 500kW]}\n";
  auto r = topology::load_design_text(chillers(1, econ + options_free), "o.yaml");
  REQUIRE(r.design);
  experiments::OptimizeOptions o;
  o.run.replications = 5;
  o.run.threads = 2;
  const auto out = experiments::optimize_design(*r.design, o);
  // The count is priced by the chillers' own cost; the capacity is not priced at all.
  REQUIRE(out.contains("warnings"));
  REQUIRE(out["warnings"].size() == 1);
  CHECK(out["warnings"][0].get<std::string>().rfind(
            "option 'components.chiller.capacity' changes the design but not its cost", 0) == 0);
  // One chiller fewer is cheaper, so the cheapest design that serves the hall wins.
  CHECK(out["best"]["components.chiller.count"] == "1");
}
