// Decisions (issue "Decisions, not just figures"): paired differences with common random
// numbers, importance measures, sensitivity, risk figures and economics, against exact answers.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/decisions.hpp"
#include "experiments/driver.hpp"
#include "experiments/parameters.hpp"
#include "failure_models/markov.hpp"
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

namespace {
double a_of(double mttf, double mttr) {
  return mttf / (mttf + mttr);
}
nlohmann::json importance_of(const std::string& yaml, std::uint64_t n, std::uint64_t seed) {
  const auto l = testing::load_yaml(yaml);
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  return experiments::importance_analysis(l.design, o);
}
}  // namespace

TEST_CASE("importance in series: Birnbaum is the product of the others' availabilities",
          "[decisions][importance][exact]") {
  const char* yaml = R"(
version: 1
warmup: 1000h
components:
  a: {kind: source, failure: {dist: exponential, mean: 400h}, repair: {dist: exponential, mean: 10h}}
  b: {kind: node, inputs: [a], failure: {dist: exponential, mean: 600h}, repair: {dist: exponential, mean: 20h}}
  c: {kind: node, inputs: [b], failure: {dist: exponential, mean: 900h}, repair: {dist: exponential, mean: 15h}}
loads:
  hall: {demand: 1MW, power: [c]}
)";
  const double A[3] = {a_of(400, 10), a_of(600, 20), a_of(900, 15)};
  const double u = 1 - A[0] * A[1] * A[2];
  // The exact solver agrees with the product form it is checked against.
  const auto l = testing::load_yaml(yaml);
  CHECK(failure_models::solve_exact(l.model).unavailability[0] == Approx(u).epsilon(1e-12));
  const auto r = importance_of(yaml, 3000, 3);
  const char* ids[3] = {"a", "b", "c"};
  const double rel = (r["facility_unavailability_ci95"][1].get<double>() -
                      r["facility_unavailability_ci95"][0].get<double>()) /
                     2 / 1.96 / r["facility_unavailability"].get<double>();
  for (int k = 0; k < 3; ++k) {
    INFO(ids[k]);
    const auto& c = r["components"][ids[k]];
    testing::check_within_ci(c["birnbaum"], A[(k + 1) % 3] * A[(k + 2) % 3]);
    CHECK(c["unavailability_if_failed"].get<double>() == 1.0);  // in series, it drops the hall
    // With the component perfect, the others' unavailability.
    CHECK(c["raw"].get<double>() == Approx(1.0 / r["facility_unavailability"].get<double>()));
    // Fussell-Vesely: the component is down for a share U_c / U of the downtime.
    const double fv = (1 - A[k]) / u;
    CHECK(std::fabs(c["fussell_vesely"].get<double>() - fv) <= 4 * rel * fv);
  }
  CHECK(r["ranking"][0] == "b");  // the least available unit matters most... to the others
}

TEST_CASE("importance in parallel: Birnbaum is the product of the others' unavailabilities",
          "[decisions][importance][exact]") {
  const char* yaml = R"(
version: 1
warmup: 1000h
components:
  a: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 20h}}
  b: {kind: source, failure: {dist: exponential, mean: 150h}, repair: {dist: exponential, mean: 30h}}
  c: {kind: source, failure: {dist: exponential, mean: 80h}, repair: {dist: exponential, mean: 10h}}
loads:
  hall: {demand: 1MW, power: [a, b, c]}
)";
  const double U[3] = {1 - a_of(100, 20), 1 - a_of(150, 30), 1 - a_of(80, 10)};
  const auto r = importance_of(yaml, 3000, 4);
  const char* ids[3] = {"a", "b", "c"};
  for (int k = 0; k < 3; ++k) {
    INFO(ids[k]);
    const auto& c = r["components"][ids[k]];
    testing::check_within_ci(c["birnbaum"], U[(k + 1) % 3] * U[(k + 2) % 3]);
    // Perfect: the hall never goes down; every component is down whenever the hall is.
    CHECK(c["unavailability_if_perfect"].get<double>() == 0.0);
    CHECK(c["rrw"].is_null());
    CHECK(c["fussell_vesely"].get<double>() == Approx(1.0).epsilon(1e-12));
  }
}

