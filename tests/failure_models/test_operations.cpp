// Operations as sites run them (issue "Operations as sites run them"): the four rules SPEC
// section 6 made precise, maintenance schedules, crews and deferral, generators that fail
// unseen while idle and are tested, fuel, and battery energy. Timelines use `fixed` laws and
// are checked to rounding error; statistical checks take their tolerance from a closed form.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/analysis.hpp"
#include "tests/support/run.hpp"

using ridethrough::testing::check_within_sigma;
using ridethrough::testing::load_yaml;
using ridethrough::testing::num;
using ridethrough::testing::run_yaml;

// ---------------------------------------------------------------------------------------------
// The four rules of SPEC section 6

TEST_CASE("equipment that is down draws no power: the standby chiller takes the bus",
          "[operations][rules]") {
  // Two 100 kW chillers on a 150 kW bus: only one fits. While ch1 is repaired (10 h from
  // 100 h), ch2 takes its place on the bus and the hall never loses cooling.
  const char* yaml = R"(
version: 1
horizon: 1000h
components:
  grid: {kind: source}
  mech: {kind: node, inputs: [grid], capacity: 150kW}
  ch1: {kind: cooling_source, powered_by: [mech], power_draw: 100kW, capacity: 500kW,
        failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 10h}}
  ch2: {kind: cooling_source, powered_by: [mech], power_draw: 100kW, capacity: 500kW}
loads:
  hall: {demand: 400kW, power: [grid], cooling: [ch1, ch2]}
)";
  const auto s = run_yaml(yaml, 2, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(s["components"]["ch1"]["failures"]) == 9.0);
  // check agrees: ch1 is not a single point of failure, the bus is (structural: neither grid nor
  // mech can fail here).
  const auto c = ridethrough::experiments::check_design(load_yaml(yaml).model);
  CHECK(c["loads"]["hall"]["single_points_of_failure"].empty());
  CHECK(c["loads"]["hall"]["structural_single_points"] == nlohmann::json::array({"grid", "mech"}));
}

TEST_CASE("a power outage followed by a chiller restart is one outage", "[operations][rules]") {
  // The utility is lost for 1 h every 100 h of up time. The UPS carries the hall for 5 min;
  // the chiller (on the raw feed) needs 30 min to restart once power is back. The hall is down
  // from 5 min into the loss until the chiller is back: 1.5 h - 5 min, once per loss.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
  ups: {kind: ups, inputs: [utility], autonomy: 5min, recharge: 1s}
  chiller: {kind: cooling_source, powered_by: [utility], restart: 30min}
loads:
  hall: {demand: 1MW, power: [ups], cooling: [chiller], thermal_ride_through: 10min}
)",
                          2, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 9.0);
  CHECK(num(s["facility"]["outage_duration_hours"]["p50"]) ==
        Approx(1.5 - 5.0 / 60.0).epsilon(1e-9));
  CHECK(num(s["facility"]["outage_duration_hours"]["max"]) ==
        Approx(1.5 - 5.0 / 60.0).epsilon(1e-9));
}

TEST_CASE("the thermal budget refills while cooling is live, even without power",
          "[operations][rules]") {
  // 100 h: the chiller's feed is lost for 6 min; the hall drains 6 of its 8 min of budget.
  // 100.1 h: cooling is back and power is lost for 30 min; cooling runs, the budget refills.
  // 100.6 h: power is back; 2 min later a breaker cuts the chiller for 6 min. With the budget
  // refilled (8 min) that is ridden through; had it stayed at 2 min (+2 min since), the hall
  // would drop again for 2 min.
  const auto s = run_yaml(R"(
version: 1
horizon: 150h
components:
  grid: {kind: source, failure: {dist: fixed, value: 6006min}, repair: {dist: fixed, value: 30min}}
  mech: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 6min}}
  breaker: {kind: node, inputs: [mech], failure: {dist: fixed, value: 6038min}, repair: {dist: fixed, value: 6min}}
  chiller: {kind: cooling_source, powered_by: [breaker]}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [chiller], thermal_ride_through: 8min}
)",
                          2, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 1.0);
  CHECK(num(s["facility"]["downtime_hours"]["mean"]) == Approx(0.5).epsilon(1e-9));
}

