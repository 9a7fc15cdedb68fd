// The exact solver against closed forms, to 1e-9 relative.
#include <catch2/catch.hpp>

#include <cmath>

#include "failure_models/markov.hpp"
#include "tests/support/ctmc.hpp"
#include "tests/support/run.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

using namespace ridethrough;

namespace {
failure_models::ExactResult solve(const std::string& yaml) {
  auto r = topology::load_design_text(yaml, "t.yaml");
  REQUIRE(r.design);
  return failure_models::solve_exact(topology::compile(*r.design));
}
const double kLam = 1.0 / 200.0, kMu = 1.0 / 8.0, kA1 = kMu / (kLam + kMu);
std::string unit(const std::string& id, const std::string& extra = "") {
  return "  " + id + ": {kind: " + (extra.empty() ? "source" : extra) +
         ", failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}\n";
}
/// Solves `m` lumped and unlumped: both must succeed, the lumped chain with `classes` classes,
/// and agree to 1e-9 on every target. Returns the lumped result.
failure_models::ExactResult lumped_equals_full(const topology::Model& m, int classes) {
  const auto lumped = failure_models::solve_exact(m);
  const auto full = failure_models::solve_exact(m, 10'000'000, false);
  INFO(lumped.refusal << full.refusal);
  REQUIRE(lumped.refusal.empty());
  REQUIRE(full.refusal.empty());
  CHECK(lumped.classes == classes);
  for (std::size_t t = 0; t < full.unavailability.size(); ++t) {
    CHECK(lumped.unavailability[t] == Approx(full.unavailability[t]).epsilon(1e-9));
    CHECK(lumped.frequency[t] == Approx(full.frequency[t]).epsilon(1e-9));
  }
  return lumped;
}
}  // namespace

TEST_CASE("exact: series chain", "[exact][markov]") {
  const auto r = solve("version: 1\ncomponents:\n" + unit("a") +
                       "  b: {kind: node, inputs: [a], failure: {dist: exponential, mean: 1000h}, "
                       "repair: {dist: exponential, mean: 20h}}\n"
                       "  c: {kind: node, inputs: [b], failure: {dist: exponential, mean: 5000h}, "
                       "repair: {dist: exponential, mean: 50h}}\n"
                       "loads:\n  l: {demand: 1, power: [c]}\n");
  REQUIRE(r.refusal.empty());
  const double ab = 1000.0 / 1020.0, ac = 5000.0 / 5050.0;
  CHECK(1.0 - r.unavailability[0] == Approx(kA1 * ab * ac).epsilon(1e-9));
  // Birnbaum of each part is the others' availability: f = A * sum(lambda_i).
  CHECK(r.frequency[0] ==
        Approx(kA1 * ab * ac * (kLam + 1.0 / 1000.0 + 1.0 / 5000.0)).epsilon(1e-9));
  CHECK(r.unavailability[1] == Approx(r.unavailability[0]).epsilon(1e-12));
}

TEST_CASE("exact: 1-out-of-2 with one crew and with two", "[exact][markov]") {
  const std::string pair =
      "components:\n" + unit("a") + unit("b") + "loads:\n  l: {demand: 1, power: [a, b]}\n";
  const auto one = solve("version: 1\ncrews: 1\n" + pair);
  REQUIRE(one.refusal.empty());
  const double p0 = 1.0 / (1.0 + 2.0 * kLam / kMu + 2.0 * kLam * kLam / (kMu * kMu));
  const double p1 = 2.0 * kLam / kMu * p0, p2 = kLam / kMu * p1;
  CHECK(one.unavailability[0] == Approx(p2).epsilon(1e-9));
  CHECK(one.frequency[0] == Approx(p1 * kLam).epsilon(1e-9));
  const auto two = solve("version: 1\ncrews: 2\n" + pair);
  REQUIRE(two.refusal.empty());
  const double u = kLam / (kLam + kMu);
  CHECK(two.unavailability[0] == Approx(u * u).epsilon(1e-9));
  CHECK(two.frequency[0] == Approx(2.0 * u * kLam * kA1).epsilon(1e-9));
  const auto unlimited = solve("version: 1\n" + pair);
  CHECK(unlimited.unavailability[0] == Approx(u * u).epsilon(1e-9));
  CHECK(unlimited.method.find("product form") != std::string::npos);
}

