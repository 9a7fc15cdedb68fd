// The bundled designs double as regression tests: they load, `check` finds what their topology
// implies, and the simulated tiers come out in order with separated confidence intervals.
#include <catch2/catch.hpp>

#include "experiments/analysis.hpp"
#include "experiments/driver.hpp"
#include "tests/support/run.hpp"

using namespace ridethrough;

namespace {
using Loaded = testing::LoadedDesign;
Loaded load(const std::string& name) {
  return testing::load_bundled(name);
}
nlohmann::json run(const Loaded& l, std::uint64_t n) {
  experiments::RunOptions o;
  o.replications = n;
  o.seed = 3;
  return experiments::run_design(l.design, l.model, o);
}
}  // namespace

TEST_CASE("bundled designs: concurrent maintainability as their tier says", "[designs]") {
  for (const char* name : {"ref_tier3_n1_cm.yaml", "ref_tier4_2n.yaml", "ref_dr_4make3.yaml",
                           "hall_1mw_2n.yaml", "ref_ai_cluster.yaml"}) {
    INFO(name);
    const auto l = load(name);
    const auto check = experiments::check_design(l.model);
    for (const auto& [load, c] : check["loads"].items()) {
      CHECK(c["single_points_of_failure"].empty());
      CHECK(c["concurrently_maintainable"].get<bool>());
    }
  }
  for (const char* name :
       {"ref_tier1_n.yaml", "ref_tier2_n1.yaml", "hall_1mw_n.yaml", "hall_1mw_n1.yaml"}) {
    INFO(name);
    const auto check = experiments::check_design(load(name).model);
    const auto c = check["loads"].begin().value();
    CHECK_FALSE(c["concurrently_maintainable"].get<bool>());
  }
  const auto t1 = experiments::check_design(load("ref_tier1_n.yaml").model)["loads"]["ai_hall"];
  CHECK(t1["scheduled_maintenance_drops_it"] == nlohmann::json::array({"mv_swgr"}));
}

TEST_CASE("bundled designs: every one runs and the tiers come out in order", "[designs]") {
  for (const char* name :
       {"ref_mining.yaml", "ref_mixed_ai_mining.yaml", "ref_dr_4make3.yaml", "hall_1mw_n.yaml",
        "ref_mining_conversion.yaml", "hall_1mw_options.yaml", "portfolio/site_tx2.yaml",
        "portfolio/site_tx3.yaml", "cluster_young_daly.yaml", "cluster_placement.yaml"}) {
    INFO(name);
    const auto s = run(load(name), 200);
    CHECK(s["replications"] == 200);
  }
  const auto t1 = run(load("ref_tier1_n.yaml"), 2000);
  const auto t2 = run(load("ref_tier2_n1.yaml"), 2000);
  const auto t4 = run(load("ref_tier4_2n.yaml"), 2000);
  auto ci = [](const nlohmann::json& s) { return s["facility"]["availability"]["ci95"]; };
  CHECK(ci(t1)[1].get<double>() < ci(t2)[0].get<double>());
  CHECK(ci(t2)[1].get<double>() < ci(t4)[0].get<double>());
  // Mining is flexible: the mining site has no critical load, so no facility downtime...
  const auto mine = run(load("ref_mining.yaml"), 500);
  CHECK(mine["facility"]["downtime_hours"]["mean"].get<double>() == 0.0);
  CHECK(mine["loads"]["containers1"]["downtime_hours"]["mean"].get<double>() > 0.0);
  // ...and in the mixed site the miners are shed at every utility outage, the AI hall is not.
  const auto mixed = run(load("ref_mixed_ai_mining.yaml"), 1000);
  CHECK(mixed["loads"]["miners"]["outages"]["mean"].get<double>() >
        3.0 * mixed["loads"]["ai_hall"]["outages"]["mean"].get<double>());
}
