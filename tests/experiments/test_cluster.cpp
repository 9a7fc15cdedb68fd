// The cluster workload: hand timelines of one job, SimGrid against the same rules, restart
// storms and checkpoint overhead against closed forms, the training closed form with
// exponential outages, Young/Daly, and placement.
#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/cluster/evaluator.hpp"
#include "experiments/cluster/spec.hpp"
#include "experiments/cluster/worker.hpp"
#include "experiments/driver.hpp"
#include "experiments/pricing.hpp"
#include "experiments/workloads/workload.hpp"
#include "failure_models/facility.hpp"
#include "tests/support/run.hpp"

using namespace ridethrough;
using namespace ridethrough::experiments::cluster;
using ridethrough::testing::check_within_ci;
using ridethrough::testing::load_yaml;
using ridethrough::testing::run_yaml;

namespace {

/// One job alone, driven by the analytic driver (or by SimGrid through a worker).
JobTally one_job(const Platform& p, const JobSpec& j, const std::vector<Span>& stops,
                 double horizon, bool simgrid = false) {
  Request r;
  r.horizon = horizon;
  r.stops = {stops};
  if (simgrid) {
    // Every write a real transfer, as inside a window.
    r.windows = {{0.0, kNever}};
    WorkerClient w(p, {j});
    return w.run(r)[0];
  }
  return run_analytic(p, {j}, r)[0];
}

void same_tally(const JobTally& a, const JobTally& b) {
  CHECK(a.lost_work == Approx(b.lost_work).margin(1e-9));
  CHECK(a.stopped == Approx(b.stopped).margin(1e-9));
  CHECK(a.restart == Approx(b.restart).margin(1e-9));
  CHECK(a.work_in_horizon == Approx(b.work_in_horizon).margin(1e-9));
  CHECK(a.write_in_horizon == Approx(b.write_in_horizon).margin(1e-9));
  CHECK(a.checkpoints == b.checkpoints);
  CHECK(a.interruptions == b.interruptions);
  REQUIRE(a.restarts.size() == b.restarts.size());
  for (std::size_t k = 0; k < a.restarts.size(); ++k) {
    CHECK(a.restarts[k].start == Approx(b.restarts[k].start).margin(1e-9));
    CHECK(a.restarts[k].completed == b.restarts[k].completed);
  }
}

}  // namespace

TEST_CASE("cluster job, hand timeline: no transfers, a stop cuts the restart", "[cluster]") {
  // Checkpoint every 1 h, 0.1 h overhead, nothing to move. Down 2.5-3.0 (0.5 h of work lost),
  // back at 3.0, the restart cut at 3.05 (0.05 h), down to 4.0, restart done at 4.1.
  const Platform p{1, 1e9, 1e9};
  const JobSpec j{{0}, 0.0, 1.0, 0.1, 0.0};
  const std::vector<Span> stops = {{2.5, 3.0}, {3.05, 4.0}};
  const JobTally t = one_job(p, j, stops, 10.0);
  CHECK(t.lost_work == Approx(0.5));
  CHECK(t.stopped == Approx(0.5 + 0.95));
  CHECK(t.restart == Approx(0.05 + 0.1));
  CHECK(t.interruptions == 2);
  REQUIRE(t.restarts.size() == 2);
  CHECK(t.restarts[0].start == 3.0);
  CHECK_FALSE(t.restarts[0].completed);
  CHECK(t.restarts[1].completed);
  // Work: 2.5 h before the stop, then 4.1 to 10; checkpoints at 1, 2 and 5.1 ... 9.1.
  CHECK(t.work_in_horizon == Approx(2.5 + 5.9));
  CHECK(t.checkpoints == 7);
  // The same hours as the closed-form training workload.
  CHECK(t.lost_work + t.stopped + t.restart ==
        Approx(experiments::training_hours({{2.5, 3.0}, {3.05, 4.0}}, 1.0, 0.1)));
}

