#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/pricing.hpp"
#include "experiments/workloads/workload.hpp"
#include "tests/support/run.hpp"

using namespace ridethrough::experiments;
using ridethrough::testing::check_within_ci;
using ridethrough::testing::run_yaml;
using ridethrough::topology::Tenant;

namespace {
Tenant cloud_sla() {
  Tenant t;
  t.monthly_fee = 1000.0;
  t.has_sla = true;
  t.credits = {{0.9999, 0.10}, {0.999, 0.25}, {0.99, 1.00}};
  return t;
}
}  // namespace

TEST_CASE("incidents are the union of a tenant's load outages", "[costs]") {
  const auto m = merge_intervals({{5, 6}, {1, 2}, {1.5, 3}, {6, 7}, {8, 9}});
  REQUIRE(m.size() == 3);
  CHECK(m[0].start == 1);
  CHECK(m[0].end == 3);
  CHECK(m[1].start == 5);
  CHECK(m[1].end == 7);  // touching intervals are one incident
  CHECK(m[2].start == 8);
}

TEST_CASE("SLA bands: the smallest 'below' the availability is strictly below", "[costs]") {
  Tenant t = cloud_sla();
  CHECK(month_sla_cost(t, 1.0, 0) == 0.0);
  CHECK(month_sla_cost(t, 0.9999, 0) == 0.0);  // not strictly below 99.99%
  CHECK(month_sla_cost(t, 0.99989, 0) == Approx(100.0));
  CHECK(month_sla_cost(t, 0.9985, 0) == Approx(250.0));
  CHECK(month_sla_cost(t, 0.5, 0) == Approx(1000.0));
  // Bands may be written in any order.
  std::swap(t.credits[0], t.credits[2]);
  CHECK(month_sla_cost(t, 0.9985, 0) == Approx(250.0));
}

TEST_CASE("per-incident penalties add to credits, and the cap bounds both", "[costs]") {
  Tenant t = cloud_sla();
  t.per_incident = 300.0;
  CHECK(month_sla_cost(t, 0.99989, 2) == Approx(100.0 + 600.0));
  t.cap = 0.5;
  CHECK(month_sla_cost(t, 0.99989, 2) == Approx(500.0));
  CHECK(month_sla_cost(t, 1.0, 1) == Approx(300.0));
}

TEST_CASE("monthly availability cuts incidents at month boundaries", "[costs]") {
  Tenant t = cloud_sla();
  t.per_incident = 1.0;
  // One 2 h incident straddling months 1 and 2 (1 h each: 99.863% -> 25% credit each), then a
  // 0.1 h one in month 3 (99.986% -> 10%). Horizon 3 months.
  std::vector<Interval> a = {{729.0, 731.0}}, b = {{1500.0, 1500.1}};
  const auto c = tenant_cost(t, {&a, &b}, {1.0, 1.0}, 3 * 730.0);
  CHECK(c.months == 3);
  CHECK(c.breach_months == 3);
  CHECK(c.sla == Approx(250.0 + 1.0 + 250.0 + 100.0 + 1.0));
}

TEST_CASE("month boundaries: an incident belongs to the month it starts in", "[costs]") {
  Tenant t = cloud_sla();
  t.per_incident = 100.0;
  t.credits.clear();  // penalties only: each incident costs exactly 100 in its own month
  // Starts exactly at 730 h: month 2's, not month 1's.
  std::vector<Interval> at = {{730.0, 731.0}};
  auto c = tenant_cost(t, {&at}, {1.0}, 2 * 730.0);
  CHECK(c.sla == Approx(100.0));
  CHECK(c.breach_months == 1);
  // Ends exactly at 730 h: month 1's alone.
  std::vector<Interval> before = {{729.0, 730.0}};
  c = tenant_cost(t, {&before}, {1.0}, 2 * 730.0);
  CHECK(c.sla == Approx(100.0));
  CHECK(c.breach_months == 1);
  // Across the boundary: one penalty (month 1), though both months see downtime.
  std::vector<Interval> across = {{729.5, 730.5}};
  c = tenant_cost(t, {&across}, {1.0}, 2 * 730.0);
  CHECK(c.sla == Approx(100.0));
  CHECK(c.breach_months == 1);
  // With a credit band, the straddling incident costs both months their credit (0.5 h each:
  // 99.93% < 99.99%), and the penalty once.
  t.credits = {{0.9999, 0.10}};
  c = tenant_cost(t, {&across}, {1.0}, 2 * 730.0);
  CHECK(c.sla == Approx(100.0 + 100.0 + 100.0));
  CHECK(c.breach_months == 2);
}

TEST_CASE("month boundaries end to end: a failure at exactly 730 h is charged once", "[costs]") {
  // The unit fails at 730 h and 1461 h (fixed laws), each for 1 h: two incidents, two months.
  const auto s = run_yaml(R"(
version: 1
horizon: 2190h
components:
  u: {kind: source, failure: {dist: fixed, value: 730h}, repair: {dist: fixed, value: 1h}}
loads:
  l: {demand: 1, power: [u], tenant: acme}
tenants:
  acme:
    monthly_fee: 1000
    sla: {per_incident: 100}
)",
                          2, 1);
  CHECK(s["tenants"]["acme"]["cost"]["mean"].get<double>() == Approx(200.0));
  CHECK(s["tenants"]["acme"]["sla_breach_probability"].get<double>() == Approx(2.0 / 3.0));
}

