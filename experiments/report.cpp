#include "experiments/report.hpp"

#include "experiments/temp_files.hpp"
#include "experiments/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace ridethrough::experiments {

using nlohmann::json;

namespace {

std::string num(const json& v, const char* f = "%.4g") {
  return v.is_number() ? fmt(f, v.get<double>()) : std::string("-");
}

std::string percent_availability(double a) {
  // Enough digits to show the first non-nine.
  int decimals = 3;
  if (a < 1.0) decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(1.0 - a))) - 1, 3, 10);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * a);
  return buf;
}

void row(std::ostream& os, const std::string& name, const json& b) {
  if (b.value("critical_loads", 1) == 0) {
    os << pad(name, 22) << "no critical load (the facility is never in outage)\n";
    return;
  }
  const double a = b["availability"]["mean"].get<double>();
  const auto& ci = b["availability"]["ci95"];
  const double hw = (ci[1].get<double>() - ci[0].get<double>()) / 2.0;
  os << pad(name, 22) << pad(percent_availability(a) + " ±" + plain(100.0 * hw, 2), 28)
     << pad(nines(a), 11) << pad(num(b["downtime_hours"]["mean"]), 12)
     << pad(num(b["outages"]["mean"]), 11)
     << (b["outage_duration_hours"].is_null() ? std::string("-")
                                              : num(b["outage_duration_hours"]["mean"]))
     << "\n";
}

std::string money_or_dash(const json& v) {
  return v.is_number() ? money(v.get<double>()) : std::string("-");
}

/// A cell split into lines of at most `width` characters, at spaces where possible.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    while (w.size() > width) {  // a word longer than the column is cut across lines
      if (!line.empty()) lines.push_back(line), line.clear();
      lines.push_back(w.substr(0, width));
      w = w.substr(width);
    }
    if (!line.empty() && line.size() + 1 + w.size() > width) lines.push_back(line), line.clear();
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

/// A paired difference against the first design: "+0.0012 ±0.0003 (P better 99.9%)".
std::string difference(const json& d, const char* f, double scale = 1.0) {
  if (!d.is_object()) return "-";
  const double m = scale * d["mean"].get<double>();
  const double hw = scale * (d["ci95"][1].get<double>() - d["ci95"][0].get<double>()) / 2.0;
  std::string mean = fmt(f, m);
  if (mean.find('e') != std::string::npos) mean = (m > 0 ? "+" : "") + plain(m, 3);
  return mean + " ±" + plain(hw, 2) + " P" + fmt("%.0f%%", 100.0 * d["p_better"].get<double>());
}

}  // namespace

