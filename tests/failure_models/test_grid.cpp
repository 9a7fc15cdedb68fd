// The grid side (issue "The grid side"): grid event classes and seasons, partial shedding,
// curtailment calls and portfolios, against exact answers.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "experiments/portfolio.hpp"
#include "tests/support/run.hpp"
#include "topology/portfolio.hpp"

using ridethrough::testing::check_within_ci;
using ridethrough::testing::num;
using ridethrough::testing::run_yaml;

namespace {
constexpr double kPi = 3.141592653589793;

/// A Poisson count's mean over n replications against its exact mean (variance = mean).
void check_poisson_mean(double estimate, double exact, std::uint64_t n) {
  INFO("estimate " << estimate << " exact " << exact);
  CHECK(std::fabs(estimate - exact) <= 4.0 * std::sqrt(exact / static_cast<double>(n)));
}
}  // namespace

TEST_CASE("grid event classes: two Poisson classes with fixed durations", "[grid][exact]") {
  // Blips at 20/y lasting 2 h and storms at 1/y lasting 30 h, overlapping freely. Each class is
  // an M/D/infinity queue: idle with probability exp(-rate x duration), so the feed is down a
  // share 1 - exp(-(l1 d1 + l2 d2)) of the time, and goes down at rate (l1 + l2) P(idle).
  const double l1 = 20.0 / 8760, d1 = 2, l2 = 1.0 / 8760, d2 = 30;
  const std::uint64_t n = 4000;
  const auto s = run_yaml(R"(
version: 1
warmup: 100h
components:
  utility: {kind: source, events: [{rate: 20/y, duration: {dist: fixed, value: 2h}},
                                   {rate: 1/y, duration: {dist: fixed, value: 30h}, name: storm}]}
loads:
  hall: {demand: 1MW, power: [utility]}
)",
                          n, 2);
  const double idle = std::exp(-(l1 * d1 + l2 * d2));
  check_within_ci(s["facility"]["availability"], idle);
  check_within_ci(s["facility"]["outages"], 8760 * (l1 + l2) * idle);
  // Counts per class are Poisson with means 20 and 1 a year.
  const auto& ev = s["components"]["utility"]["events"];
  check_poisson_mean(num(ev["event1"]["count"]), 20.0, n);
  check_poisson_mean(num(ev["storm"]["count"]), 1.0, n);
  CHECK(num(ev["storm"]["hours"]) == Approx(30.0).epsilon(0.1));
  // Blame names the class.
  bool storm_named = false;
  for (const auto& c : s["facility"]["top_causes"])
    storm_named = storm_named || c["components"] == nlohmann::json::array({"utility:storm"});
  CHECK(storm_named);
  CHECK(num(s["components"]["utility"]["outage_share"]) == Approx(1.0));
}

TEST_CASE("grid event seasons: amplitude 0 changes nothing, a peak month holds its share",
          "[grid][exact]") {
  const char* plain = R"(
version: 1
components:
  utility: {kind: source, events: [{rate: 12/y, duration: {dist: exponential, mean: 3h}}]}
loads:
  hall: {demand: 1MW, power: [utility]}
)";
  std::string flat = plain;
  flat.replace(flat.find("mean: 3h}}"), 10, "mean: 3h}, season: {peak: 7m, amplitude: 0}}");
  const auto a = run_yaml(plain, 200, 5), b = run_yaml(flat, 200, 5);
  auto strip = [](nlohmann::json s) {
    s.erase("performance");
    return s.dump();
  };
  CHECK(strip(a) == strip(b));
  // Amplitude 100%, peak in July (month 7): measure July alone (warmup = six months). The rate
  // r (1 + cos(2 pi (t - peak) / 1 y)) integrates over the month to r (730 + 8760/pi sin(pi/12)).
  std::string seasonal = plain;
  seasonal.replace(seasonal.find("mean: 3h}}"), 10,
                   "mean: 3h}, season: {peak: 7m, amplitude: 100%}}");
  seasonal.replace(seasonal.find("version: 1\n"), 11, "version: 1\nwarmup: 4380h\nhorizon: 730h\n");
  const std::uint64_t n = 20000;
  const auto s = run_yaml(seasonal, n, 6);
  const double r = 12.0 / 8760;
  const double july = r * (730 + 8760 / kPi * std::sin(kPi / 12));
  check_poisson_mean(num(s["components"]["utility"]["events"]["event1"]["count"]), july, n);
  CHECK(july / (12.0) == Approx(1.0 / 12 + std::sin(kPi / 12) / kPi));  // the share of a year's
  // And January, the trough, holds r (730 - 8760/pi sin(pi/12)): almost nothing.
  std::string winter = seasonal;
  winter.replace(winter.find("warmup: 4380h"), 13, "warmup: 0h");
  const auto w = run_yaml(winter, n, 7);
  check_poisson_mean(num(w["components"]["utility"]["events"]["event1"]["count"]),
                     r * (730 - 8760 / kPi * std::sin(kPi / 12)), n);
}

