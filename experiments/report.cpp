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
  const double a = b["availability"]["mean"].get<double>();
  const auto& ci = b["availability"]["ci95"];
  const double hw = (ci[1].get<double>() - ci[0].get<double>()) / 2.0;
  os << pad(name, 22) << pad(percent_availability(a) + " ±" + fmt("%.2g", 100.0 * hw), 28)
     << pad(nines(a), 7) << pad(num(b["downtime_hours"]["mean"]), 12)
     << pad(num(b["outages"]["mean"]), 11)
     << (b["outage_duration_hours"].is_null() ? std::string("-")
                                              : num(b["outage_duration_hours"]["mean"]))
     << "\n";
}

}  // namespace

void print_run_table(std::ostream& os, const json& s) {
  os << "design: " << s["design"].get<std::string>() << "  (" << s["replications"]
     << " replications of " << num(s["horizon_hours"], "%g") << " h, seed " << s["seed"] << ")\n\n";
  os << pad("", 22) << pad("availability ±95%", 28) << pad("nines", 7) << pad("downtime h", 12)
     << pad("outages", 11) << "mean outage h\n";
  row(os, "facility", s["facility"]);
  for (const auto& [name, b] : s["loads"].items()) row(os, "  " + name, b);
  const auto& d = s["facility"]["downtime_hours"];
  os << "\nfacility downtime per replication (h): p50 " << num(d["p50"]) << "  p90 "
     << num(d["p90"]) << "  p99 " << num(d["p99"]) << "  max " << num(d["max"]) << "\n";
  const auto& o = s["facility"]["outage_duration_hours"];
  if (!o.is_null())
    os << "facility outage duration (h):         p50 " << num(o["p50"]) << "  p90 " << num(o["p90"])
       << "  p99 " << num(o["p99"]) << "  max " << num(o["max"]) << "\n";

  if (!s["facility"]["top_causes"].empty()) {
    os << "\ntop causes of facility outages (components down when it began):\n";
    for (const auto& c : s["facility"]["top_causes"]) {
      std::string ids;
      for (const auto& id : c["components"])
        ids += (ids.empty() ? "" : " + ") + id.get<std::string>();
      if (ids.empty()) ids = "(none down: a dynamic cause such as a transfer or battery run-out)";
      os << "  " << std::setw(6) << fmt("%.1f%%", 100.0 * c["share"].get<double>()) << "  " << ids
         << "\n";
    }
  }

  if (!s["tenants"].empty()) {
    os << "\n"
       << pad("tenant", 22) << pad("cost mean", 14) << pad("p99", 14) << pad("cvar99", 14)
       << pad("max", 14) << "SLA breach months\n";
    for (const auto& [name, t] : s["tenants"].items()) {
      const auto& c = t["cost"];
      os << pad("  " + name, 22) << pad(num(c["mean"], "%.6g"), 14)
         << pad(num(c["p99"], "%.6g"), 14) << pad(num(c["cvar99"], "%.6g"), 14)
         << pad(num(c["max"], "%.6g"), 14)
         << (t["sla_breach_probability"].is_null()
                 ? std::string("-")
                 : fmt("%.3g%%", 100.0 * t["sla_breach_probability"].get<double>()))
         << "\n";
    }
  }
  if (s.contains("economics")) {
    const auto& e = s["economics"];
    os << "\neconomics: capex " << num(e["capex"], "%.6g") << " + " << num(e["years"], "%g")
       << " years x (opex " << num(e["annual_opex"], "%.6g") << " + tenant cost "
       << num(e["expected_yearly_tenant_cost"], "%.6g") << ") = expected total "
       << num(e["expected_total_cost"], "%.6g") << "\n";
  }

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
  os << "\n"
     << pad("component", 22) << pad("outage share", 14) << pad("failures", 11) << "downtime h\n";
  for (std::size_t k = 0; k < comps.size() && k < 10; ++k) {
    const auto& c = comps[k].second;
    os << pad("  " + comps[k].first, 22)
       << pad(c["outage_share"].is_null() ? "-"
                                          : fmt("%.1f%%", 100.0 * c["outage_share"].get<double>()),
              14)
       << pad(num(c["failures"]), 11) << num(c["downtime_hours"]) << "\n";
  }
  if (comps.size() > 10) os << "  ... " << comps.size() - 10 << " more in --json\n";
  const auto& p = s["performance"];
  os << "\nperformance: " << p["events"] << " events in " << num(p["wall_seconds"], "%.3g")
     << " s (" << num(p["events_per_second"], "%.3g") << " events/s, "
     << num(p["replications_per_second"], "%.3g") << " replications/s, " << p["threads"]
     << " threads)\n";
}

