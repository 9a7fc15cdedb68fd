#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/cluster/stats.hpp"
#include "experiments/economics.hpp"
#include "experiments/full_results.hpp"
#include "experiments/pricing.hpp"
#include "failure_models/importance.hpp"
#include "failure_models/replication.hpp"
#include "failure_models/splitting.hpp"
#include "sim/runner.hpp"
#include "sim/stats.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// Statistics of one "thing that can be down" (a load, or the facility) over replications.
struct DowntimeStats {
  sim::Moments downtime;  ///< hours within the horizon, per replication
  sim::Moments outages;   ///< outages starting within the horizon, per replication
  sim::Sample downtime_sample;
  sim::Sample durations;           ///< full length of every outage, pooled over replications
  std::uint64_t shed_outages = 0;  ///< outages that began with the load shed for capacity

  /// Returns the replication's downtime within the horizon.
  double add(const std::vector<failure_models::Interval>& down, double horizon);
  void merge(const DowntimeStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

/// Cost statistics of one tenant over replications.
struct TenantStats {
  sim::Moments cost, sla, workload;
  sim::Sample cost_sample;
  std::uint64_t months = 0, breach_months = 0;
  void merge(const TenantStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

/// The figures of one replication that designs are compared on, by their path in the summary
/// ("facility.availability", "loads.hall.outages", "tenants.acme.cost",
/// "economics.expected_total_cost"), and which way is better.
struct FigureSet {
  std::vector<std::string> paths;
  std::vector<int> better;  ///< +1: higher is better; -1: lower is better
};
FigureSet figure_set(const topology::Model& m);

/// Paired differences of design B against design A over the same replications (common random
/// numbers): for each figure both have, the mean of B - A over replications, its 95% interval,
/// and P(better), the normal approximation of the chance that B's true mean beats A's.
struct PairedDifferences {
  std::vector<std::string> paths;
  std::vector<int> better;
  std::vector<std::pair<int, int>> index;  ///< the figure's position in A's and in B's set
  std::vector<sim::Moments> diff;
  PairedDifferences() = default;
  PairedDifferences(const FigureSet& a, const FigureSet& b);
  void add(const std::vector<double>& a, const std::vector<double>& b);
  void merge(const PairedDifferences& o);
  void save(sim::Archive& ar) const;
  void load(sim::Archive& ar);
  /// Keyed like the summary: {"against": label, "facility": {"availability": {...}}, ...}.
  nlohmann::json to_json(const std::string& against) const;
};

/// Everything the summary needs, accumulated over a block of replications and merged in block
/// order (see sim::run_blocks), so the result does not depend on the thread count.
struct Accumulator : sim::BlockResult {
  DowntimeStats facility;
  std::vector<DowntimeStats> loads;
  std::vector<sim::Moments> component_failures, component_downtime;
  std::vector<sim::Moments> component_windows, component_deferred;  ///< maintenance
  std::vector<sim::Moments> component_overlap;  ///< hours down while the facility was down
  /// Per cause (components, then Model::cause_names beyond them): facility outages begun
  /// while it was down.
  std::vector<std::uint64_t> component_blamed;
  /// Per component: facility outages begun while it (or one of its causes) was down, once each.
  std::vector<std::uint64_t> owner_blamed;
  std::vector<sim::Moments> event_count, event_hours;  ///< per grid event class
  std::vector<sim::Moments> load_shortfall;  ///< kWh not delivered to loads receiving part
  /// Curtailment calls, per replication: revenue, penalty (money) and MWh shed; with call
  /// generators, what they cost to run and the MWh they carried while a limit was on.
  sim::Moments calls, call_revenue, call_penalty, call_mwh, call_gen_cost, call_gen_mwh;
  sim::Sample call_revenue_sample, call_penalty_sample, call_mwh_sample, call_gen_cost_sample,
      call_gen_mwh_sample;
  std::uint64_t closed_at_limit = 0;  ///< outages closed at the end of the follow-up
  std::uint64_t facility_outages = 0;
  std::map<std::vector<int>, std::uint64_t> causes;  ///< components down at an outage's start
  std::vector<TenantStats> tenants;
  /// Cluster tenants (in tenant order): per job and per tenant; cluster_slot maps a tenant to
  /// its entry (-1: not a cluster).
  std::vector<cluster::ClusterTenantStats> clusters;
  std::vector<int> cluster_slot;
  std::uint64_t simgrid_runs = 0;  ///< tenant-replications simulated by SimGrid
  double simgrid_seconds = 0.0;    ///< their wall time, summed over threads
  std::uint64_t events = 0;
  /// The replications with the most facility downtime (most first, then lowest index: the same
  /// whatever the threads), up to kWorstKept: `run --trace N` replays them.
  static constexpr std::size_t kWorstKept = 20;
  std::vector<double> worst_downtime;
  std::vector<std::uint64_t> worst_index;
  /// The last replication added: its tenants' costs plus what curtailment calls cost net.
  double last_cost = 0.0;
  std::unique_ptr<FullRows> rows;  ///< per-replication rows, kept only for the HDF5 output
  CostModel cost_model_of_design;

  Accumulator(const topology::Model& m, bool keep_rows = false);
  /// Adds one replication; with `figures`, also returns its figures (in figure_set order).
  /// `clusters`: what the cluster tenants' jobs did in it (needed if there are any).
  void add(const failure_models::ReplicationResult& r, const topology::Model& m,
           std::vector<double>* figures = nullptr,
           const cluster::ClusterOutcome* clusters = nullptr);
  void merge(const Accumulator& o);
  void keep_worst(double downtime, std::uint64_t index);

 private:
  void add_components_and_events(const failure_models::ReplicationResult& r,
                                 const topology::Model& m);
  void add_calls(const failure_models::ReplicationResult& r, const CallMoney& money);
  void add_outage_causes(const failure_models::ReplicationResult& r, const topology::Model& m,
                         const failure_models::Interval& iv);
  void add_tenants(const failure_models::ReplicationResult& r, const topology::Model& m,
                   bool want_figures, const cluster::ClusterOutcome* cluster_outcome,
                   std::vector<TenantCost>& costs,
                   std::vector<cluster::JobFigures>& cluster_figures);
  void fill_figures(const failure_models::ReplicationResult& r, const topology::Model& m,
                    double facility_downtime, const std::vector<double>& load_downtime,
                    const std::vector<TenantCost>& costs,
                    const std::vector<cluster::JobFigures>& cluster_figures, const CallMoney& money,
                    std::vector<double>& f) const;

 public:
  /// For MPI: a block's partial result travels to rank 0 as bytes.
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

struct Performance {
  double wall_seconds = 0.0;
  unsigned threads = 1;
  int ranks = 1;
};

/// The summary of an importance-sampling run: the same keys, steady-state estimates from
/// regenerative cycles (ratio estimator, delta-method intervals); per-replication quantiles and
/// tenant costs do not exist there and are null or absent.
nlohmann::json summarize_importance(const failure_models::CycleStats& st, const topology::Model& m,
                                    const std::string& design, std::uint64_t seed, double bias,
                                    const Performance& perf);

/// The summary of a splitting run: the same keys, means over replications of the weighted
/// observations with mean +- 1.96 s / sqrt(n) intervals; quantiles, tenant costs and
/// component figures are not estimated (null or empty, `splitting.not_estimated` says why).
nlohmann::json summarize_splitting(const failure_models::SplitStats& st,
                                   const failure_models::PilotResult& pilot,
                                   const failure_models::ImportanceFunction& f,
                                   const topology::Model& m, const std::string& design,
                                   std::uint64_t seed, double pilot_seconds,
                                   const Performance& perf);

/// The summary of SPEC section 4 as JSON: the one representation every reporter reads.
/// `clusters`: the design's cluster model, for what the summary says of the jobs' placement
/// and write times.
nlohmann::json summarize(Accumulator& acc, const topology::Model& m, const std::string& design,
                         std::uint64_t seed, std::uint64_t replications, const Performance& perf,
                         const cluster::ClusterModel* clusters = nullptr);

}  // namespace ridethrough::experiments