TEST_CASE("zero-length demands have no effects: a switch that moves at once",
          "[operations][rules]") {
  // utility_a fails: the STS moves to utility_b at once (no delay), and back when utility_a
  // returns. The ATS below sees its input dead for zero time each way: it demands nothing, so
  // the generator (which would always fail to start) never draws its fail_prob.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  utility_a: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
  utility_b: {kind: source}
  sts: {kind: switch, inputs: [utility_a, utility_b]}
  gen: {kind: generator, start: {fail_prob: 1}, repair: {dist: fixed, value: 1h}}
  ats: {kind: switch, inputs: [sts, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(num(s["components"]["utility_a"]["failures"]) == 9.0);
  CHECK(num(s["components"]["gen"]["failures"]) == 0.0);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
}

TEST_CASE("an outage that never ends is closed at the follow-up limit, whatever else happens",
          "[operations][rules]") {
  // The flexible miners never fit. Their outage starts at 0 and is closed at the horizon plus
  // max(10 horizons, 100,000 h): 108,760 h, even while an unrelated feed keeps failing.
  const auto s = run_yaml(R"(
version: 1
components:
  grid: {kind: source, capacity: 1MW}
  other: {kind: source, failure: {dist: exponential, mean: 50h}, repair: {dist: fixed, value: 1h}}
loads:
  hall: {demand: 800kW, power: [grid]}
  miners: {demand: 500kW, power: [grid], priority: flexible, tenant: mine}
  lab: {demand: 1kW, power: [other], priority: flexible}
tenants:
  mine:
    workload: {kind: mining, revenue_per_mwh: 10}
)",
                          20, 1);
  const auto& d = s["loads"]["miners"]["outage_duration_hours"];
  CHECK(num(d["max"]) == 108760.0);
  CHECK(num(d["p50"]) == 108760.0);
  CHECK(num(s["outages_closed_at_follow_up_limit"]) == 20.0);
  CHECK(num(s["loads"]["miners"]["downtime_hours"]["mean"]) == 8760.0);
  // Mining is charged for the whole outage followed: 0.5 MW x 108,760 h x 10.
  CHECK(num(s["tenants"]["mine"]["cost"]["mean"]) == Approx(0.5 * 108760.0 * 10.0));
}

// ---------------------------------------------------------------------------------------------
// Maintenance schedules

TEST_CASE("staggered 2N maintenance never overlaps: no outage from maintenance",
          "[operations][maintenance]") {
  const char* staggered = R"(
version: 1
horizon: 10000h
components:
  a: {kind: source, maintenance: {interval: 100h, duration: 5h, offset: 0h}}
  b: {kind: source, maintenance: {interval: 100h, duration: 5h, offset: 50h}}
loads:
  hall: {demand: 1MW, power: [a, b]}
)";
  const auto s = run_yaml(staggered, 4, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(s["components"]["a"]["maintenance_windows"]) == 100.0);
  CHECK(num(s["components"]["b"]["maintenance_windows"]) == 100.0);
  CHECK(num(s["components"]["a"]["downtime_hours"]) == Approx(500.0).epsilon(1e-9));
  // Both at the same offset: every window is an outage.
  std::string same = staggered;
  same.replace(same.find("offset: 50h"), 11, "offset: 0h");
  const auto t = run_yaml(same, 4, 1);
  CHECK(num(t["facility"]["outages"]["mean"]) == 100.0);
  CHECK(num(t["facility"]["downtime_hours"]["mean"]) == Approx(500.0).epsilon(1e-9));
}