TEST_CASE("exact: k-out-of-n through capacities", "[exact][markov]") {
  auto modules = [&](int n, const std::string& cap) {
    std::string y = "version: 1\ncomponents:\n  grid: {kind: source}\n";
    std::string list;
    for (int i = 0; i < n; ++i) {
      std::string id = "m";
      id += std::to_string(i);
      y += "  " + id + ": {kind: node, inputs: [grid], capacity: " + cap +
           ", failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}\n";
      if (i > 0) list += ", ";
      list += id;
    }
    return y + "loads:\n  hall: {demand: 1MW, power: [" + list + "]}\n";
  };
  const double a = kA1, u = 1.0 - kA1;
  const auto r23 = solve(modules(3, "500kW"));
  REQUIRE(r23.refusal.empty());
  CHECK(1.0 - r23.unavailability[0] == Approx(a * a * a + 3 * a * a * u).epsilon(1e-9));
  CHECK(r23.frequency[0] == Approx(3 * 2 * a * u * kLam * a).epsilon(1e-9));
  const auto r45 = solve(modules(5, "250kW"));
  REQUIRE(r45.refusal.empty());
  CHECK(1.0 - r45.unavailability[0] ==
        Approx(std::pow(a, 5) + 5 * std::pow(a, 4) * u).epsilon(1e-9));
  // Birnbaum of one module: exactly three of the other four up.
  CHECK(r45.frequency[0] == Approx(5 * 4 * std::pow(a, 3) * u * kLam * a).epsilon(1e-9));
}

TEST_CASE("exact: beta-factor common-cause pair matches its 4-state chain", "[exact][markov]") {
  const double beta = 0.1, own = kLam * (1 - beta), shock = beta * kLam;
  std::vector<std::vector<double>> q = {
      {0, own, own, shock}, {kMu, 0, 0, own + shock}, {kMu, 0, 0, own + shock}, {0, kMu, kMu, 0}};
  for (std::size_t i = 0; i < q.size(); ++i) {
    double s = 0;
    for (double v : q[i]) s += v;
    q[i][i] = -s;
  }
  const auto pi = ridethrough::testing::stationary(q);
  const auto r = solve(
      "version: 1\ncomponents:\n" + unit("a") + unit("b") +
      "common_cause:\n  - {group: [a, b], beta: 0.1}\nloads:\n  l: {demand: 1, power: [a, b]}\n");
  REQUIRE(r.refusal.empty());
  // a and b are exchangeable: the lumped chain counts them (0, 1 or 2 down), the 4-state
  // chain's two middle states become one.
  CHECK(r.states == 3.0);
  CHECK(r.classes == 1);
  CHECK(r.unavailability[0] == Approx(pi[3]).epsilon(1e-9));
  CHECK(r.frequency[0] == Approx(pi[0] * shock + (pi[1] + pi[2]) * (own + shock)).epsilon(1e-9));
}

TEST_CASE("exact: cooling and power, critical and flexible loads", "[exact][markov]") {
  // A chiller powered by the grid; the hall needs both. Availability is the product.
  const auto r = solve("version: 1\ncomponents:\n" + unit("grid") +
                       "  ch: {kind: cooling_source, powered_by: [grid], failure: {dist: "
                       "exponential, mean: 1000h}, repair: {dist: exponential, mean: 24h}}\n"
                       "loads:\n  hall: {demand: 1MW, power: [grid], cooling: [ch]}\n  rigs: "
                       "{demand: 1MW, power: [grid], priority: flexible}\n");
  REQUIRE(r.refusal.empty());
  const double ach = 1000.0 / 1024.0;
  CHECK(1.0 - r.unavailability[1] == Approx(kA1 * ach).epsilon(1e-9));
  CHECK(1.0 - r.unavailability[2] == Approx(kA1).epsilon(1e-9));
  CHECK(r.unavailability[0] == Approx(r.unavailability[1]).epsilon(1e-12));
}