namespace {
std::string divisible_design(const std::string& shed) {
  return R"(
version: 1
horizon: 1000h
components:
  feed: {kind: source, capacity: 1000kW}
loads:
  hall: {demand: 300kW, power: [feed]}
  miners: {demand: 1MW, power: [feed], priority: flexible, tenant: mine, )" +
         shed + R"(}
tenants:
  mine:
    workload: {kind: mining, revenue_per_mwh: 50}
)";
}
}  // namespace

TEST_CASE("partial shedding: a divisible load takes the share that fits", "[grid][shedding]") {
  // 700 kW are left for the miners' 1 MW: divisible or in tenths they get 70%; in thirds, 2/3.
  for (const auto& [shed, share] : {std::pair<std::string, double>{"divisible: true", 0.7},
                                    {"steps: 10", 0.7},
                                    {"steps: 3", 2.0 / 3.0}}) {
    INFO(shed);
    const auto s = run_yaml(divisible_design(shed), 2, 1);
    const auto& m = s["loads"]["miners"];
    CHECK(num(m["energy_delivered_share"]) == Approx(share).epsilon(1e-12));
    CHECK(num(m["downtime_hours"]["mean"]) == 0.0);  // it is never without power altogether
    // Mining is charged for the energy not delivered: (1 - share) MW for 1000 h at 50.
    CHECK(num(s["tenants"]["mine"]["cost"]["mean"]) ==
          Approx((1 - share) * 1000 * 50).epsilon(1e-12));
  }
  // All or nothing (the default): 700 kW cannot carry 1 MW, so it gets nothing.
  const auto s = run_yaml(divisible_design("thermal_ride_through: 0"), 2, 1);
  CHECK(num(s["loads"]["miners"]["energy_delivered_share"]) == 0.0);
}

namespace {
std::string call_design(const std::string& limit) {
  return R"(
version: 1
warmup: 10h
components:
  utility: {kind: source, capacity: 100MW}
loads:
  hall: {demand: 10MW, power: [utility]}
  miners: {demand: 30MW, power: [utility], priority: flexible, divisible: true}
grid:
  curtailment: {rate: 20/y, duration: {dist: fixed, value: 4h}, limit: )" +
         limit + R"(, notice: 10min,
                price_per_mwh: 300, penalty_per_mwh: 1000, sources: [utility]}
)";
}
}  // namespace

