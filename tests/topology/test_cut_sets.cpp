#include <catch2/catch.hpp>

#include "topology/cut_sets.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

using namespace ridethrough::topology;

namespace {
std::vector<LoadCutSets> cuts(const std::string& yaml, Model& m) {
  auto r = load_design_text(yaml, "t.yaml");
  REQUIRE(r.design);
  m = compile(*r.design);
  return minimal_cut_sets(m);
}
std::vector<std::string> names(const Model& m, const std::vector<int>& v) {
  std::vector<std::string> out;
  for (int i : v) out.push_back(m.ids[i]);
  return out;
}
}  // namespace

TEST_CASE("check: a series chain with a dual-corded end", "[check]") {
  Model m;
  const auto c = cuts(R"(version: 1
components:
  utility: {kind: source}
  swgr: {kind: node, inputs: [utility]}
  pdu_a: {kind: node, inputs: [swgr]}
  pdu_b: {kind: node, inputs: [swgr]}
loads:
  rack: {demand: 10kW, power: [pdu_a, pdu_b]}
)",
                      m);
  REQUIRE(c.size() == 1);
  CHECK(names(m, c[0].singles) == std::vector<std::string>{"utility", "swgr"});
  REQUIRE(c[0].pairs.size() == 1);
  CHECK(m.ids[c[0].pairs[0].first] == "pdu_a");
  CHECK(m.ids[c[0].pairs[0].second] == "pdu_b");
}

TEST_CASE("check: a 2N design has no single point of failure", "[check]") {
  Model m;
  const auto c = cuts(R"(version: 1
components:
  ua: {kind: source}
  ub: {kind: source}
  a: {kind: node, inputs: [ua]}
  b: {kind: node, inputs: [ub]}
loads:
  hall: {demand: 1MW, power: [a, b]}
  rigs: {demand: 1MW, power: [a], priority: flexible}
)",
                      m);
  REQUIRE(c.size() == 1);  // flexible loads are not checked
  CHECK(c[0].singles.empty());
  CHECK(c[0].pairs.size() == 4);  // one of {ua, a} with one of {ub, b}
  CHECK(c[0].maintenance_drops.empty());
}

TEST_CASE("check: N+1 modules behind a shared bus that needs maintenance", "[check]") {
  Model m;
  const auto c = cuts(R"(version: 1
components:
  grid: {kind: source}
  m1: {kind: node, inputs: [grid], capacity: 500kW}
  m2: {kind: node, inputs: [grid], capacity: 500kW}
  m3: {kind: node, inputs: [grid], capacity: 500kW}
  bus: {kind: node, inputs: [m1, m2, m3], maintenance: {interval: 1y, duration: 8h}}
loads:
  hall: {demand: 1MW, power: [bus]}
)",
                      m);
  REQUIRE(c.size() == 1);
  CHECK(names(m, c[0].singles) == std::vector<std::string>{"grid", "bus"});
  CHECK(names(m, c[0].maintenance_drops) == std::vector<std::string>{"bus"});
  // Capacities count: any two modules down leave 500 kW for a 1 MW hall.
  CHECK(c[0].pairs.size() == 3);
}

TEST_CASE("check: generators and switches are followed, a UPS battery is not", "[check]") {
  Model m;
  const auto c = cuts(R"(version: 1
components:
  utility: {kind: source}
  gen: {kind: generator}
  ats: {kind: switch, inputs: [utility, gen]}
  ups: {kind: ups, inputs: [ats], autonomy: 10min, recharge: 2h}
loads:
  hall: {demand: 1MW, power: [ups]}
)",
                      m);
  REQUIRE(c.size() == 1);
  CHECK(names(m, c[0].singles) == std::vector<std::string>{"ats", "ups"});
  REQUIRE(c[0].pairs.size() == 1);
  CHECK(m.ids[c[0].pairs[0].first] == "utility");
  CHECK(m.ids[c[0].pairs[0].second] == "gen");
}