TEST_CASE("cluster job, hand timeline: a stop during a write loses the whole interval",
          "[cluster]") {
  // One host, 90 GB per checkpoint over a 100 MB/s link: 900 s = 0.25 h to write or read.
  const Platform p{1, 100e6, 1e12};
  const JobSpec j{{0}, 90e9, 1.0, 0.1, 0.25};
  const JobTally t = one_job(p, j, {{1.1, 2.0}}, 5.0);
  // Writing 1.0-1.25 is cut at 1.1: the hour of work is lost, 0.1 h of writing spent.
  CHECK(t.lost_work == Approx(1.0));
  CHECK(t.stopped == Approx(0.9));
  // Read 2.0-2.25, overhead to 2.35; writes 3.35-3.60 and 4.60-4.85; runs to 5.
  CHECK(t.restart == Approx(0.35));
  REQUIRE(t.restarts.size() == 1);
  CHECK(t.restarts[0].read_hours == Approx(0.25));
  CHECK(t.write_in_horizon == Approx(0.1 + 0.25 + 0.25));
  CHECK(t.work_in_horizon == Approx(1.0 + 1.0 + 1.0 + 0.15));
  CHECK(t.checkpoints == 2);
  // Every hour of the horizon is accounted for once.
  CHECK(t.work_in_horizon + t.write_in_horizon + t.stopped + t.restart == Approx(5.0));
  const auto f = job_figures(t, 8.0, 5.0);
  CHECK(f.lost_gpu_hours == Approx(8.0 * 2.25));
  CHECK(f.goodput == Approx((3.15 - 1.0) / 5.0));
  CHECK(f.checkpoint_overhead_share == Approx(0.6 / 5.0));
}

TEST_CASE("cluster job: the SimGrid driver follows the same rules as the closed form",
          "[cluster][simgrid]") {
  // Four hosts at 25 GB/s each through a 400 GB/s storage: 100 GB/s for the job; 360 GB per
  // checkpoint takes 3.6 s = 0.001 h. Checkpoints every 0.5 h, 0.05 h overhead.
  const Platform p{4, 25e9, 400e9};
  const JobSpec j{{0, 1, 2, 3}, 90e9, 0.5, 0.05, 0.001};
  // A stop in a run (0.199 h lost), one in the write 1.551-1.552 (0.5 h lost), one in the read
  // 2.000-2.001.
  const std::vector<Span> stops = {{0.7, 1.0}, {1.5514, 2.0}, {2.0005, 3.0}};
  const JobTally closed = one_job(p, j, stops, 6.0);
  const JobTally simulated = one_job(p, j, stops, 6.0, true);
  same_tally(simulated, closed);
  CHECK(closed.lost_work == Approx(0.199 + 0.5));
  CHECK(closed.interruptions == 3);
  REQUIRE(closed.restarts.size() == 3);
  CHECK(closed.restarts[0].completed);
  CHECK_FALSE(closed.restarts[1].completed);
  CHECK(std::isnan(simulated.restarts[1].read_hours));
  CHECK(simulated.restarts[2].read_hours == Approx(0.001).epsilon(1e-9));
  CHECK(closed.restart == Approx(0.051 + 0.0005 + 0.051));
}

namespace {

/// Three jobs on three loads behind one grid feed that fails once, at 100 h, for 2 h; a fourth
/// job on a load of its own that fails once, at 120 h, for 1 h. Each job has 4 hosts with
/// 10 GB/s links; the storage gives 100 GB/s to all.
const std::string kStorm = R"(version: 1
horizon: 200h
components:
  grid: {kind: source, failure: {dist: fixed, value: 100h}, repair: {dist: fixed, value: 2h}}
  own: {kind: source, failure: {dist: fixed, value: 120h}, repair: {dist: fixed, value: 1h}}
  pa: {kind: node, inputs: [grid]}
  pb: {kind: node, inputs: [grid]}
  pc: {kind: node, inputs: [grid]}
loads:
  a: {demand: 100kW, power: [pa], tenant: lab}
  b: {demand: 100kW, power: [pb], tenant: lab}
  c: {demand: 100kW, power: [pc], tenant: lab}
  d: {demand: 100kW, power: [own], tenant: lab}
tenants:
  lab:
    workload:
      kind: cluster
      cost_per_gpu_hour: 1
      hosts: {a: 4, b: 4, c: 4, d: 4}
      gpus_per_host: 8
      host_bandwidth: 10GB/s
      storage_bandwidth: 100GB/s
      jobs:
        - {name: j1, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB, restart_overhead: 6min}
        - {name: j2, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB, restart_overhead: 6min}
        - {name: j3, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB, restart_overhead: 6min}
        - {name: lone, hosts: 4, checkpoint_interval: 1000h, checkpoint_size: 360GB, restart_overhead: 6min}
)";