TEST_CASE("exact refuses what is not Markovian, saying why", "[exact][markov]") {
  const auto r = solve(R"(version: 1
components:
  u: {kind: source, failure: {dist: weibull, shape: 2, scale: 100h}, repair: {dist: fixed, value: 1h}}
  g: {kind: generator, start: {delay: 10s}}
  s: {kind: switch, inputs: [u, g]}
  b: {kind: ups, inputs: [s], autonomy: 5min, recharge: 1h, maintenance: {interval: 1y, duration: 4h}}
loads:
  l: {demand: 1, power: [b], thermal_ride_through: 2min}
)");
  INFO(r.refusal);
  CHECK(r.refusal.find("component 'u' (non-exponential failure laws): is not Markovian") !=
        std::string::npos);
  CHECK(r.refusal.find("component 'u' (non-exponential repair laws)") != std::string::npos);
  CHECK(r.refusal.find("component 'g' (generators): start delays and start failures") !=
        std::string::npos);
  CHECK(r.refusal.find("component 's' (transfer switches)") != std::string::npos);
  CHECK(r.refusal.find("component 'b' (UPS batteries)") != std::string::npos);
  CHECK(r.refusal.find("component 'b' (maintenance)") != std::string::npos);
  CHECK(r.refusal.find("load 'l' (thermal ride-through)") != std::string::npos);
}

TEST_CASE("exact: a shared crew over many components is refused when the chain is too big",
          "[exact][markov]") {
  std::string y = "version: 1\ncrews: 1\ncomponents:\n";
  std::string list;
  for (int i = 0; i < 12; ++i) {
    std::string id = "u";
    id += std::to_string(i);
    y += unit(id);
    if (i > 0) list += ", ";
    list += id;
  }
  y += "loads:\n  l: {demand: 1, power: [" + list + "]}\n";
  auto r = topology::load_design_text(y, "t.yaml");
  REQUIRE(r.design);
  // Unlumped, 12 units under one crew: every ordered sequence of distinct failed units is a
  // state (sum over j of 12!/(12-j)!, 1.3e9); refused, with that count.
  const auto model = topology::compile(*r.design);
  const auto res = failure_models::solve_exact(model, 1000, false);
  double expected = 1.0, perm = 1.0;  // the empty state, then one per ordered failure sequence
  for (int j = 1; j <= 12; ++j) expected += (perm *= 13 - j);
  CHECK(res.refusal.find("the chain would have 1.3e+09 states") != std::string::npos);
  CHECK(res.states == Approx(expected).epsilon(1e-12));
  INFO(res.refusal);
  CHECK(res.refusal.find("12 failing components in 12 classes") != std::string::npos);
  // Lumped, they are one class of 12: 13 states.
  const auto lumped = failure_models::solve_exact(model, 1000);
  CHECK(lumped.refusal.empty());
  CHECK(lumped.states == 13.0);
}

TEST_CASE("exact: 200 feeds, 100 dual-corded racks, by independent groups", "[exact][markov]") {
  // Racks share no feed, so the facility's availability is the product over racks.
  auto r = topology::load_design_file(std::string(RIDETHROUGH_SOURCE_DIR) +
                                      "/experiments/designs/bench/feeds200.yaml");
  REQUIRE(r.design);
  const auto res = failure_models::solve_exact(topology::compile(*r.design));
  REQUIRE(res.refusal.empty());
  const double l = 1.0 / 1000.0, m = 1.0 / 8.0, u = l / (l + m);
  const double rack_u = u * u, rack_f = 2.0 * u * l * (1.0 - u);  // Birnbaum x cycle rate, twice
  CHECK(res.unavailability[1] == Approx(rack_u).epsilon(1e-9));
  CHECK(res.frequency[1] == Approx(rack_f).epsilon(1e-9));
  CHECK(1.0 - res.unavailability[0] == Approx(std::pow(1.0 - rack_u, 100)).epsilon(1e-9));
  CHECK(res.frequency[0] == Approx(100.0 * rack_f * std::pow(1.0 - rack_u, 99)).epsilon(1e-9));
}