TEST_CASE("defer_if_unsafe waits until the window cannot drop a critical load",
          "[operations][maintenance]") {
  // b is down from 8 h to 12 h. a's window is due at 10 h: with b down it would drop the hall,
  // so it waits until 12 h (2 h deferred) and runs 12-17 h. Without deferral the hall is down
  // 10-12 h.
  const char* yaml = R"(
version: 1
horizon: 100h
components:
  a: {kind: source, maintenance: {interval: 100h, duration: 5h, offset: 10h, defer_if_unsafe: true}}
  b: {kind: source, failure: {dist: fixed, value: 8h}, repair: {dist: fixed, value: 4h}}
loads:
  hall: {demand: 1MW, power: [a, b]}
)";
  const auto s = run_yaml(yaml, 2, 1);
  // b fails every 12 h of its cycle: at 8, 20, 32, ... ; a's window 12-17 h overlaps none.
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(s["components"]["a"]["maintenance_deferred_hours"]) == Approx(2.0).epsilon(1e-9));
  CHECK(num(s["components"]["a"]["maintenance_windows"]) == 1.0);
  std::string plain = yaml;
  plain.replace(plain.find(", defer_if_unsafe: true"), 23, "");
  const auto t = run_yaml(plain, 2, 1);
  CHECK(num(t["facility"]["outages"]["mean"]) == 1.0);
  CHECK(num(t["facility"]["downtime_hours"]["mean"]) == Approx(2.0).epsilon(1e-9));
  CHECK(t["components"]["a"]["maintenance_deferred_hours"].get<double>() == 0.0);
}

TEST_CASE("a maintenance window that needs a crew waits for it, first come first served",
          "[operations][maintenance]") {
  // One crew. b fails at 8 h and holds the crew until 12 h; a's window (due at 10 h) waits for
  // the crew and runs 12-17 h, so the hall never loses both feeds. b's next failure, at 20 h,
  // finds the crew free again.
  const auto s = run_yaml(R"(
version: 1
horizon: 30h
crews: 1
components:
  a: {kind: source, maintenance: {interval: 100h, duration: 5h, offset: 10h, crew: true}}
  b: {kind: source, failure: {dist: fixed, value: 8h}, repair: {dist: fixed, value: 4h}}
loads:
  hall: {demand: 1MW, power: [a, b]}
)",
                          2, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(s["components"]["a"]["downtime_hours"]) == Approx(5.0).epsilon(1e-9));
  // The crew was busy with a until 17 h: b's failure at 20 h is repaired at once (20-24 h).
  CHECK(num(s["components"]["b"]["downtime_hours"]) == Approx(8.0).epsilon(1e-9));
}

TEST_CASE("check: fault tolerance while a component is in maintenance", "[operations][check]") {
  // 2N feeds, each with a scheduled window: concurrently maintainable, but a window on one
  // side plus a failure on the other drops the hall.
  const auto c = ridethrough::experiments::check_design(load_yaml(R"(
version: 1
components:
  a: {kind: source, maintenance: {interval: 26w, duration: 8h}}
  b: {kind: source, maintenance: {interval: 26w, duration: 8h}}
  c: {kind: source}
loads:
  hall: {demand: 1MW, power: [a, b]}
  lab: {demand: 1kW, power: [a, b, c]}
)")
                                                            .model);
  const auto& hall = c["loads"]["hall"];
  CHECK(hall["concurrently_maintainable"].get<bool>());
  CHECK_FALSE(hall["fault_tolerant_during_maintenance"].get<bool>());
  CHECK(hall["maintenance_and_failure_cut_sets"] == nlohmann::json::parse(R"([["a", "b"]])"));
  CHECK(c["loads"]["lab"]["fault_tolerant_during_maintenance"].get<bool>());
}

// ---------------------------------------------------------------------------------------------
// Generators as they fail in life

