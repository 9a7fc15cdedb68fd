#include "experiments/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

#include "experiments/economics.hpp"
#include "experiments/text.hpp"
#include "experiments/uncertainty.hpp"
#include "topology/model.hpp"
#include "topology/static_eval.hpp"
#include "topology/units.hpp"

namespace ridethrough::experiments {

using nlohmann::json;

/// A figure of a summary by its dotted path; a block with a mean stands for its mean.
std::optional<double> summary_figure(const json& summary, const std::string& path) {
  std::string pointer = "/";
  for (char ch : path) pointer += ch == '.' ? '/' : ch;
  const json::json_pointer p(pointer);
  if (!summary.contains(p)) return std::nullopt;
  const json& v = summary[p];
  if (v.is_number()) return v.get<double>();
  if (v.is_object() && v.contains("mean") && v["mean"].is_number()) return v["mean"].get<double>();
  return std::nullopt;
}

bool Requirement::met(double v) const {
  return (op == ">=" && v >= value) || (op == "<=" && v <= value) || (op == ">" && v > value) ||
         (op == "<" && v < value);
}

std::optional<Requirement> parse_requirement(const std::string& text) {
  for (const char* op : {">=", "<=", ">", "<"}) {
    const auto at = text.find(op);
    if (at == std::string::npos || at == 0) continue;
    Requirement r;
    r.text = text;
    r.path = text.substr(0, at);
    r.op = op;
    const auto v = topology::parse_number(text.substr(at + std::string(op).size()));
    if (!v.value) return std::nullopt;
    r.value = *v.value;
    return r;
  }
  return std::nullopt;
}

namespace {

using Point = std::vector<std::size_t>;  ///< the index of each option's value

struct Evaluated {
  json summary;
  std::vector<double> objective;  ///< per replication
  double capex = 0.0;
  bool feasible = true;
  std::vector<std::string> violations;
};

class Search {
 public:
  Search(const topology::Design& d, const OptimizeOptions& o) : d_(d), o_(o) {
    cost_ = d.economics.present;
    objective_ = cost_ ? "economics.expected_total_cost" : "facility.availability";
    for (const auto& opt : d.options) {
      bool any_capex = false;
      for (double c : opt.capex) any_capex = any_capex || c > 0;
      if (any_capex && !cost_)
        throw std::invalid_argument("option '" + opt.path +
                                    "' has capex, but the design has no economics block to add "
                                    "it to");
    }
    if (cost_)
      for (const auto& opt : d.options) unpriced_warning(opt);
  }

  /// Ranked by cost, an option whose values all cost the same is chosen for its tenant costs
  /// alone, as if the equipment it adds were free: says so.
  void unpriced_warning(const topology::OptionChoice& opt) {
    std::vector<double> costs;  // what does not depend on the simulation, per value
    for (std::size_t v = 0; v < opt.values.size(); ++v) {
      auto r = topology::load_design_text(d_.text, d_.path, {{opt.path, opt.values[v]}});
      if (!r.design) return;  // reported as an infeasible point later
      costs.push_back(opt.capex[v] + cost_model(topology::compile(*r.design)).fixed);
    }
    for (const auto& c : costs)
      if (c != costs.front()) return;
    warnings_.push_back("option '" + opt.path +
                        "' changes the design but not its cost (every value costs the same): "
                        "give the option a capex, or the components it changes a cost");
  }

  std::vector<topology::Override> overrides(const Point& p) const {
    std::vector<topology::Override> out;
    double capex = d_.economics.capex;
    for (std::size_t i = 0; i < p.size(); ++i) {
      out.push_back({d_.options[i].path, d_.options[i].values[p[i]]});
      capex += d_.options[i].capex[p[i]];
    }
    if (cost_) out.push_back({"economics.capex", fmt("%.17g", capex)});
    return out;
  }