namespace {
/// Three classes of identical units (sources, transformers, feeders), with or without a single
/// bus bar between sources and transformers, and a common-cause group over the transformers.
std::string three_classes(int sources, int transformers, int feeders, int crews, bool bus) {
  std::string y = "version: 1\ncrews: " + std::to_string(crews) + "\ncomponents:\n";
  std::string s_list, t_list, f_list;
  for (int i = 1; i <= sources; ++i) {
    y += "  s" + std::to_string(i) +
         ": {kind: source, failure: {dist: exponential, mean: 300h}, repair: {dist: "
         "exponential, mean: 6h}}\n";
    s_list += (i > 1 ? ", s" : "s") + std::to_string(i);
  }
  if (bus)
    y += "  bus: {kind: node, inputs: [" + s_list +
         "], failure: {dist: exponential, mean: 5000h}, repair: {dist: exponential, mean: 12h}}\n";
  for (int i = 1; i <= transformers; ++i) {
    y += "  t" + std::to_string(i) + ": {kind: node, inputs: [" +
         (bus ? std::string("bus") : s_list) +
         "], failure: {dist: exponential, mean: 800h}, repair: "
         "{dist: exponential, mean: 20h}}\n";
    t_list += (i > 1 ? ", t" : "t") + std::to_string(i);
  }
  for (int i = 1; i <= feeders; ++i) {
    y += "  f" + std::to_string(i) + ": {kind: node, inputs: [" + t_list +
         "], failure: {dist: exponential, mean: 1500h}, repair: {dist: exponential, mean: 4h}}\n";
    f_list += (i > 1 ? ", f" : "f") + std::to_string(i);
  }
  y += "common_cause:\n  - {group: [" + t_list + "], beta: 0.05}\n";
  y += "loads:\n  l: {demand: 1, power: [" + f_list + "]}\n  m: {demand: 1, power: [" + t_list +
       "]}\n";
  return y;
}
topology::Model model_of(const std::string& yaml) {
  auto r = topology::load_design_text(yaml, "t.yaml");
  REQUIRE(r.design);
  return topology::compile(*r.design);
}
}  // namespace

TEST_CASE("exact: the lumped crew chain equals the unlumped one", "[exact][markov]") {
  // 2 sources, a bus, 2 transformers, 2 feeders, 2 crews: 6,854 states unlumped, 1,058 lumped.
  const auto m = model_of(three_classes(2, 2, 2, 2, true));
  const auto lumped = failure_models::solve_exact(m);
  const auto full = failure_models::solve_exact(m, 10'000'000, false);
  REQUIRE(lumped.refusal.empty());
  REQUIRE(full.refusal.empty());
  CHECK(lumped.classes == 4);
  CHECK(full.classes == 7);
  CHECK(lumped.states < full.states / 5);
  for (std::size_t t = 0; t < full.unavailability.size(); ++t) {
    CHECK(lumped.unavailability[t] == Approx(full.unavailability[t]).epsilon(1e-9));
    CHECK(lumped.frequency[t] == Approx(full.frequency[t]).epsilon(1e-9));
  }
  // The iterative solver (forced) agrees with the factorisation.
  const auto iterative = failure_models::solve_exact(m, 10'000'000, false, 10);
  REQUIRE(iterative.refusal.empty());
  CHECK(iterative.method.find("BiCGSTAB") != std::string::npos);
  for (std::size_t t = 0; t < full.unavailability.size(); ++t) {
    CHECK(iterative.unavailability[t] == Approx(full.unavailability[t]).epsilon(1e-9));
    CHECK(iterative.frequency[t] == Approx(full.frequency[t]).epsilon(1e-9));
  }
}