namespace {

/// The header, availability of the facility and each load, downtime and outage quantiles.
void print_availability(std::ostream& os, const json& s) {
  const std::string per = per_horizon(s["horizon_hours"].get<double>());
  os << "design: " << s["design"].get<std::string>() << "  (" << s["replications"]
     << " replications of " << num(s["horizon_hours"], "%g") << " h, seed " << s["seed"] << ")\n\n";
  os << pad("", 22) << pad("availability ±95% pts", 28) << pad("nines", 11)
     << pad("downtime h" + per, 12) << pad("outages" + per, 11) << "mean outage h\n";
  row(os, "facility", s["facility"]);
  for (const auto& [name, b] : s["loads"].items()) row(os, "  " + name, b);
  const auto& d = s["facility"]["downtime_hours"];
  os << "\nfacility downtime per replication (h): p50 " << num(d["p50"]) << "  p90 "
     << num(d["p90"]) << "  p99 " << num(d["p99"]) << "  max " << num(d["max"]) << "\n";
  const auto& o = s["facility"]["outage_duration_hours"];
  if (!o.is_null())
    os << "facility outage duration (h):         p50 " << num(o["p50"]) << "  p90 " << num(o["p90"])
       << "  p99 " << num(o["p99"]) << "  max " << num(o["max"]) << "\n";
}

/// The top causes, with the share of facility outages each began.
void print_causes(std::ostream& os, const json& s) {
  if (!s["facility"]["top_causes"].empty()) {
    os << "\ntop causes of facility outages (what was down -> what the site did with it):\n";
    for (const auto& c : s["facility"]["top_causes"])
      os << "  " << std::setw(6) << fmt("%.1f%%", 100.0 * c["share"].get<double>()) << "  "
         << c["mechanism"].get<std::string>() << "\n";
  }
}

/// Energy not delivered, curtailment calls and their generators, grid event classes.
void print_energy_and_grid(std::ostream& os, const json& s) {
  const std::string per = per_horizon(s["horizon_hours"].get<double>());
  // Loads that received only part of their energy (divisible, curtailed).
  std::string partial;
  for (const auto& [name, b] : s["loads"].items())
    if (b.contains("energy_delivered_share") && b["energy_delivered_share"].get<double>() < 1.0)
      partial += (partial.empty() ? "" : ", ") + name + " " +
                 fmt("%.3f%%", 100 * b["energy_delivered_share"].get<double>());
  if (!partial.empty()) os << "energy delivered (share of demand):    " << partial << "\n";
  if (s.contains("curtailment")) {
    const auto& c = s["curtailment"];
    os << "curtailment calls: " << fmt("%.3g", c["calls"].get<double>()) << per << ", "
       << fmt("%.4g", c["mwh_shed"]["mean"].get<double>()) << " MWh given up" << per << ", revenue "
       << money_or_dash(c["revenue"]["mean"]) << per << " (p99 "
       << money_or_dash(c["revenue"]["p99"]) << "), penalty " << money_or_dash(c["penalty"]["mean"])
       << per << "\n";
    if (c.contains("generator_cost"))
      os << "  call generators: " << fmt("%.4g", c["mwh_generated"]["mean"].get<double>())
         << " MWh carried under the limit" << per << " (paid as import given up), running cost "
         << money_or_dash(c["generator_cost"]["mean"]) << per << "\n";
  }
  for (const auto& [id, comp] : s["components"].items())
    if (comp.contains("events"))
      for (const auto& [name, e] : comp["events"].items())
        os << "grid events " << id << ":" << name << ": " << fmt("%.3g", e["count"].get<double>())
           << per << ", keeping the feed down " << fmt("%.3g", e["hours"].get<double>()) << " h"
           << per
           << (e["outage_share"].is_null()
                   ? std::string()
                   : ", at the start of " + fmt("%.1f%%", 100 * e["outage_share"].get<double>()) +
                         " of facility outages")
           << "\n";
}

/// Tenant costs: mean, tail, SLA credits and lost work.
void print_tenants(std::ostream& os, const json& s) {
  const std::string per = per_horizon(s["horizon_hours"].get<double>());
  if (!s["tenants"].empty()) {
    os << "\n"
       << pad("tenant cost" + per, 22) << pad("mean", 14) << pad("p99", 14) << pad("cvar99", 14)
       << pad("max", 14) << pad("SLA credits", 14) << pad("lost work", 14) << "SLA breach months\n";
    for (const auto& [name, t] : s["tenants"].items()) {
      const auto& c = t["cost"];
      const auto part = [&](const char* key) {
        return t.contains(key) ? money_or_dash(t[key]["mean"]) : std::string("-");
      };
      os << pad("  " + name, 22) << pad(money_or_dash(c["mean"]), 14)
         << pad(money_or_dash(c["p99"]), 14) << pad(money_or_dash(c["cvar99"]), 14)
         << pad(money_or_dash(c["max"]), 14) << pad(part("sla_cost"), 14)
         << pad(part("workload_cost"), 14)
         << (t["sla_breach_probability"].is_null()
                 ? std::string("-")
                 : fmt("%.3g%%", 100.0 * t["sla_breach_probability"].get<double>()))
         << "\n";
    }
  }
}

/// Cluster tenants: what the facility's outages cost their training jobs.
void print_cluster_jobs(std::ostream& os, const json& s) {
  const std::string per = per_horizon(s["horizon_hours"].get<double>());
  // Cluster tenants: what the facility's outages cost their training jobs.
  bool cluster_header = false;
  for (const auto& [name, t] : s["tenants"].items()) {
    if (!t.contains("jobs")) continue;
    if (!cluster_header) {
      os << "\n"
         << pad("cluster jobs" + per, 26) << pad("GPUs", 7) << pad("lost GPU-h", 12)
         << pad("p99", 10) << pad("restart h", 11) << pad("p99", 9) << pad("stops", 8)
         << pad("ckpt share", 12) << "goodput\n";
      cluster_header = true;
    }
    auto row = [&](const std::string& label, const json& j, const std::string& gpus) {
      os << pad(label, 26) << pad(gpus, 7)
         << pad(fmt("%.4g", j["lost_gpu_hours"]["mean"].get<double>()), 12)
         << pad(num(j["lost_gpu_hours"]["p99"], "%.4g"), 10)
         << pad(fmt("%.3g", j["restart_hours"]["mean"].get<double>()), 11)
         << pad(num(j["restart_hours"]["p99"], "%.3g"), 9)
         << pad(fmt("%.3g", j["interruptions"]["mean"].get<double>()), 8)
         << pad(fmt("%.3f%%", 100 * j["checkpoint_overhead_share"]["mean"].get<double>()), 12)
         << fmt("%.3f%%", 100 * j["goodput"]["mean"].get<double>()) << "\n";
    };
    int gpus = 0;
    for (const auto& [job, j] : t["jobs"].items()) {
      row("  " + name + "/" + job, j, std::to_string(j["gpus"].get<int>()));
      gpus += j["gpus"].get<int>();
    }
    if (t["jobs"].size() > 1) row("  " + name + " (all jobs)", t, std::to_string(gpus));
    // What sharing the storage costs: reads after stops (restart storms) and steady writes,
    // against the same transfer alone.
    std::string reads, writes;
    for (const auto& [job, j] : t["jobs"].items()) {
      const double alone = 3600 * j["checkpoint_write_hours"]["alone"].get<double>();
      if (!j["read_hours_per_restart"].is_null())
        reads += " " + job + " " + fmt("%.3g", 3600 * j["read_hours_per_restart"].get<double>()) +
                 " s (" + fmt("%.3g", alone) + " s)";
      writes += " " + job + " " +
                fmt("%.3g", 3600 * j["checkpoint_write_hours"]["steady"].get<double>()) + " s (" +
                fmt("%.3g", alone) + " s)";
    }
    if (!reads.empty()) os << "  checkpoint read after a stop, mean (alone):" << reads << "\n";
    os << "  checkpoint write, steady state (alone):" << writes << "\n";
  }
}

/// Capex, opex and the expected total cost.
void print_economics(std::ostream& os, const json& s) {
  if (s.contains("economics")) {
    const auto& e = s["economics"];
    os << "\neconomics: capex " << money_or_dash(e["capex"]) << " + " << num(e["years"], "%g")
       << " years x (opex " << money_or_dash(e["annual_opex"]) << " + tenant cost "
       << money_or_dash(e["expected_yearly_tenant_cost"])
       << (e.contains("expected_yearly_curtailment_net")
               ? " + curtailment net " + money_or_dash(e["expected_yearly_curtailment_net"])
               : std::string())
       << ")"
       << (e.value("discount_rate", 0.0) > 0
               ? " discounted at " + fmt("%g%%", 100.0 * e["discount_rate"].get<double>())
               : std::string())
       << " = expected total " << money_or_dash(e["expected_total_cost"]) << "\n";
  }
}

/// The ten components with the largest outage share.
void print_components(std::ostream& os, const json& s) {
  const std::string per = per_horizon(s["horizon_hours"].get<double>());
  // Components ranked by outage share, then by downtime.
  std::vector<std::pair<std::string, json>> comps;
  for (const auto& [name, c] : s["components"].items()) comps.emplace_back(name, c);
  using Entry = std::pair<std::string, json>;
  std::stable_sort(comps.begin(), comps.end(), [](const Entry& a, const Entry& b) {
    const double sa =
        a.second["outage_share"].is_null() ? 0 : a.second["outage_share"].get<double>();
    const double sb =
        b.second["outage_share"].is_null() ? 0 : b.second["outage_share"].get<double>();
    if (sa != sb) return sa > sb;
    return a.second["downtime_hours"].get<double>() > b.second["downtime_hours"].get<double>();
  });
  const bool fv = !comps.empty() && comps[0].second.contains("downtime_share");
  os << "\n"
     << pad("component", 22) << pad("outage share", 14) << (fv ? pad("downtime share", 16) : "")
     << pad("failures" + per, 13) << "downtime h" << per << "\n";
  for (std::size_t k = 0; k < comps.size() && k < 10; ++k) {
    const auto& c = comps[k].second;
    os << pad("  " + comps[k].first, 22)
       << pad(c["outage_share"].is_null() ? "-"
                                          : fmt("%.1f%%", 100.0 * c["outage_share"].get<double>()),
              14);
    if (fv)
      os << pad(c["downtime_share"].is_null()
                    ? "-"
                    : fmt("%.1f%%", 100.0 * c["downtime_share"].get<double>()),
                16);
    os << pad(num(c["failures"]), 13) << num(c["downtime_hours"]) << "\n";
  }
  if (comps.size() > 10) os << "  ... " << comps.size() - 10 << " more in --json\n";
}

/// Events and replications a second.
void print_performance(std::ostream& os, const json& s) {
  const auto& p = s["performance"];
  os << "\nperformance: " << p["events"] << " events in " << num(p["wall_seconds"], "%.3g")
     << " s (" << num(p["events_per_second"], "%.3g") << " events/s, "
     << num(p["replications_per_second"], "%.3g") << " replications/s, " << p["threads"]
     << " threads)\n";
}

}  // namespace