/// Replication `index` of a design, through the facility simulation and the cluster model.
ClusterOutcome outcome_of(const testing::LoadedDesign& l, const ClusterModel& cm,
                          std::uint64_t index = 0) {
  failure_models::FacilitySim sim(l.model);
  failure_models::ReplicationResult r;
  sim.run(1, index, r);
  ClusterEvaluator e(cm);
  ClusterOutcome out;
  e.evaluate(l.model, r, out);
  return out;
}

}  // namespace

TEST_CASE("restart storm: N jobs read N C over the storage at once", "[cluster][simgrid][exact]") {
  const auto l = load_yaml(kStorm);
  const ClusterModel cm = build_cluster_model(l.model);
  REQUIRE(cm.tenants.size() == 1);
  REQUIRE(cm.tenants[0].contention);  // 16 x 10 GB/s of links against 100 GB/s of storage
  const ClusterOutcome out = outcome_of(l, cm);
  CHECK(out.simulated == 1);
  const double C = 360e9, B = 100e9, hosts_bw = 4 * 10e9, overhead = 0.1;
  for (int j = 0; j < 3; ++j) {
    const auto& t = out.jobs[0][j];
    REQUIRE(t.restarts.size() == 1);
    CHECK(t.restarts[0].start == 102.0);
    // 12 flows share the storage: each gets 100/12 GB/s < 10 GB/s, so B is what limits.
    CHECK(std::fabs(t.restarts[0].read_hours * 3600 - 3 * C / B) < 1e-6);
    CHECK(std::fabs(t.restart - (3 * C / B / 3600 + overhead)) < 1e-6);
  }
  // Alone, the job reads through its own four links: C / min(B, 4 x 10 GB/s).
  const auto& lone = out.jobs[0][3];
  REQUIRE(lone.restarts.size() == 1);
  CHECK(lone.restarts[0].start == 121.0);
  CHECK(std::fabs(lone.restarts[0].read_hours * 3600 - C / std::min(B, hosts_bw)) < 1e-6);
  CHECK(std::fabs(lone.restart - (C / std::min(B, hosts_bw) / 3600 + overhead)) < 1e-6);
  // Synchronized writes of the three jobs contend all the time: each takes 3 C / B in steady
  // state, and the lone job (no writes in the calibration period) keeps its own time.
  CHECK(cm.tenants[0].jobs[0].analytic_write * 3600 == Approx(3 * C / B).epsilon(1e-9));
  CHECK(cm.tenants[0].alone_write_hours[0] * 3600 == Approx(C / hosts_bw).epsilon(1e-12));
}

