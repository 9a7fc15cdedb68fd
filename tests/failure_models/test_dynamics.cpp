// Facility dynamics against exact answers: UPS ride-through, generators behind an ATS, chiller
// restarts and thermal ride-through, common cause, spares, maintenance (issue "Facility
// dynamics"). Deterministic timelines use `fixed` laws and are checked to rounding error.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/support/ctmc.hpp"
#include "tests/support/run.hpp"

using ridethrough::testing::check_unavailability;
using ridethrough::testing::check_within_ci;
using ridethrough::testing::run_yaml;
using ridethrough::testing::stationary;

namespace {
double hours(const nlohmann::json& v) {
  return v.get<double>();
}
}  // namespace

TEST_CASE("UPS only: a utility outage becomes a load outage with probability exp(-T/r)",
          "[dynamics][exact]") {
  // Utility MTTF 100 h, outages exponential with mean r = 1 h; autonomy T = 30 min, recharge
  // in 1 s so every outage finds a full battery.
  const double mttf = 100.0, r = 1.0, T = 0.5;
  const auto s = run_yaml(R"(
version: 1
warmup: 500h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 1h}}
  ups: {kind: ups, inputs: [utility], autonomy: 30min, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                          3000, 7);
  check_unavailability(s["facility"], r * std::exp(-T / r) / (mttf + r));
  check_within_ci(s["facility"]["outages"], 8760.0 * std::exp(-T / r) / (mttf + r));
  // Memoryless outages: what is left after the battery runs out has mean r.
  const auto& d = s["facility"]["outage_duration_hours"];
  CHECK(std::fabs(hours(d["mean"]) - r) <= 4.0 * r / std::sqrt(hours(d["count"])));
}

TEST_CASE("a second utility failure while the battery recharges", "[dynamics]") {
  // Utility up 0.3 h, down 0.1 h (6 min), forever; autonomy 10 min, recharge 1 h.
  // Charge at each outage: 1, 0.7, 0.4, then 0.3 for ever. Outage 3 drops the load for 2 min,
  // every later one for 3 min. Horizon 4 h: outages 3..10, 2 + 7 x 3 = 23 min of downtime.
  const auto s = run_yaml(R"(
version: 1
horizon: 4h
components:
  utility: {kind: source, failure: {dist: fixed, value: 0.3h}, repair: {dist: fixed, value: 6min}}
  ups: {kind: ups, inputs: [utility], autonomy: 10min, recharge: 1h}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                          3, 1);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 8.0);
  CHECK(hours(s["facility"]["downtime_hours"]["mean"]) == Approx(23.0 / 60.0).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) == Approx(3.0 / 60.0).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["p50"]) == Approx(3.0 / 60.0).epsilon(1e-9));
}

namespace {
/// Utility, generator behind an ATS, UPS. Failures to start and a fixed generator repair.
const char* kGenDesign = R"(
version: 1
warmup: 1000h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 2h}}
  gen: {kind: generator, start: {delay: 10s, fail_prob: 0.2}, repair: {dist: fixed, value: 1h}}
  ats: {kind: switch, inputs: [utility, gen]}
  ups: {kind: ups, inputs: [ats], autonomy: 6min, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)";
}  // namespace

TEST_CASE("generator with failures to start behind an ATS and a UPS: closed form",
          "[dynamics][exact]") {
  // Independent reference. Per utility outage D ~ exp(r): the k-th start attempt succeeds with
  // probability (1-p) p^k and brings the generator on line at X_k = d + k (R + d). The load is
  // down from T to min(D, X_k) when that is later than T: expected downtime
  // sum_k p^k (1-p) r (exp(-T/r) - exp(-X_k/r)) (k = 0 is on line before the battery is flat).
  const double mttf = 200.0, r = 2.0, T = 0.1, p = 0.2, R = 1.0, d = 10.0 / 3600.0;
  double down = 0.0;
  for (int k = 1; k < 60; ++k) {
    const double x = d + k * (R + d);
    down += std::pow(p, k) * (1.0 - p) * r * (std::exp(-T / r) - std::exp(-x / r));
  }
  const auto s = run_yaml(kGenDesign, 4000, 17);
  check_unavailability(s["facility"], down / (mttf + r));
  check_within_ci(s["facility"]["outages"], 8760.0 * p * std::exp(-T / r) / (mttf + r));
  // Start failures are counted as generator failures. Attempt k draws only if the utility is
  // still out when its start delay ends, at d + (k-1)(R+d): expected sum_k p^k exp(-that/r).
  double draws = 0.0;
  for (int k = 1; k < 60; ++k) draws += std::pow(p, k) * std::exp(-(d + (k - 1) * (R + d)) / r);
  const double expected = 8760.0 / (mttf + r) * draws;
  // A Poisson-like count per replication: its standard error is about sqrt(mean / n).
  CHECK(std::fabs(hours(s["components"]["gen"]["failures"]) - expected) <=
        4.0 * std::sqrt(expected / 4000.0));
}

