#include "experiments/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "experiments/text.hpp"
#include "sim/rng.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

using nlohmann::json;
using topology::Design;
using Target = UncertainParameter::Target;

namespace {

/// z of the 95th percentile: EF = p95 / p50 = exp(1.645 sigma).
constexpr double kZ95 = 1.6448536269514722;

/// The id a component was written as (a `count:` copy stands for its entry).
std::map<std::string, std::string> written_ids(const Design& d) {
  std::map<std::string, std::string> out;
  for (const auto& [written, copies] : d.counted)
    for (const auto& c : copies) out[c] = written;
  return out;
}

void add_law(std::vector<UncertainParameter>& out, const topology::Law& law, const std::string& id,
             const std::string& written, const std::string& field, Target t, int component,
             int event = -1) {
  if (!law.uncertainty.present()) return;
  const std::string where = field + "." + law.scale_key();
  const std::string key =
      law.uncertainty.shared.empty() ? written + "." + where : law.uncertainty.shared;
  out.push_back(
      {key, id + "." + where, law.scale, law.uncertainty.error_factor, false, t, component, event});
}

void add_prob(std::vector<UncertainParameter>& out, const topology::Uncertainty& u, double p,
              const std::string& id, const std::string& written, const std::string& field, Target t,
              int component) {
  if (!u.present()) return;
  const std::string key = u.shared.empty() ? written + "." + field : u.shared;
  out.push_back({key, id + "." + field, p, u.error_factor, true, t, component, -1});
}

/// A figure's spread over the draws.
json spread(std::vector<double> v) {
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  return {{"mean", mean},
          {"p05", hazen_quantile(v, 0.05)},
          {"p50", hazen_quantile(v, 0.50)},
          {"p95", hazen_quantile(v, 0.95)}};
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[idx[k]] = 0.5 * static_cast<double>(i + j);  // ties
    i = j + 1;
  }
  return r;
}

/// Spearman's rank correlation; nullopt when either side does not vary.
std::optional<double> spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const auto ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double sab = 0.0, saa = 0.0, sbb = 0.0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  if (saa <= 0.0 || sbb <= 0.0) return std::nullopt;
  return sab / std::sqrt(saa * sbb);
}

/// The figures reported over the draws: (label, summary path).
std::vector<std::pair<std::string, std::string>> figures(const json& summary) {
  std::vector<std::pair<std::string, std::string>> f = {
      {"facility.availability", "facility.availability"},
      {"facility.downtime_hours", "facility.downtime_hours"},
      {"facility.outages", "facility.outages"}};
  if (summary.contains("loads"))
    for (const auto& [id, _] : summary["loads"].items())
      f.push_back({"loads." + id + ".availability", "loads." + id + ".availability"});
  if (summary.contains("tenants"))
    for (const auto& [id, _] : summary["tenants"].items())
      f.push_back({"tenants." + id + ".cost", "tenants." + id + ".cost"});
  if (summary.contains("economics"))
    f.push_back({"economics.expected_total_cost", "economics.expected_total_cost"});
  return f;
}

/// Puts `value` at a dotted path of `j` (`facility.availability`).
void put(json& j, const std::string& path, json value) {
  std::string pointer = "/";
  for (char ch : path) pointer += ch == '.' ? '/' : ch;
  j[json::json_pointer(pointer)] = std::move(value);
}

struct DesignDraws {
  std::vector<UncertainParameter> params;
  std::vector<std::pair<std::string, std::string>> figures;
  std::vector<std::vector<double>> values;  ///< [figure][draw]
};