void print_run_table(std::ostream& os, const json& s) {
  print_availability(os, s);
  print_causes(os, s);
  print_energy_and_grid(os, s);
  print_tenants(os, s);
  print_cluster_jobs(os, s);
  print_economics(os, s);
  print_components(os, s);
  print_performance(os, s);
}

namespace {

/// The `compare` table: one column per design, one row per figure, with the paired
/// difference against the first design under the figures that have one.
class CompareTable {
 public:
  CompareTable(std::ostream& os, const std::vector<json>& all)
      : os_(os), all_(all), per_(per_horizon(all[0]["horizon_hours"].get<double>())) {}

  void print() {
    header();
    facility_rows();
    tenant_rows();
    job_rows();
    economics_rows();
    std::vector<std::string> why;
    for (const auto& s : all_) {
      const auto& t = s["facility"]["top_causes"];
      why.push_back(t.empty() ? "-"
                              : fmt("%.0f%% ", 100.0 * t[0]["share"].get<double>()) +
                                    t[0]["mechanism"].get<std::string>());
    }
    wrapped_row("top cause", why);
  }

 private:
  static constexpr std::size_t kWidth = 26, kLabel = 32;

  void header() {
    os_ << "compare: " << all_[0]["replications"] << " replications each, seed " << all_[0]["seed"]
        << (all_.size() > 1 ? "; differences are paired, against the first design (common random "
                              "numbers), ± their 95% interval, P the chance the design is better"
                            : "")
        << "\n\n";
    std::vector<std::string> names;
    for (const auto& s : all_) names.push_back(s["design"].get<std::string>());
    wrapped_row("", names);
  }