TEST_CASE("utility back before the generator has started: no start, no failure draw",
          "[dynamics]") {
  // The utility blinks for 5 s; the generator needs 10 s and would always fail to start.
  const auto s = run_yaml(R"(
version: 1
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 5s}}
  gen: {kind: generator, start: {delay: 10s, fail_prob: 1}, repair: {dist: fixed, value: 1h}}
  ats: {kind: switch, inputs: [utility, gen], transfer: {delay: 1s}}
  ups: {kind: ups, inputs: [ats], autonomy: 1min, recharge: 1h}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                          3, 1);
  CHECK(hours(s["components"]["gen"]["failures"]) == 0.0);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(s["facility"]["outage_duration_hours"].is_null());
}

TEST_CASE("utility back during a transfer: the switch stays, with no failure draw", "[dynamics]") {
  // The utility is lost for 20 s every 100 h; the generator is on line at 10 s and the 30 s
  // transfer begins; the utility returns at 20 s, before the switch has moved: it stays on the
  // utility (a failure draw would always fail). No UPS: each outage lasts exactly 20 s.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 20s}}
  gen: {kind: generator, start: {delay: 10s}}
  ats: {kind: switch, inputs: [utility, gen], transfer: {delay: 30s, fail_prob: 1}, repair: {dist: fixed, value: 1h}}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(hours(s["components"]["ats"]["failures"]) == 0.0);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 9.0);
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) ==
        Approx(20.0 / 3600.0).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["p50"]) ==
        Approx(20.0 / 3600.0).epsilon(1e-9));
}

TEST_CASE("a transfer that fails takes the switch down until it is repaired", "[dynamics]") {
  // Utility lost for 1 h every 100 h. The generator is on line at 10 s, the transfer fails at
  // once, the switch is repaired 2 h later and then follows the utility, back by then. The
  // battery (1 min) runs out at 60 s: each outage lasts 2 h + 10 s - 60 s.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, start: {delay: 10s}}
  ats: {kind: switch, inputs: [utility, gen], transfer: {delay: 0s, fail_prob: 1}, repair: {dist: fixed, value: 2h}}
  ups: {kind: ups, inputs: [ats], autonomy: 1min, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                          2, 1);
  const double each = 2.0 + 10.0 / 3600.0 - 60.0 / 3600.0;
  // Cycles of 100 h up + 1 h down: failures at 100, 201 (+2 h of switch repair: 203 - 2 after
  // the utility returned at 202), ... The utility runs on its own clock: 100 + 101 k.
  CHECK(hours(s["facility"]["outage_duration_hours"]["p50"]) == Approx(each).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) == Approx(each).epsilon(1e-9));
  CHECK(hours(s["facility"]["outages"]["mean"]) == 9.0);  // utility failures at 100 + 101 k < 1000
  CHECK(hours(s["components"]["ats"]["failures"]) == 9.0);
}

TEST_CASE("a generator that fails while running, and restarts after repair", "[dynamics]") {
  // Utility out 2 h at 100 h. Generator on line at 10 s, fails after 0.5 running hours; the
  // battery (1 min) runs out; repaired after 1 h, still demanded, on line 10 s later. The ATS
  // still follows the generator input, so it needs no transfer. (Its life then counts on from
  // 0.5 h: only running hours age it, so it would fail 20 s into the next outage.)
  const auto s = run_yaml(R"(
version: 1
horizon: 150h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 2h}}
  gen: {kind: generator, start: {delay: 10s}, failure: {dist: fixed, value: 0.5h}, repair: {dist: fixed, value: 1h}}
  ats: {kind: switch, inputs: [utility, gen]}
  ups: {kind: ups, inputs: [ats], autonomy: 1min, recharge: 1s}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                          2, 1);
  const double each = (1.5 + 20.0 / 3600.0) - (0.5 + 10.0 / 3600.0 + 1.0 / 60.0);
  CHECK(hours(s["facility"]["outage_duration_hours"]["p50"]) == Approx(each).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) == Approx(each).epsilon(1e-9));
  CHECK(hours(s["facility"]["outages"]["mean"]) == 1.0);
  CHECK(hours(s["components"]["gen"]["failures"]) == 1.0);
}

