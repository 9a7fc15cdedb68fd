// Outage mechanisms (README, "Why outages happen"): known timelines from fixed laws, each
// outage checked for its start, end and the words that explain it.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "experiments/trace.hpp"
#include "failure_models/facility.hpp"
#include "failure_models/mechanism.hpp"
#include "tests/support/run.hpp"

using ridethrough::failure_models::describe_mechanism;
using ridethrough::failure_models::FacilitySim;
using ridethrough::failure_models::ReplicationResult;
using ridethrough::testing::load_yaml;
using ridethrough::testing::run_yaml;

namespace {

struct Outage {
  double start, end;
  std::string why;
};

/// The facility's outages of replication 0, with their mechanisms.
std::vector<Outage> outages(const std::string& yaml) {
  const auto l = load_yaml(yaml);
  FacilitySim sim(l.model);
  sim.set_record_load_blame(true);
  ReplicationResult r;
  sim.run(1, 0, r);
  std::vector<Outage> out;
  for (const auto& iv : r.facility_down)
    out.push_back(
        {iv.start, iv.end,
         describe_mechanism({r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end}, l.model)});
  // Load rows carry the same words for a single critical load.
  REQUIRE(r.load_down[0].size() == r.facility_down.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const auto& iv = r.load_down[0][k];
    CHECK(describe_mechanism({r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end}, l.model) ==
          out[k].why);
  }
  return out;
}

constexpr double kMin = 1.0 / 60.0, kSec = 1.0 / 3600.0;

/// The utility fails every 105 h (fixed); every start of the generator fails; 10 minutes of UPS.
std::string start_failure_design(const std::string& horizon) {
  return "version: 1\nhorizon: " + horizon + "\n" + R"(components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 5h}}
  gen1: {kind: generator, start: {delay: 10s, fail_prob: 1}, repair: {dist: fixed, value: 50h}}
  ats: {kind: switch, inputs: [utility, gen1], transfer: {delay: 10s}}
  ups1: {kind: ups, inputs: [ats], autonomy: 10min, recharge: 1h}
loads:
  hall: {demand: 1MW, power: [ups1]}
)";
}

}  // namespace

TEST_CASE("mechanism: utility lost, the generator fails to start, the UPS runs out",
          "[mechanism]") {
  // The utility fails every 105 h (fixed), the generator's every start fails: 10 minutes of
  // battery later the hall goes down, until the utility is back 5 h after it failed.
  const auto o = outages(start_failure_design("1000h"));
  REQUIRE(o.size() == 9);  // failures at 100, 205, ..., 940 h
  for (std::size_t k = 0; k < o.size(); ++k) {
    INFO(k);
    CHECK(o[k].start == Approx(100.0 + 105.0 * k + 10 * kMin));
    CHECK(o[k].end == Approx(105.0 + 105.0 * k));
    CHECK(o[k].why == "utility lost + start failure (gen1) -> UPS battery exhausted (ups1)");
  }
}

TEST_CASE("mechanism: a retransfer's gap restarts the chiller for longer than the ride-through",
          "[mechanism]") {
  // The hall's power is the utility's; its chiller runs from the switch. Utility lost at
  // 100 h: the hall is down with it (the generator starting meanwhile). Back at 105 h; 5 min
  // later the switch returns to the utility through a 10 s gap, the chiller restarts for
  // 12 min, and the hall's 5 min of thermal ride-through run out: a second outage with
  // nothing down, 5 min after the gap, until the chiller is back.
  const auto o = outages(R"(version: 1
horizon: 200h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 5h}}
  gen1: {kind: generator, start: {delay: 30s}}
  ats: {kind: switch, inputs: [utility, gen1], transfer: {delay: 10s}, retransfer_after: 5min}
  ch1: {kind: cooling_source, powered_by: [ats], restart: 12min}