TEST_CASE("hidden generator failures: the share of demands that find the generator failed",
          "[operations][generator][exact]") {
  // Standby failures at rate lambda while idle; tests every T (1 s long) find them, and so do
  // demands (utility losses, rate nu while the utility is up). Memoryless lives make the state
  // at a demand depend only on the idle time since the last check, min(U, V): U uniform on
  // (0, T) since the last test, V ~ exp(nu) since the last demand. So
  //   P(found failed) = lambda / (k T) [T - (1 - exp(-k T)) / k],  k = lambda + nu.
  // A demand that finds it failed costs a 1 s repair with the hall dark; one that does not
  // costs nothing (no delays anywhere), so the share is facility outages / utility failures.
  const double lambda = 1.0 / 500.0, nu = 1.0 / 200.0, T = 100.0, k = lambda + nu;
  const double p = lambda / (k * T) * (T - (1.0 - std::exp(-k * T)) / k);
  const std::uint64_t n = 3000;
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 200h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, standby_failure: {dist: exponential, mean: 500h},
        test: {interval: 100h, duration: 1s}, repair: {dist: fixed, value: 1s}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          n, 3);
  const double demands = num(s["components"]["utility"]["failures"]) * n;
  const double found = num(s["facility"]["outages"]["mean"]) * n;
  const double share = found / demands;
  INFO("share " << share << " closed form " << p << " over " << demands << " demands");
  CHECK(std::fabs(share - p) <= 4.0 * std::sqrt(p * (1 - p) / demands));
  // Every hidden failure is counted as a failure of the generator, found or not yet.
  CHECK(num(s["components"]["gen"]["failures"]) > found / n);
}

