#include "tests/support/random_design.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <vector>

namespace ridethrough::testing {

namespace {

class Draw {
 public:
  explicit Draw(std::uint64_t seed) : g_(seed * 0x9e3779b97f4a7c15ULL + 12345) {}
  double uniform() { return static_cast<double>(g_() >> 11) * 0x1.0p-53; }
  double between(double a, double b) { return a + (b - a) * uniform(); }
  int integer(int a, int b) { return a + static_cast<int>(uniform() * (b - a + 1)); }
  bool chance(double p) { return uniform() < p; }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[g_() % i]);
  }

 private:
  std::mt19937_64 g_;
};

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

struct Comp {
  std::string id, kind, fields;  ///< fields: more `key: value` pairs, flow style
  std::vector<std::string> inputs, powered_by;
  int count = 0;
};

struct Ld {
  std::string id, fields;
  std::vector<std::string> power, cooling;
};

/// A design under construction, and how to write it.
struct Builder {
  std::vector<Comp> comps;
  std::vector<Ld> loads;
  std::string head, tail;  ///< top-level keys before components, blocks after loads
  std::vector<std::vector<std::string>> cc;
  std::vector<std::string> curtail_sources, curtail_generators;
  std::string curtailment;

  std::string write(const std::vector<std::size_t>& comp_order,
                    const std::vector<std::size_t>& load_order,
                    const std::function<std::string(const std::string&)>& id) const {
    auto list = [&](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + id(x);
      return "[" + s + "]";
    };
    std::string y = "version: 1\n" + head + "components:\n";
    for (std::size_t k : comp_order) {
      const auto& c = comps[k];
      y += "  " + id(c.id) + ": {kind: " + c.kind;
      if (!c.inputs.empty()) y += ", inputs: " + list(c.inputs);
      if (!c.powered_by.empty()) y += ", powered_by: " + list(c.powered_by);
      if (c.count > 0) y += ", count: " + std::to_string(c.count);
      if (!c.fields.empty()) y += ", " + c.fields;
      y += "}\n";
    }
    if (!cc.empty()) {
      y += "common_cause:\n";
      for (const auto& g : cc) y += "  - {group: " + list(g) + ", beta: 0.1}\n";
    }
    y += "loads:\n";
    for (std::size_t k : load_order) {
      const auto& l = loads[k];
      y += "  " + id(l.id) + ": {power: " + list(l.power);
      if (!l.cooling.empty()) y += ", cooling: " + list(l.cooling);
      y += ", " + l.fields + "}\n";
    }
    if (!curtailment.empty())
      y += "grid:\n  curtailment: {" + curtailment + ", sources: " + list(curtail_sources) +
           (curtail_generators.empty() ? "" : ", generators: " + list(curtail_generators)) + "}\n";
    return y + tail;
  }
};

/// A failure and repair law pair; exponential in the Markovian profile.
std::string laws(Draw& d, bool markov, double mttf_lo, double mttf_hi) {
  const double mttf = d.between(mttf_lo, mttf_hi), mttr = d.between(2, 40);
  std::string f = "failure: {dist: exponential, mean: " + num(mttf) + "h}";
  std::string r = "repair: {dist: exponential, mean: " + num(mttr) + "h}";
  if (!markov) {
    const int k = d.integer(0, 3);
    if (k == 1)
      f = "failure: {dist: weibull, shape: " + num(d.between(0.7, 2.5)) + ", scale: " + num(mttf) +
          "h}";
    if (k == 2) f = "failure: {dist: lognormal, median: " + num(mttf) + "h, sigma: 0.8}";
    const int j = d.integer(0, 3);
    if (j == 1) r = "repair: {dist: fixed, value: " + num(mttr) + "h}";
    if (j == 2) r = "repair: {dist: lognormal, median: " + num(mttr) + "h, sigma: 1}";
  }
  // Parameter uncertainty on some failure laws (plain runs take the stated value).
  if (d.chance(0.15)) f.insert(f.size() - 1, ", uncertainty: {error_factor: 3}");
  return f + ", " + r;
}

