#pragma once
// Test helpers: run a design given as YAML text, and compare an estimate with an exact value
// within a tolerance derived from its own 95% confidence interval.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "experiments/workflow.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace ridethrough::testing {

/// A design and its compiled model, loaded for a test as the CLI loads it
/// (experiments::load_and_compile_*): the test FAILs on any error.
using LoadedDesign = experiments::LoadedDesign;

/// A JSON figure as a double.
inline double num(const nlohmann::json& v) {
  return v.get<double>();
}

inline LoadedDesign loaded_or_fail(experiments::Loading r) {
  if (!r.loaded) {
    std::string all;
    for (const auto& e : r.errors) all += e + "\n";
    FAIL("design did not load:\n" << all);
  }
  return std::move(*r.loaded);
}

/// A bundled design, by its path under experiments/designs/.
inline LoadedDesign load_bundled(const std::string& name) {
  return loaded_or_fail(experiments::load_and_compile_file(std::string(RIDETHROUGH_SOURCE_DIR) +
                                                           "/experiments/designs/" + name));
}

inline LoadedDesign load_yaml(const std::string& yaml) {
  return loaded_or_fail(experiments::load_and_compile_text(yaml, "test.yaml"));
}

inline nlohmann::json run_yaml(const std::string& yaml, std::uint64_t replications,
                               std::uint64_t seed = 1, unsigned threads = 2) {
  const auto l = load_yaml(yaml);
  experiments::RunOptions o;
  o.replications = replications;
  o.seed = seed;
  o.threads = threads;
  return experiments::run_design(l.design, l.model, o);
}

/// A {mean, ci95} block agrees with `exact` if it lies within `z` standard errors (the 95%
/// half-width is 1.96 of them). z = 4 keeps a fixed-seed test from failing by chance
/// (p < 1e-4) while still catching any bias larger than a few standard errors.
inline void check_within_ci(const nlohmann::json& block, double exact, double z = 4.0) {
  const double mean = block["mean"].get<double>();
  const double half = (block["ci95"][1].get<double>() - block["ci95"][0].get<double>()) / 2.0;
  const double sigma = half / 1.96;
  INFO("estimate " << mean << " exact " << exact << " sigma " << sigma << " ("
                   << (sigma > 0 ? std::fabs(mean - exact) / sigma : 0.0) << " sigmas)");
  CHECK(sigma > 0.0);
  CHECK(std::fabs(mean - exact) <= z * sigma);
}

/// Agreement within `z` standard errors, where the standard error comes from a closed form for
/// the variance rather than from the run's own interval: an interval that is too wide cannot
/// loosen this check. Also checks the run's reported 95% half-width against 1.96 sigma, within
/// `width_tolerance` (relative), so the interval arithmetic itself is under test.
inline void check_within_sigma(const nlohmann::json& block, double exact, double sigma,
                               double width_tolerance = 0.05, double z = 4.0) {
  const double mean = block["mean"].get<double>();
  const double half = (block["ci95"][1].get<double>() - block["ci95"][0].get<double>()) / 2.0;
  INFO("estimate " << mean << " exact " << exact << " sigma " << sigma << " reported half-width "
                   << half << " expected " << 1.96 * sigma);
  CHECK(std::fabs(mean - exact) <= z * sigma);
  CHECK(std::fabs(half - 1.96 * sigma) <= width_tolerance * 1.96 * sigma);
}

/// Unavailability (1 - availability) block check, which reads better for reliable systems.
inline void check_unavailability(const nlohmann::json& figures, double exact_unavailability,
                                 double z = 4.0) {
  check_within_ci(figures["availability"], 1.0 - exact_unavailability, z);
}

}  // namespace ridethrough::testing