TEST_CASE("curtailment calls: revenue for what the miners give up", "[grid][curtailment][exact]") {
  // A call caps the import at 20 MW: the hall keeps its 10 MW, the miners keep 10 of 30 MW and
  // give up 20 MW while any call is on. Calls overlap freely (M/D/infinity): a call is on a
  // share 1 - exp(-4 rate) of the time.
  const std::uint64_t n = 3000;
  const auto s = run_yaml(call_design("20MW"), n, 4);
  const auto& c = s["curtailment"];
  const double on = 1 - std::exp(-4.0 * 20 / 8760);
  check_within_ci(c["mwh_shed"], 20.0 * 8760 * on);
  CHECK(num(c["revenue"]["mean"]) == Approx(300 * num(c["mwh_shed"]["mean"])).epsilon(1e-12));
  CHECK(num(c["penalty"]["mean"]) == 0.0);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);  // critical loads are never shed for a call
  // The miners' delivered share: 1 - (20/30) x the share of time a call is on.
  CHECK(std::fabs(num(s["loads"]["miners"]["energy_delivered_share"]) - (1 - 2.0 / 3 * on)) <=
        4 * (num(c["mwh_shed"]["ci95"][1]) - num(c["mwh_shed"]["ci95"][0])) / 2 / 1.96 / 30 / 8760);
}

TEST_CASE("curtailment calls: a limit below the critical load pays a penalty on the excess",
          "[grid][curtailment][exact]") {
  // Limit 5 MW, hall 10 MW: during a call the hall imports 5 MW too much (penalty) and the
  // miners give up all 30 MW (revenue). Per replication, excess MWh = shed MWh / 6.
  const auto s = run_yaml(call_design("5MW"), 500, 4);
  const auto& c = s["curtailment"];
  CHECK(num(c["penalty"]["mean"]) ==
        Approx(1000 * num(c["mwh_shed"]["mean"]) / 6.0).epsilon(1e-12));
  CHECK(num(c["revenue"]["mean"]) == Approx(300 * num(c["mwh_shed"]["mean"])).epsilon(1e-12));
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);
  CHECK(num(c["calls"]) > 0);
}

namespace {
/// Writes files into a fresh temporary directory for a portfolio test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/ridethrough-portfolio-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path + "/" + name) << text;
    return path + "/" + name;
  }
};

nlohmann::json run_portfolio_file(const std::string& file, std::uint64_t n, std::uint64_t seed) {
  const auto loaded = ridethrough::topology::load_portfolio_file(file);
  if (!loaded.portfolio) {
    std::string all;
    for (const auto& e : loaded.errors)
      all += ridethrough::topology::format_diagnostic(e.path, e.diagnostic) + "\n";
    FAIL("portfolio did not load:\n" << all);
  }
  ridethrough::experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = 2;
  return ridethrough::experiments::run_portfolio(*loaded.portfolio, o);
}

/// Every error of a portfolio file that must not load, as the CLI prints them.
std::string portfolio_errors(const std::string& file) {
  const auto loaded = ridethrough::topology::load_portfolio_file(file);
  CHECK_FALSE(loaded.portfolio);
  std::string all;
  for (const auto& e : loaded.errors)
    all += ridethrough::topology::format_diagnostic(e.path, e.diagnostic) + "\n";
  return all;
}

const char* kQuietSite = R"(version: 1
warmup: 200h
components:
  utility: {kind: source}
loads:
  hall: {demand: 1MW, power: [utility]}
)";
}  // namespace

TEST_CASE("portfolio: a shared regional event takes both sites down together",
          "[grid][portfolio][exact]") {
  TempDir dir;
  dir.write("a.yaml", kQuietSite);
  dir.write("b.yaml", kQuietSite);
  const auto file = dir.write("p.yaml", R"(version: 1
sites: {a: a.yaml, b: b.yaml}
regional_events:
  - {name: storm, rate: 4/y, duration: {dist: fixed, value: 30h}, hits: [a.utility, b.utility]}
)");
  const auto r = run_portfolio_file(file, 3000, 2);
  const auto& pf = r["portfolio"];
  // Both are down exactly when one is: the shares are equal, replication by replication.
  CHECK(num(pf["share_of_time_two_or_more_down"]["mean"]) ==
        Approx(num(pf["share_of_time_any_down"]["mean"])).epsilon(1e-12));
  // And the share is that of an M/D/infinity queue being busy: 1 - exp(-rate x duration).
  check_within_ci(pf["share_of_time_any_down"], 1 - std::exp(-4.0 / 8760 * 30));
  check_within_ci(r["sites"]["a"]["facility"]["availability"], std::exp(-4.0 / 8760 * 30));
  bool named = false;
  for (const auto& c : r["sites"]["a"]["facility"]["top_causes"])
    named = named || c["components"] == nlohmann::json::array({"utility:storm"});
  CHECK(named);
}

