#include "experiments/analysis.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "experiments/driver.hpp"
#include "experiments/text.hpp"
#include "failure_models/markov.hpp"
#include "topology/capabilities.hpp"
#include "topology/cut_sets.hpp"
#include "topology/features.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::experiments {

using nlohmann::json;

namespace {

std::string join(const json& ids, const char* sep = ", ") {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : sep) + id.get<std::string>();
  return out;
}

}  // namespace

/// The cut sets that can happen, ranked by probability (the product of their members'
/// basic-event probabilities, independent repair), each with its share of their sum (the
/// rare-event approximation of the load's unavailability from these cut sets).
json rank_cut_sets(const topology::Model& m, const std::unordered_map<std::string, int>& index,
                   const json& cuts) {
  std::vector<std::pair<double, json>> ranked;
  double total = 0.0;
  for (const auto& cut : cuts) {
    double p = 1.0;
    for (const auto& id : cut)
      p *= topology::basic_event_probability(m, index.at(id.get<std::string>()));
    ranked.emplace_back(p, cut);
    total += p;
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  json out = json::array();
  for (const auto& [p, cut] : ranked)
    out.push_back({{"cut_set", cut}, {"probability", p}, {"share", total > 0 ? p / total : 0.0}});
  return out;
}

json check_design(const topology::Model& m, int order) {
  json loads = json::object();
  topology::StaticEvaluator eval(m);
  std::vector<char> down(m.n, 0);
  std::unordered_map<std::string, int> index;  // once: a campus has thousands of loads
  for (int c = 0; c < m.n; ++c) index[m.ids[c]] = c;
  // A set with a component that cannot fail (a bus without a failure law) is kept apart: the
  // list of what to fix is the list of what can fail. Planned work on it still drops the load.
  auto ids_of = [&](std::initializer_list<int> cs, bool& structural) {
    json ids = json::array();
    structural = false;
    for (int c : cs) {
      ids.push_back(m.ids[c]);
      structural = structural || !topology::can_be_down(m, c);
    }
    return ids;
  };
  for (const auto& c : topology::minimal_cut_sets(m, order)) {
    json singles = json::array(), structural_singles = json::array(), cuts = json::array(),
         structural_cuts = json::array(), drops = json::array(), reasons = json::object();
    bool st = false;
    for (int a : c.singles) {
      const json ids = ids_of({a}, st);
      (st ? structural_singles : singles).push_back(m.ids[a]);
      (st ? structural_cuts : cuts).push_back(ids);
      down[a] = 1;
      reasons[m.ids[a]] = topology::why_not_served(eval, m, c.load, down);
      down[a] = 0;
    }
    for (const auto& [a, b] : c.pairs) {
      const json ids = ids_of({a, b}, st);
      (st ? structural_cuts : cuts).push_back(ids);
    }
    for (const auto& t : c.triples) {
      const json ids = ids_of({t[0], t[1], t[2]}, st);
      (st ? structural_cuts : cuts).push_back(ids);
    }
    for (int a : c.maintenance_drops) drops.push_back(m.ids[a]);
    // Fault tolerance during maintenance: with any one scheduled component in maintenance, no
    // further single failure may drop the load, so no cut set of order 2 may hold one.
    json during = json::array();
    for (const auto& [a, b] : c.pairs)
      if (m.maintenance_interval[a] > 0 || m.maintenance_interval[b] > 0)
        during.push_back(json::array({m.ids[a], m.ids[b]}));
    loads[m.load_ids[c.load]] = {
        {"cut_set_ranking", rank_cut_sets(m, index, cuts)},
        {"served_with_everything_up", c.served_all_up},
        {"single_points_of_failure", singles},
        {"structural_single_points", structural_singles},
        {"single_point_reasons", reasons},
        {"cut_sets", cuts},
        {"structural_cut_sets", structural_cuts},
        {"concurrently_maintainable", c.served_all_up && c.singles.empty()},
        {"scheduled_maintenance_drops_it", drops},
        {"fault_tolerant_during_maintenance",
         c.served_all_up && c.singles.empty() && during.empty()},
        {"maintenance_and_failure_cut_sets", during}};
  }
  json out = {{"loads", loads}};
  if (order != 2) out["order"] = order;
  // What the static rule approximates in this design (topology/capabilities.cpp).
  const auto assessed = topology::assess(topology::Analysis::Check, m);
  out["approximations"] = assessed.approximations;
  return out;
}

namespace {

/// Every component with its kind, network, inputs and capacity; every load with its feeds.
void print_topology(std::ostream& os, const topology::Model& m) {
  os << "topology:\n";
  for (int c = 0; c < m.n; ++c) {
    os << "  " << pad(m.ids[c], 18) << pad(topology::kind_name(m.kind[c]), 15)
       << pad(m.net[c] == topology::Net::Cooling ? "cooling" : "power", 8);
    std::string in;
    for (int k = m.inputs.begin(c); k < m.inputs.end(c); ++k)
      in += (in.empty() ? "" : ", ") + m.ids[m.inputs.idx[k]];
    if (!in.empty()) os << " <- " << in;
    std::string pb;
    for (int k = m.powered_by.begin(c); k < m.powered_by.end(c); ++k)
      pb += (pb.empty() ? "" : ", ") + m.ids[m.powered_by.idx[k]];
    if (!pb.empty()) os << "  (powered by " << pb << ")";
    if (m.capacity[c] != topology::kUnlimited) os << "  [" << fmt("%g", m.capacity[c]) << " kW]";
    os << "\n";
  }
  for (int l = 0; l < m.n_loads; ++l) {
    os << "  load " << pad(m.load_ids[l], 13) << pad(fmt("%g kW", m.demand[l]), 15)
       << pad(m.critical[l] ? "critical" : "flexible", 8) << " <- ";
    std::string p;
    for (int k = m.load_power.begin(l); k < m.load_power.end(l); ++k)
      p += (p.empty() ? "" : ", ") + m.ids[m.load_power.idx[k]];
    os << p;
    std::string c;
    for (int k = m.load_cooling.begin(l); k < m.load_cooling.end(l); ++k)
      c += (c.empty() ? "" : ", ") + m.ids[m.load_cooling.idx[k]];
    if (!c.empty()) os << "; cooled by " << c;
    os << "\n";
  }
}

/// A load's cut sets of one order, `per_line` to a line.
void print_order(std::ostream& os, const json& l, std::size_t order, int per_line) {
  os << "  cut sets of order " << order << ":";
  int shown = 0;
  for (const auto& cut : l["cut_sets"])
    if (cut.size() == order)
      os << (shown++ % per_line == 0 ? "\n    " : "  ") << "{" << join(cut) << "}";
  if (shown == 0) os << " none";
  os << "\n";
}

/// A critical load's single points of failure and cut sets; returns every single point
/// (structural ones included).
json print_cut_sets(std::ostream& os, const json& l, const json& check) {
  const auto& s = l["single_points_of_failure"];
  const auto& structural = l["structural_single_points"];
  os << "  single points of failure: " << (s.empty() ? std::string("none") : join(s)) << "\n";
  if (!structural.empty())
    os << "  structural single points (cannot fail; planned work on them drops it): "
       << join(structural) << "\n";
  // Say why where it is not simply a broken path: a capacity left short.
  json all_singles = s;
  for (const auto& id : structural) all_singles.push_back(id);
  for (const auto& id : all_singles) {
    const auto why = l["single_point_reasons"][id.get<std::string>()].get<std::string>();
    if (why != "no live path brings it power")
      os << "    without " << id.get<std::string>() << ": " << why << "\n";
  }
  print_order(os, l, 2, 4);
  if (!l["cut_set_ranking"].empty()) {
    os << "  most likely cut sets (probability, share of their sum):\n";
    int shown = 0;
    for (const auto& r : l["cut_set_ranking"]) {
      if (shown++ == 5) break;
      std::string set = "{";  // built in steps: GCC 12 warns falsely (-Wrestrict) otherwise
      set += join(r["cut_set"]);
      set += "}";
      os << "    " << pad(set, 40) << pad(fmt("%.3g", r["probability"].get<double>()), 12)
         << fmt("%.1f%%", 100 * r["share"].get<double>()) << "\n";
    }
  }
  int with_structural = 0;
  for (const auto& cut : l["structural_cut_sets"]) with_structural += cut.size() > 1;
  if (with_structural > 0)
    os << "  (and " << with_structural
       << " larger cut set(s) with a part that cannot fail: structural_cut_sets in the JSON)\n";
  if (check.value("order", 2) >= 3) print_order(os, l, 3, 3);
  return all_singles;
}

/// Whether the load survives planned work: concurrent maintainability and fault tolerance
/// during maintenance.
void print_maintainability(std::ostream& os, const json& l, const json& all_singles) {
  if (l["concurrently_maintainable"].get<bool>()) {
    os << "  concurrently maintainable: yes (no single component's maintenance drops it)\n";
  } else {
    os << "  concurrently maintainable: NO: taking " << join(all_singles, " or ")
       << " out for planned work drops it\n";
    if (!l["scheduled_maintenance_drops_it"].empty())
      os << "  scheduled maintenance that will drop it: "
         << join(l["scheduled_maintenance_drops_it"]) << "\n";
  }
  if (l["fault_tolerant_during_maintenance"].get<bool>()) {
    os << "  fault tolerant during maintenance: yes (no scheduled window plus one failure "
          "drops it)\n";
  } else if (all_singles.empty()) {
    os << "  fault tolerant during maintenance: NO: a window plus one failure drops it:";
    int k = 0;
    for (const auto& cut : l["maintenance_and_failure_cut_sets"])
      os << (k++ % 4 == 0 ? "\n    " : "  ") << "{" << join(cut) << "}";
    os << "\n";
  }
}

}  // namespace

void print_check(std::ostream& os, const topology::Design& d, const topology::Model& m,
                 const json& check) {
  os << "design: " << design_label(d) << " (" << m.n << " components, " << m.n_loads
     << (m.n_loads == 1 ? " load" : " loads") << "): valid\n\n";
  print_topology(os, m);
  for (const auto& [name, l] : check["loads"].items()) {
    os << "\ncritical load " << name << ":\n";
    if (!l["served_with_everything_up"].get<bool>()) {
      os << "  NOT SERVED even with every component up (capacities too small?)\n";
      continue;
    }
    const json all_singles = print_cut_sets(os, l, check);
    print_maintainability(os, l, all_singles);
  }
  if (check.contains("approximations") && !check["approximations"].empty()) {
    os << "\nassumptions of check (the static rule) for this design:\n";
    for (const auto& a : check["approximations"]) os << "  - " << a.get<std::string>() << "\n";
  }
}

json exact_design(const topology::Design& d, const topology::Model& m, bool lump) {
  const auto r = failure_models::solve_exact(m, 10'000'000, lump);
  if (!r.refusal.empty()) return {{"refusal", r.refusal}, {"states", r.states}};
  auto block = [&](int t) {
    const double u = r.unavailability[t], f = r.frequency[t];
    json duration = nullptr;
    if (f > 0) duration = {{"mean", u / f}};
    // The unavailability itself: 1 - availability loses digits when it is 1e-12.
    return json{{"availability", {{"mean", 1.0 - u}}},
                {"unavailability", {{"mean", u}}},
                {"outages", {{"mean", f * m.horizon}}},
                {"downtime_hours", {{"mean", u * m.horizon}}},
                {"outage_duration_hours", duration}};
  };
  json loads = json::object();
  for (int l = 0; l < m.n_loads; ++l) loads[m.load_ids[l]] = block(l + 1);
  json out = {{"version", RIDETHROUGH_VERSION},
              {"design", design_label(d)},
              {"horizon_hours", m.horizon},
              {"method", r.method},
              {"states", r.states},
              {"evaluated_states", r.evaluated_states},
              {"facility", block(0)},
              {"loads", loads}};
  if (r.method.find("lumped") != std::string::npos) out["classes"] = r.classes;
  // What the design has that exact leaves out (costs, energy short): said, not hidden.
  const auto assessed = topology::assess(topology::Analysis::Exact, m);
  if (!assessed.not_estimated.empty()) out["not_estimated"] = assessed.not_estimated;
  if (r.iterations > 0) out["solver"] = {{"iterations", r.iterations}, {"residual", r.residual}};
  return out;
}

void print_exact(std::ostream& os, const json& e) {
  os << "design: " << e["design"].get<std::string>()
     << "\nexact steady state: " << e["method"].get<std::string>()
     << "\nchain size: " << fmt("%.6g", e["states"].get<double>()) << " states ("
     << e["evaluated_states"] << " evaluated)";
  if (e.contains("classes")) os << ", " << e["classes"] << " classes of exchangeable units";
  if (e.contains("solver"))
    os << "\niterative solve: " << e["solver"]["iterations"] << " iterations, relative residual "
       << fmt("%.2g", e["solver"]["residual"].get<double>());
  os << "\n\n";
  os << pad("", 22) << pad("availability", 22) << pad("unavailability", 16) << pad("nines", 7)
     << pad("downtime h", 14) << pad("outages", 14) << "mean outage h\n";
  auto row = [&](const std::string& name, const json& b) {
    const double a = b["availability"]["mean"].get<double>();
    os << pad(name, 22) << pad(fmt("%.12f", a), 22)
       << pad(fmt("%.6g", b["unavailability"]["mean"].get<double>()), 16) << pad(nines(a), 7)
       << pad(fmt("%.6g", b["downtime_hours"]["mean"].get<double>()), 14)
       << pad(fmt("%.6g", b["outages"]["mean"].get<double>()), 14)
       << (b["outage_duration_hours"].is_null()
               ? std::string("-")
               : fmt("%.6g", b["outage_duration_hours"]["mean"].get<double>()))
       << "\n";
  };
  row("facility", e["facility"]);
  for (const auto& [name, b] : e["loads"].items()) row("  " + name, b);
  os << "\n(per horizon of " << fmt("%g", e["horizon_hours"].get<double>()) << " h)\n";
  if (e.contains("not_estimated"))
    for (const auto& n : e["not_estimated"])
      os << "not estimated: " << n.get<std::string>() << "\n";
}

namespace {
const char* support_name(topology::Support s) {
  switch (s) {
    case topology::Support::Handled:
      return "handled";
    case topology::Support::Approximated:
      return "approximated";
    case topology::Support::NotEstimated:
      return "not estimated";
    case topology::Support::Refused:
      return "refused";
  }
  return "?";
}
}  // namespace

json capabilities_json(const topology::Model* m) {
  json analyses = json::array();
  for (int a = 0; a < topology::kAnalysisCount; ++a) {
    const auto an = static_cast<topology::Analysis>(a);
    json entry = {{"analysis", topology::analysis_name(an)}};
    if (m) {
      const auto as = topology::assess(an, *m);
      entry.update({{"refused", as.refused()},
                    {"refusals", as.refusals},
                    {"approximations", as.approximations},
                    {"not_estimated", as.not_estimated}});
    } else {
      json features = json::array();
      for (int f = 0; f < topology::kFeatureCount; ++f) {
        const auto v = topology::capability(an, static_cast<topology::Feature>(f));
        features.push_back({{"feature", topology::feature_name(static_cast<topology::Feature>(f))},
                            {"support", support_name(v.support)},
                            {"note", v.note}});
      }
      entry["features"] = features;
    }
    analyses.push_back(entry);
  }
  json out = {{"analyses", analyses}};
  if (m) out["design"] = m->name;
  return out;
}

void print_capabilities(std::ostream& os, const json& caps) {
  const auto& analyses = caps["analyses"];
  if (caps.contains("design")) {
    for (const auto& a : analyses) {
      os << a["analysis"].get<std::string>() << ": "
         << (a["refused"].get<bool>() ? "REFUSES this design" : "runs") << "\n";
      for (const auto& line : a["refusals"]) os << "  refused: " << line.get<std::string>() << "\n";
      for (const auto& line : a["approximations"])
        os << "  approximates " << line.get<std::string>() << "\n";
      for (const auto& line : a["not_estimated"])
        os << "  leaves out " << line.get<std::string>() << "\n";
    }
    return;
  }
  // Features down the side, analyses across (their first word), one letter each.
  os << "H handled, A approximated, N runs but leaves some figures out, R refused "
        "(capabilities --json - gives every note)\n\n"
     << pad("", 30);
  std::vector<std::size_t> width;
  for (const auto& a : analyses) {
    const std::string name = a["analysis"].get<std::string>();
    const std::string word = name.substr(0, name.find(' '));
    width.push_back(word.size() + 2);
    os << pad(word, width.back());
  }
  os << "\n";
  for (std::size_t f = 0; f < analyses[0]["features"].size(); ++f) {
    os << pad(analyses[0]["features"][f]["feature"].get<std::string>(), 30);
    for (std::size_t k = 0; k < analyses.size(); ++k) {
      const auto s = analyses[k]["features"][f]["support"].get<std::string>();
      os << pad(s == "handled"        ? "H"
                : s == "approximated" ? "A"
                : s == "refused"      ? "R"
                                      : "N",
                width[k]);
    }
    os << "\n";
  }
}

void print_sweep_table(std::ostream& os, const std::vector<json>& points) {
  if (points.empty()) return;
  std::vector<std::string> keys;
  for (const auto& [k, v] : points[0]["sweep"].items()) keys.push_back(k);
  os << "sweep: " << points[0]["replications"] << " replications per point, seed "
     << points[0]["seed"] << "\n\n";
  for (const auto& k : keys) os << pad(k, std::max<std::size_t>(12, k.size() + 2));
  os << pad("availability", 16) << pad("nines", 7) << pad("downtime h", 12) << pad("outages", 11);
  std::vector<std::string> tenants;
  for (const auto& [t, v] : points[0]["tenants"].items()) {
    tenants.push_back(t);
    os << pad(t + " cost", 16);
  }
  // Cluster jobs: lost GPU-hours (the cost basis) and wasted GPU-hours (lost plus checkpoint
  // writing, what the checkpoint interval trades off), per job.
  std::vector<std::pair<std::string, std::string>> jobs;
  for (const auto& t : tenants)
    if (points[0]["tenants"][t].contains("jobs"))
      for (const auto& [j, v] : points[0]["tenants"][t]["jobs"].items()) {
        jobs.emplace_back(t, j);
        os << pad(j + " lost GPU-h", std::max<std::size_t>(16, j.size() + 14))
           << pad(j + " wasted GPU-h", std::max<std::size_t>(16, j.size() + 15));
      }
  const bool econ = points[0].contains("economics");
  if (econ) os << "expected total";
  os << "\n";
  for (const auto& p : points) {
    for (const auto& k : keys)
      os << pad(p["sweep"][k].get<std::string>(), std::max<std::size_t>(12, k.size() + 2));
    const double a = p["facility"]["availability"]["mean"].get<double>();
    os << pad(fmt("%.7f%%", 100 * a), 16) << pad(nines(a), 7)
       << pad(plain(p["facility"]["downtime_hours"]["mean"].get<double>()), 12)
       << pad(plain(p["facility"]["outages"]["mean"].get<double>()), 11);
    for (const auto& t : tenants)
      os << pad(money(p["tenants"][t]["cost"]["mean"].get<double>()), 16);
    for (const auto& [t, j] : jobs) {
      const auto& b = p["tenants"][t]["jobs"][j];
      os << pad(plain(b["lost_gpu_hours"]["mean"].get<double>(), 6),
                std::max<std::size_t>(16, j.size() + 14))
         << pad(plain(b["wasted_gpu_hours"]["mean"].get<double>(), 6),
                std::max<std::size_t>(16, j.size() + 15));
    }
    if (econ && p.contains("economics"))
      os << money(p["economics"]["expected_total_cost"].get<double>());
    os << "\n";
  }
}

}  // namespace ridethrough::experiments