TEST_CASE("exact: 11 units sharing 2 crews, the machine-repairman closed form", "[exact][markov]") {
  // One load on 11 identical sources in parallel, 2 crews: a birth-death chain on the number
  // down, pi_j proportional to prod_{i<j} (11-i) lambda / (min(i+1, 2) mu).
  std::string y = "version: 1\ncrews: 2\ncomponents:\n", list;
  for (int i = 0; i < 11; ++i) {
    std::string id = "u";  // not "u" + to_string: GCC 12 warns falsely (-Wrestrict)
    id += std::to_string(i);
    y += unit(id);
    list += (i ? ", " : "") + id;
  }
  y += "loads:\n  l: {demand: 1, power: [" + list + "]}\n";
  const auto r = failure_models::solve_exact(model_of(y));
  REQUIRE(r.refusal.empty());
  CHECK(r.states == 12.0);
  std::vector<double> w{1.0};
  for (int i = 0; i < 11; ++i) w.push_back(w.back() * (11 - i) * kLam / (std::min(i + 1, 2) * kMu));
  double total = 0;
  for (double v : w) total += v;
  CHECK(r.unavailability[0] == Approx(w[11] / total).epsilon(1e-9));
  // Outage frequency: entering "all down" from 10 down.
  CHECK(r.frequency[0] == Approx(w[10] / total * kLam).epsilon(1e-9));
}

TEST_CASE("exact: 11 components, 2 crews, 3 groups of identical units solve lumped",
          "[exact][markov]") {
  // 5 sources, 3 transformers, 3 feeders: 5.4e7 states unlumped (refused, with the count),
  // 19,298 lumped, solved iteratively.
  const auto m = model_of(three_classes(5, 3, 3, 2, false));
  const auto full = failure_models::solve_exact(m, 10'000'000, false);
  INFO(full.refusal);
  CHECK(full.refusal.find("the chain would have") != std::string::npos);
  CHECK(full.states > 1e7);
  const auto r = failure_models::solve_exact(m);
  REQUIRE(r.refusal.empty());
  CHECK(r.classes == 3);
  CHECK(r.states == 19298.0);
  CHECK(r.method.find("BiCGSTAB") != std::string::npos);
  CHECK(r.residual < 1e-12);
  // Load l also needs a feeder: it is down whenever m is, and more.
  CHECK(r.unavailability[2] > 0);
  CHECK(r.unavailability[1] > r.unavailability[2]);
}

TEST_CASE("exact: lumping keeps apart units that differ only in consumers or common cause",
          "[exact][markov]") {
  // s1..s7 have the same laws and no inputs. s1..s4 and s7 feed load a, s5 and s6 load b; two
  // common-cause groups with the same beta hold s1, s2 and s3, s4. Exchangeable: {s1, s2},
  // {s3, s4}, {s5, s6}, {s7}.
  std::string y = "version: 1\ncrews: 2\ncomponents:\n";
  for (const char* id : {"s1", "s2", "s3", "s4", "s5", "s6", "s7"}) y += unit(id);
  y += "common_cause:\n  - {group: [s1, s2], beta: 0.2}\n  - {group: [s3, s4], beta: 0.2}\n"
       "loads:\n  a: {demand: 1, power: [s1, s2, s3, s4, s7]}\n  b: {demand: 1, power: [s5, s6]}\n";
  lumped_equals_full(model_of(y), 4);
}