TEST_CASE("a generator's running life ages only while it runs", "[dynamics]") {
  // The utility is lost for 1.5 h every 100 h of up time; the generator (2 running hours of
  // life) runs through the first loss and fails 0.5 h into the second, at 202 h; the hall is
  // dark until the utility returns at 203 h. Idle time never ages it.
  const auto s = run_yaml(R"(
version: 1
horizon: 250h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1.5h}}
  gen: {kind: generator, failure: {dist: fixed, value: 2h}, repair: {dist: fixed, value: 10h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(hours(s["components"]["gen"]["failures"]) == 1.0);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 1.0);
  CHECK(hours(s["facility"]["downtime_hours"]["mean"]) == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("without a UPS, transfer delays are outages, the return to utility included",
          "[dynamics]") {
  // Each utility failure: dark for start (10 s) + transfer (5 s), then for the 5 s transfer
  // back, 5 min after the utility has returned.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
  gen: {kind: generator, start: {delay: 10s}}
  ats: {kind: switch, inputs: [utility, gen], transfer: {delay: 5s}, retransfer_after: 5min}
loads:
  hall: {demand: 1MW, power: [ats]}
)",
                          2, 1);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 18.0);
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) ==
        Approx(15.0 / 3600.0).epsilon(1e-9));
  CHECK(hours(s["facility"]["outage_duration_hours"]["p50"]) == Approx(5.0 / 3600.0).epsilon(1e-9));
  CHECK(hours(s["facility"]["downtime_hours"]["mean"]) == Approx(9 * 20.0 / 3600.0).epsilon(1e-9));
}

TEST_CASE("chiller restart longer than the thermal ride-through", "[dynamics]") {
  // Every 0.1 h blip of the mechanical feed (one every 100 h of its up time): cooling back after
  // blip + restart (15 min), the hall lasts 3 min without it: outages of 0.1 + 0.25 - 0.05 h.
  // Blips at 100 + 100.1 k h: 87 of them within the year.
  const auto s = run_yaml(R"(
version: 1
components:
  grid: {kind: source}
  mech: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 6min}}
  chiller: {kind: cooling_source, powered_by: [mech], restart: 15min, capacity: 2MW}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [chiller], thermal_ride_through: 3min}
)",
                          2, 3);
  const auto& d = s["facility"]["outage_duration_hours"];
  CHECK(hours(d["p50"]) == Approx(0.3).epsilon(1e-9));
  CHECK(hours(d["max"]) == Approx(0.3).epsilon(1e-9));
  CHECK(hours(d["count"]) == 2.0 * 87.0);
  CHECK(hours(s["facility"]["outages"]["mean"]) == 87.0);
}

TEST_CASE("a chiller restarts after its own repair", "[dynamics]") {
  // The chiller fails every 100 h of up time and is repaired in 1 h; it then needs its 15 min
  // restart. The hall rides 3 min: each outage lasts 1 + 0.25 - 0.05 = 1.2 h.
  const auto s = run_yaml(R"(
version: 1
horizon: 1000h
components:
  grid: {kind: source}
  chiller: {kind: cooling_source, powered_by: [grid], restart: 15min,
            failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [chiller], thermal_ride_through: 3min}
)",
                          2, 1);
  const auto& d = s["facility"]["outage_duration_hours"];
  CHECK(hours(d["p50"]) == Approx(1.2).epsilon(1e-9));
  CHECK(hours(d["max"]) == Approx(1.2).epsilon(1e-9));
  // Failures at 100 + 101.25 k: 9 of them start before 1000 h.
  CHECK(hours(s["facility"]["outages"]["mean"]) == 9.0);
}

TEST_CASE("a chiller restarts after maintenance", "[dynamics]") {
  // A 2 h window every 200 h, at a random phase; then the 15 min restart, less the 3 min
  // ride-through: every outage lasts exactly 2.2 h.
  const auto s = run_yaml(R"(
version: 1
horizon: 2000h
components:
  grid: {kind: source}
  chiller: {kind: cooling_source, powered_by: [grid], restart: 15min,
            maintenance: {interval: 200h, duration: 2h}}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [chiller], thermal_ride_through: 3min}
)",
                          20, 1);
  const auto& d = s["facility"]["outage_duration_hours"];
  CHECK(hours(d["p50"]) == Approx(2.2).epsilon(1e-9));
  CHECK(hours(d["max"]) == Approx(2.2).epsilon(1e-9));
  CHECK(hours(d["count"]) >= 20 * 9);
}

TEST_CASE("thermal budget refills while cooled, drains without cooling", "[dynamics]") {
  // Cooling lost for 2 min every 2.2 min of cooling... fixed cycle: cooling source up 4 min,
  // down 2 min (restart 0). Budget 3 min: drains 2, refills 2 of the 4 up-minutes: never empty.
  const auto ok = run_yaml(R"(
version: 1
horizon: 10h
components:
  grid: {kind: source}
  cs: {kind: cooling_source, failure: {dist: fixed, value: 4min}, repair: {dist: fixed, value: 2min}}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [cs], thermal_ride_through: 3min}
)",
                           2, 1);
  CHECK(hours(ok["facility"]["outages"]["mean"]) == 0.0);
  // Budget 1.5 min: each 2-minute loss drops the hall for 30 s, 100 cycles in 10 h.
  const auto bad = run_yaml(R"(
version: 1
horizon: 10h
components:
  grid: {kind: source}
  cs: {kind: cooling_source, failure: {dist: fixed, value: 4min}, repair: {dist: fixed, value: 2min}}
loads:
  hall: {demand: 1MW, power: [grid], cooling: [cs], thermal_ride_through: 1.5min}
)",
                            2, 1);
  CHECK(hours(bad["facility"]["outages"]["mean"]) == 100.0);
  CHECK(hours(bad["facility"]["downtime_hours"]["mean"]) == Approx(100 * 0.5 / 60.0).epsilon(1e-9));
}