  /// Runs the points not yet evaluated, jointly (common random numbers).
  void evaluate(const std::vector<Point>& points) {
    std::vector<Point> todo;
    for (const auto& p : points)
      if (!done_.count(p) && std::find(todo.begin(), todo.end(), p) == todo.end())
        todo.push_back(p);
    if (todo.empty()) return;
    std::vector<std::unique_ptr<topology::Design>> designs;
    std::vector<std::unique_ptr<topology::Model>> models;
    std::vector<Point> runnable;
    for (const auto& p : todo) {
      auto r = topology::load_design_text(d_.text, d_.path, overrides(p));
      std::string why;
      if (r.design) {
        auto model = std::make_unique<topology::Model>(topology::compile(*r.design));
        const auto bad = topology::unservable_loads(*r.design, *model);
        if (bad.empty()) {
          designs.push_back(std::make_unique<topology::Design>(std::move(*r.design)));
          models.push_back(std::move(model));
          runnable.push_back(p);
          continue;
        }
        why = bad[0].message;
      } else {
        why = r.errors.empty() ? "invalid" : r.errors[0].message;
      }
      Evaluated e;
      e.feasible = false;
      e.violations.push_back("not a valid design: " + why);
      done_[p] = std::move(e);
    }
    if (runnable.empty()) return;
    std::vector<DesignRun> runs;
    for (std::size_t i = 0; i < designs.size(); ++i)
      runs.push_back({designs[i].get(), models[i].get(), ""});
    auto joint = run_joint(runs, {}, o_.run, {objective_});
    for (std::size_t i = 0; i < runnable.size(); ++i) {
      Evaluated e;
      e.summary = std::move(joint.summaries[i]);
      e.objective = std::move(joint.traces[i][0]);
      if (!cost_)  // minimise unavailability
        for (double& v : e.objective) v = 1.0 - v;
      e.capex = cost_ ? e.summary["economics"]["capex"].get<double>() : 0.0;
      for (const auto& req : o_.requirements) {
        const auto v = summary_figure(e.summary, req.path);
        const bool ok = v && req.met(*v);
        if (!ok)
          e.violations.push_back(req.text +
                                 (v ? " (is " + fmt("%.8g", *v) + ")" : " (no such figure)"));
      }
      e.feasible = e.violations.empty();
      done_[runnable[i]] = std::move(e);
    }
  }

  double mean_objective(const Point& p) const {
    const auto& v = done_.at(p).objective;
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? INFINITY : s / static_cast<double>(v.size());
  }

  /// The best feasible point among `points` (evaluated), or nullopt.
  std::optional<Point> best_of(const std::vector<Point>& points) const {
    std::optional<Point> best;
    for (const auto& p : points) {
      const auto& e = done_.at(p);
      if (!e.feasible) continue;
      if (!best || mean_objective(p) < mean_objective(*best)) best = p;
    }
    return best;
  }

  json run() {
    const std::size_t n = d_.options.size();
    std::size_t grid = 1;
    for (const auto& opt : d_.options) grid *= opt.values.size();
    std::string method;
    if (grid <= o_.exhaustive_limit) {
      method = "exhaustive";
      std::vector<Point> all{Point(n, 0)};
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<Point> next;
        for (const auto& p : all)
          for (std::size_t v = 0; v < d_.options[i].values.size(); ++v) {
            Point q = p;
            q[i] = v;
            next.push_back(q);
          }
        all = next;
      }
      evaluate(all);
    } else {
      method = "coordinate descent";
      Point current(n, 0);
      for (int round = 0; round < 20; ++round) {
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i) {
          std::vector<Point> line;
          for (std::size_t v = 0; v < d_.options[i].values.size(); ++v) {
            Point q = current;
            q[i] = v;
            line.push_back(q);
          }
          evaluate(line);
          const auto best = best_of(line);
          if (best && *best != current) {
            current = *best;
            changed = true;
          }
        }
        if (!changed) break;
      }
    }
    return report(method, grid);
  }

 private:
  json choice(const Point& p) const {
    json c = json::object();
    for (std::size_t i = 0; i < p.size(); ++i) c[d_.options[i].path] = d_.options[i].values[p[i]];
    return c;
  }

