// Metamorphic tests over random designs (issue "every figure right where features meet"): on
// each design of tests/support/random_design.cpp, relations that must hold whatever the design
// is, bit for bit where nothing random changes and within the runs' intervals where something
// does. CI runs a few hundred designs; scripts/metamorphic runs thousands
// (RIDETHROUGH_METAMORPHIC_DESIGNS, RIDETHROUGH_METAMORPHIC_REPLICATIONS, ..._FIRST_SEED).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "experiments/driver.hpp"
#include "experiments/uncertainty.hpp"
#include "experiments/variants.hpp"
#include "failure_models/markov.hpp"
#include "tests/support/random_design.hpp"
#include "tests/support/run.hpp"
#include "topology/capabilities.hpp"

using namespace ridethrough;
using nlohmann::json;

namespace {

/// z for agreement between two estimates: the suite checks thousands of figures with fixed
/// seeds, so a true relation must not fail by chance (5 sigma: p < 6e-7 each).
constexpr double kZ = 5.0;

std::uint64_t env(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

/// What the harness checked and found, printed at the end of the run.
struct Tally {
  std::map<std::string, int> checks;
  int designs = 0;
  void count(const std::string& what) { ++checks[what]; }
};

Tally& tally() {
  static Tally t;
  return t;
}

json run(const testing::LoadedDesign& l, std::uint64_t n, std::uint64_t seed,
         unsigned threads = 2) {
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = threads;
  auto s = experiments::run_design(l.design, l.model, o);
  s.erase("performance");
  s.erase("design");
  return s;
}

/// |a - b| within kZ standard errors of their difference (independent estimates).
void agree(const json& a, const json& b, const std::string& what) {
  const double ma = a["mean"].get<double>(), mb = b["mean"].get<double>();
  auto sigma = [](const json& x) {
    return (x["ci95"][1].get<double>() - x["ci95"][0].get<double>()) / 2 / 1.96;
  };
  const double s = std::hypot(sigma(a), sigma(b));
  INFO(what << ": " << ma << " against " << mb << " (sigma " << s << ")");
  CHECK(std::fabs(ma - mb) <= kZ * s + 1e-12 * std::max(1.0, std::fabs(ma)));
}

/// An estimate within kZ of its own standard error of an exact value.
void near_exact(const json& est, double exact, const std::string& what) {
  const double m = est["mean"].get<double>();
  const double s = (est["ci95"][1].get<double>() - est["ci95"][0].get<double>()) / 2 / 1.96;
  INFO(what << ": estimate " << m << " exact " << exact << " sigma " << s);
  CHECK(std::fabs(m - exact) <= kZ * s + 1e-9);
}

/// `run` equals `exact` wherever exact accepts the design.
void exact_equals_run(const testing::LoadedDesign& l, const json& s) {
  if (topology::assess(topology::Analysis::Exact, l.model).refused()) return;
  const auto r = failure_models::solve_exact(l.model, 200'000);
  if (!r.refusal.empty()) return;  // too big for the suite's budget
  near_exact(s["facility"]["availability"], 1 - r.unavailability[0],
             "exact: facility availability");
  near_exact(s["facility"]["outages"], r.frequency[0] * l.model.horizon, "exact: facility outages");
  for (int k = 0; k < l.model.n_loads; ++k)
    near_exact(s["loads"][l.model.load_ids[k]]["availability"], 1 - r.unavailability[k + 1],
               "exact: load " + l.model.load_ids[k]);
  tally().count("exact equals run");
}

/// Failure biasing agrees with exact where both accept the design.
void biasing_equals_exact(const testing::LoadedDesign& l, std::uint64_t n, std::uint64_t seed) {
  if (topology::assess(topology::Analysis::FailureBiasing, l.model).refused() ||
      topology::assess(topology::Analysis::Exact, l.model).refused())
    return;
  const auto r = failure_models::solve_exact(l.model, 200'000);
  if (!r.refusal.empty()) return;
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = 2;
  o.importance_sampling = true;
  const auto s = experiments::run_design(l.design, l.model, o);
  near_exact(s["facility"]["availability"], 1 - r.unavailability[0], "failure biasing");
  tally().count("failure biasing equals exact");
}

/// Where making a component fail for good provably never helps: no transfer switch (a
/// preferred feed that is never there spares the transfers its storms cause: scripts/metamorphic
/// found one whose RAW is below 1), no shared crew or spare (a unit that is never repaired
/// never keeps the only crew from the others: found too), no deferred maintenance.
bool failing_never_helps(const topology::Model& m) {
  const auto f = topology::features_of(m);
  using topology::Feature;
  return !topology::uses(f, Feature::Switches) && !topology::uses(f, Feature::SharedCrews) &&
         !topology::uses(f, Feature::SparePools) &&
         !topology::uses(f, Feature::MaintenanceDeferral);
}

/// One component made perfect never raises the unavailability; made failed never lowers it
/// where that is a theorem (paired, common random numbers).
void perfect_and_failed(const testing::LoadedDesign& l, std::size_t c, std::uint64_t n,
                        std::uint64_t seed) {
  const auto perfect = experiments::perfect_variant(l.design, c);
  const auto failed = experiments::failed_variant(l.design, c);
  const auto mp = topology::compile(perfect), mf = topology::compile(failed);
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = 2;
  const auto j = experiments::run_joint(
      {{&l.design, &l.model, ""}, {&perfect, &mp, ""}, {&failed, &mf, ""}}, {{0, 1}, {0, 2}}, o);
  auto availability_change = [&](int p) {
    const auto& d = j.differences[p];
    for (std::size_t k = 0; k < d.paths.size(); ++k)
      if (d.paths[k] == "facility.availability") return d.diff[k];
    FAIL("no facility.availability difference");
    return sim::Moments{};
  };
  const auto up = availability_change(0), down = availability_change(1);
  INFO("component " << l.design.components[c].id << ": perfect changes availability by "
                    << up.mean() << " ±" << up.ci95_half_width() << ", failed by " << down.mean()
                    << " ±" << down.ci95_half_width());
  CHECK(up.mean() >= -kZ * up.ci95_half_width() / 1.96 - 1e-12);
  tally().count("a perfect component never lowers availability");
  if (!failing_never_helps(l.model)) return;
  CHECK(down.mean() <= kZ * down.ci95_half_width() / 1.96 + 1e-12);
  tally().count("a failed component never raises availability");
}

/// A unit added in parallel never lowers the availability (paired: the others keep their
/// random numbers).
void redundancy_helps(const testing::LoadedDesign& l, const std::string& yaml, std::uint64_t n,
                      std::uint64_t seed) {
  if (yaml.empty()) return;
  const auto more = testing::load_yaml(yaml);
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = 2;
  const auto j = experiments::run_joint(
      {{&l.design, &l.model, ""}, {&more.design, &more.model, ""}}, {{0, 1}}, o);
  const auto& d = j.differences[0];
  for (std::size_t k = 0; k < d.paths.size(); ++k) {
    if (d.paths[k] != "facility.availability") continue;
    INFO("a redundant unit changes availability by " << d.diff[k].mean() << " ±"
                                                     << d.diff[k].ci95_half_width());
    CHECK(d.diff[k].mean() >= -kZ * d.diff[k].ci95_half_width() / 1.96 - 1e-12);
  }
  tally().count("a redundant unit never lowers availability");
}

/// Parameter uncertainty: a plain run takes the stated values, bit for bit as if no error
/// factor were written; with every error factor 1, each parameter draw is the plain run.
void uncertainty_relations(const std::string& yaml, const json& s, std::uint64_t n,
                           std::uint64_t seed) {
  const std::string tag = ", uncertainty: {error_factor: 3}";
  if (yaml.find(tag) == std::string::npos) return;
  std::string stripped = yaml, unit = yaml;
  for (auto p = stripped.find(tag); p != std::string::npos; p = stripped.find(tag))
    stripped.erase(p, tag.size());
  for (auto p = unit.find(tag); p != std::string::npos; p = unit.find(tag, p))
    unit.replace(p, tag.size(), ", uncertainty: {error_factor: 1}");
  CHECK(run(testing::load_yaml(stripped), n, seed).dump() == s.dump());
  tally().count("error factors change nothing in a plain run");
  const auto l = testing::load_yaml(unit);
  experiments::RunOptions o;
  o.replications = n;
  o.seed = seed;
  o.threads = 2;
  experiments::UncertaintyOptions u;
  u.draws = 2;
  const auto b = experiments::propagate_uncertainty({&l.design}, o, u).front();
  const double a = s["facility"]["availability"]["mean"].get<double>();
  for (const char* q : {"p05", "p50", "p95", "mean"})
    CHECK(b["facility"]["availability"][q].get<double>() == a);
  tally().count("error factors of 1 draw the stated values");
}

/// RIDETHROUGH_METAMORPHIC_WRITE=DIR writes each design and its variants there, to replay a
/// failure with the CLI (seed_K.yaml, seed_K_reordered.yaml, ...).
void write_design(std::uint64_t seed, const testing::RandomDesign& rd) {
  const char* dir = std::getenv("RIDETHROUGH_METAMORPHIC_WRITE");
  if (!dir) return;
  const std::string base = std::string(dir) + "/seed_" + std::to_string(seed);
  std::ofstream(base + ".yaml") << rd.yaml;
  std::ofstream(base + "_reordered.yaml") << rd.reordered;
  std::ofstream(base + "_renamed.yaml") << rd.renamed;
  if (!rd.with_redundant_unit.empty())
    std::ofstream(base + "_redundant.yaml") << rd.with_redundant_unit;
}

void one_design(std::uint64_t seed, std::uint64_t n) {
  const auto rd = testing::random_design(seed);
  write_design(seed, rd);
  INFO("random design " << seed << ":\n" << rd.yaml);
  const auto l = testing::load_yaml(rd.yaml);
  ++tally().designs;
  const json s = run(l, n, seed);

  // Threads change nothing, bit for bit.
  CHECK(run(l, n, seed, 1).dump() == s.dump());
  tally().count("threads change nothing");
  // Listing components and loads in another order changes nothing, bit for bit, unless
  // equipment draws compete (they start in file order: the plant's lead/lag sequence).
  const json r = run(testing::load_yaml(rd.reordered), n, seed);
  if (!rd.draws) {
    CHECK(r.dump() == s.dump());
    tally().count("reordering changes nothing");
  }
  // Other names draw other random numbers: the same figures within the intervals.
  const json renamed = run(testing::load_yaml(rd.renamed), n, seed);
  agree(renamed["facility"]["availability"], s["facility"]["availability"], "renamed availability");
  agree(renamed["facility"]["outages"], s["facility"]["outages"], "renamed outages");
  tally().count("renaming changes nothing (in distribution)");
  // `expand` then `run` equals `run`.
  if (rd.uses_count) {
    std::vector<topology::Diagnostic> errors;
    const auto flat = topology::expand_design_text(rd.yaml, {}, errors);
    REQUIRE(flat);
    CHECK(run(testing::load_yaml(*flat), n, seed).dump() == s.dump());
    tally().count("expand then run equals run");
  }
  exact_equals_run(l, s);
  biasing_equals_exact(l, 4 * n, seed);
  perfect_and_failed(l, seed % l.design.components.size(), n, seed);
  redundancy_helps(l, rd.with_redundant_unit, n, seed);
  uncertainty_relations(rd.yaml, s, n, seed);
}

}  // namespace

TEST_CASE("metamorphic: random designs keep every relation that must hold",
          "[metamorphic][trust]") {
  const std::uint64_t designs = env("RIDETHROUGH_METAMORPHIC_DESIGNS", 300);
  const std::uint64_t n = env("RIDETHROUGH_METAMORPHIC_REPLICATIONS", 300);
  const std::uint64_t first = env("RIDETHROUGH_METAMORPHIC_FIRST_SEED", 1);
  for (std::uint64_t seed = first; seed < first + designs; ++seed) one_design(seed, n);
  std::string summary;
  for (const auto& [what, k] : tally().checks)
    summary += "  " + what + ": " + std::to_string(k) + "\n";
  WARN("metamorphic: " << tally().designs << " random designs\n" << summary);
  CHECK(tally().designs == static_cast<int>(designs));
}

TEST_CASE("metamorphic: the generator covers every feature of the format", "[metamorphic]") {
  // Each feature appears in some of the first 150 designs, and both profiles are drawn.
  std::vector<int> seen(topology::kFeatureCount, 0);
  int markov = 0, components_min = 100, components_max = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const auto rd = testing::random_design(seed);
    const auto l = testing::load_yaml(rd.yaml);
    for (const auto& u : topology::features_of(l.model)) seen[static_cast<int>(u.feature)] = 1;
    markov += rd.markovian;
    components_min = std::min(components_min, l.model.n);
    components_max = std::max(components_max, l.model.n);
  }
  for (int f = 0; f < topology::kFeatureCount; ++f) {
    const auto feature = static_cast<topology::Feature>(f);
    INFO(topology::feature_name(feature));
    // Cluster workloads and economics need SimGrid or options: covered by their own tests.
    if (feature == topology::Feature::ClusterWorkload || feature == topology::Feature::Economics)
      continue;
    CHECK(seen[f]);
  }
  CHECK(markov > 30);
  CHECK(components_min >= 3);
  CHECK(components_max <= 15);
}