TEST_CASE("sensitivity: doubling a repair mean against the product form",
          "[decisions][sensitivity][exact]") {
  const auto l = testing::load_bundled("markov/two_paths_series.yaml");
  experiments::RunOptions o;
  o.replications = 3000;
  o.seed = 8;
  const auto r = experiments::sensitivity_analysis(l.design, {0.5, 2.0}, o);
  auto u = [](double tx_b_repair) {
    const double ua = 1 - a_of(200, 10) * a_of(500, 20);
    const double ub = 1 - a_of(300, 6) * a_of(800, tx_b_repair);
    return ua * ub;
  };
  int seen = 0;
  for (const auto& row : r["rows"]) {
    if (row["parameter"] != "components.tx_b.repair.mean") continue;
    const double f = row["factor"].get<double>();
    INFO("factor " << f);
    testing::check_within_ci(row["delta_unavailability"], u(30 * f) - u(30));
    ++seen;
  }
  CHECK(seen == 2);
  CHECK(r["rows"].size() == 4 * 2 * 2);  // four components, failure and repair, two factors
  CHECK(r["ranking"].size() == 8);
}

TEST_CASE("risk figures: VaR and the loss exceedance curve against a Poisson count",
          "[decisions][risk][exact]") {
  // A penalty of 100 per incident; incidents come every exp(1000 h) and last 1 s: the yearly
  // count is Poisson with mean 8.76 (to 3e-6), so P(cost > 100 k) is a Poisson tail.
  const std::uint64_t n = 4000;
  const auto s = testing::run_yaml(R"(
version: 1
horizon: 8760h
components:
  u: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: fixed, value: 1s}}
loads:
  l: {demand: 1, power: [u], tenant: t}
tenants:
  t: {monthly_fee: 1, sla: {per_incident: 100}}
)",
                                   n, 21);
  const double mean = 8.76;
  auto tail = [&](int k) {  // P(N > k)
    double p = std::exp(-mean), cdf = 0;
    for (int i = 0; i <= k; ++i) {
      cdf += p;
      p *= mean / (i + 1);
    }
    return 1 - cdf;
  };
  const auto& cost = s["tenants"]["t"]["cost"];
  const auto& curve = cost["loss_exceedance"];
  REQUIRE(curve.size() == 50);
  for (const auto& point : curve) {
    const double x = point["x"].get<double>(), p = point["p"].get<double>();
    const double exact = tail(static_cast<int>(std::floor(x / 100.0 + 1e-9)));
    INFO("x " << x << " p " << p << " exact " << exact);
    CHECK(std::fabs(p - exact) <= 4 * std::sqrt(exact * (1 - exact) / n) + 1e-12);
  }
  // VaR at q: the smallest cost with at least q of the years at or below it.
  for (const auto& [q, v] : cost["var"].items()) {
    const double level = std::stod(q), var = v.get<double>();
    INFO("level " << level << " var " << var);
    CHECK(var == std::round(var / 100) * 100);
    // The exact Poisson quantile, up to a step where the CDF is within sampling error of q.
    int k = 0;
    while (1 - tail(k) < level) ++k;
    const double se = std::sqrt(level * (1 - level) / n);
    if (std::fabs((1 - tail(k - 1)) - level) > 4 * se && std::fabs((1 - tail(k)) - level) > 4 * se)
      CHECK(var == 100.0 * k);
  }
}

TEST_CASE("economics: discounted costs, crews and spares", "[decisions][economics][exact]") {
  const auto s = testing::run_yaml(R"(
version: 1
crews: 3
spares:
  pool: {stock: 2, lead_time: 1w}
components:
  u: {kind: source, spare_pool: pool}
loads:
  l: {demand: 1, power: [u]}
economics: {capex: 1000000, annual_opex: 50000, years: 10, discount_rate: 5%,
            crew_cost_per_year: 20000, spare_unit_cost: 7000}
)",
                                   20, 1);
  const double annuity = (1 - std::pow(1.05, -10)) / 0.05;  // 7.7217...
  const auto& e = s["economics"];
  CHECK(e["present_value_factor"].get<double>() == Approx(annuity).epsilon(1e-12));
  CHECK(e["expected_total_cost"].get<double>() ==
        Approx(1000000 + 2 * 7000 + annuity * (50000 + 3 * 20000)).epsilon(1e-12));
}