TEST_CASE("training: down, restart and lost work since the last checkpoint", "[costs]") {
  // Checkpoint every 2 h, restart 0.5 h.
  // [5, 6): ran 5 h, lost 1 h; down 1 h; restart 0.5 h.
  CHECK(training_hours({{5, 6}}, 2.0, 0.5) == Approx(2.5));
  // [6.2, 7) interrupts the restart after 0.2 h: no work lost; down 0.8; restart again 0.5.
  CHECK(training_hours({{5, 6}, {6.2, 7}}, 2.0, 0.5) == Approx(2.5 - 0.5 + 0.2 + 0.8 + 0.5));
  // Restarted at 6.5; an interruption at 10 has run 3.5 h since: 1.5 h lost.
  CHECK(training_hours({{5, 6}, {10, 10.5}}, 2.0, 0.5) == Approx(2.5 + 1.5 + 0.5 + 0.5));
  // An incident already going at the start of the measured span loses no work.
  CHECK(training_hours({{-3, 1}}, 2.0, 0.5) == Approx(1.0 + 0.5));
}

TEST_CASE("all-or-nothing monthly credit: fee x P(some downtime in the month)", "[costs][exact]") {
  // Stationary unit: a month is clean iff the unit is up at its start and does not fail in it.
  const double a = 1000.0 / 1010.0, p_breach = 1.0 - a * std::exp(-730.0 / 1000.0);
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
components:
  u: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
loads:
  l: {demand: 1MW, power: [u], tenant: acme}
tenants:
  acme:
    monthly_fee: 1000
    sla: {period: month, credits: [{below: 100%, credit: 100%}]}
)",
                          4000, 12);
  const auto& t = s["tenants"]["acme"];
  check_within_ci(t["cost"], 12 * 1000.0 * p_breach);
  CHECK(std::fabs(t["sla_breach_probability"].get<double>() - p_breach) <=
        4.0 * std::sqrt(p_breach * (1 - p_breach) / (12 * 4000.0)) * 2.0);
}

TEST_CASE("training: cost per outage = (outage + restart + expected lost work) x rate",
          "[costs][exact]") {
  // Renewal cycle from a repair: up X ~ exp(100 h), down D = 1 h. The restart (0.5 h) is cut
  // short if X < 0.5; otherwise the job runs X - 0.5 ~ exp(100 h) and loses it modulo the
  // 2 h checkpoint interval: E[Y mod C] = 1/l - C e^{-lC} / (1 - e^{-lC}).
  const double l = 0.01, R = 0.5, C = 2.0, D = 1.0, rate = 1000.0;
  const double lost = 1.0 / l - C * std::exp(-l * C) / (1.0 - std::exp(-l * C));
  const double per_cycle = D + (1.0 - std::exp(-l * R)) / l + std::exp(-l * R) * lost;
  const double horizon = 100 * 8760.0;  // long, so the start and end of the span do not matter
  const auto s = run_yaml(R"(
version: 1
horizon: 100y
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: fixed, value: 1h}}
loads:
  l: {demand: 1MW, power: [u], tenant: lab}
tenants:
  lab: {workload: {kind: training, checkpoint_interval: 2h, restart_time: 30min, cost_per_hour: 1000}}
)",
                          300, 13);
  check_within_ci(s["tenants"]["lab"]["cost"], horizon / (100.0 + D) * rate * per_cycle);
}

TEST_CASE("mining: revenue per MWh x demand x expected energy not delivered", "[costs][exact]") {
  // Stationary; outages starting in the horizon are followed to their end, which adds the
  // expected residual repair (10 h) of an outage in progress at the end, with probability U.
  const double u = 10.0 / 1010.0;
  const auto s = run_yaml(R"(
version: 1
warmup: 2000h
components:
  u: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
loads:
  rigs: {demand: 3MW, power: [u], priority: flexible, tenant: miner}
tenants:
  miner: {workload: {kind: mining, revenue_per_mwh: 55}}
)",
                          4000, 14);
  check_within_ci(s["tenants"]["miner"]["cost"], 55.0 * 3.0 * u * (8760.0 + 10.0));
  CHECK(s["tenants"]["miner"]["sla_breach_probability"].get<double>() == 0.0);  // no SLA, no breach
}

TEST_CASE("economics: capex + years x (opex + yearly tenant cost)", "[costs]") {
  const auto s = run_yaml(R"(
version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 10h}}
loads:
  rigs: {demand: 1MW, power: [u], tenant: miner}
tenants:
  miner: {workload: {kind: mining, revenue_per_mwh: 100}}
economics: {capex: 1000000, annual_opex: 5000, years: 10}
)",
                          200, 1);
  const double yearly = s["tenants"]["miner"]["cost"]["mean"].get<double>();
  CHECK(s["economics"]["expected_total_cost"].get<double>() ==
        Approx(1e6 + 10 * (5000 + yearly)).epsilon(1e-12));
  const auto& c = s["tenants"]["miner"]["cost"];
  CHECK(c["p50"].get<double>() <= c["p90"].get<double>());
  CHECK(c["p99"].get<double>() <= c["cvar99"].get<double>());
  CHECK(c["cvar99"].get<double>() <= c["max"].get<double>());
}
