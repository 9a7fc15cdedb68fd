// Every bundled Markovian design: the simulation agrees with the exact solver within its own
// confidence interval (4 standard errors, fixed seed).
#include <catch2/catch.hpp>

#include "experiments/analysis.hpp"
#include "experiments/driver.hpp"
#include "tests/support/run.hpp"
#include "topology/loader.hpp"

using namespace ridethrough;

TEST_CASE("run agrees with exact on the bundled Markovian designs", "[exact][crossval]") {
  for (const char* name : {"n1_modules_one_crew.yaml", "twin_paths_common_cause.yaml"}) {
    INFO(name);
    const auto l = testing::load_bundled(std::string("markov/") + name);
    const auto& model = l.model;
    const auto exact = experiments::exact_design(l.design, model);
    REQUIRE_FALSE(exact.contains("refusal"));
    experiments::RunOptions o;
    o.replications = 4000;
    o.seed = 101;
    const auto sim = experiments::run_design(l.design, model, o);
    testing::check_within_ci(sim["facility"]["availability"],
                             exact["facility"]["availability"]["mean"].get<double>());
    testing::check_within_ci(sim["facility"]["outages"],
                             exact["facility"]["outages"]["mean"].get<double>());
    for (const auto& [load, block] : exact["loads"].items()) {
      INFO(load);
      testing::check_within_ci(sim["loads"][load]["availability"],
                               block["availability"]["mean"].get<double>());
      testing::check_within_ci(sim["loads"][load]["outages"],
                               block["outages"]["mean"].get<double>());
    }
  }
}