namespace {
/// A feed with storms (an M/G/infinity queue, up a share exp(-rho)) in series with a
/// transformer: the unavailability is 1 - exp(-rho) A_tx.
const char* kStormFeed = R"(
version: 1
warmup: 500h
components:
  utility: {kind: source, events: [{name: storm, rate: 10/y, duration: {dist: lognormal, median: 10h, sigma: 1}}]}
  tx: {kind: node, inputs: [utility], failure: {dist: exponential, mean: 2000h}, repair: {dist: exponential, mean: 20h}}
loads:
  hall: {demand: 1MW, power: [tx]}
)";
const double kStormRho = 10.0 / 8760 * 10 * std::exp(0.5);
}  // namespace

TEST_CASE("importance: a perfect feed loses its storms, so the storming utility ranks first",
          "[decisions][importance][grid][exact][trust]") {
  // Finding 3: a "perfect" source kept its events (U(perfect) = U, Birnbaum negative, RRW 1).
  // Perfect removes every way of being down: U(perfect utility) = 1 - A_tx, and Birnbaum =
  // U(failed) - U(perfect) = A_tx; for the transformer, exp(-rho).
  const auto r = importance_of(kStormFeed, 4000, 12);
  const double a_tx = a_of(2000, 20), grid = std::exp(-kStormRho);
  CHECK(r["ranking"][0] == "utility");
  const auto& u = r["components"]["utility"];
  testing::check_within_ci(u["birnbaum"], a_tx);
  CHECK(u["unavailability_if_perfect"].get<double>() <
        0.5 * r["facility_unavailability"].get<double>());
  CHECK(u["rrw"].get<double>() > 2.0);
  testing::check_within_ci(r["components"]["tx"]["birnbaum"], grid);
}

TEST_CASE("sensitivity varies every parameter, labelled with its path, storms included",
          "[decisions][sensitivity][grid][exact][trust]") {
  // Finding 3: sensitivity scaled failure and repair laws only. Doubling the storm rate
  // doubles rho: U = 1 - exp(-2 rho) A_tx; doubling the storms' median doubles their mean.
  const auto l = testing::load_yaml(kStormFeed);
  experiments::RunOptions o;
  o.replications = 3000;
  o.seed = 13;
  const auto r = experiments::sensitivity_analysis(l.design, {2.0}, o);
  const double a_tx = a_of(2000, 20);
  const double u0 = 1 - std::exp(-kStormRho) * a_tx, u2 = 1 - std::exp(-2 * kStormRho) * a_tx;
  int seen = 0;
  for (const auto& row : r["rows"]) {
    const auto path = row["parameter"].get<std::string>();
    INFO(path);
    if (path == "components.utility.events.storm.rate" ||
        path == "components.utility.events.storm.duration.median") {
      testing::check_within_ci(row["delta_unavailability"], u2 - u0);
      ++seen;
    }
  }
  CHECK(seen == 2);
  CHECK(r["ranking"].size() == 4);  // storm rate and duration, tx failure and repair
}