TEST_CASE("exact: a feed with grid events is an M/G/infinity queue, whatever the duration law",
          "[exact][markov][grid][trust]") {
  // Finding 1: exact ignored grid events ("1.000000000000, never down"). Events at 0.01/h
  // lasting 10 h on average keep the feed up a share exp(-0.1) = 0.904837 of the time, and it
  // goes down at 0.01 exp(-0.1) per hour: the busy period of an M/G/infinity queue, the same
  // for any duration law with that mean.
  for (const char* law : {"{dist: exponential, mean: 10h}", "{dist: fixed, value: 10h}",
                          "{dist: lognormal, median: 5h, sigma: 1.1774100225154747}"}) {
    INFO(law);
    const auto r = solve(std::string(R"(version: 1
components:
  utility: {kind: source, events: [{rate: 0.01/h, duration: )") +
                         law + R"(}]}
loads:
  hall: {demand: 1MW, power: [utility]}
)");
    REQUIRE(r.refusal.empty());
    CHECK(1.0 - r.unavailability[0] == Approx(std::exp(-0.1)).epsilon(1e-9));
    CHECK(r.frequency[0] == Approx(0.01 * std::exp(-0.1)).epsilon(1e-9));
  }
}

TEST_CASE("exact: grid events beside a crew chain are conditioned on, exactly",
          "[exact][markov][grid][trust]") {
  // A feed with events (two classes: 4/y of 6 h, 1/y of 48 h) in series with a pair of
  // transformers sharing one crew: the pair is a birth-death chain (2 lam, lam; mu, mu), down
  // with probability p2 = 2 rho^2 / (1 + 2 rho + 2 rho^2), rho = lam / mu, independent of the
  // feed, which is up a share exp(-(4 x 6 + 1 x 48) / 8760).
  const auto r = solve(R"(version: 1
crews: 1
components:
  utility: {kind: source, events: [{rate: 4/y, duration: {dist: exponential, mean: 6h}},
                                   {rate: 1/y, duration: {dist: fixed, value: 48h}}]}
  tx1: {kind: node, inputs: [utility], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}
  tx2: {kind: node, inputs: [utility], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 8h}}
loads:
  hall: {demand: 1MW, power: [tx1, tx2]}
)");
  REQUIRE(r.refusal.empty());
  const double rho = kLam / kMu, p2 = 2 * rho * rho / (1 + 2 * rho + 2 * rho * rho);
  const double grid_up = std::exp(-(4.0 * 6 + 48.0) / 8760);
  CHECK(1.0 - r.unavailability[0] == Approx(grid_up * (1 - p2)).epsilon(1e-12));
  // Going down: the pair fails (from one down, at lam) while the feed is up, or the feed goes
  // down (at 5/y) while the pair is up.
  const double p1 = 2 * rho / (1 + 2 * rho + 2 * rho * rho);
  const double f = grid_up * p1 * kLam + (1 - p2) * (5.0 / 8760) * grid_up;
  CHECK(r.frequency[0] == Approx(f).epsilon(1e-12));
}

TEST_CASE("exact refuses curtailment calls and seasonal events, saying why",
          "[exact][markov][grid][trust]") {
  const auto r = solve(R"(version: 1
components:
  utility: {kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}, season: {peak: 7m, amplitude: 50%}}]}
loads:
  miners: {demand: 1MW, power: [utility], priority: flexible}
grid:
  curtailment: {rate: 10/y, duration: {dist: fixed, value: 2h}, limit: 0, sources: [utility]}
)");
  INFO(r.refusal);
  CHECK(r.refusal.find("grid curtailment (curtailment calls): curtailment calls shed flexible "
                       "loads") != std::string::npos);
  CHECK(r.refusal.find("component 'utility' (seasonal grid events): seasonal grid events have "
                       "no steady state") != std::string::npos);
}

namespace {
/// k-of-n groups by capacity: `feeds` sources of 500 kW into a bus, `modules` modules of
/// 340 kW, `units` units of 500 kW, for a 1 MW load (2 of the feeds, 3 of the modules, 2 of the
/// units); every part with its own laws per group, `crews` first-come crews, and a chiller
/// pair with draws on the units' bus when `draws`.
std::string capacity_groups(int feeds, int modules, int units, int crews, bool draws,
                            const char* module_kw = "340kW") {
  std::string y = "version: 1\ncrews: " + std::to_string(crews) + "\ncomponents:\n";
  auto group = [&](const char* prefix, int n, const std::string& kind_and_inputs,
                   const char* capacity, const char* mttf, const char* mttr) {
    std::string ids;
    for (int i = 1; i <= n; ++i) {
      std::string id = prefix;
      id += std::to_string(i);
      y += "  " + id + ": {" + kind_and_inputs + ", capacity: " + capacity +
           ", failure: {dist: exponential, mean: " + mttf +
           "}, repair: {dist: exponential, mean: " + mttr + "}}\n";
      ids += (i > 1 ? ", " : "") + id;
    }
    return ids;
  };
  const std::string f = group("f", feeds, "kind: source", "500kW", "300h", "10h");
  y += "  bus: {kind: node, inputs: [" + f + "]}\n";
  const std::string m = group("m", modules, "kind: node, inputs: [bus]", module_kw, "500h", "20h");
  y += "  mbus: {kind: node, inputs: [" + m + "]}\n";
  const std::string u = group("u", units, "kind: node, inputs: [mbus]", "500kW", "800h", "30h");
  std::string cooling;
  if (draws) {
    y += "  ubus: {kind: node, inputs: [" + u + "]}\n";
    y += "  ch1: {kind: cooling_source, powered_by: [ubus], power_draw: 100kW, capacity: 600kW, "
         "failure: {dist: exponential, mean: 700h}, repair: {dist: exponential, mean: 15h}}\n"
         "  ch2: {kind: cooling_source, powered_by: [ubus], power_draw: 100kW, capacity: 600kW, "
         "failure: {dist: exponential, mean: 700h}, repair: {dist: exponential, mean: 15h}}\n";
    cooling = ", cooling: [ch1, ch2]";
  }
  y += "loads:\n  hall: {demand: " + std::string(draws ? "800kW" : "1MW") + ", power: [" + u + "]" +
       cooling + "}\n";
  return y;
}
}  // namespace