json block(const DesignDraws& dd, const ParameterDraws& draws, const UncertaintyOptions& o,
           const RunOptions& run) {
  json b;
  b["draws"] = o.draws;
  b["replications_per_draw"] = run.replications;
  b["sampling"] =
      "Latin hypercube over the parameters; each value times EF^(z/1.645), z standard normal "
      "(the stated value is the median, EF = p95/p50); every draw runs the same seed (common "
      "random numbers)";
  for (std::size_t f = 0; f < dd.figures.size(); ++f)
    put(b, dd.figures[f].first, spread(dd.values[f]));
  json params = json::array(), drivers = json::object();
  std::map<std::string, json> by_key;
  for (const auto& p : dd.params) {
    auto& e = by_key[p.key];
    e["parameter"] = p.key;
    e["error_factor"] = p.error_factor;
    e["paths"].push_back(p.path);
  }
  for (auto& [key, e] : by_key) params.push_back(e);
  b["parameters"] = params;
  for (std::size_t f = 0; f < dd.figures.size(); ++f) {
    std::vector<std::pair<double, std::string>> rho;
    for (const auto& [key, _] : by_key) {
      std::vector<double> z;
      for (std::size_t k = 0; k < o.draws; ++k) z.push_back(draws.of(key, k));
      if (auto r = spearman(z, dd.values[f])) rho.push_back({*r, key});
    }
    std::sort(rho.begin(), rho.end(), [](const auto& a, const auto& b) {
      return std::fabs(a.first) > std::fabs(b.first) ||
             (std::fabs(a.first) == std::fabs(b.first) && a.second < b.second);
    });
    json list = json::array();
    for (const auto& [r, key] : rho) list.push_back({{"parameter", key}, {"rank_correlation", r}});
    if (!list.empty()) drivers[dd.figures[f].first] = list;
  }
  b["drivers"] = drivers;
  return b;
}

/// The share of draws in which every requirement holds, and each alone.
void requirements(json& b, const UncertaintyOptions& o, const std::vector<json>& per_draw) {
  if (o.requirements.empty()) return;
  double all = 0.0;
  json each = json::object();
  for (const auto& req : o.requirements) each[req.text] = 0.0;
  for (const auto& s : per_draw) {
    bool ok = true;
    for (const auto& req : o.requirements) {
      const auto v = summary_figure(s, req.path);
      if (!v) throw std::invalid_argument("--require " + req.text + ": no such figure");
      const bool met = req.met(*v);
      ok = ok && met;
      each[req.text] = each[req.text].get<double>() + (met ? 1.0 : 0.0);
    }
    all += ok ? 1.0 : 0.0;
  }
  const double k = static_cast<double>(per_draw.size());
  for (auto& [_, v] : each.items()) v = v.get<double>() / k;
  b["probability_meets"] = all / k;
  b["probability_meets_each"] = each;
}

}  // namespace

std::vector<UncertainParameter> uncertain_parameters(const Design& d) {
  std::vector<UncertainParameter> out;
  const auto written = written_ids(d);
  for (std::size_t i = 0; i < d.components.size(); ++i) {
    const auto& c = d.components[i];
    const std::string id = "components." + c.id;
    const auto w = written.find(c.id);
    const std::string as = w == written.end() ? c.id : w->second;
    const int ci = static_cast<int>(i);
    add_law(out, c.failure, id, as, "failure", Target::Failure, ci);
    add_law(out, c.repair, id, as, "repair", Target::Repair, ci);
    add_law(out, c.standby_failure, id, as, "standby_failure", Target::Standby, ci);
    add_prob(out, c.start_fail_uncertainty, c.start_fail_prob, id, as, "start.fail_prob",
             Target::StartFail, ci);
    add_prob(out, c.transfer_fail_uncertainty, c.transfer_fail_prob, id, as, "transfer.fail_prob",
             Target::TransferFail, ci);
    for (std::size_t e = 0; e < c.events.size(); ++e)
      add_law(out, c.events[e].duration, id, as, "events." + c.events[e].name + ".duration",
              Target::Event, ci, static_cast<int>(e));
  }
  if (d.curtailment.present)
    add_law(out, d.curtailment.duration, "grid.curtailment", "grid.curtailment", "duration",
            Target::Call, -1);
  return out;
}