TEST_CASE("parameters: every number a user can set that drives the figures, by its path",
          "[decisions][sensitivity][trust]") {
  const auto l = testing::load_yaml(R"(
version: 1
spares: {pool: {stock: 1, lead_time: 8w}}
components:
  utility: {kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}}]}
  gen: {kind: generator, start: {delay: 10s, fail_prob: 0.01}, standby_failure: {dist: exponential, mean: 4000h},
        failure: {dist: weibull, shape: 1.5, scale: 800h}, repair: {dist: exponential, mean: 12h},
        test: {interval: 4w, duration: 1h}, fuel: {tank: 24h, refuel: {delay: 6h, fail_prob: 0.05}}}
  ats: {kind: switch, inputs: [utility, gen], transfer: {delay: 5s, fail_prob: 0.001}, retransfer_after: 5min,
        repair: {dist: fixed, value: 4h}}
  ups: {kind: ups, inputs: [ats], autonomy: 10min, recharge: 2h, spare_pool: pool,
        failure: {dist: exponential, mean: 1e5h}, repair: {dist: exponential, mean: 8h},
        maintenance: {interval: 26w, duration: 8h}}
  ch: {kind: cooling_source, powered_by: [ups], restart: 12min, failure: {dist: exponential, mean: 3000h}, repair: {dist: exponential, mean: 24h}}
  ch2: {kind: cooling_source, powered_by: [ups], failure: {dist: exponential, mean: 3000h}, repair: {dist: exponential, mean: 24h}}
common_cause:
  - {group: [ch, ch2], beta: 0.05}
loads:
  hall: {demand: 1MW, power: [ups], cooling: [ch, ch2], thermal_ride_through: 5min}
grid:
  curtailment: {rate: 10/y, duration: {dist: exponential, mean: 2h}, limit: 0, sources: [utility]}
)");
  std::vector<std::string> paths;
  for (const auto& p : experiments::parameters_of(l.design)) paths.push_back(p.path);
  for (const char* want : {"components.utility.events.event1.rate",
                           "components.utility.events.event1.duration.value",
                           "components.gen.failure.scale",
                           "components.gen.repair.mean",
                           "components.gen.standby_failure.mean",
                           "components.gen.start.fail_prob",
                           "components.gen.start.delay",
                           "components.gen.test.duration",
                           "components.gen.fuel.tank",
                           "components.gen.fuel.refuel.delay",
                           "components.gen.fuel.refuel.fail_prob",
                           "components.ats.transfer.fail_prob",
                           "components.ats.transfer.delay",
                           "components.ats.retransfer_after",
                           "components.ats.repair.value",
                           "components.ups.autonomy",
                           "components.ups.recharge",
                           "components.ups.maintenance.duration",
                           "components.ch.restart",
                           "common_cause.0.beta",
                           "spares.pool.lead_time",
                           "loads.hall.thermal_ride_through",
                           "grid.curtailment.rate",
                           "grid.curtailment.duration.mean"}) {
    INFO(want);
    CHECK(std::find(paths.begin(), paths.end(), want) != paths.end());
  }
  // A probability scaled up stays below 1; a window stays within its interval.
  for (const auto& p : experiments::parameters_of(l.design)) {
    const auto d = experiments::scaled(l.design, p, 1000.0);
    if (p.path == "components.gen.start.fail_prob") CHECK(d.components[1].start_fail_prob < 1.0);
    if (p.path == "components.ups.maintenance.duration")
      CHECK(d.components[3].maintenance_duration < d.components[3].maintenance_interval);
  }
}

TEST_CASE("importance: sharing untouched replications with perfect variants changes no bit",
          "[decisions][importance]") {
  // A perfect variant's replication in which nothing happened to the component in the design's
  // own is taken from it; the figures must be those of simulating it again, bit for bit, on
  // designs with and without maintenance, grid events, fuel, common cause and crews.
  const std::pair<const char*, std::uint64_t> designs[] = {
      {"hall_1mw_n1.yaml", 400},
      {"ref_tier3_n1_cm.yaml", 30},
      {"ref_mining_conversion.yaml", 30},
      {"markov/n1_modules_one_crew.yaml", 400}};
  for (const auto& [name, n] : designs) {
    INFO(name);
    const auto l = testing::load_bundled(name);
    experiments::RunOptions o;
    o.replications = n;
    o.seed = 9;
    auto shared = experiments::importance_analysis(l.design, o, true);
    auto again = experiments::importance_analysis(l.design, o, false);
    shared.erase("performance");
    again.erase("performance");
    CHECK(shared.dump() == again.dump());
  }
}