  json report(const std::string& method, std::size_t grid) const {
    std::vector<Point> points;
    for (const auto& [p, e] : done_) points.push_back(p);
    std::stable_sort(points.begin(), points.end(), [&](const Point& a, const Point& b) {
      const auto &ea = done_.at(a), &eb = done_.at(b);
      if (ea.feasible != eb.feasible) return ea.feasible;
      return mean_objective(a) < mean_objective(b);
    });
    const auto best = best_of(points);
    json ranking = json::array();
    for (const auto& p : points) {
      const auto& e = done_.at(p);
      json row = {{"choice", choice(p)}, {"feasible", e.feasible}, {"violations", e.violations}};
      if (!e.objective.empty()) {
        sim::Moments m;
        for (double x : e.objective) m.add(x);
        const double sign = cost_ ? 1.0 : -1.0, offset = cost_ ? 0.0 : 1.0;
        const double mean = offset + sign * m.mean(), hw = m.ci95_half_width();
        row["objective"] = {{"mean", mean}, {"ci95", {mean - hw, mean + hw}}};
        row["capex"] = e.capex;
        row["availability"] = e.summary["facility"]["availability"]["mean"];
        row["expected_total_cost"] =
            cost_ ? e.summary["economics"]["expected_total_cost"] : json(nullptr);
        if (best) {
          // Paired, replication by replication, against the best (in the objective's sense:
          // positive means worse than the best).
          sim::Moments diff;
          const auto& b = done_.at(*best).objective;
          for (std::size_t r = 0; r < e.objective.size(); ++r) diff.add(e.objective[r] - b[r]);
          const double dm = diff.mean(), dh = diff.ci95_half_width(), se = dh / 1.96;
          const double p_best = se > 0 ? 0.5 * std::erfc(-dm / se / std::sqrt(2.0))
                                       : (dm > 0   ? 1.0
                                          : dm < 0 ? 0.0
                                                   : 0.5);
          row["worse_than_best"] = {{"mean", sign * dm},
                                    {"ci95", {sign * dm - dh, sign * dm + dh}},
                                    {"p_best_is_better", p_best}};
        }
      }
      ranking.push_back(row);
    }
    // Pareto front of capex against availability among the feasible designs.
    json pareto = json::array();
    for (const auto& p : points) {
      const auto& e = done_.at(p);
      if (!e.feasible || e.objective.empty()) continue;
      const double a = e.summary["facility"]["availability"]["mean"].get<double>();
      bool dominated = false;
      for (const auto& q : points) {
        const auto& f = done_.at(q);
        if (q == p || !f.feasible || f.objective.empty()) continue;
        const double b = f.summary["facility"]["availability"]["mean"].get<double>();
        if (f.capex <= e.capex && b >= a && (f.capex < e.capex || b > a)) dominated = true;
      }
      if (!dominated)
        pareto.push_back({{"choice", choice(p)}, {"capex", e.capex}, {"availability", a}});
    }
    std::sort(pareto.begin(), pareto.end(),
              [](const json& x, const json& y) { return x["capex"] < y["capex"]; });
    json options = json::array();
    for (const auto& opt : d_.options)
      options.push_back({{"path", opt.path}, {"values", opt.values}, {"capex", opt.capex}});
    json out = {{"design", d_.name.empty() ? d_.path : d_.name},
                {"seed", o_.run.seed},
                {"replications", o_.run.replications},
                {"objective", cost_ ? "expected total cost" : "unavailability"},
                {"search", method},
                {"grid_size", grid},
                {"points_evaluated", done_.size()},
                {"options", options},
                {"requirements",
                 [&] {
                   json r = json::array();
                   for (const auto& q : o_.requirements) r.push_back(q.text);
                   return r;
                 }()},
                {"best", best ? json(choice(*best)) : json(nullptr)},
                {"ranking", ranking},
                {"pareto", pareto}};
    if (!warnings_.empty()) out["warnings"] = warnings_;
    return out;
  }

  const topology::Design& d_;
  const OptimizeOptions& o_;
  std::vector<std::string> warnings_;
  bool cost_ = false;
  std::string objective_;
  std::map<Point, Evaluated> done_;
};

}  // namespace

json optimize_design(const topology::Design& d, const OptimizeOptions& options) {
  if (d.options.empty())
    throw std::invalid_argument("the design has no 'options' block: nothing to choose");
  return Search(d, options).run();
}

std::vector<topology::Override> best_overrides(const topology::Design& d, const json& result) {
  if (result["best"].is_null()) return {};
  return choice_overrides(d, result["best"]);
}

std::vector<topology::Override> choice_overrides(const topology::Design& d, const json& choice) {
  std::vector<topology::Override> out;
  double capex = d.economics.capex;
  for (std::size_t i = 0; i < d.options.size(); ++i) {
    const auto& opt = d.options[i];
    const std::string v = choice[opt.path].get<std::string>();
    out.push_back({opt.path, v});
    const auto at = std::find(opt.values.begin(), opt.values.end(), v) - opt.values.begin();
    capex += opt.capex[static_cast<std::size_t>(at)];
  }
  if (d.economics.present) out.push_back({"economics.capex", fmt("%.17g", capex)});
  return out;
}