TEST_CASE("portfolio: independent sites are both down a share U squared of the time",
          "[grid][portfolio][exact]") {
  TempDir dir;
  const std::string site = R"(version: 1
warmup: 200h
components:
  utility: {kind: source, events: [{rate: 20/y, duration: {dist: fixed, value: 40h}}]}
loads:
  hall: {demand: 1MW, power: [utility]}
)";
  dir.write("a.yaml", site);
  dir.write("b.yaml", site);
  const auto file = dir.write("p.yaml", "version: 1\nsites: {a: a.yaml, b: b.yaml}\n");
  const auto r = run_portfolio_file(file, 4000, 3);
  const double u = 1 - std::exp(-20.0 / 8760 * 40);
  check_within_ci(r["portfolio"]["share_of_time_two_or_more_down"], u * u);
  check_within_ci(r["portfolio"]["share_of_time_any_down"], 1 - (1 - u) * (1 - u));
  // The sites have the same component ids, but each runs with a seed of its own: their
  // downtimes are independent (correlation within sampling error of 0).
  const auto& s = r["sites"];
  CHECK(s["a"]["seed"] != s["b"]["seed"]);
  CHECK(num(s["a"]["facility"]["downtime_hours"]["mean"]) !=
        num(s["b"]["facility"]["downtime_hours"]["mean"]));
}

TEST_CASE("portfolio: a portfolio of one site is that site's run, bit for bit",
          "[grid][portfolio]") {
  TempDir dir;
  const std::string site = R"(version: 1
components:
  utility: {kind: source, events: [{rate: 3/y, duration: {dist: lognormal, median: 2h, sigma: 1}}]}
  gen: {kind: generator, start: {fail_prob: 0.1}, repair: {dist: exponential, mean: 10h}}
  ats: {kind: switch, inputs: [utility, gen]}
loads:
  hall: {demand: 1MW, power: [ats], tenant: t}
tenants:
  t: {workload: {kind: training, checkpoint_interval: 1h, restart_time: 10min, cost_per_hour: 100}}
)";
  dir.write("a.yaml", site);
  const auto r =
      run_portfolio_file(dir.write("p.yaml", "version: 1\nsites: {a: a.yaml}\n"), 500, 9);
  auto alone = run_yaml(site, 500, 9);
  auto in_portfolio = r["sites"]["a"];
  for (auto* s : {&alone, &in_portfolio}) {
    s->erase("performance");
    s->erase("design");
  }
  CHECK(alone.dump() == in_portfolio.dump());
  CHECK(num(r["portfolio"]["total_cost"]["mean"]) == num(alone["tenants"]["t"]["cost"]["mean"]));
}

TEST_CASE("portfolio files: every problem at its file, line and column",
          "[grid][portfolio][loader]") {
  TempDir dir;
  dir.write("a.yaml", kQuietSite);
  dir.write("bad.yaml",
            "version: 1\ncomponents:\n  u: {kind: sorce}\nloads:\n  l: {demand: 1, power: [u]}\n");
  const auto file = dir.write("p.yaml", R"(version: 1
sites: {a: a.yaml, b: bad.yaml, c: missing.yaml}
regional_events:
  - {name: storm, rate: 1/y, duration: {dist: fixed, value: 1h}, hits: [a.utilty, z.utility]}
)");
  const std::string all = portfolio_errors(file);
  INFO(all);
  CHECK(all.find(dir.path + "/bad.yaml:3:13: error: ") != std::string::npos);
  CHECK(all.find(file + ":2:36: error: site 'c': cannot open") != std::string::npos);
  CHECK(all.find(file + ":4:73: error: regional event hits 'a.utilty': site 'a' has no component "
                        "'utilty' (did you mean 'utility'?)") != std::string::npos);
  CHECK(all.find(file + ":4:83: error: regional event hits 'z.utility'") != std::string::npos);
}