double ParameterDraws::of(const std::string& key, std::size_t k) const {
  const auto it = std::lower_bound(keys.begin(), keys.end(), key);
  return z[static_cast<std::size_t>(it - keys.begin())][k];
}

ParameterDraws draw_parameters(std::vector<std::string> keys, std::size_t draws,
                               std::uint64_t seed) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  ParameterDraws out;
  out.keys = keys;
  const boost::math::normal_distribution<double> normal;
  for (const auto& key : keys) {
    sim::Rng rng(sim::stream_key(seed, draws, topology::name_hash("uncertainty:" + key)));
    std::vector<std::size_t> stratum(draws);
    std::iota(stratum.begin(), stratum.end(), 0);
    for (std::size_t i = draws; i > 1; --i)  // Fisher-Yates
      std::swap(stratum[i - 1], stratum[static_cast<std::size_t>(rng.uniform() * i)]);
    std::vector<double> z;
    for (std::size_t k = 0; k < draws; ++k) {
      const double u = (static_cast<double>(stratum[k]) + rng.uniform()) / draws;
      z.push_back(boost::math::quantile(normal, std::clamp(u, 1e-12, 1.0 - 1e-12)));
    }
    out.z.push_back(z);
  }
  return out;
}

Design apply_draw(const Design& d, const std::vector<UncertainParameter>& ps,
                  const ParameterDraws& draws, std::size_t k) {
  Design out = d;
  for (const auto& p : ps) {
    const double factor = std::exp(draws.of(p.key, k) * std::log(p.error_factor) / kZ95);
    auto* c = p.component >= 0 ? &out.components[static_cast<std::size_t>(p.component)] : nullptr;
    switch (p.target) {
      case Target::Failure:
        c->failure.scale = p.value * factor;
        break;
      case Target::Repair:
        c->repair.scale = p.value * factor;
        break;
      case Target::Standby:
        c->standby_failure.scale = p.value * factor;
        break;
      case Target::StartFail:
        c->start_fail_prob = std::min(1.0, p.value * factor);
        break;
      case Target::TransferFail:
        c->transfer_fail_prob = std::min(1.0, p.value * factor);
        break;
      case Target::Event:
        c->events[static_cast<std::size_t>(p.event)].duration.scale = p.value * factor;
        break;
      case Target::Call:
        out.curtailment.duration.scale = p.value * factor;
        break;
    }
  }
  return out;
}

double hazen_quantile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  const double h = p * static_cast<double>(v.size()) - 0.5;
  if (h <= 0.0) return v.front();
  if (h >= static_cast<double>(v.size() - 1)) return v.back();
  const auto lo = static_cast<std::size_t>(h);
  return v[lo] + (h - static_cast<double>(lo)) * (v[lo + 1] - v[lo]);
}

