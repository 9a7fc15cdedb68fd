#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/diagnostics.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

using namespace ridethrough::topology;
using ridethrough::testing::dump;
using ridethrough::testing::errors_of;
using ridethrough::testing::has;

namespace {
const Component* find(const Design& d, const std::string& id) {
  for (const auto& c : d.components)
    if (c.id == id) return &c;
  return nullptr;
}
const std::string kRow = R"(version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 1h}}
templates:
  rack:
    params: {row: 0, demand: 10kW}
    components:
      pdu_${row}_${i}: {kind: node, inputs: [u], failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 2h}}
    loads:
      rack_${row}_${i}: {demand: $demand, power: [pdu_$row_$i]}
  row:
    instances:
      - {template: rack, count: 3, with: {row: $i}, each: {2: {demand: 20kW}}}
instances:
  - {template: row, count: 2, first: 5}
)";
}  // namespace

TEST_CASE("templates: nested instances stamp ids, parameters and per-instance overrides",
          "[templates]") {
  auto r = load_design_text(kRow, "d.yaml");
  INFO(dump(errors_of(kRow)));
  REQUIRE(r.design);
  const auto& d = *r.design;
  CHECK(d.components.size() == 1 + 2 * 3);
  REQUIRE(d.loads.size() == 6);
  // Rows 5 and 6 (first: 5), racks 1..3; rack 2 of every row draws 20 kW.
  for (int row : {5, 6})
    for (int i : {1, 2, 3}) {
      const std::string id = "rack_" + std::to_string(row) + "_" + std::to_string(i);
      const Load* l = nullptr;
      for (const auto& x : d.loads)
        if (x.id == id) l = &x;
      REQUIRE(l);
      CHECK(l->demand == (i == 2 ? 20.0 : 10.0));
      REQUIRE(find(d, "pdu_" + std::to_string(row) + "_" + std::to_string(i)));
    }
  CHECK_FALSE(find(d, "pdu_0_1"));
}

TEST_CASE("templates: the expanded text is a flat design that loads to the same thing",
          "[templates]") {
  std::vector<Diagnostic> errs;
  const auto flat = expand_design_text(kRow, {}, errs);
  REQUIRE(flat);
  CHECK(flat->find("templates") == std::string::npos);
  CHECK(flat->find("instances") == std::string::npos);
  auto a = load_design_text(kRow, "d.yaml");
  auto b = load_design_text(*flat, "flat.yaml");
  REQUIRE(a.design);
  REQUIRE(b.design);
  REQUIRE(a.design->components.size() == b.design->components.size());
  for (std::size_t k = 0; k < a.design->components.size(); ++k)
    CHECK(a.design->components[k].id == b.design->components[k].id);
  REQUIRE(a.design->loads.size() == b.design->loads.size());
  for (std::size_t k = 0; k < a.design->loads.size(); ++k) {
    CHECK(a.design->loads[k].id == b.design->loads[k].id);
    CHECK(a.design->loads[k].demand == b.design->loads[k].demand);
  }
}

TEST_CASE("templates: an error inside an instance names the template line and the instance",
          "[templates]") {
  std::string bad = kRow;
  // A typo in the rack template's load (line 10) shows up once per stamped rack.
  bad.replace(bad.find("power: [pdu_"), 12, "power: [pdx_");
  const auto e = errors_of(bad);
  INFO(dump(e));
  CHECK(has(e, "10:7", "in instance 2 of template 'rack', instances at line 13"));
  CHECK(has(e, "10:7", "in instance 6 of template 'row', instances at line 15"));
}

TEST_CASE("templates: unknown templates, unknown parameters and self-stamping are errors",
          "[templates]") {
  const std::string head = R"(version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 1h}}
)";
  auto e = errors_of(head + R"(templates:
  rack:
    loads:
      r$i: {demand: $power, power: [u]}
instances:
  - {template: rak, count: 2}
  - {template: rack, count: 2}
)");
  INFO(dump(e));
  CHECK(has(e, "9:16", "unknown template 'rak'"));
  CHECK(has(e, "7:21", "unknown parameter '$power'"));
  e = errors_of(head + R"(templates:
  loop:
    instances:
      - {template: loop}
instances:
  - {template: loop}
)");
  INFO(dump(e));
  CHECK(has(e, "7:7", "templates nest more than 16 deep"));
}

TEST_CASE("templates: the bundled 2,000-rack campus is short and loads in full", "[templates]") {
  const std::string path =
      std::string(RIDETHROUGH_SOURCE_DIR) + "/experiments/designs/bench/campus_2000.yaml";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CHECK(std::count(text.begin(), text.end(), '\n') < 60);
  auto r = load_design_text(text, path);
  REQUIRE(r.design);
  CHECK(r.design->loads.size() == 2000);
  CHECK(r.design->components.size() == 2 + 20 * (4 + 2 * 100));
}

TEST_CASE("templates: a misspelt parameter in with or each, or an each beyond count, is an error",
          "[templates][trust]") {
  // Issue "every figure right where features meet", finding 5: these were silently ignored,
  // so the rack kept its default demand.
  std::string bad = kRow;
  bad.replace(bad.find("with: {row: $i}"), 15, "with: {rwo: $i}");
  auto e = errors_of(bad);
  INFO(dump(e));
  CHECK(has(e, "13:43", "template 'rack' has no parameter 'rwo' (did you mean 'row'?)"));
  bad = kRow;
  bad.replace(bad.find("{2: {demand: 20kW}}"), 19, "{2: {demnad: 20kW}}");
  e = errors_of(bad);
  INFO(dump(e));
  CHECK(has(e, "13:64", "template 'rack' has no parameter 'demnad' (did you mean 'demand'?)"));
  CHECK(has(e, "13:64", "in instance 2 of template 'rack'"));
  bad = kRow;
  bad.replace(bad.find("{2: {demand: 20kW}}"), 19, "{4: {demand: 20kW}}");
  e = errors_of(bad);
  INFO(dump(e));
  CHECK(has(e, "13:60", "instances each: '4' is not an instance of this entry (it stamps 1 to 3)"));
  // A parameter the template never declares but refers to is fine.
  std::string ok = kRow;
  ok.replace(ok.find("params: {row: 0, demand: 10kW}"), 30, "params: {demand: 10kW}");
  INFO(dump(errors_of(ok)));
  CHECK(errors_of(ok).empty());
}
