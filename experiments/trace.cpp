#include "experiments/trace.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "failure_models/facility.hpp"

namespace ridethrough::experiments {

Timeline trace_replication(const topology::Model& m, std::uint64_t seed, std::uint64_t index) {
  Timeline t;
  t.replication = index;
  failure_models::FacilitySim sim(m);
  sim.set_trace(&t.entries);
  failure_models::ReplicationResult r;
  sim.run(seed, index, r);
  for (const auto& iv : r.facility_down)
    t.facility_downtime += std::max(0.0, std::min(iv.end, m.horizon) - std::max(iv.start, 0.0));
  return t;
}

nlohmann::json timeline_json(const Timeline& t, double from, double to) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : t.entries)
    if (e.time >= from && e.time <= to)
      events.push_back({{"time_hours", e.time}, {"subject", e.subject}, {"what", e.what}});
  return {{"replication", t.replication},
          {"facility_downtime_hours", t.facility_downtime},
          {"events", events}};
}

namespace {
/// "day 52 10:34:01.5": day 1 starts at the end of the warmup.
std::string clock(double h) {
  const double day = std::floor(h / 24.0);
  double s = (h - 24.0 * day) * 3600.0;
  const int hh = static_cast<int>(s / 3600.0);
  s -= hh * 3600.0;
  const int mm = static_cast<int>(s / 60.0);
  s -= mm * 60.0;
  char b[64];
  std::snprintf(b, sizeof b, "day %d %02d:%02d:%04.1f", static_cast<int>(day) + 1, hh, mm, s);
  return b;
}
}  // namespace

void print_timeline(std::ostream& os, const Timeline& t, double from, double to) {
  char b[64];
  for (const auto& e : t.entries) {
    if (e.time < from || e.time > to) continue;
    std::snprintf(b, sizeof b, "%12.4f  %-22s", e.time, clock(e.time).c_str());
    os << b << "  " << e.subject;
    for (std::size_t k = e.subject.size(); k < 14; ++k) os << ' ';
    os << "  " << e.what << "\n";
  }
}

}  // namespace ridethrough::experiments
