#include "experiments/cluster/simgrid_run.hpp"

#include <xbt/log.h>
#include <simgrid/s4u.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace ridethrough::experiments::cluster {

namespace sg4 = simgrid::s4u;

struct SimgridCluster::Impl {
  std::unique_ptr<sg4::Engine> engine;
  std::vector<sg4::Host*> hosts;
  sg4::Host* storage = nullptr;
  sg4::Host* manager = nullptr;  ///< runs the job actors; never fails
};

SimgridCluster::SimgridCluster(const Platform& p) : impl_(std::make_unique<Impl>()) {
  auto& I = *impl_;
  // SimGrid reports to stderr by default; only its critical messages are worth showing here.
  xbt_log_control_set("root.thres:critical");
  std::string name = "ridethrough-cluster";
  I.engine = std::make_unique<sg4::Engine>(name);
  // Exact fair sharing of the bandwidth (see the README's cluster section); must come before
  // the first zone.
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/crosstraffic:0");
  auto* zone = sg4::create_star_zone("cluster");
  auto route = [&](sg4::Host* h, double bandwidth, const std::string& link) {
    auto* l = zone->create_link(link, bandwidth)->set_latency(0)->seal();
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(l)}, true);
  };
  for (int i = 0; i < p.hosts; ++i) {
    auto* h = zone->create_host("host" + std::to_string(i), 1e9)->seal();
    route(h, p.host_bandwidth, "link" + std::to_string(i));
    I.hosts.push_back(h);
  }
  I.storage = zone->create_host("storage", 1e9)->seal();
  route(I.storage, p.storage_bandwidth, "storage");
  I.manager = zone->create_host("manager", 1e9)->seal();
  zone->seal();
}

SimgridCluster::~SimgridCluster() = default;

namespace {

/// One job: waits where the machine says to, and moves each checkpoint as one flow per host.
void drive(JobMachine& m, const JobSpec& j, const std::vector<sg4::Host*>& hosts,
           sg4::Host* storage) {
  const auto bytes = static_cast<std::uint64_t>(std::llround(j.bytes_per_host));
  for (Step s = m.next(); s.kind != Step::Done; s = m.next()) {
    if (s.kind == Step::Wait) {
      sg4::this_actor::sleep_until(s.until * 3600.0);
      m.woke();
      continue;
    }
    if (bytes == 0) {
      m.transferred(m.now(), true);
      continue;
    }
    std::vector<sg4::CommPtr> comms;
    comms.reserve(j.hosts.size());
    for (int h : j.hosts)
      comms.push_back(s.kind == Step::Write ? sg4::Comm::sendto_async(hosts[h], storage, bytes)
                                            : sg4::Comm::sendto_async(storage, hosts[h], bytes));
    const double timeout =
        s.until == kNever ? -1.0 : std::max(0.0, s.until * 3600.0 - sg4::Engine::get_clock());
    const std::size_t done = sg4::Comm::wait_all_for(comms, timeout);
    if (done == comms.size()) {
      m.transferred(sg4::Engine::get_clock() / 3600.0, true);
    } else {
      // A host went down: its flows stop, and so do the others (the checkpoint is useless).
      for (auto& c : comms)
        if (c->get_state() != sg4::Activity::State::FINISHED) c->cancel();
      m.transferred(s.until, false);
    }
  }
}

}  // namespace

std::vector<JobTally> SimgridCluster::run(const std::vector<JobSpec>& jobs, const Request& r) {
  auto& I = *impl_;
  // The clock runs in seconds of facility time, up to a year and more. SimGrid's default
  // precision on times (1e-9 s) is finer than a double can resolve at 3e7 s, and its engine then
  // stalls on actions that can no longer progress; use a few units in the last place of the
  // latest time the run can reach instead.
  double latest = r.horizon;
  for (const auto& stops : r.stops)
    if (!stops.empty()) latest = std::max(latest, stops.back().end);
  for (const auto& j : jobs) latest += j.overhead + j.interval;
  const double ulp = std::nextafter(latest * 3600.0, kNever) - latest * 3600.0;
  sg4::Engine::set_config("surf/precision", std::max(1e-9, 16.0 * ulp));
  std::vector<std::unique_ptr<JobMachine>> machines;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    const JobTimeline tl{jobs[j].interval, jobs[j].overhead, jobs[j].analytic_write, r.horizon,
                         &r.stops[j],      &r.windows,       r.record_writes};
    machines.push_back(std::make_unique<JobMachine>(tl));
    JobMachine* m = machines.back().get();
    const JobSpec* spec = &jobs[j];
    sg4::Actor::create("job" + std::to_string(j), I.manager,
                       [m, spec, &I]() { drive(*m, *spec, I.hosts, I.storage); });
  }
  I.engine->run();
  std::vector<JobTally> out;
  for (std::size_t j = 0; j < machines.size(); ++j) {
    // A job that did not reach its end would give a truncated tally: never report one.
    if (!machines[j]->done())
      throw std::runtime_error("SimGrid stopped with job " + std::to_string(j) + " unfinished at " +
                               std::to_string(machines[j]->now()) + " h");
    out.push_back(machines[j]->tally());
  }
  return out;
}

}  // namespace ridethrough::experiments::cluster