std::vector<json> propagate_uncertainty(const std::vector<const Design*>& ds, const RunOptions& run,
                                        const UncertaintyOptions& o) {
  std::vector<DesignDraws> dd(ds.size());
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < ds.size(); ++i) {
    dd[i].params = uncertain_parameters(*ds[i]);
    for (const auto& p : dd[i].params) keys.push_back(p.key);
  }
  const ParameterDraws draws = draw_parameters(keys, o.draws, run.seed);
  RunOptions inner = run;
  inner.progress = false;
  inner.out.clear();
  std::vector<std::vector<json>> per_draw(ds.size());
  for (std::size_t k = 0; k < o.draws; ++k) {
    if (o.progress) std::cerr << "\rparameter draw " << k + 1 << " of " << o.draws << std::flush;
    std::vector<Design> drawn;
    for (std::size_t i = 0; i < ds.size(); ++i)
      drawn.push_back(apply_draw(*ds[i], dd[i].params, draws, k));
    std::vector<topology::Model> models;
    for (const auto& d : drawn) models.push_back(topology::compile(d));
    std::vector<DesignRun> runs;
    for (std::size_t i = 0; i < ds.size(); ++i) runs.push_back({&drawn[i], &models[i], ""});
    auto summaries = run_designs(runs, inner);
    for (std::size_t i = 0; i < ds.size(); ++i) {
      if (k == 0) {
        dd[i].figures = figures(summaries[i]);
        dd[i].values.assign(dd[i].figures.size(), {});
      }
      for (std::size_t f = 0; f < dd[i].figures.size(); ++f)
        dd[i].values[f].push_back(
            summary_figure(summaries[i], dd[i].figures[f].second).value_or(0.0));
      per_draw[i].push_back(std::move(summaries[i]));
    }
  }
  if (o.progress) std::cerr << "\r" << std::string(40, ' ') << "\r";
  std::vector<json> out;
  for (std::size_t i = 0; i < ds.size(); ++i) {
    out.push_back(block(dd[i], draws, o, run));
    requirements(out.back(), o, per_draw[i]);
  }
  // Which design is better in each draw: the expected total cost when all have economics,
  // else the facility's availability.
  bool cost = true;
  for (const auto* d : ds) cost = cost && d->economics.present;
  const std::string figure = cost ? "economics.expected_total_cost" : "facility.availability";
  for (std::size_t i = 1; i < ds.size(); ++i) {
    double better = 0.0;
    for (std::size_t k = 0; k < o.draws; ++k) {
      const double a = summary_figure(per_draw[0][k], figure).value_or(0.0);
      const double b = summary_figure(per_draw[i][k], figure).value_or(0.0);
      better += (cost ? b < a : b > a) ? 1.0 : b == a ? 0.5 : 0.0;
    }
    out[i]["probability_better_than_first"] = {
        {"figure", figure},
        {"better", cost ? "lower" : "higher"},
        {"probability", better / static_cast<double>(o.draws)}};
  }
  return out;
}

void print_uncertainty(std::ostream& os, const json& b) {
  os << "\nparameter uncertainty: " << b["draws"].get<std::size_t>()
     << " draws (Latin hypercube) x " << b["replications_per_draw"].get<std::uint64_t>()
     << " replications\n";
  os << pad("figure", 34) << pad("mean", 14) << pad("p05", 14) << pad("p50", 14) << "p95\n";
  const auto row = [&](const std::string& label, const json& s) {
    os << pad(label, 34);
    for (const char* k : {"mean", "p05", "p50"}) os << pad(plain(s[k].get<double>(), 6), 14);
    os << plain(s["p95"].get<double>(), 6) << "\n";
  };
  for (const char* f : {"availability", "downtime_hours", "outages"})
    row(std::string("facility ") + f, b["facility"][f]);
  if (b.contains("loads"))
    for (const auto& [id, l] : b["loads"].items())
      row("load " + id + " availability", l["availability"]);
  if (b.contains("tenants"))
    for (const auto& [id, t] : b["tenants"].items()) row("tenant " + id + " cost", t["cost"]);
  if (b.contains("economics")) row("expected total cost", b["economics"]["expected_total_cost"]);
  if (b.contains("probability_meets"))
    os << "probability of meeting every --require: "
       << plain(b["probability_meets"].get<double>(), 3) << "\n";
  if (b.contains("probability_better_than_first")) {
    const auto& p = b["probability_better_than_first"];
    os << "probability this design is better than the first (" << p["figure"].get<std::string>()
       << " " << p["better"].get<std::string>() << "): " << plain(p["probability"].get<double>(), 3)
       << "\n";
  }
  if (b["drivers"].contains("facility.availability")) {
    os << "what drives the facility's availability (Spearman rank correlation over the draws):";
    int shown = 0;
    for (const auto& d : b["drivers"]["facility.availability"]) {
      if (shown++ == 5) break;
      os << " " << d["parameter"].get<std::string>() << " "
         << fmt("%+.2f", d["rank_correlation"].get<double>());
    }
    os << "\n";
  }
}

}  // namespace ridethrough::experiments
