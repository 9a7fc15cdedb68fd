#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/cluster/evaluator.hpp"
#include "experiments/pricing.hpp"
#include "failure_models/replication.hpp"
#include "sim/archive.hpp"
#include "topology/design.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// The rows of one block of replications for the full results, column by column.
struct FullRows {
  std::vector<std::uint64_t> replication, events;
  std::vector<double> facility_downtime;
  std::vector<std::uint32_t> facility_outages;
  std::vector<std::vector<double>> load_downtime;                             ///< [load][row]
  std::vector<std::vector<std::uint32_t>> load_outages;                       ///< [load][row]
  std::vector<std::vector<double>> tenant_cost, tenant_sla, tenant_workload;  ///< [tenant][row]
  // One row per outage (loads, then the facility as load -1).
  std::vector<std::uint64_t> o_replication;
  std::vector<std::int32_t> o_load;
  std::vector<double> o_start, o_duration;
  std::vector<std::string> o_components;
  std::vector<std::int32_t> o_shed;
  std::vector<std::string> o_mechanism;  ///< failure_models::describe_mechanism
  // One row per job restart of a cluster tenant.
  std::vector<std::uint64_t> r_replication;
  std::vector<std::int32_t> r_tenant, r_completed;
  std::vector<std::string> r_job;
  std::vector<double> r_start, r_read;

  explicit FullRows(const topology::Model& m);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
  void add(const failure_models::ReplicationResult& r, const topology::Model& m,
           double facility_downtime_row, const std::vector<double>& load_downtime_row,
           const std::vector<TenantCost>& costs, const cluster::ClusterOutcome* clusters = nullptr);
};

/// Streams full results into an HDF5 file: written to `path.tmp.PID` and renamed by finish(),
/// so an interrupted run never leaves a partial file. Layout in README ("Full results").
class Hdf5Writer {
 public:
  Hdf5Writer(const std::string& path, const topology::Design& d, const topology::Model& m,
             const nlohmann::json& options);
  ~Hdf5Writer();
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  void append(const FullRows& rows);  ///< in replication order
  void finish(const nlohmann::json& summary);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A plain table of numbers per replication, streamed to `/replications` of an HDF5 file like
/// Hdf5Writer's (temporary file, renamed at finish): for results that are not one design's
/// (a portfolio).
class TableWriter {
 public:
  TableWriter(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& attributes,
              const std::vector<std::pair<std::string, std::string>>& columns);
  ~TableWriter();
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;
  /// One vector per column, all of the same length, in replication order.
  void append(const std::vector<std::vector<double>>& columns);
  void finish(const nlohmann::json& summary);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ridethrough::experiments