TEST_CASE("a generator test finds a hidden failure and repairs it before a demand",
          "[operations][generator]") {
  // The generator fails unseen 10 idle hours after each renewal. Tested at 50 h: found, repaired
  // by 52 h. The utility fails at 60 h for 1 h: the generator carries the hall.
  const auto s = run_yaml(R"(
version: 1
horizon: 70h
components:
  utility: {kind: source, failure: {dist: fixed, value: 60h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, standby_failure: {dist: fixed, value: 100h},
        test: {interval: 1000h, duration: 30min, offset: 50h}, repair: {dist: fixed, value: 2h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  // Without the test, the demand at 60 h finds nothing wrong either (100 h standby life), so
  // shorten the standby life to 40 h: the test at 50 h finds it (down 40-52 h).
  const auto t = run_yaml(R"(
version: 1
horizon: 70h
components:
  utility: {kind: source, failure: {dist: fixed, value: 60h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, standby_failure: {dist: fixed, value: 40h},
        test: {interval: 1000h, duration: 30min, offset: 50h}, repair: {dist: fixed, value: 2h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(num(t["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(t["components"]["gen"]["failures"]) == 1.0);
  CHECK(num(t["components"]["gen"]["downtime_hours"]) == Approx(12.0).epsilon(1e-9));
  // With no test, the demand at 60 h finds the failure: the hall is dark for the 2 h repair.
  const auto u = run_yaml(R"(
version: 1
horizon: 70h
components:
  utility: {kind: source, failure: {dist: fixed, value: 60h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, standby_failure: {dist: fixed, value: 40h}, repair: {dist: fixed, value: 2h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(num(u["facility"]["outages"]["mean"]) == 1.0);
  // Dark from 60 h until the utility returns at 61 h (the repair would end at 62 h).
  CHECK(num(u["facility"]["downtime_hours"]["mean"]) == Approx(1.0).epsilon(1e-9));
}

namespace {
std::string fuel_design(const std::string& fuel, const std::string& gen_capacity = "") {
  return R"(
version: 1
horizon: 250h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 100h}}
  gen: {kind: generator, )" +
         gen_capacity + "fuel: " + fuel + R"(}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)";
}
}  // namespace

TEST_CASE("fuel: a 48 h tank through a 100 h grid outage", "[operations][fuel]") {
  // No refuel: the generator runs 48 h and stops; the hall is dark for the last 52 h.
  const auto s = run_yaml(fuel_design("{tank: 48h}"), 2, 1);
  CHECK(num(s["facility"]["downtime_hours"]["mean"]) == Approx(52.0).epsilon(1e-9));
  CHECK(s["facility"]["top_causes"][0]["components"] ==
        nlohmann::json::array({"gen:fuel", "utility"}));  // alphabetical
  CHECK(num(s["components"]["gen"]["fuel_outage_share"]) == 1.0);
  // A delivery every 24 h keeps it running.
  const auto r = run_yaml(fuel_design("{tank: 48h, refuel: {delay: 24h}}"), 2, 1);
  CHECK(num(r["facility"]["downtime_hours"]["mean"]) == 0.0);
  // At half its capacity the tank lasts twice as long: 96 h, then 4 h dark.
  const auto h = run_yaml(fuel_design("{tank: 48h}", "capacity: 2MW, "), 2, 1);
  CHECK(num(h["facility"]["downtime_hours"]["mean"]) == Approx(4.0).epsilon(1e-9));
}

TEST_CASE("fuel deliveries that fail: downtime from enumerating the deliveries",
          "[operations][fuel][exact]") {
  // Tank 30 h, a delivery every 24 h (re-ordered at each arrival, failed or not), each failing
  // with probability p. Deliveries arrive 24, 48, 72, 96 h into the 100 h outage; each success
  // fills the tank (and restarts a dry generator). Downtime: every hour dry before 100 h.
  const double p = 0.3, tank = 30.0, delay = 24.0, outage = 100.0;
  double mean = 0.0, second = 0.0;
  for (int mask = 0; mask < 16; ++mask) {
    double prob = 1.0, dark = 0.0, last_fill = 0.0;
    for (int k = 1; k <= 4; ++k) {
      const bool ok = (mask >> (k - 1)) & 1;
      prob *= ok ? 1.0 - p : p;
      if (!ok) continue;
      const double t = k * delay;
      dark += std::max(0.0, t - (last_fill + tank));
      last_fill = t;
    }
    dark += std::max(0.0, outage - (last_fill + tank));
    mean += prob * dark;
    second += prob * dark * dark;
  }
  const std::uint64_t n = 4000;
  const auto s = run_yaml(fuel_design("{tank: 30h, refuel: {delay: 24h, fail_prob: 0.3}}"), n, 9);
  check_within_sigma(s["facility"]["downtime_hours"], mean, std::sqrt((second - mean * mean) / n),
                     0.06);
}

TEST_CASE("battery energy: a UPS at half load lasts twice as long", "[operations][ups]") {
  // 400 kWh: 1 h at 400 kW, 2 h at 200 kW. The utility is lost for 10 h at 100 h.
  auto design = [](const char* demand) {
    return std::string(R"(
version: 1
horizon: 150h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 10h}}
  ups: {kind: ups, inputs: [utility], capacity: 800kW, battery_energy: 400kWh, recharge: 4h}
loads:
  hall: {demand: )") +
           demand + R"(, power: [ups]}
)";
  };
  const auto full = run_yaml(design("400kW"), 2, 1);
  CHECK(num(full["facility"]["downtime_hours"]["mean"]) == Approx(9.0).epsilon(1e-9));
  const auto half = run_yaml(design("200kW"), 2, 1);
  CHECK(num(half["facility"]["downtime_hours"]["mean"]) == Approx(8.0).epsilon(1e-9));
}

TEST_CASE("battery energy follows the load as it changes", "[operations][ups]") {
  // Two 200 kW loads on a 400 kWh UPS; the flexible one is shed after 30 min... by a breaker
  // that fails then: 30 min at 400 kW uses half the charge, the rest lasts 1 h at 200 kW.
  const auto s = run_yaml(R"(
version: 1
horizon: 150h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 10h}}
  ups: {kind: ups, inputs: [utility], battery_energy: 400kWh, recharge: 4h}
  breaker: {kind: node, inputs: [ups], failure: {dist: fixed, value: 100.5h}, repair: {dist: fixed, value: 100h}}
loads:
  hall: {demand: 200kW, power: [ups]}
  lab: {demand: 200kW, power: [breaker], priority: flexible}
)",
                          2, 1);
  // hall dark from 101.5 h to 110 h.
  CHECK(num(s["facility"]["downtime_hours"]["mean"]) == Approx(8.5).epsilon(1e-9));
}

TEST_CASE("defer_if_unsafe waits out a storm: a feed cut off by the grid counts as down",
          "[operations][grid][trust]") {
  // Finding 2: deferral did not see a feed down because of a grid event, so the only
  // generator went into maintenance during storms. Storms at 1/200 h last a fixed 20 h; the
  // generator (which never fails) is maintained 4 h every 100 h from 10 h, 88 windows a year.
  // With deferral a window starts only while the feed is up, so the facility goes down only
  // when a storm begins during a window: 1 - exp(-lam m) per window. Without, also when a
  // window is due during a storm: 1 - exp(-lam (D + m)) per window.
  const std::string design = R"(
version: 1
components:
  utility: {kind: source, events: [{rate: 0.005/h, duration: {dist: fixed, value: 20h}}]}
  gen: {kind: generator, maintenance: {interval: 100h, duration: 4h, offset: 10h DEFER}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)";
  auto with = [&](const char* defer) {
    std::string y = design;
    y.replace(y.find(" DEFER"), 6, defer);
    return run_yaml(y, 3000, 6);
  };
  const double lam = 0.005, windows = 88;
  const auto deferred = with(", defer_if_unsafe: true");
  ridethrough::testing::check_within_ci(deferred["facility"]["outages"],
                                        windows * (1 - std::exp(-lam * 4)));
  CHECK(num(deferred["components"]["gen"]["maintenance_deferred_hours"]) > 0);
  CHECK(num(deferred["components"]["gen"]["maintenance_windows"]) == Approx(windows));
  const auto plain = with("");
  ridethrough::testing::check_within_ci(plain["facility"]["outages"],
                                        windows * (1 - std::exp(-lam * 24)));
  CHECK(num(plain["components"]["gen"]["maintenance_deferred_hours"]) == 0);
}

TEST_CASE("human error: a window that leaves the unit failed adds a repair, binomially",
          "[operations][human_error]") {
  // A unit that never fails on its own, maintained every 100 h for 10 h from time 0 (100
  // windows in 10,000 h); each window leaves it failed with P = 0.2, and a repair takes a fixed
  // 20 h. Downtime per replication = 100 x 10 + K x 20 with K ~ Binomial(100, 0.2): mean
  // 100 (m + P r) = 1,400 h, standard deviation r sqrt(100 P (1 - P)) = 80 h.
  const auto s = run_yaml(R"(
version: 1
horizon: 10000h
components:
  grid: {kind: source}
  unit: {kind: node, inputs: [grid], repair: {dist: fixed, value: 20h},
         maintenance: {interval: 100h, duration: 10h, offset: 0h, human_error: 20%}}
loads:
  hall: {demand: 100kW, power: [unit]}
)",
                          4000);
  const auto& d = s["facility"]["downtime_hours"];
  const double se = 80.0 / std::sqrt(4000.0);
  CHECK(num(d["mean"]) == Approx(1400.0).margin(4.0 * se));
  // The sample deviation of 4,000 binomial sums: its standard error is about sd / sqrt(2n).
  CHECK(num(d["std"]) == Approx(80.0).margin(4.0 * 80.0 / std::sqrt(8000.0)));
  // Every human error is a failure of the unit: 100 P a replication.
  CHECK(num(s["components"]["unit"]["failures"]) ==
        Approx(20.0).margin(4.0 * 4.0 / std::sqrt(4000.0)));
}

TEST_CASE("human error: a test that leaves the generator off is found at the next start",
          "[operations][human_error]") {
  // Two 2N sides of one hall: a generator behind each feed. Every test leaves the generator
  // unable to start (P = 1), so a utility outage that comes after a test finds it off: the
  // outage's mechanism and cause name the human error.
  const auto s = run_yaml(R"(
version: 1
horizon: 1y
components:
  utility: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: fixed, value: 2h}}
  gen: {kind: generator, capacity: 1MW, start: {delay: 10s},
        test: {interval: 730h, duration: 30min, human_error: 100%},
        repair: {dist: fixed, value: 8h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 500kW, power: [ats]}
)",
                          200);
  bool named = false;
  for (const auto& c : s["facility"]["top_causes"])
    named =
        named || c["mechanism"].get<std::string>().find("human error (gen)") != std::string::npos;
  CHECK(named);
  // Left off from a test until a utility outage (mean 500 h) or the next test (730 h) finds it:
  // a large share of the outages begin while it is off, and they are blamed on the error.
  const double share = num(s["components"]["gen"]["human_error_outage_share"]);
  CHECK(share > 0.25);
  CHECK(share < 0.75);
  // Without the error, the same design never finds the generator off.
  const auto ok = run_yaml(R"(
version: 1
horizon: 1y
components:
  utility: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: fixed, value: 2h}}
  gen: {kind: generator, capacity: 1MW, start: {delay: 10s},
        test: {interval: 730h, duration: 30min}, repair: {dist: fixed, value: 8h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 500kW, power: [ats]}
)",
                           200);
  CHECK(num(ok["components"]["gen"]["failures"]) == 0.0);
  CHECK(num(ok["facility"]["downtime_hours"]["mean"]) <
        num(s["facility"]["downtime_hours"]["mean"]));
}

TEST_CASE("fuel in the storm: orders placed during an event take the storm's delay and odds",
          "[operations][fuel]") {
  // Grid events of a fixed 90 h, 0.2 a year (rare enough that two almost never overlap: the
  // bias is about 0.1% of the mean), take the utility; the generator has a 10 h tank.
  // Orders placed during an event arrive after 20 h and fail half the time; outside one, 2 h
  // and never (no order is placed outside an event: runs happen only in one). In an event, orders
  // go out at 0, 20, 40, 60 h and arrive at 20, 40, 60, 80 h: the generator runs [0, 10) and 10 h
  // after each delivery that arrives, so the hall is down 80 - 10 K hours of the 90, K ~
  // Binomial(4, 1/2): 60 h an event on average, with variance 100 (enumerating the 16 outcomes).
  // Ten years: 0.2 x 10 x 60 = 120 h, variance 0.2 x 10 x E[X^2] = 7,400 (a compound Poisson sum).
  const std::string yaml = R"(
version: 1
horizon: 10y
components:
  utility: {kind: source, events: [{name: storm, rate: 0.2/y, duration: {dist: fixed, value: 90h}}]}
  gen: {kind: generator, capacity: 1MW, repair: {dist: fixed, value: 1h},
        fuel: {tank: 10h, refuel: {delay: 2h, during_events: {delay: 20h, fail_prob: 50%}}}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)";
  const std::uint64_t n = 4000;
  const auto s = run_yaml(yaml, n);
  double mean = 0.0, square = 0.0;  // per event, over the 16 outcomes
  for (int mask = 0; mask < 16; ++mask) {
    int k = 0;
    for (int b = 0; b < 4; ++b) k += (mask >> b) & 1;
    const double down = 80.0 - 10.0 * k;
    mean += down / 16.0;
    square += down * down / 16.0;
  }
  REQUIRE(mean == 60.0);
  const double expected = 0.2 * 10.0 * mean, sd = std::sqrt(0.2 * 10.0 * square);
  const auto& d = s["facility"]["downtime_hours"];
  // Downtime per replication (10 years), within 4 standard errors over n replications.
  CHECK(num(d["mean"]) == Approx(expected).margin(4.0 * sd / std::sqrt(double(n))));
  // Without the storm clause every order takes 2 h and the tank never runs dry. (This run
  // found a fault of checked builds: a switch moving back to the utility at the end of a run
  // left the admission key's followed input stale; network.cpp now compares the key itself.)
  std::string calm = yaml;
  calm.replace(calm.find(", during_events: {delay: 20h, fail_prob: 50%}"), 45, "");
  CHECK(num(run_yaml(calm, 200)["facility"]["downtime_hours"]["mean"]) == 0.0);
}

TEST_CASE(
    "human error: an outage that begins while a unit is repaired after a bad window is "
    "blamed on the error",
    "[operations][human_error]") {
  // Two units in parallel. Every window of `a` (1 h in 100) leaves it failed for 50 h, so it
  // is down by human error half the time; `b` fails now and then. Outages begin when `b` fails
  // while `a` is down: by the error (50 h of every 100) or its window (1 h).
  const auto s = run_yaml(R"(
version: 1
horizon: 1y
components:
  grid: {kind: source}
  a: {kind: node, inputs: [grid], repair: {dist: fixed, value: 50h},
      maintenance: {interval: 100h, duration: 1h, human_error: 100%}}
  b: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 500h},
      repair: {dist: fixed, value: 10h}}
  bus: {kind: node, inputs: [a, b]}
loads:
  hall: {demand: 100kW, power: [bus]}
)",
                          200);
  CHECK(num(s["components"]["a"]["human_error_outage_share"]) > 0.8);
  bool named = false;
  for (const auto& c : s["facility"]["top_causes"])
    named = named || c["mechanism"].get<std::string>().find("human error (a)") != std::string::npos;
  CHECK(named);
}