  /// Cells wrapped over as many lines as the longest needs, the label on the first.
  void wrapped_row(const std::string& label, const std::vector<std::string>& cells) {
    std::vector<std::vector<std::string>> wrapped;
    std::size_t lines = 1;
    for (const auto& c : cells) {
      wrapped.push_back(wrap(c, kWidth - 2));
      lines = std::max(lines, wrapped.back().size());
    }
    for (std::size_t l = 0; l < lines; ++l) {
      os_ << pad(l == 0 ? label : "", kLabel);
      for (const auto& c : wrapped) os_ << pad(l < c.size() ? c[l] : "", kWidth);
      os_ << "\n";
    }
  }

  template <class Cell>
  void line(const std::string& name, Cell cell) {
    os_ << pad(name, kLabel);
    for (std::size_t i = 0; i < all_.size(); ++i) os_ << pad(cell(all_[i], i), kWidth);
    os_ << "\n";
  }

  void diff_line(const std::string& name, const std::string& path, const char* f,
                 double scale = 1.0) {
    if (all_.size() < 2) return;
    line(name, [&](const json& s, std::size_t i) {
      if (i == 0) return std::string("(reference)");
      std::string pointer = "/differences/";
      for (char ch : path) pointer += ch == '.' ? '/' : ch;
      const json::json_pointer p(pointer);
      return s.contains(p) ? difference(s[p], f, scale) : std::string("-");
    });
  }

  /// A paired difference of money: "-12,255 ±54.95 P100%".
  static std::string money_difference(const json& d) {
    const double hw = (d["ci95"][1].get<double>() - d["ci95"][0].get<double>()) / 2;
    return money(d["mean"].get<double>()) + " ±" + money(hw) + " P" +
           fmt("%.0f%%", 100.0 * d["p_better"].get<double>());
  }