TEST_CASE("grid event class hours are the time the class kept the feed down (union)",
          "[grid][exact][trust]") {
  // Finding 8: overlapping events of a class were added up (492 h of storms on a feed down
  // 389 h). With one class on the only feed, the class's hours are the feed's downtime in
  // every replication, and their mean is the M/D/infinity busy share 1 - exp(-rate x d).
  const auto s = run_yaml(R"(
version: 1
warmup: 200h
components:
  utility: {kind: source, events: [{rate: 60/y, duration: {dist: fixed, value: 100h}, name: storm}]}
loads:
  hall: {demand: 1MW, power: [utility]}
)",
                          2000, 4);
  const auto& u = s["components"]["utility"];
  CHECK(num(u["events"]["storm"]["hours"]) == Approx(num(u["downtime_hours"])).epsilon(1e-12));
  CHECK(num(u["downtime_hours"]) == Approx(num(s["facility"]["downtime_hours"]["mean"])));
  check_within_ci(s["facility"]["downtime_hours"], 8760 * (1 - std::exp(-60.0 / 8760 * 100)));
}

TEST_CASE("portfolio: a regional event over a source's own failure makes one down interval",
          "[grid][portfolio][exact][trust]") {
  // Finding 7: the event's start overwrote the failure's, so the source's downtime (587 h)
  // fell short of the site's (610 h) with the source its only cause. The source is down while
  // it is failed or hit: independent, so the site's availability is A_own x exp(-rate x d).
  TempDir dir;
  dir.write("a.yaml", R"(version: 1
warmup: 200h
components:
  utility: {kind: source, failure: {dist: exponential, mean: 500h}, repair: {dist: fixed, value: 50h}}
loads:
  hall: {demand: 1MW, power: [utility]}
)");
  const auto file = dir.write("p.yaml", R"(version: 1
sites: {a: a.yaml}
regional_events:
  - {name: storm, rate: 20/y, duration: {dist: fixed, value: 40h}, hits: [a.utility]}
)");
  const auto r = run_portfolio_file(file, 3000, 5);
  const auto& a = r["sites"]["a"];
  CHECK(num(a["components"]["utility"]["downtime_hours"]) ==
        Approx(num(a["facility"]["downtime_hours"]["mean"])).epsilon(1e-12));
  check_within_ci(a["facility"]["availability"], 500.0 / 550.0 * std::exp(-20.0 / 8760 * 40));
  // A share's interval stays within [0, 1], and the probability has one too.
  const auto& pf = r["portfolio"];
  CHECK(num(pf["share_of_time_two_or_more_down"]["ci95"][0]) >= 0.0);
  CHECK(num(pf["probability_two_or_more_down_ci95"][0]) == 0.0);
  CHECK(num(pf["probability_two_or_more_down_ci95"][1]) > 0.0);
  CHECK(num(pf["probability_two_or_more_down_ci95"][1]) < 0.002);  // 3.84 / 3000 roughly
}

TEST_CASE("portfolio files: empty and repeated hits are errors", "[grid][portfolio][loader]") {
  TempDir dir;
  dir.write("a.yaml", kQuietSite);
  const auto file = dir.write("p.yaml", R"(version: 1
sites: {a: a.yaml}
regional_events:
  - {name: storm, rate: 1/y, duration: {dist: fixed, value: 1h}, hits: []}
  - {name: flood, rate: 1/y, duration: {dist: fixed, value: 1h}, hits: [a.utility, a.utility]}
)");
  const std::string all = portfolio_errors(file);
  INFO(all);
  CHECK(all.find(file + ":4:72: error: regional event hits is empty") != std::string::npos);
  CHECK(all.find(file + ":5:84: error: regional event hits 'a.utility' twice") !=
        std::string::npos);
}