/// Grid events on a feed: one or two classes of any duration law (seasons outside Markov).
std::string events(Draw& d, bool markov) {
  std::string s = "events: [";
  const int classes = d.integer(1, 2);
  for (int k = 0; k < classes; ++k) {
    const double mean = d.between(2, 30);
    std::string law = "{dist: exponential, mean: " + num(mean) + "h}";
    if (d.chance(0.3)) law = "{dist: fixed, value: " + num(mean) + "h}";
    if (d.chance(0.2)) law = "{dist: lognormal, median: " + num(mean) + "h, sigma: 1}";
    s += std::string(k ? ", " : "") + "{name: c" + std::to_string(k) +
         ", rate: " + num(d.between(2, 25)) + "/y, duration: " + law;
    if (!markov && d.chance(0.3))
      s += ", season: {peak: " + std::to_string(d.integer(1, 12)) +
           "m, amplitude: " + num(d.between(0.1, 0.9)) + "}";
    s += "}";
  }
  return s + "]";
}

/// Manual switching errors, call generators and weather raising grid event and call rates:
/// drawn last, so that the draws before them (and earlier designs) stay as they were.
void add_human_error_and_weather_links(Draw& d, Builder& b) {
  Comp* ats = nullptr;
  bool single_gen = false, events = false;
  for (auto& c : b.comps) {
    if (c.id == "ats") ats = &c;
    if (c.id == "gen" && c.count == 0) single_gen = true;
    if (c.fields.find("events: [") != std::string::npos) events = true;
  }
  if (ats && d.chance(0.3)) {
    const auto at = ats->fields.find("transfer: {") + 11;
    ats->fields.insert(at, "human_error: " + num(d.between(0.001, 0.05)) + ", ");
  }
  if (ats && single_gen && !b.curtailment.empty() && d.chance(0.5)) {
    b.curtail_generators = {"gen"};
    b.curtailment += ", generator_cost_per_mwh: " + num(d.between(50, 300));
  }
  const auto heat = b.tail.find("ambient: 38C}");
  if (heat == std::string::npos || !d.chance(0.5)) return;
  std::string factors;
  if (events) factors += ", grid_event_factor: " + num(d.between(1, 5));
  if (!b.curtailment.empty()) factors += ", call_factor: " + num(d.between(1, 5));
  b.tail.insert(heat + 12, factors);
}

}  // namespace

