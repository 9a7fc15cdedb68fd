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

TEST_CASE("run and exact agree with a hand-derived closed form: two paths of two units",
          "[exact][crossval]") {
  // Independent units: A = MTTF / (MTTF + MTTR) each; a path is up when both its units are;
  // the hall is down when both paths are. Outage frequency: the sum over units of the
  // Birnbaum importance times the unit's cycle rate 1 / (MTTF + MTTR) (DOMAIN.md).
  auto a = [](double mttf, double mttr) { return mttf / (mttf + mttr); };
  const double fa = a(200, 10), ta = a(500, 20), fb = a(300, 6), tb = a(800, 30);
  const double ua = 1 - fa * ta, ub = 1 - fb * tb, u = ua * ub;
  const double freq = ub * (ta / 210.0 + fa / 520.0) + ua * (tb / 306.0 + fb / 830.0);
  const auto l = testing::load_bundled("markov/two_paths_series.yaml");
  const auto exact = experiments::exact_design(l.design, l.model);
  REQUIRE_FALSE(exact.contains("refusal"));
  CHECK(exact["facility"]["availability"]["mean"].get<double>() == Approx(1 - u).epsilon(1e-12));
  CHECK(exact["facility"]["outages"]["mean"].get<double>() ==
        Approx(freq * l.model.horizon).epsilon(1e-10));
  experiments::RunOptions o;
  o.replications = 4000;
  o.seed = 17;
  const auto sim = experiments::run_design(l.design, l.model, o);
  testing::check_unavailability(sim["facility"], u);
  testing::check_within_ci(sim["facility"]["outages"], freq * l.model.horizon);
}