TEST_CASE("common cause on a redundant pair matches its 4-state chain", "[dynamics][exact]") {
  const double lam = 1.0 / 200.0, mu = 1.0 / 10.0, beta = 0.1;
  // States: 0 both up, 1 a down, 2 b down, 3 both down. A shock fails whatever is up.
  const double own = lam * (1.0 - beta), shock = beta * lam;
  std::vector<std::vector<double>> q = {
      {0, own, own, shock}, {mu, 0, 0, own + shock}, {mu, 0, 0, own + shock}, {0, mu, mu, 0}};
  for (auto& row : q) {
    double s = 0;
    for (double v : row) s += v;
    row[&row - &q[0]] = -s;
  }
  const auto pi = stationary(q);
  const auto s = run_yaml(R"(
version: 1
warmup: 500h
components:
  a: {kind: source, failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
  b: {kind: source, failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
common_cause:
  - {group: [a, b], beta: 10%}
loads:
  l: {demand: 1, power: [a, b]}
)",
                          4000, 5);
  check_unavailability(s["facility"], pi[3]);
  check_within_ci(s["facility"]["outages"],
                  8760.0 * (pi[0] * shock + (pi[1] + pi[2]) * (own + shock)));
  // Each member's total failure rate is unchanged by the group.
  const double cycles = 8760.0 * (1.0 - (pi[1] + pi[3])) * lam;  // a fails only while up
  // A failure count per replication is close to Poisson: standard error sqrt(mean / n).
  CHECK(std::fabs(hours(s["components"]["a"]["failures"]) - cycles) <=
        4.0 * std::sqrt(cycles / 4000.0));
}

TEST_CASE("a spare pool with no stock: repair waits for the lead time", "[dynamics][exact]") {
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
spares:
  pool: {stock: 0, lead_time: 50h}
components:
  tx: {kind: source, spare_pool: pool, failure: {dist: exponential, mean: 1000h}, repair: {dist: fixed, value: 10h}}
loads:
  l: {demand: 1, power: [tx]}
)",
                          4000, 8);
  check_unavailability(s["facility"], 60.0 / 1060.0);
  CHECK(hours(s["facility"]["outage_duration_hours"]["max"]) == Approx(60.0).epsilon(1e-9));
}

TEST_CASE("maintenance at a random phase: d/P for one unit, (d/P)^2 for a pair",
          "[dynamics][exact]") {
  const auto one = run_yaml(R"(
version: 1
warmup: 100h
components:
  a: {kind: source, maintenance: {interval: 100h, duration: 5h}}
loads:
  l: {demand: 1, power: [a]}
)",
                            2000, 4);
  check_unavailability(one["facility"], 0.05);
  // Every window is an outage of exactly 5 h (a window straddling the end is followed).
  CHECK(hours(one["facility"]["outage_duration_hours"]["p50"]) == Approx(5.0).epsilon(1e-9));
  const auto pair = run_yaml(R"(
version: 1
warmup: 100h
components:
  a: {kind: source, maintenance: {interval: 100h, duration: 5h}}
  b: {kind: source, maintenance: {interval: 100h, duration: 5h}}
loads:
  l: {demand: 1, power: [a, b]}
)",
                             4000, 4);
  check_unavailability(pair["facility"], 0.0025);
}

TEST_CASE("equipment power draw is admitted before every load", "[dynamics]") {
  // A 1 MW bus: the chiller's 400 kW draw comes first, so the 700 kW hall never fits (it is
  // flexible, shed first: a critical load that never fits is refused as a design error).
  const auto s = run_yaml(R"(
version: 1
horizon: 100h
components:
  bus: {kind: source, capacity: 1MW}
  chiller: {kind: cooling_source, powered_by: [bus], power_draw: 400kW}
loads:
  hall: {demand: 700kW, power: [bus], cooling: [chiller], priority: flexible, shed_order: 1}
  small: {demand: 600kW, power: [bus], priority: flexible}
)",
                          2, 1);
  CHECK(hours(s["loads"]["hall"]["availability"]["mean"]) == 0.0);
  CHECK(hours(s["loads"]["small"]["availability"]["mean"]) == 1.0);
}