void print_compare_table(std::ostream& os, const std::vector<json>& all) {
  if (all.empty()) return;
  os << "compare: " << all[0]["replications"] << " replications each, seed " << all[0]["seed"]
     << "\n\n";
  const std::size_t w = 24;
  os << pad("", 30);
  for (const auto& s : all) os << pad(s["design"].get<std::string>().substr(0, w - 1), w);
  os << "\n";
  auto line = [&](const std::string& label, auto cell) {
    os << pad(label, 30);
    for (const auto& s : all) os << pad(cell(s), w);
    os << "\n";
  };
  line("availability", [](const json& s) {
    return percent_availability(s["facility"]["availability"]["mean"].get<double>());
  });
  line("  ±95%", [](const json& s) {
    const auto& ci = s["facility"]["availability"]["ci95"];
    return fmt("%.2g", 50.0 * (ci[1].get<double>() - ci[0].get<double>())) + " pts";
  });
  line("nines",
       [](const json& s) { return nines(s["facility"]["availability"]["mean"].get<double>()); });
  line("downtime h / horizon",
       [](const json& s) { return num(s["facility"]["downtime_hours"]["mean"]); });
  line("downtime p99 h", [](const json& s) { return num(s["facility"]["downtime_hours"]["p99"]); });
  line("outages / horizon", [](const json& s) { return num(s["facility"]["outages"]["mean"]); });
  line("mean outage h", [](const json& s) {
    const auto& o = s["facility"]["outage_duration_hours"];
    return o.is_null() ? std::string("-") : num(o["mean"]);
  });
  // Tenants present in any design, side by side: expected cost and its tail.
  std::vector<std::string> tenant_names;
  for (const auto& s : all)
    for (const auto& [name, t] : s["tenants"].items())
      if (std::find(tenant_names.begin(), tenant_names.end(), name) == tenant_names.end())
        tenant_names.push_back(name);
  for (const auto& name : tenant_names) {
    for (const char* stat : {"mean", "p99", "cvar99"}) {
      line(name + " cost " + stat + " / horizon", [&](const json& s) {
        if (!s["tenants"].contains(name)) return std::string("-");
        return num(s["tenants"][name]["cost"][stat], "%.6g");
      });
    }
  }
  bool any_econ = false;
  for (const auto& s : all) any_econ = any_econ || s.contains("economics");
  if (any_econ) {
    line("capex", [](const json& s) {
      return s.contains("economics") ? num(s["economics"]["capex"], "%.6g") : std::string("-");
    });
    line("expected total cost", [](const json& s) {
      return s.contains("economics") ? num(s["economics"]["expected_total_cost"], "%.6g")
                                     : std::string("-");
    });
    line("rank (by expected total cost)", [](const json& s) {
      return s.contains("economics") && s["economics"].contains("rank")
                 ? std::to_string(s["economics"]["rank"].get<int>())
                 : std::string("-");
    });
  }
  line("top cause", [](const json& s) {
    const auto& t = s["facility"]["top_causes"];
    if (t.empty()) return std::string("-");
    std::string ids;
    for (const auto& id : t[0]["components"])
      ids += (ids.empty() ? "" : "+") + id.get<std::string>();
    return (ids.empty() ? std::string("(dynamic)") : ids) + " " +
           fmt("%.0f%%", 100.0 * t[0]["share"].get<double>());
  });
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