TEST_CASE("checkpoint overhead without failures: (C/b) / (interval + C/b)", "[cluster][exact]") {
  // One job, 4 hosts x 10 GB/s (b = 40 GB/s < 100 GB/s storage), 360 GB: 9 s per write. The
  // horizon is exactly 100 cycles of 1 h + 9 s.
  const double w = 9.0 / 3600.0;
  auto s = run_yaml(R"(version: 1
horizon: 100.25h
components:
  u: {kind: source}
loads:
  a: {demand: 100kW, power: [u], tenant: lab}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 1, hosts: {a: 4}, gpus_per_host: 8,
               host_bandwidth: 10GB/s, storage_bandwidth: 100GB/s,
               jobs: [{name: j, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB}]}
)",
                    4);
  const auto& j = s["tenants"]["lab"]["jobs"]["j"];
  CHECK(j["checkpoint_overhead_share"]["mean"].get<double>() == Approx(w / (1.0 + w)));
  CHECK(j["goodput"]["mean"].get<double>() == Approx(1.0 / (1.0 + w)));
  CHECK(j["lost_gpu_hours"]["mean"].get<double>() == 0.0);
  CHECK(s["tenants"]["lab"]["cost"]["mean"].get<double>() == 0.0);
  CHECK(j["checkpoint_write_hours"]["alone"].get<double>() == Approx(w));

  // Twelve hosts: 120 GB/s of links against 100 GB/s of storage, so the storage limits:
  // b = min(B, n h) = 100 GB/s and a write takes 3.6 s.
  const double w12 = 3.6 / 3600.0;
  auto s12 = run_yaml(R"(version: 1
horizon: 100.1h
components:
  u: {kind: source}
loads:
  a: {demand: 100kW, power: [u], tenant: lab}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 1, hosts: {a: 12}, gpus_per_host: 8,
               host_bandwidth: 10GB/s, storage_bandwidth: 100GB/s,
               jobs: [{name: j, hosts: 12, checkpoint_interval: 1h, checkpoint_size: 360GB}]}
)",
                      2);
  const auto& j12 = s12["tenants"]["lab"]["jobs"]["j"];
  CHECK(j12["checkpoint_write_hours"]["alone"].get<double>() == Approx(w12));
  CHECK(j12["checkpoint_overhead_share"]["mean"].get<double>() == Approx(w12 / (1.0 + w12)));
}

TEST_CASE("checkpoint overhead with contention: three synchronized jobs share the storage",
          "[cluster][simgrid][exact]") {
  // Three identical jobs write at the same moments: each write takes 3 C / B = 10.8 s.
  auto s = run_yaml(R"(version: 1
horizon: 100.3h
components:
  u: {kind: source}
loads:
  a: {demand: 100kW, power: [u], tenant: lab}
tenants:
  lab:
    workload:
      kind: cluster
      cost_per_gpu_hour: 1
      hosts: {a: 12}
      gpus_per_host: 8
      host_bandwidth: 10GB/s
      storage_bandwidth: 100GB/s
      jobs:
        - {name: j1, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB}
        - {name: j2, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB}
        - {name: j3, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 360GB}
)",
                    2);
  const double w = 10.8 / 3600.0;
  for (const char* job : {"j1", "j2", "j3"}) {
    const auto& j = s["tenants"]["lab"]["jobs"][job];
    CHECK(j["checkpoint_write_hours"]["steady"].get<double>() == Approx(w).epsilon(1e-9));
    CHECK(j["checkpoint_overhead_share"]["mean"].get<double>() ==
          Approx(w / (1.0 + w)).epsilon(1e-9));
  }
  CHECK(s["tenants"]["lab"]["simgrid"]["contention"].get<bool>());
}

TEST_CASE("cluster job with exponential outages: the training closed form", "[cluster][exact]") {
  // As for the training workload (test_costs.cpp): up X ~ exp(100 h), down 1 h, restart
  // 0.5 h cut short if X < 0.5, work lost modulo the 2 h checkpoint interval. Nothing to move,
  // so the restart is the overhead alone. A training tenant on the same load must give the
  // same hours replication by replication.
  const double l = 0.01, R = 0.5, C = 2.0, D = 1.0;
  const double lost = 1.0 / l - C * std::exp(-l * C) / (1.0 - std::exp(-l * C));
  const double per_cycle = D + (1.0 - std::exp(-l * R)) / l + std::exp(-l * R) * lost;
  const double horizon = 100 * 8760.0;
  const double gpus = 16 * 8;
  const auto s = run_yaml(R"(
version: 1
horizon: 100y
components:
  u: {kind: source, failure: {dist: exponential, mean: 100h}, repair: {dist: fixed, value: 1h}}
loads:
  l: {demand: 1MW, power: [u], tenant: lab}
  m: {demand: 1MW, power: [u], tenant: old}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 1, hosts: {l: 16}, gpus_per_host: 8,
               host_bandwidth: 1GB/s, storage_bandwidth: 1TB/s,
               jobs: [{name: j, hosts: 16, checkpoint_interval: 2h, checkpoint_size: 0,
                       restart_overhead: 30min}]}
  old: {workload: {kind: training, checkpoint_interval: 2h, restart_time: 30min, cost_per_hour: 128}}
)",
                          300, 13);
  const auto& j = s["tenants"]["lab"]["jobs"]["j"];
  check_within_ci(j["lost_gpu_hours"], gpus * horizon / (100.0 + D) * per_cycle);
  CHECK(j["lost_gpu_hours"]["mean"].get<double>() ==
        Approx(s["tenants"]["old"]["cost"]["mean"].get<double>()).epsilon(1e-9));
  CHECK(s["tenants"]["lab"]["cost"]["mean"].get<double>() ==
        Approx(j["lost_gpu_hours"]["mean"].get<double>()));
}