namespace {
/// The call design, with a generator behind the hall's switch that each call starts.
std::string call_generator_design(const std::string& start) {
  return R"(
version: 1
warmup: 10h
components:
  utility: {kind: source, capacity: 100MW}
  gen: {kind: generator, capacity: 12MW, start: )" +
         start + R"(, repair: {dist: fixed, value: 1000h}}
  ats: {kind: switch, inputs: [utility, gen], retransfer_after: 5min, repair: {dist: fixed, value: 1h}}
loads:
  hall: {demand: 10MW, power: [ats]}
  miners: {demand: 30MW, power: [utility], priority: flexible, divisible: true}
grid:
  curtailment: {rate: 20/y, duration: {dist: fixed, value: 4h}, limit: 20MW, notice: 10min,
                price_per_mwh: 300, penalty_per_mwh: 1000, sources: [utility],
                generators: [gen], generator_cost_per_mwh: 120}
)";
}
}  // namespace

TEST_CASE("curtailment calls: generators carry the hall through a call, paid and priced",
          "[grid][curtailment][exact]") {
  // Each call starts the generator at once; it runs after 10 s, within the 10 min notice, and
  // the switch moves the hall onto it, so under the 20 MW limit only the miners import: they
  // give up 10 of 30 MW, and the hall's 10 MW is import given up too. Calls are made for
  // L = 4 h 10 min each and overlap freely (M/D/infinity); a limit is on a share
  // 1 - exp(-4 h rate) of the time, a call is made a share 1 - exp(-L rate), and each busy
  // period of calls begins (rate exp(-L rate)) with the 10 s start, which carries nothing.
  const double rate = 20.0 / 8760, L = 4 + 1.0 / 6;
  const std::uint64_t n = 3000;
  const auto s = run_yaml(call_generator_design("{delay: 10s}"), n, 4);
  const auto& c = s["curtailment"];
  const double on = 1 - std::exp(-4.0 * rate);
  check_within_ci(c["mwh_shed"], 10.0 * 8760 * on);
  // The hall sits on the generator exactly while a limit is on: per replication, generated =
  // shed (both 10 MW over the same hours).
  CHECK(num(c["mwh_generated"]["mean"]) == Approx(num(c["mwh_shed"]["mean"])).epsilon(1e-9));
  CHECK(num(c["revenue"]["mean"]) ==
        Approx(300 * (num(c["mwh_shed"]["mean"]) + num(c["mwh_generated"]["mean"]))).epsilon(1e-9));
  const double made_hours =
      8760 * (1 - std::exp(-L * rate)) - 8760 * rate * std::exp(-L * rate) * 10.0 / 3600;
  check_within_ci(c["generator_cost"], 120 * 10.0 * made_hours);
  CHECK(num(c["penalty"]["mean"]) == 0.0);
  CHECK(num(s["facility"]["outages"]["mean"]) == 0.0);  // moves at once, returns at once
  // A generator that never starts leaves the hall on the grid: the miners give up all they can
  // (20 MW over the limit's hours, as without generators), nothing is generated or burnt.
  const auto f = run_yaml(call_generator_design("{delay: 10s, fail_prob: 1}"), 500, 4);
  CHECK(num(f["curtailment"]["mwh_generated"]["mean"]) == 0.0);
  CHECK(num(f["curtailment"]["generator_cost"]["mean"]) == 0.0);
  CHECK(num(f["curtailment"]["mwh_shed"]["mean"]) > 1.5 * num(c["mwh_shed"]["mean"]));
  CHECK(num(f["components"]["gen"]["failures"]) > 0.0);
}