  void facility_rows() {
    line("availability", [](const json& s, std::size_t) {
      return percent_availability(s["facility"]["availability"]["mean"].get<double>());
    });
    line("  ±95%", [](const json& s, std::size_t) {
      const auto& ci = s["facility"]["availability"]["ci95"];
      return plain(50.0 * (ci[1].get<double>() - ci[0].get<double>()), 2) + " pts";
    });
    diff_line("  difference (pts)", "facility.availability", "%+.2g", 100.0);
    line("nines", [](const json& s, std::size_t) {
      return nines(s["facility"]["availability"]["mean"].get<double>());
    });
    line("downtime h" + per_,
         [](const json& s, std::size_t) { return num(s["facility"]["downtime_hours"]["mean"]); });
    diff_line("  difference", "facility.downtime_hours", "%+.3g");
    line("downtime p99 h",
         [](const json& s, std::size_t) { return num(s["facility"]["downtime_hours"]["p99"]); });
    line("outages" + per_,
         [](const json& s, std::size_t) { return num(s["facility"]["outages"]["mean"]); });
    diff_line("  difference", "facility.outages", "%+.3g");
    line("mean outage h", [](const json& s, std::size_t) {
      const auto& o = s["facility"]["outage_duration_hours"];
      return o.is_null() ? std::string("-") : num(o["mean"]);
    });
  }

  /// Tenants present in any design, side by side: expected cost and its tail.
  void tenant_rows() {
    std::vector<std::string> names;
    for (const auto& s : all_)
      for (const auto& [name, t] : s["tenants"].items())
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    for (const auto& name : names)
      for (const char* stat : {"mean", "p99", "cvar99"}) {
        line(name + " cost " + stat + per_, [&](const json& s, std::size_t) {
          if (!s["tenants"].contains(name)) return std::string("-");
          return money_or_dash(s["tenants"][name]["cost"][stat]);
        });
        if (std::string(stat) != "mean" || all_.size() < 2) continue;
        line("  difference", [&](const json& s, std::size_t i) {
          if (i == 0) return std::string("(reference)");
          const json::json_pointer p("/differences/tenants/" + name + "/cost");
          return s.contains(p) ? money_difference(s[p]) : std::string("-");
        });
      }
  }

  /// Cluster jobs present in any design: lost GPU-hours and their paired difference.
  void job_rows() {
    std::vector<std::pair<std::string, std::string>> jobs;
    for (const auto& s : all_)
      for (const auto& [name, t] : s["tenants"].items())
        if (t.contains("jobs"))
          for (const auto& [job, j] : t["jobs"].items())
            if (std::find(jobs.begin(), jobs.end(), std::pair(name, job)) == jobs.end())
              jobs.emplace_back(name, job);
    for (const auto& [name, job] : jobs) {
      line(name + "/" + job + " lost GPU-h" + per_, [&](const json& s, std::size_t) {
        const json::json_pointer p("/tenants/" + name + "/jobs/" + job + "/lost_gpu_hours/mean");
        return s.contains(p) ? num(s[p]) : std::string("-");
      });
      diff_line("  difference", "tenants." + name + ".jobs." + job + ".lost_gpu_hours", "%+.3g");
    }
  }

  void economics_rows() {
    bool any = false;
    for (const auto& s : all_) any = any || s.contains("economics");
    if (!any) return;
    line("capex", [](const json& s, std::size_t) {
      return s.contains("economics") ? money_or_dash(s["economics"]["capex"]) : std::string("-");
    });
    line("expected total cost", [](const json& s, std::size_t) {
      return s.contains("economics") ? money_or_dash(s["economics"]["expected_total_cost"])
                                     : std::string("-");
    });
    if (all_.size() > 1)
      line("  difference", [&](const json& s, std::size_t i) {
        if (i == 0) return std::string("(reference)");
        const json::json_pointer p("/differences/economics/expected_total_cost");
        return s.contains(p) ? money_difference(s[p]) : std::string("-");
      });
    line("rank (by expected total cost)", [](const json& s, std::size_t) {
      return s.contains("economics") && s["economics"].contains("rank")
                 ? std::to_string(s["economics"]["rank"].get<int>())
                 : std::string("-");
    });
  }

  std::ostream& os_;
  const std::vector<json>& all_;
  const std::string per_;
};

}  // namespace

void print_compare_table(std::ostream& os, const std::vector<json>& all) {
  if (!all.empty()) CompareTable(os, all).print();
}

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  track_temp_file(tmp);
  struct Untrack {
    const std::string& p;
    ~Untrack() { untrack_temp_file(p); }
  } untrack{tmp};
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write '" + path + "'");
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw std::runtime_error("error while writing '" + path + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot move the output into place at '" + path + "'");
  }
}

}  // namespace ridethrough::experiments