json optimize_uncertainty(const topology::Design& d, const json& result,
                          const OptimizeOptions& options, std::size_t draws, std::size_t top) {
  std::vector<json> choices;
  for (const auto& row : result["ranking"])
    if (row["feasible"].get<bool>() && choices.size() < top) choices.push_back(row["choice"]);
  std::vector<topology::Design> designs;
  for (const auto& c : choices) {
    auto r = topology::load_design_text(d.text, d.path, choice_overrides(d, c));
    if (!r.design) throw std::invalid_argument("a ranked choice no longer loads");
    designs.push_back(std::move(*r.design));
  }
  std::vector<const topology::Design*> ptrs;
  for (const auto& x : designs) ptrs.push_back(&x);
  UncertaintyOptions u;
  u.draws = draws;
  u.requirements = options.requirements;
  auto blocks = propagate_uncertainty(ptrs, options.run, u);
  json out = json::array();
  for (std::size_t i = 0; i < choices.size(); ++i)
    out.push_back({{"choice", choices[i]}, {"uncertainty", blocks[i]}});
  return out;
}

void print_optimize(std::ostream& os, const json& r) {
  os << "optimize: " << r["design"].get<std::string>() << ", " << r["search"].get<std::string>()
     << " over " << r["grid_size"] << " combinations (" << r["points_evaluated"] << " run, "
     << r["replications"] << " replications each, seed " << r["seed"]
     << ", common random numbers)\nranked by " << r["objective"].get<std::string>();
  if (!r["requirements"].empty()) {
    os << "; required:";
    for (const auto& q : r["requirements"]) os << " " << q.get<std::string>();
  }
  os << "\n\n";
  std::vector<std::string> paths;
  for (const auto& o : r["options"]) paths.push_back(o["path"].get<std::string>());
  const bool cost = r["objective"] == "expected total cost";
  os << pad("#", 4);
  for (const auto& p : paths) os << pad(p, std::max<std::size_t>(10, p.size() + 2));
  os << pad("availability", 16) << pad(cost ? "expected total" : "unavailability", 18)
     << "worse than best ±95% (P best is better)\n";
  int rank = 0;
  for (const auto& row : r["ranking"]) {
    os << pad(row["feasible"].get<bool>() ? std::to_string(++rank) : "-", 4);
    for (const auto& p : paths)
      os << pad(row["choice"][p].get<std::string>(), std::max<std::size_t>(10, p.size() + 2));
    if (!row.contains("objective")) {
      os << row["violations"][0].get<std::string>() << "\n";
      continue;
    }
    const double a = row["availability"].get<double>();
    os << pad(fmt("%.6f%%", 100 * a), 16)
       << pad(cost ? money(row["objective"]["mean"].get<double>())
                   : fmt("%.4g", row["objective"]["mean"].get<double>()),
              18);
    if (row.contains("worse_than_best")) {
      const auto& w = row["worse_than_best"];
      const double m = w["mean"].get<double>();
      const double hw = (w["ci95"][1].get<double>() - w["ci95"][0].get<double>()) / 2;
      if (m == 0 && hw == 0)
        os << "(best)";
      else
        os << (cost ? money(m) + " ±" + money(hw) : fmt("%.3g", m) + " ±" + fmt("%.2g", hw)) << " ("
           << fmt("%.0f%%", 100 * w["p_best_is_better"].get<double>()) << ")";
    }
    if (!row["feasible"].get<bool>()) os << "  fails " << row["violations"][0].get<std::string>();
    os << "\n";
  }
  if (cost && !r["pareto"].empty()) {
    os << "\nPareto front, capex against availability:\n";
    for (const auto& p : r["pareto"]) {
      os << "  " << pad(money(p["capex"].get<double>()), 14)
         << pad(fmt("%.6f%%", 100 * p["availability"].get<double>()), 16);
      std::string c;
      for (const auto& [k, v] : p["choice"].items())
        c += (c.empty() ? "" : ", ") + k + "=" + v.get<std::string>();
      os << c << "\n";
    }
  }
}

}  // namespace ridethrough::experiments