loads:
  hall: {demand: 1MW, power: [utility], cooling: [ch1], thermal_ride_through: 5min}
)");
  REQUIRE(o.size() == 2);
  CHECK(o[0].start == Approx(100.0));
  CHECK(o[0].end == Approx(105.0));
  CHECK(o[0].why == "utility lost -> generator starting (gen1)");
  const double gap = 105.0 + 5 * kMin;  // the retransfer begins
  CHECK(o[1].start == Approx(gap + 5 * kMin));
  CHECK(o[1].end == Approx(gap + 10 * kSec + 12 * kMin));
  CHECK(o[1].why ==
        "power interrupted by (ats) + chiller restart (ch1) + thermal ride-through exceeded "
        "(hall)");
}

TEST_CASE("mechanism: maintenance of one UPS and a failure of the other", "[mechanism]") {
  const auto o = outages(R"(version: 1
horizon: 1000h
components:
  utility: {kind: source}
  ups1: {kind: ups, inputs: [utility], autonomy: 10min, recharge: 1h,
         maintenance: {interval: 500h, duration: 10h, offset: 200h}}
  ups2: {kind: ups, inputs: [utility], autonomy: 10min, recharge: 1h,
         failure: {dist: fixed, value: 205h}, repair: {dist: fixed, value: 20h}}
  bus: {kind: node, inputs: [ups1, ups2]}
loads:
  hall: {demand: 1MW, power: [bus]}
)");
  REQUIRE(o.size() == 1);  // 205 to 210 h; ups2's next failure, at 430 h, finds ups1 back
  CHECK(o[0].start == Approx(205.0));
  CHECK(o[0].end == Approx(210.0));
  CHECK(o[0].why == "failure (ups2) + maintenance (ups1)");
}

TEST_CASE("mechanism: a transfer's gap with no UPS, and a common-cause shock", "[mechanism]") {
  const auto o = outages(R"(version: 1
horizon: 150h
components:
  utility: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 1h}}
  utility_b: {kind: source}
  ats: {kind: switch, inputs: [utility, utility_b], transfer: {delay: 10s}}
loads:
  hall: {demand: 1MW, power: [ats]}
)");
  // The gap when the utility is lost, and again when the switch returns to it at 101 h.
  REQUIRE(o.size() == 2);
  CHECK(o[0].start == Approx(100.0));
  CHECK(o[0].end - o[0].start == Approx(10 * kSec));
  CHECK(o[0].why == "utility lost -> transfer under way (ats)");
  CHECK(o[1].start == Approx(101.0));
  CHECK(o[1].end - o[1].start == Approx(10 * kSec));
  CHECK(o[1].why == "transfer under way (ats)");
  // Two pumps in a common-cause group: the shock takes both; JSON names the mechanism too.
  const auto s = run_yaml(R"(version: 1
components:
  grid: {kind: source}
  p1: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 100000h},
       repair: {dist: exponential, mean: 10h}}
  p2: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 100000h},
       repair: {dist: exponential, mean: 10h}}
  bus: {kind: node, inputs: [p1, p2]}
common_cause: [{group: [p1, p2], beta: 0.5}]
loads:
  hall: {demand: 1MW, power: [bus]}
)",
                          200);
  const auto& top = s["facility"]["top_causes"];
  REQUIRE(!top.empty());
  CHECK(top[0]["mechanism"] == "common-cause shock (p1, p2)");
  CHECK(top[0]["components"] == nlohmann::json::array({"p1", "p2"}));
}