RandomDesign random_design(std::uint64_t seed) {
  Draw d(seed);
  RandomDesign out;
  const bool markov = d.chance(0.4);
  out.markovian = markov;
  Builder b;
  b.head = "warmup: 1000h\n";
  const bool crews = d.chance(0.3);
  if (crews) b.head += "crews: " + std::to_string(d.integer(1, 2)) + "\n";

  // Loads first: their demand sizes everything else.
  const int n_loads = d.integer(1, 3);
  double demand = 0.0;
  std::vector<double> demands;
  for (int l = 0; l < n_loads; ++l)
    demands.push_back(std::round(d.between(100, 500))), demand += demands.back();

  // Feeds.
  const int n_sources = d.integer(1, 2);
  std::vector<std::string> upstream;
  for (int s = 0; s < n_sources; ++s) {
    Comp c{"src" + std::to_string(s + 1), "source", "", {}, {}};
    c.fields = d.chance(0.3) ? events(d, markov) : laws(d, markov, 300, 3000);
    b.comps.push_back(c);
    upstream.push_back(c.id);
  }
  // Generators behind a transfer switch.
  if (!markov && d.chance(0.6)) {
    Comp g{"gen", "generator", "", {}, {}};
    const int n_gens = d.integer(1, 2);
    g.fields = "start: {delay: " + num(d.between(0, 30)) +
               "s, fail_prob: " + num(d.between(0, 0.05)) + "}, " + laws(d, false, 100, 800);
    if (d.chance(0.3)) g.fields += ", standby_failure: {dist: exponential, mean: 3000h}";
    if (d.chance(0.3)) g.fields += ", test: {interval: 4w, duration: 1h}";
    if (d.chance(0.3))
      g.fields += ", fuel: {tank: " + num(d.between(4, 48)) +
                  "h, refuel: {delay: " + num(d.between(2, 12)) + "h, fail_prob: 0.1}}";
    std::string gen_out = "gen";
    if (n_gens == 2) {
      g.count = 2;
      out.uses_count = true;
      b.comps.push_back(g);
      b.comps.push_back({"genbus", "node", "", {"gen"}, {}});
      gen_out = "genbus";
    } else {
      b.comps.push_back(g);
    }
    Comp ats{"ats",
             "switch",
             "transfer: {delay: " + num(d.between(0, 20)) +
                 "s, fail_prob: " + num(d.between(0, 0.01)) + "}, retransfer_after: 5min, " +
                 laws(d, false, 20000, 100000),
             {},
             {}};
    ats.inputs = {upstream[0], gen_out};
    if (upstream.size() > 1) ats.inputs.insert(ats.inputs.begin() + 1, upstream[1]);
    b.comps.push_back(ats);
    upstream = {"ats"};
  }
  // A UPS.
  if (!markov && d.chance(0.5)) {
    Comp u{"ups", "ups", "", {}, {}};
    u.inputs = upstream;
    u.fields = (d.chance(0.7) ? "autonomy: " + num(d.between(5, 30)) + "min"
                              : "battery_energy: " + num(demand * d.between(0.1, 0.5)) + "kWh") +
               ", recharge: " + num(d.between(1, 4)) + "h, " + laws(d, false, 5000, 50000);
    b.comps.push_back(u);
    upstream = {"ups"};
  }
  // Parallel units, k of n by capacity (cooling draws included when they share the bus).
  const int n_units = d.integer(1, 3);
  const int needed = d.integer(1, n_units);
  const bool cooling = d.chance(0.4);
  const double draw = cooling && d.chance(0.5) ? 50.0 : 0.0;
  out.draws = draw > 0.0;
  const double power_total = demand + 2 * draw;
  const bool binding = d.chance(0.6);
  std::vector<std::string> units;
  for (int k = 0; k < n_units; ++k) {
    Comp t{"tx" + std::to_string(k + 1), "node", laws(d, markov, 1000, 8000), {}, {}};
    t.inputs = upstream;
    if (binding) t.fields += ", capacity: " + num(std::ceil(power_total / needed)) + "kW";
    if (!markov && d.chance(0.2))
      t.fields += ", maintenance: {interval: " + num(d.between(500, 3000)) +
                  "h, duration: " + num(d.between(4, 24)) + "h" +
                  (d.chance(0.5) ? ", defer_if_unsafe: true" : "") +
                  (crews && d.chance(0.5) ? ", crew: true" : "") + "}";
    b.comps.push_back(t);
    units.push_back(t.id);
  }
  if (!markov && d.chance(0.2)) {
    b.head += "spares:\n  pool: {stock: 1, lead_time: " + num(d.between(100, 2000)) + "h}\n";
    b.comps[b.comps.size() - 1].fields += ", spare_pool: pool";
  }
  if (n_units > 1 && d.chance(0.3)) b.cc.push_back(units);
  b.comps.push_back({"pbus", "node", "", units, {}});
  // Cooling: two chillers (one is enough, or both are needed), on the power bus.
  std::vector<std::string> cooled;
  if (cooling) {
    const bool both = d.chance(0.5);
    std::vector<std::string> chillers;
    for (int k = 1; k <= 2; ++k) {
      Comp ch{"ch" + std::to_string(k),
              "cooling_source",
              "capacity: " + num(std::ceil(both ? demand / 2 : demand)) + "kW, " +
                  laws(d, markov, 1000, 5000),
              {},
              {}};
      ch.powered_by = {"pbus"};
      if (draw > 0) ch.fields += ", power_draw: " + num(draw) + "kW";
      if (!markov && d.chance(0.5)) ch.fields += ", restart: " + num(d.between(5, 20)) + "min";
      b.comps.push_back(ch);
      chillers.push_back(ch.id);
    }
    // Heat waves that derate the first chiller (and the usual ambient).
    if (!markov && d.chance(0.3)) {
      b.comps[b.comps.size() - 2].fields +=
          ", derate: [{above: 30C, capacity: " + num(d.between(20, 90)) + "%}]";
      b.tail +=
          "weather:\n  ambient: 20C\n  events:\n    - {name: heat, rate: " + num(d.between(1, 6)) +
          "/y, duration: {dist: fixed, value: " + num(d.between(12, 120)) + "h}, ambient: 38C}\n";
    }
    b.comps.push_back({"cloop", "node", "", chillers, {}});
    cooled = {"cloop"};
  }
  // Loads, tenants, calls.
  bool any_flexible = false;
  std::string tenants;
  for (int l = 0; l < n_loads; ++l) {
    Ld ld{"load" + std::to_string(l + 1), "demand: " + num(demands[l]) + "kW", {}, {}};
    ld.power = d.chance(0.3) ? units : std::vector<std::string>{"pbus"};
    const bool flexible = l > 0 && d.chance(0.4);
    if (flexible) {
      any_flexible = true;
      ld.fields += ", priority: flexible";
      if (!markov && d.chance(0.4)) ld.fields += ", divisible: true";
    }
    if (!(flexible && ld.fields.find("divisible") != std::string::npos)) ld.cooling = cooled;
    if (!markov && !ld.cooling.empty() && d.chance(0.5))
      ld.fields += ", thermal_ride_through: " + num(d.between(2, 20)) + "min";
    if (d.chance(0.2)) ld.fields += ", shed_order: " + std::to_string(d.integer(1, 2));
    if (d.chance(0.4)) {
      ld.fields += ", tenant: t" + std::to_string(l + 1);
      tenants += "  t" + std::to_string(l + 1) +
                 (d.chance(0.5) ? ": {monthly_fee: 100000, sla: {credits: [{below: 99.9%, "
                                  "credit: 10%}, {below: 99%, credit: 50%}]}}\n"
                                : ": {workload: {kind: training, checkpoint_interval: 2h, "
                                  "restart_time: 20min, cost_per_hour: 1000}}\n");
    }
    b.loads.push_back(ld);
  }
  if (!tenants.empty()) b.tail += "tenants:\n" + tenants;
  if (!markov && any_flexible && d.chance(0.4)) {
    b.curtailment =
        "rate: 10/y, duration: {dist: exponential, mean: 3h}, limit: " + num(demands[0]) +
        "kW, price_per_mwh: 100";
    b.curtail_sources = {"src1"};
  }

  add_human_error_and_weather_links(d, b);

  std::vector<std::size_t> co(b.comps.size()), lo(b.loads.size());
  for (std::size_t k = 0; k < co.size(); ++k) co[k] = k;
  for (std::size_t k = 0; k < lo.size(); ++k) lo[k] = k;
  const auto same = [](const std::string& s) { return s; };
  out.yaml = b.write(co, lo, same);
  auto co2 = co, lo2 = lo;
  d.shuffle(co2);
  d.shuffle(lo2);
  out.reordered = b.write(co2, lo2, same);
  out.renamed = b.write(co, lo, [](const std::string& s) { return "z" + s + "_renamed"; });
  for (const auto& c : b.comps) out.components += c.count > 0 ? c.count : 1;
  // A redundant unit: a copy of tx1 (without maintenance, spare or common cause) in parallel.
  if (!crews) {
    Builder more = b;
    Comp extra = b.comps[0];
    for (const auto& c : b.comps)
      if (c.id == "tx1") extra = c;
    extra.id = "tx_extra";
    extra.fields = extra.fields.substr(0, extra.fields.find(", maintenance"));
    extra.fields = extra.fields.substr(0, extra.fields.find(", spare_pool"));
    for (auto& c : more.comps)
      if (c.id == "pbus") c.inputs.push_back("tx_extra");
    for (auto& l : more.loads)
      if (l.power.size() > 1) l.power.push_back("tx_extra");
    more.comps.insert(more.comps.begin() + static_cast<long>(co.size()) - 1, extra);
    std::vector<std::size_t> all(more.comps.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    out.with_redundant_unit = more.write(all, lo, same);
  }
  return out;
}

}  // namespace ridethrough::testing
