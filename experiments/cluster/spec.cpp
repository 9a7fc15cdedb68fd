#include "experiments/cluster/spec.hpp"

#include <algorithm>

namespace ridethrough::experiments::cluster {

double alone_seconds(const Platform& p, const JobSpec& j) {
  if (j.bytes_per_host <= 0.0 || j.hosts.empty()) return 0.0;
  const double n = static_cast<double>(j.hosts.size());
  return j.bytes_per_host / std::min(p.host_bandwidth, p.storage_bandwidth / n);
}

namespace {
void put_spans(sim::Archive& a, const std::vector<Span>& v) {
  std::vector<double> flat;
  flat.reserve(2 * v.size());
  for (const auto& s : v) flat.push_back(s.start), flat.push_back(s.end);
  a.put(flat);
}
void get_spans(sim::Archive& a, std::vector<Span>& v) {
  std::vector<double> flat;
  a.get(flat);
  v.resize(flat.size() / 2);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = {flat[2 * i], flat[2 * i + 1]};
}
}  // namespace

void save(sim::Archive& a, const Platform& p, const std::vector<JobSpec>& jobs) {
  a.put(p.hosts), a.put(p.host_bandwidth), a.put(p.storage_bandwidth);
  a.put<std::uint64_t>(jobs.size());
  for (const auto& j : jobs) {
    a.put(j.hosts), a.put(j.bytes_per_host), a.put(j.interval), a.put(j.overhead);
    a.put(j.analytic_write);
  }
}

void load(sim::Archive& a, Platform& p, std::vector<JobSpec>& jobs) {
  a.get(p.hosts), a.get(p.host_bandwidth), a.get(p.storage_bandwidth);
  std::uint64_t n = 0;
  a.get(n);
  jobs.resize(n);
  for (auto& j : jobs) {
    a.get(j.hosts), a.get(j.bytes_per_host), a.get(j.interval), a.get(j.overhead);
    a.get(j.analytic_write);
  }
}

void save(sim::Archive& a, const Request& r) {
  a.put(r.horizon);
  put_spans(a, r.windows);
  a.put<std::uint64_t>(r.stops.size());
  for (const auto& s : r.stops) put_spans(a, s);
  a.put<std::uint8_t>(r.record_writes);
}

void load(sim::Archive& a, Request& r) {
  a.get(r.horizon);
  get_spans(a, r.windows);
  std::uint64_t n = 0;
  a.get(n);
  r.stops.resize(n);
  for (auto& s : r.stops) get_spans(a, s);
  std::uint8_t w = 0;
  a.get(w);
  r.record_writes = w != 0;
}

void save(sim::Archive& a, const std::vector<JobTally>& tallies) {
  a.put<std::uint64_t>(tallies.size());
  for (const auto& t : tallies) {
    a.put(t.lost_work), a.put(t.stopped), a.put(t.restart);
    a.put(t.work_in_horizon), a.put(t.write_in_horizon);
    a.put(t.interruptions), a.put(t.checkpoints);
    std::vector<double> rows;
    for (const auto& r : t.restarts)
      rows.push_back(r.start), rows.push_back(r.read_hours),
          rows.push_back(r.completed ? 1.0 : 0.0);
    a.put(rows);
    put_spans(a, t.writes);
  }
}

void load(sim::Archive& a, std::vector<JobTally>& tallies) {
  std::uint64_t n = 0;
  a.get(n);
  tallies.resize(n);
  for (auto& t : tallies) {
    a.get(t.lost_work), a.get(t.stopped), a.get(t.restart);
    a.get(t.work_in_horizon), a.get(t.write_in_horizon);
    a.get(t.interruptions), a.get(t.checkpoints);
    std::vector<double> rows;
    a.get(rows);
    t.restarts.resize(rows.size() / 3);
    for (std::size_t i = 0; i < t.restarts.size(); ++i)
      t.restarts[i] = {rows[3 * i], rows[3 * i + 1], rows[3 * i + 2] != 0.0};
    get_spans(a, t.writes);
  }
}

std::vector<JobTally> run_analytic(const Platform& p, const std::vector<JobSpec>& jobs,
                                   const Request& r) {
  std::vector<JobTally> out;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const JobTimeline tl{jobs[j].interval, jobs[j].overhead, jobs[j].analytic_write, r.horizon,
                         &r.stops[j],      &r.windows,       r.record_writes};
    JobMachine m(tl);
    const double transfer = alone_seconds(p, jobs[j]) / 3600.0;
    for (Step s = m.next(); s.kind != Step::Done; s = m.next()) {
      if (s.kind == Step::Wait) {
        m.woke();
      } else {
        const double t = m.now() + transfer;
        m.transferred(std::min(t, s.until), t <= s.until);
      }
    }
    out.push_back(m.tally());
  }
  return out;
}

}  // namespace ridethrough::experiments::cluster