TEST_CASE("exact: units with the same binding capacity lump, and equal the unlumped chain",
          "[exact][markov][trust]") {
  // Finding 9: exact refused to lump whenever a capacity could bind. Swapping two identical
  // units of the same capacity is still a symmetry of the flow. 3 feeds, 3 modules of 500 kW,
  // 2 units, 1 crew; and 2 feeds, 2 modules, 2 units and two chillers whose draws compete on
  // the units' bus, 2 crews; each against the unlumped chain.
  for (bool draws : {false, true}) {
    INFO("draws " << draws);
    const auto m = model_of(draws ? capacity_groups(2, 2, 2, 2, true, "500kW")
                                  : capacity_groups(3, 3, 2, 1, false, "500kW"));
    REQUIRE_FALSE(m.power.capacity_free);
    const auto lumped = lumped_equals_full(m, draws ? 4 : 3);
    CHECK(lumped.states < failure_models::solve_exact(m, 10'000'000, false).states / 10);
  }
}

TEST_CASE("exact: 2-of-4 feeds, 3-of-4 modules, 2-of-3 units on 2 crews solve lumped, as a run",
          "[exact][markov][trust]") {
  // The issue's design: 11 components, 5.4e7 states unlumped; lumped by capacity it is a few
  // thousand, and a plain run agrees within its interval.
  const std::string y = capacity_groups(4, 4, 3, 2, false);
  const auto m = model_of(y);
  const auto full = failure_models::solve_exact(m, 10'000'000, false);
  CHECK(full.refusal.find("5.43e+07 states") != std::string::npos);
  const auto r = failure_models::solve_exact(m);
  INFO(r.refusal);
  REQUIRE(r.refusal.empty());
  CHECK(r.classes == 3);
  CHECK(r.states < 1e5);
  const auto s = ridethrough::testing::run_yaml("warmup: 2000h\n" + y, 3000, 21);
  ridethrough::testing::check_within_ci(s["facility"]["availability"], 1 - r.unavailability[0]);
  ridethrough::testing::check_within_ci(s["facility"]["outages"], r.frequency[0] * 8760);
}

TEST_CASE("exact: units that differ only in their binding capacity are not lumped",
          "[exact][markov][trust]") {
  // Three feeds with the same laws, one twice as big: for a 1 MW hall, the big one and either
  // small one suffice, but the two small ones do not. Swapping the big one with a small one is
  // not a symmetry, so they stay apart (2 classes), and lumped equals unlumped.
  std::string y = "version: 1\ncrews: 1\ncomponents:\n";
  for (const char* id : {"f1", "f2"})
    y += "  " + std::string(id) +
         ": {kind: source, capacity: 500kW, failure: {dist: exponential, mean: 200h}, repair: "
         "{dist: exponential, mean: 8h}}\n";
  y += "  f3: {kind: source, capacity: 1000kW, failure: {dist: exponential, mean: 200h}, repair: "
       "{dist: exponential, mean: 8h}}\n  bus: {kind: node, inputs: [f1, f2, f3]}\n"
       "loads:\n  hall: {demand: 1MW, power: [bus]}\n";
  lumped_equals_full(model_of(y), 2);
}