TEST_CASE("mechanism: no outage of a bundled design is unexplained", "[mechanism][designs]") {
  for (const char* name :
       {"hall_1mw_n.yaml", "hall_1mw_n1.yaml", "ref_tier1_n.yaml", "ref_tier2_n1.yaml",
        "ref_tier3_n1_cm.yaml", "ref_tier4_2n.yaml", "ref_dr_4make3.yaml", "ref_mining.yaml",
        "ref_mining_conversion.yaml", "ref_mixed_ai_mining.yaml", "ref_ai_cluster.yaml",
        "hall_1mw_options.yaml"}) {
    INFO(name);
    const auto l = ridethrough::testing::load_bundled(name);
    FacilitySim sim(l.model);
    sim.set_record_load_blame(true);
    ReplicationResult r;
    std::size_t seen = 0;
    for (std::uint64_t i = 0; i < 400 && seen < 20; ++i) {
      sim.run(5, i, r);
      for (const auto* rows : {&r.facility_down, &r.load_down[0]})
        for (const auto& iv : *rows) {
          ++seen;
          const std::string why = describe_mechanism(
              {r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end}, l.model);
          INFO(why);
          CHECK(iv.why_end > iv.why_begin);
          CHECK(why != "unexplained");
        }
    }
    CHECK(seen > 0);
  }
}

TEST_CASE("trace: the timeline of a known replication, event by event", "[mechanism][trace]") {
  const auto l = load_yaml(start_failure_design("150h"));
  const auto t = ridethrough::experiments::trace_replication(l.model, 1, 0);
  const std::string why = "utility lost + start failure (gen1) -> UPS battery exhausted (ups1)";
  const std::vector<std::tuple<double, std::string, std::string>> want{
      {100.0, "utility", "failed"},
      {100.0, "utility", "repair begins"},
      {100.0, "utility", "dead"},
      {100.0, "gen1", "starting"},
      {100.0, "ats", "dead"},
      {100.0, "ups1", "on battery"},
      {100.0 + 10 * kSec, "gen1", "failed to start"},
      {100.0 + 10 * kSec, "gen1", "repair begins"},
      {100.0 + 10 * kSec, "gen1", "stopped"},
      {100.0 + 10 * kMin, "ups1", "dead"},
      {100.0 + 10 * kMin, "ups1", "battery exhausted"},
      {100.0 + 10 * kMin, "hall", "power lost"},
      {100.0 + 10 * kMin, "hall", "DOWN: " + why},
      {100.0 + 10 * kMin, "facility", "DOWN: " + why},
      {105.0, "utility", "repaired, in service"},
      {105.0, "utility", "live"},
      {105.0, "ats", "live"},
      {105.0, "ups1", "live"},
      {105.0, "ups1", "on its input, battery recharging"},
      {105.0, "hall", "power back"},
      {105.0, "hall", "back up"},
      {105.0, "facility", "back up"},
  };
  // Nothing after: gen1's repair ends past the horizon, with no outage to follow.
  REQUIRE(t.entries.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO(k);
    CHECK(t.entries[k].time == Approx(std::get<0>(want[k])));
    CHECK(t.entries[k].subject == std::get<1>(want[k]));
    CHECK(t.entries[k].what == std::get<2>(want[k]));
  }
  CHECK(t.facility_downtime == Approx(5.0 - 10 * kMin));
}

TEST_CASE("mechanism: a flexible load shed for a curtailment call says so", "[mechanism]") {
  const auto l = load_yaml(R"(version: 1
horizon: 1000h
components:
  grid: {kind: source}
loads:
  hall: {demand: 1MW, power: [grid]}
  miners: {demand: 2MW, power: [grid], priority: flexible}
grid:
  curtailment: {rate: 0.01/h, duration: {dist: fixed, value: 4h}, limit: 1.5MW, notice: 0h,
                price_per_mwh: 100, penalty_per_mwh: 0, sources: [grid]}
)");
  FacilitySim sim(l.model);
  sim.set_record_load_blame(true);
  ReplicationResult r;
  sim.run(1, 0, r);
  REQUIRE(!r.load_down[1].empty());
  CHECK(r.load_down[0].empty());  // the critical hall is never shed for a call
  for (const auto& iv : r.load_down[1]) {
    CHECK(iv.end - iv.start == Approx(4.0));  // the call's fixed length
    CHECK(describe_mechanism({r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end}, l.model) ==
          "shed, capacity short (miners) + curtailment call (miners)");
  }
}