TEST_CASE("cluster results are bit-identical whatever the thread count", "[cluster][simgrid]") {
  std::string yaml = kStorm;
  // Random outages so that many replications go to SimGrid, each different.
  yaml.replace(yaml.find("{dist: fixed, value: 100h}"), 26, "{dist: exponential, mean: 150h}");
  const auto one = run_yaml(yaml, 24, 5, 1), two = run_yaml(yaml, 24, 5, 2);
  CHECK(one["tenants"] == two["tenants"]);
  CHECK(one["performance"]["simgrid_replications"].get<int>() > 5);
}

namespace {
testing::LoadedDesign load_with(const std::string& yaml, const std::string& path,
                                const std::string& value) {
  return testing::loaded_or_fail(
      experiments::load_and_compile_text(yaml, "test.yaml", {{path, value}}));
}
}  // namespace

TEST_CASE("Young/Daly: wasted GPU-hours are lowest near sqrt(2 x write time x MTBF)",
          "[cluster][decisions]") {
  // One job: outages every 50 h on average (exponential), a write (and a read) of 0.1 h.
  // Young's interval: sqrt(2 x 0.1 x 50) = 3.16 h. Lost GPU-hours alone only grow with the
  // interval; adding the writing time gives the trade-off Young and Daly solved.
  const std::string yaml = R"(version: 1
horizon: 1y
components:
  u: {kind: source, failure: {dist: exponential, mean: 50h}, repair: {dist: fixed, value: 0.1h}}
loads:
  a: {demand: 100kW, power: [u], tenant: lab}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 1, hosts: {a: 4}, gpus_per_host: 8,
               host_bandwidth: 10GB/s, storage_bandwidth: 100GB/s,
               jobs: [{name: j, hosts: 4, checkpoint_interval: 1h, checkpoint_size: 14.4TB}]}
)";
  const std::vector<std::string> intervals = {"1h", "1.8h", "3.2h", "5.6h", "10h"};
  std::vector<testing::LoadedDesign> variants;
  for (const auto& v : intervals)
    variants.push_back(load_with(yaml, "tenants.lab.workload.jobs.j.checkpoint_interval", v));
  std::vector<experiments::DesignRun> runs;
  for (const auto& v : variants) runs.push_back({&v.design, &v.model, ""});
  experiments::RunOptions o;
  o.replications = 200;
  o.threads = 2;
  const auto summaries = experiments::run_designs(runs, o);
  std::vector<double> wasted, lost;
  for (const auto& s : summaries) {
    const auto& j = s["tenants"]["lab"]["jobs"]["j"];
    wasted.push_back(j["wasted_gpu_hours"]["mean"].get<double>());
    lost.push_back(j["lost_gpu_hours"]["mean"].get<double>());
  }
  const auto best = std::min_element(wasted.begin(), wasted.end()) - wasted.begin();
  CHECK(intervals[best] == "3.2h");
  for (std::size_t k = 1; k < lost.size(); ++k) CHECK(lost[k] > lost[k - 1]);
  // The neighbours are worse by more than their paired interval (common random numbers).
  for (std::size_t k : {std::size_t{1}, std::size_t{3}}) {
    const auto& d = summaries[k]["differences"]["tenants"]["lab"]["jobs"]["j"]["wasted_gpu_hours"];
    const auto& d_best =
        summaries[best]["differences"]["tenants"]["lab"]["jobs"]["j"]["wasted_gpu_hours"];
    CHECK(d["mean"].get<double>() - d_best["mean"].get<double>() > 0.0);
  }
  // Expected waste per hour, renewal argument: W / (I + W) of the running time, and at each
  // outage (rate 1/50 per hour) the work since the checkpoint (about (I + W) / 2 on average;
  // exactly E[X mod (I + W)] for the exponential run X, minus nothing for the write) plus
  // 0.1 h down and 0.1 h read. Checked at Young's interval within the run's own interval.
  const double W = 0.1, I = 3.2, lambda = 1.0 / 50.0, cyc = I + W;
  const double mod = 1.0 / lambda - cyc * std::exp(-lambda * cyc) / (1.0 - std::exp(-lambda * cyc));
  // Of E[X mod cycle], the part spent writing is lost time too, so all of it is waste.
  const double per_outage = mod + 0.1 + 0.1;
  const double cycle = 1.0 / lambda + 0.1 + 0.1;  // up, down, read
  const double waste_per_hour = (per_outage + (1.0 / lambda - mod) * W / cyc) / cycle;
  check_within_ci(summaries[2]["tenants"]["lab"]["jobs"]["j"]["wasted_gpu_hours"],
                  32 * 8760.0 * waste_per_hour, 5.0);
}

