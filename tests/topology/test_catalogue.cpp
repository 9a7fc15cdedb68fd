#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <set>

#include "topology/catalogue.hpp"
#include "topology/loader.hpp"

using namespace ridethrough::topology;

namespace {

const Component& component(const Design& d, const std::string& id) {
  for (const auto& c : d.components)
    if (c.id == id) return c;
  FAIL("no component " << id);
  return d.components.front();
}

std::string errors_of(const LoadResult& r) {
  std::string all;
  for (const auto& e : r.errors) all += format_diagnostic("d.yaml", e) + "\n";
  return all;
}

/// A small design with one component of `kind` using `record` (and `extra` keys).
std::string with_record(const std::string& kind, const std::string& record,
                        const std::string& extra = "") {
  std::string unit;
  if (kind == "source") unit = "  unit: {kind: source, use: " + record + extra + "}\n";
  if (kind == "generator")
    unit = "  unit: {kind: generator, capacity: 1MW, use: " + record +
           ", repair: {dist: exponential, mean: 18h}" + extra + "}\n";
  if (kind == "ups")
    unit =
        "  unit: {kind: ups, inputs: [grid], capacity: 1MW, autonomy: 5min, recharge: 4h, "
        "use: " +
        record + extra + "}\n";
  std::string feed = kind == "generator" ? "  ats: {kind: switch, inputs: [grid, unit]}\n" : "";
  std::string load = kind == "generator" ? "ats" : "unit";
  return "version: 1\ncomponents:\n" +
         std::string(kind == "source" ? "" : "  grid: {kind: source}\n") + unit + feed +
         "loads:\n  hall: {demand: 500kW, power: [" + load + "]}\n";
}

}  // namespace

TEST_CASE("catalogue: every record reads, cites its source and fits its kinds", "[catalogue]") {
  CHECK(catalogue_errors().empty());
  REQUIRE(catalogue().size() >= 4);
  std::set<std::string> ids;
  for (const auto& rec : catalogue()) {
    INFO(rec.file);
    CHECK(ids.insert(rec.id).second);
    CHECK(std::filesystem::path(rec.file).stem() == rec.id);
    CHECK(rec.source.size() > 20);
    REQUIRE_FALSE(rec.kinds.empty());
    for (const auto& kind : rec.kinds) {
      const auto r = load_design_text(with_record(kind, rec.id), "d.yaml");
      INFO(errors_of(r));
      CHECK(r.design);
    }
  }
}

TEST_CASE("catalogue: a record's numbers are those of its source", "[catalogue]") {
  // Gold Book Table 10-4, inverters: 0.00482 failures per unit-year, 26 h per repair.
  auto r = load_design_text(with_record("ups", "ieee493_inverter"), "d.yaml");
  REQUIRE(r.design);
  const auto& ups = component(*r.design, "unit");
  CHECK(ups.failure.mean() == Approx(8760.0 / 0.00482).margin(0.5));
  CHECK(ups.repair.mean() == 26.0);
  // NREL REopt: 0.94% failures to start, 1,100 running hours between failures.
  r = load_design_text(with_record("generator", "nrel_reopt_diesel_generator"), "d.yaml");
  REQUIRE(r.design);
  CHECK(component(*r.design, "unit").start_fail_prob == 0.0094);
  CHECK(component(*r.design, "unit").failure.mean() == 1100.0);
  // EIA 2023 with major events: SAIFI 1.35 a year, SAIDI 367 minutes a year.
  r = load_design_text(with_record("source", "eia_2023_utility_all_events"), "d.yaml");
  REQUIRE(r.design);
  const auto& ev = component(*r.design, "unit").events.at(0);
  CHECK(ev.rate * 8760.0 == Approx(1.35).epsilon(1e-12));
  CHECK(ev.rate * 8760.0 * ev.duration.mean() * 60.0 == Approx(367.0).margin(0.01));
}

TEST_CASE("catalogue: the entry's own keys override the record's", "[catalogue]") {
  auto r = load_design_text(
      with_record("ups", "ieee493_inverter", ", repair: {dist: fixed, value: 4h}"), "d.yaml");
  REQUIRE(r.design);
  const auto& ups = component(*r.design, "unit");
  CHECK(ups.repair.kind == LawKind::Fixed);
  CHECK(ups.repair.mean() == 4.0);
  CHECK(ups.failure.mean() == Approx(8760.0 / 0.00482).margin(0.5));
  // A start block merges key by key: the delay is the entry's, the probability the record's.
  r = load_design_text(
      with_record("generator", "nrel_reopt_diesel_generator", ", start: {delay: 10s}"), "d.yaml");
  REQUIRE(r.design);
  CHECK(component(*r.design, "unit").start_fail_prob == 0.0094);
  CHECK(component(*r.design, "unit").start_delay == Approx(10.0 / 3600.0));
}

TEST_CASE("catalogue: unknown records and records of another kind are errors at their line",
          "[catalogue]") {
  auto r = load_design_text(with_record("ups", "ieee493_invertor"), "d.yaml");
  REQUIRE_FALSE(r.design);
  const std::string e = errors_of(r);
  CHECK(e.find("d.yaml:4:87: error: component 'unit': no catalogue record 'ieee493_invertor' "
               "(did you mean 'ieee493_inverter'?)") != std::string::npos);
  r = load_design_text(with_record("ups", "nrel_reopt_diesel_generator"), "d.yaml");
  REQUIRE_FALSE(r.design);
  CHECK(errors_of(r).find("catalogue record 'nrel_reopt_diesel_generator' is for kind "
                          "'generator', not 'ups'") != std::string::npos);
  // The REopt record gives no repair time: the entry must.
  r = load_design_text(
      "version: 1\ncomponents:\n  grid: {kind: source}\n"
      "  gen: {kind: generator, capacity: 1MW, use: nrel_reopt_diesel_generator}\n"
      "  ats: {kind: switch, inputs: [grid, gen]}\n"
      "loads:\n  hall: {demand: 500kW, power: [ats]}\n",
      "d.yaml");
  REQUIRE_FALSE(r.design);
  CHECK(errors_of(r).find("can fail but has no 'repair' law") != std::string::npos);
}

TEST_CASE("catalogue: a population's error factor is the gamma posterior's", "[catalogue]") {
  // Gamma(r, 1) quantiles are chi-square(2r) / 2: EF = chi2(0.50; 10) / chi2(0.05; 10) for r = 5
  // (printed tables: 9.3418 and 3.9403).
  CHECK(population_error_factor(5.0) == Approx(9.3418 / 3.9403).epsilon(1e-4));
}