TEST_CASE("human error: a manual return to the preferred feed done wrongly, binomially",
          "[operations][human_error]") {
  // The utility fails every 99 h for a fixed 1 h (a 100 h cycle): the switch moves to the
  // second feed at once (an automatic transfer, no error possible) and returns 6 min after the
  // utility is back (a planned, manual transfer). In 10,000 h, 99 returns complete; each leaves
  // the switch failed with P = 0.2 and a fixed 20 h repair, during which the hall is down. So
  // downtime = 20 K with K ~ Binomial(99, 0.2): mean 396 h, sd 20 sqrt(99 x 0.16) = 79.6 h.
  const auto s = run_yaml(R"(
version: 1
horizon: 10000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 99h}, repair: {dist: fixed, value: 1h}}
  second: {kind: source}
  ats: {kind: switch, inputs: [utility, second], retransfer_after: 6min,
        transfer: {human_error: 20%}, repair: {dist: fixed, value: 20h}}
loads:
  hall: {demand: 100kW, power: [ats]}
)",
                          4000);
  const double sd = 20.0 * std::sqrt(99 * 0.16), n = 4000;
  const auto& d = s["facility"]["downtime_hours"];
  CHECK(num(d["mean"]) == Approx(396.0).margin(4.0 * sd / std::sqrt(n)));
  CHECK(num(d["std"]) == Approx(sd).margin(4.0 * sd / std::sqrt(2 * n)));
  CHECK(num(s["components"]["ats"]["failures"]) ==
        Approx(19.8).margin(4.0 * std::sqrt(99 * 0.16 / n)));
  // Every outage is the switch's human error, named so.
  CHECK(num(s["components"]["ats"]["human_error_outage_share"]) == 1.0);
  CHECK(s["facility"]["top_causes"][0]["components"] == nlohmann::json::array({"ats:human_error"}));
  // Automatic transfers are never done wrongly: a utility that never comes back makes one
  // automatic transfer and no return; even with human_error 100% the switch never fails.
  const auto auto_only = run_yaml(R"(
version: 1
horizon: 10000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 99h}, repair: {dist: fixed, value: 1e6h}}
  second: {kind: source}
  ats: {kind: switch, inputs: [utility, second], transfer: {human_error: 100%},
        repair: {dist: fixed, value: 20h}}
loads:
  hall: {demand: 100kW, power: [ats]}
)",
                                  50);
  CHECK(num(auto_only["components"]["utility"]["failures"]) == 1.0);
  CHECK(num(auto_only["components"]["ats"]["failures"]) == 0.0);
}