TEST_CASE("placement on a 2N design: packed exposes a job to one hall, spread to both",
          "[cluster][decisions]") {
  // Two halls, each fed by two independent paths (2N); a 16-host job fits in one hall.
  const std::string yaml = R"(version: 1
horizon: 1y
components:
  s: {kind: source}
  a1: {kind: node, inputs: [s], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
  a2: {kind: node, inputs: [s], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
  b1: {kind: node, inputs: [s], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
  b2: {kind: node, inputs: [s], failure: {dist: exponential, mean: 200h}, repair: {dist: exponential, mean: 10h}}
loads:
  hall_a: {demand: 1MW, power: [a1, a2], tenant: lab}
  hall_b: {demand: 1MW, power: [b1, b2], tenant: lab}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 2.5, hosts: {hall_a: 32, hall_b: 32},
               gpus_per_host: 8, host_bandwidth: 50GB/s, storage_bandwidth: 400GB/s,
               placement: packed,
               jobs: [{name: j, hosts: 16, checkpoint_interval: 1h, checkpoint_size: 0,
                       restart_overhead: 10min}]}
)";
  const auto packed = load_yaml(yaml);
  const auto spread = load_with(yaml, "tenants.lab.workload.placement", "spread");
  const ClusterModel cp = build_cluster_model(packed.model), cs = build_cluster_model(spread.model);
  CHECK(cp.tenants[0].job_loads[0] == std::vector<int>{0});
  CHECK(cs.tenants[0].job_loads[0] == std::vector<int>{0, 1});
  experiments::RunOptions o;
  o.replications = 400;
  o.threads = 2;
  const auto s = experiments::run_designs(
      {{&packed.design, &packed.model, ""}, {&spread.design, &spread.model, ""}}, o);
  const double lp = s[0]["tenants"]["lab"]["jobs"]["j"]["lost_gpu_hours"]["mean"].get<double>();
  const double ls = s[1]["tenants"]["lab"]["jobs"]["j"]["lost_gpu_hours"]["mean"].get<double>();
  const auto& d = s[1]["differences"]["tenants"]["lab"]["jobs"]["j"]["lost_gpu_hours"];
  // Spread is worse, beyond its paired interval ...
  CHECK(d["ci95"][0].get<double>() > 0.0);
  CHECK(d["p_better"].get<double>() < 0.001);
  // ... by about a factor two: the halls are identical and independent, and a job spread over
  // both stops at either hall's outages (the overlap of two rare outages is negligible).
  CHECK(ls / lp == Approx(2.0).epsilon(0.15));
}

TEST_CASE("bundled ref_ai_cluster.yaml: packed pods, a storm at every facility outage",
          "[cluster][designs]") {
  const auto l = testing::load_bundled("ref_ai_cluster.yaml");
  const ClusterModel cm = build_cluster_model(l.model);
  REQUIRE(cm.tenants.size() == 1);
  const auto& tc = cm.tenants[0];
  CHECK(tc.platform.hosts == 1000);
  // Packed in file order: pretrain fills pods 1-3 and 18 hosts of pod 4; the rest is in pod 4.
  CHECK(tc.job_loads[0] == std::vector<int>{0, 1, 2, 3});
  CHECK(tc.job_loads[1] == std::vector<int>{3});
  experiments::RunOptions o;
  o.replications = 300;
  o.threads = 2;
  const auto s = experiments::run_design(l.design, l.model, o);
  const auto& t = s["tenants"]["ai_cloud"];
  double lost = 0.0;
  for (const auto& [name, j] : t["jobs"].items()) lost += j["lost_gpu_hours"]["mean"].get<double>();
  CHECK(t["lost_gpu_hours"]["mean"].get<double>() == Approx(lost));
  CHECK(t["workload_cost"]["mean"].get<double>() == Approx(2.5 * lost));
  // Every job stops with pod 4; reads after a stop are slower than alone (they share the
  // storage), by up to the whole checkpoint volume over the storage bandwidth.
  const auto& ft = t["jobs"]["finetune_a"];
  CHECK(ft["read_hours_per_restart"].get<double>() > ft["read_hours_alone"].get<double>());
  CHECK(ft["read_hours_per_restart"].get<double>() * 3600 <=
        (6.5e12 + 2 * 1.6e12 + 0.3e12) / 200e9 + 1e-6);
}

TEST_CASE("cluster end to end: fixed outages give the hand timeline exactly", "[cluster][exact]") {
  // The feed fails after every 10 h up, for 1 h. Checkpoints every 4 h, restart 0.5 h, nothing
  // to move. Down at 10 (2 h lost since the checkpoint at 8), back 11, running 11.5; down at 21
  // (1.5 h lost since 19.5), back 22, running 22.5; the next failure (32) is past the horizon.
  const auto s = run_yaml(R"(version: 1
horizon: 30h
components:
  u: {kind: source, failure: {dist: fixed, value: 10h}, repair: {dist: fixed, value: 1h}}
loads:
  a: {demand: 100kW, power: [u], tenant: lab}
tenants:
  lab:
    workload: {kind: cluster, cost_per_gpu_hour: 3, hosts: {a: 2}, gpus_per_host: 8,
               host_bandwidth: 1TB/s, storage_bandwidth: 1000TB/s,
               jobs: [{name: j, hosts: 2, checkpoint_interval: 4h, checkpoint_size: 0,
                       restart_overhead: 30min}]}
)",
                          3);
  const auto& j = s["tenants"]["lab"]["jobs"]["j"];
  CHECK(j["lost_gpu_hours"]["mean"].get<double>() == Approx(16 * 6.5).epsilon(1e-12));
  CHECK(j["lost_gpu_hours"]["std"].get<double>() == 0.0);
  CHECK(j["restart_hours"]["mean"].get<double>() == Approx(1.0).epsilon(1e-12));
  CHECK(j["interruptions"]["mean"].get<double>() == 2.0);
  // Surviving work: 8 + 8 (11.5 to 19.5) + 7.5 (22.5 to 30) hours of the 30.
  CHECK(j["goodput"]["mean"].get<double>() == Approx(23.5 / 30.0).epsilon(1e-12));
  CHECK(s["tenants"]["lab"]["cost"]["mean"].get<double>() == Approx(3 * 16 * 6.5).epsilon(1e-12));
}
