// Importance sampling (balanced failure biasing, regenerative cycles) against exact answers,
// and against plain simulation where repairs are not exponential.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/analysis.hpp"
#include "experiments/driver.hpp"
#include "failure_models/importance.hpp"
#include "tests/support/run.hpp"
#include "topology/loader.hpp"

using namespace ridethrough;

namespace {
using Loaded = testing::LoadedDesign;
using testing::load_bundled;

nlohmann::json importance(const Loaded& l, std::uint64_t cycles, std::uint64_t seed,
                          unsigned threads = 2) {
  experiments::RunOptions o;
  o.replications = cycles;
  o.seed = seed;
  o.threads = threads;
  o.importance_sampling = true;
  return experiments::run_design(l.design, l.model, o);
}
}  // namespace

TEST_CASE("importance sampling: six duplicated subsystems in series, unavailability about 3e-11",
          "[importance][exact]") {
  const auto l = load_bundled("markov/six_pairs_series.yaml");
  const auto exact = experiments::exact_design(l.design, l.model);
  const double u_exact = 1.0 - exact["facility"]["availability"]["mean"].get<double>();
  REQUIRE(u_exact > 1e-11);
  REQUIRE(u_exact < 1e-10);
  const auto s = importance(l, 300000, 5);
  const auto& u = s["facility"]["unavailability"];
  testing::check_within_ci(u, u_exact);
  CHECK(u["relative_half_width"].get<double>() < 0.10);
  testing::check_within_ci(s["facility"]["outages"],
                           exact["facility"]["outages"]["mean"].get<double>());
}

TEST_CASE("importance sampling agrees with exact under shared crews and common cause",
          "[importance][exact]") {
  for (const char* name :
       {"markov/n1_modules_one_crew.yaml", "markov/twin_paths_common_cause.yaml"}) {
    INFO(name);
    const auto l = load_bundled(name);
    const auto exact = experiments::exact_design(l.design, l.model);
    const auto s = importance(l, 20000, 8);
    testing::check_within_ci(s["facility"]["availability"],
                             exact["facility"]["availability"]["mean"].get<double>());
    testing::check_within_ci(s["facility"]["outages"],
                             exact["facility"]["outages"]["mean"].get<double>());
    for (const auto& [load, b] : exact["loads"].items()) {
      INFO(load);
      testing::check_within_ci(s["loads"][load]["availability"],
                               b["availability"]["mean"].get<double>());
    }
  }
}

TEST_CASE("importance sampling with lognormal repairs agrees with plain simulation",
          "[importance]") {
  const auto l = testing::load_yaml(R"(
version: 1
warmup: 1000h
components:
  grid: {kind: source}
  a1: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 1000h}, repair: {dist: lognormal, median: 5h, sigma: 1}}
  b1: {kind: node, inputs: [grid], failure: {dist: exponential, mean: 1000h}, repair: {dist: lognormal, median: 5h, sigma: 1}}
  j1: {kind: node, inputs: [a1, b1]}
  a2: {kind: node, inputs: [j1], failure: {dist: exponential, mean: 2000h}, repair: {dist: fixed, value: 8h}}
  b2: {kind: node, inputs: [j1], failure: {dist: exponential, mean: 2000h}, repair: {dist: fixed, value: 8h}}
  j2: {kind: node, inputs: [a2, b2]}
loads:
  hall: {demand: 1, power: [j2]}
)");
  const auto is = importance(l, 40000, 2);
  experiments::RunOptions o;
  o.replications = 8000;
  o.seed = 2;
  const auto plain = experiments::run_design(l.design, l.model, o);
  auto mean_hw = [](const nlohmann::json& b) {
    return std::make_pair(b["mean"].get<double>(),
                          (b["ci95"][1].get<double>() - b["ci95"][0].get<double>()) / 2);
  };
  const auto [ui, hi] = mean_hw(is["facility"]["availability"]);
  const auto [un, hn] = mean_hw(plain["facility"]["availability"]);
  INFO("importance " << 1 - ui << " ± " << hi << ", plain " << 1 - un << " ± " << hn);
  CHECK(std::fabs(ui - un) <= 4.0 * std::hypot(hi, hn) / 1.96);
}

TEST_CASE("importance sampling is bit-identical whatever the thread count", "[importance]") {
  const auto l = load_bundled("markov/six_pairs_series.yaml");
  auto a = importance(l, 3000, 4, 1), b = importance(l, 3000, 4, 2);
  a.erase("performance");
  b.erase("performance");
  CHECK(a.dump() == b.dump());
}

TEST_CASE("importance sampling refuses designs without regeneration, saying why", "[importance]") {
  const auto l = load_bundled("hall_1mw_2n.yaml");
  const auto why = failure_models::importance_refusal(l.model);
  INFO(why);
  CHECK(why.find("components 'gen_a', 'gen_b' (generators)") != std::string::npos);
  CHECK(why.find("component 'utility' (non-exponential repair laws)") ==
        std::string::npos);  // repairs may be any
  const auto w = testing::load_yaml(R"(
version: 1
components:
  u: {kind: source, failure: {dist: weibull, shape: 2, scale: 100h}, repair: {dist: fixed, value: 1h}}
loads:
  l: {demand: 1, power: [u]}
)");
  CHECK(failure_models::importance_refusal(w.model).find(
            "component 'u' (non-exponential failure laws)") != std::string::npos);
}

TEST_CASE("a target relative error stops the run once the interval is tight enough",
          "[importance]") {
  const auto l = load_bundled("markov/six_pairs_series.yaml");
  experiments::RunOptions o;
  o.replications = 10000000;
  o.seed = 3;
  o.importance_sampling = true;
  o.target_rel_error = 0.08;
  const auto s = experiments::run_design(l.design, l.model, o);
  CHECK(s["replications"].get<std::uint64_t>() < 1000000);
  CHECK(s["facility"]["unavailability"]["relative_half_width"].get<double>() < 0.0801);
  // The plain engine honours it too, on the facility's unavailability.
  const auto p = testing::load_yaml(R"(
version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: exponential, mean: 1h}}
loads:
  l: {demand: 1, power: [u]}
)");
  experiments::RunOptions q;
  q.replications = 10000000;
  q.target_rel_error = 0.02;
  const auto r = experiments::run_design(p.design, p.model, q);
  const auto& d = r["facility"]["downtime_hours"];
  CHECK(r["replications"].get<std::uint64_t>() < 100000);
  CHECK((d["ci95"][1].get<double>() - d["mean"].get<double>()) < 0.0201 * d["mean"].get<double>());
}
