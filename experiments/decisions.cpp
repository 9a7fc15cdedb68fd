#include "experiments/decisions.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "experiments/parameters.hpp"
#include "experiments/text.hpp"
#include "experiments/variants.hpp"

namespace ridethrough::experiments {

using nlohmann::json;

namespace {

/// Designs compiled once and kept alive for a joint run.
struct Variants {
  std::vector<std::unique_ptr<topology::Design>> designs;
  std::vector<std::unique_ptr<topology::Model>> models;
  std::vector<int> same_unless_touched;  ///< see DesignRun::same_as_first_unless_touched
  std::size_t add(topology::Design d, int same = -1) {
    same_unless_touched.push_back(same);
    designs.push_back(std::make_unique<topology::Design>(std::move(d)));
    models.push_back(std::make_unique<topology::Model>(topology::compile(*designs.back())));
    return designs.size() - 1;
  }
  std::vector<DesignRun> runs() const {
    std::vector<DesignRun> r;
    for (std::size_t i = 0; i < designs.size(); ++i)
      r.push_back({designs[i].get(), models[i].get(), "", same_unless_touched[i]});
    return r;
  }
};

double unavailability(const json& summary) {
  return 1.0 - summary["facility"]["availability"]["mean"].get<double>();
}

/// {mean, ci95} of a paired difference, times `sign`.
json signed_interval(const sim::Moments& m, double sign) {
  const double mean = sign * m.mean(), hw = m.ci95_half_width();
  return {{"mean", mean}, {"ci95", {mean - hw, mean + hw}}};
}

/// The paired difference of one figure ("facility.availability", "tenants.t.cost").
const sim::Moments* figure(const PairedDifferences& d, const std::string& path) {
  for (std::size_t k = 0; k < d.paths.size(); ++k)
    if (d.paths[k] == path) return &d.diff[k];
  return nullptr;
}

json ratio_or_null(double a, double b) {
  return b > 0.0 ? json(a / b) : json(nullptr);
}

/// Whether a replication of the design in which nothing happened to `c` is, bit for bit, the
/// same replication of its perfect variant. Not where making it perfect changes the model
/// beyond its own laws: its grid event classes (the class arrays), its fuel tank (power
/// sharing), its common-cause group (the other members' shock rate).
bool perfect_shares_untouched(const topology::Design& d, std::size_t c) {
  const auto& comp = d.components[c];
  if (!comp.events.empty() || comp.fuel_tank > 0.0) return false;
  for (const auto& g : d.common_cause)
    if (std::find(g.members.begin(), g.members.end(), comp.id) != g.members.end()) return false;
  return true;
}

}  // namespace

json importance_analysis(const topology::Design& d, const RunOptions& options, bool share_work) {
  Variants v;
  v.add(d);
  const std::size_t n = d.components.size();
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t c = 0; c < n; ++c) {
    const int same = share_work && perfect_shares_untouched(d, c) ? static_cast<int>(c) : -1;
    const std::size_t p = v.add(perfect_variant(d, c), same), f = v.add(failed_variant(d, c));
    pairs.emplace_back(0, p);
    pairs.emplace_back(0, f);
    pairs.emplace_back(p, f);
  }
  const auto joint = run_joint(v.runs(), pairs, options);
  const json& base = joint.summaries[0];
  const double u = unavailability(base);
  json comps = json::object();
  std::vector<std::pair<double, std::string>> ranking;
  for (std::size_t c = 0; c < n; ++c) {
    const auto& id = d.components[c].id;
    const auto& to_perfect = joint.differences[3 * c];
    const auto& to_failed = joint.differences[3 * c + 1];
    const auto& perfect_to_failed = joint.differences[3 * c + 2];
    const double u_perfect = unavailability(joint.summaries[1 + 2 * c]);
    const double u_failed = unavailability(joint.summaries[2 + 2 * c]);
    // Birnbaum: U(failed) - U(perfect) = -(A(failed) - A(perfect)), paired.
    const json birnbaum = signed_interval(*figure(perfect_to_failed, "facility.availability"), -1);
    json tenants = json::object();
    for (const auto& t : d.tenants) {
      const std::string path = "tenants." + t.id + ".cost";
      tenants[t.id] = {{"if_perfect", signed_interval(*figure(to_perfect, path), 1)},
                       {"if_failed", signed_interval(*figure(to_failed, path), 1)}};
    }
    comps[id] = {{"birnbaum", birnbaum},
                 {"raw", ratio_or_null(u_failed, u)},
                 {"rrw", ratio_or_null(u, u_perfect)},
                 {"fussell_vesely", base["components"][id]["downtime_share"]},
                 {"unavailability_if_perfect", u_perfect},
                 {"unavailability_if_failed", u_failed},
                 {"tenants", tenants}};
    ranking.emplace_back(birnbaum["mean"].get<double>(), id);
  }
  std::stable_sort(ranking.begin(), ranking.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  json order = json::array();
  for (const auto& [b, id] : ranking) order.push_back(id);
  return {{"design", base["design"]},
          {"seed", options.seed},
          {"replications", base["replications"]},
          {"horizon_hours", base["horizon_hours"]},
          {"facility_unavailability", u},
          {"facility_unavailability_ci95",
           {1.0 - base["facility"]["availability"]["ci95"][1].get<double>(),
            1.0 - base["facility"]["availability"]["ci95"][0].get<double>()}},
          {"ranking", order},
          {"components", comps},
          {"performance", base["performance"]}};
}

void print_importance(std::ostream& os, const json& r) {
  os << "importance: " << r["design"].get<std::string>() << " (" << r["replications"]
     << " replications per variant, seed " << r["seed"]
     << ", common random numbers)\nfacility unavailability "
     << fmt("%.4g", r["facility_unavailability"].get<double>()) << "\n\n";
  os << pad("component", 22) << pad("birnbaum ±95%", 26) << pad("RAW", 11) << pad("RRW", 11)
     << "Fussell-Vesely\n";
  auto ratio = [](const json& v) {
    return v.is_null() ? std::string("-") : fmt("%.4g", v.get<double>());
  };
  for (const auto& id : r["ranking"]) {
    const auto& c = r["components"][id.get<std::string>()];
    const auto& b = c["birnbaum"];
    const double hw = (b["ci95"][1].get<double>() - b["ci95"][0].get<double>()) / 2;
    os << pad("  " + id.get<std::string>(), 22)
       << pad(fmt("%.4g", b["mean"].get<double>()) + " ±" + fmt("%.2g", hw), 26)
       << pad(ratio(c["raw"]), 11) << pad(ratio(c["rrw"]), 11)
       << (c["fussell_vesely"].is_null() ? std::string("-")
                                         : fmt("%.1f%%", 100 * c["fussell_vesely"].get<double>()))
       << "\n";
  }
  bool tenants = false;
  for (const auto& [id, c] : r["components"].items()) tenants = tenants || !c["tenants"].empty();
  if (!tenants) return;
  os << "\nexpected tenant cost change" << per_horizon(r["horizon_hours"].get<double>())
     << " if the component were perfect / always failed:\n";
  for (const auto& id : r["ranking"]) {
    const auto& c = r["components"][id.get<std::string>()];
    for (const auto& [t, e] : c["tenants"].items())
      os << pad("  " + id.get<std::string>(), 22) << pad(t, 16)
         << pad(money(e["if_perfect"]["mean"].get<double>()), 16)
         << money(e["if_failed"]["mean"].get<double>()) << "\n";
  }
}

json sensitivity_analysis(const topology::Design& d, const std::vector<double>& factors,
                          const RunOptions& options) {
  Variants v;
  v.add(d);
  const auto params = parameters_of(d);
  struct Row {
    std::size_t parameter;
    double factor;
  };
  std::vector<Row> rows;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (double f : factors) {
      v.add(scaled(d, params[k], f));
      rows.push_back({k, f});
    }
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < rows.size(); ++i) pairs.emplace_back(0, i + 1);
  const auto joint = run_joint(v.runs(), pairs, options);
  const json& base = joint.summaries[0];
  json out_rows = json::array();
  // Rank each parameter by the largest change any factor makes.
  std::vector<double> size(params.size(), 0.0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& diff = joint.differences[i];
    const auto& p = params[rows[i].parameter];
    json tenants = json::object();
    for (const auto& t : d.tenants)
      tenants[t.id] = signed_interval(*figure(diff, "tenants." + t.id + ".cost"), 1);
    const json du = signed_interval(*figure(diff, "facility.availability"), -1);
    out_rows.push_back({{"parameter", p.path},
                        {"component", p.component.empty() ? json(nullptr) : json(p.component)},
                        {"value", p.value},
                        {"factor", rows[i].factor},
                        {"delta_unavailability", du},
                        {"tenants", tenants}});
    size[rows[i].parameter] =
        std::max(size[rows[i].parameter], std::fabs(du["mean"].get<double>()));
  }
  std::vector<std::size_t> rank(params.size());
  for (std::size_t k = 0; k < rank.size(); ++k) rank[k] = k;
  std::stable_sort(rank.begin(), rank.end(),
                   [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
  json order = json::array();
  for (std::size_t k : rank) order.push_back(params[k].path);
  return {{"design", base["design"]},
          {"seed", options.seed},
          {"replications", base["replications"]},
          {"horizon_hours", base["horizon_hours"]},
          {"factors", factors},
          {"facility_unavailability", unavailability(base)},
          {"tenant_cost",
           [&] {
             json t = json::object();
             for (const auto& [id, s] : base["tenants"].items()) t[id] = s["cost"]["mean"];
             return t;
           }()},
          {"ranking", order},
          {"rows", out_rows},
          {"performance", base["performance"]}};
}

void print_sensitivity(std::ostream& os, const json& r) {
  os << "sensitivity: " << r["design"].get<std::string>() << " (" << r["replications"]
     << " replications per variant, seed " << r["seed"]
     << ", common random numbers)\nfacility unavailability "
     << fmt("%.4g", r["facility_unavailability"].get<double>())
     << "; change when one parameter is multiplied by a factor (±95%):\n\n";
  std::size_t width = 20;
  for (const auto& key : r["ranking"]) width = std::max(width, key.get<std::string>().size() + 4);
  os << pad("parameter", width);
  for (const auto& f : r["factors"]) os << pad(fmt("x%g", f.get<double>()), 24);
  os << "\n";
  for (const auto& key : r["ranking"]) {
    os << pad("  " + key.get<std::string>(), width);
    for (const auto& f : r["factors"])
      for (const auto& row : r["rows"])
        if (row["parameter"] == key && row["factor"] == f) {
          const auto& d = row["delta_unavailability"];
          const double hw = (d["ci95"][1].get<double>() - d["ci95"][0].get<double>()) / 2;
          const double mean = d["mean"].get<double>() + 0.0;  // + 0.0: no "-0"
          os << pad(mean == 0.0 && hw == 0.0 ? std::string("0 (no change)")
                                             : fmt("%+.3g", mean) + " ±" + fmt("%.2g", hw),
                    24);
        }
    os << "\n";
  }
}

}  // namespace ridethrough::experiments
