#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/checkpoint.hpp"
#include "experiments/summary.hpp"
#include "sim/stats.hpp"
#include "topology/design.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

struct RunOptions {
  std::uint64_t replications = 10000;
  std::uint64_t seed = 1;
  unsigned threads = 0;  ///< 0: all cores
  bool progress = false;
  std::string out;  ///< HDF5 full results; empty: none
  double target_rel_error =
      0;  ///< stop once the facility unavailability's half-width is below this share of it
  /// Regenerative cycles with balanced failure biasing where the design allows it, else
  /// splitting.
  bool importance_sampling = false;
  bool splitting = false;       ///< RESTART splitting on the full simulation, whatever the design
  double bias = 0.5;            ///< share of failures among the next events while something is down
  nlohmann::json command_line;  ///< recorded in the HDF5 attributes
  /// Cluster tenants' SimGrid workers: see cluster::ClusterOptions.
  std::string worker_executable = "/proc/self/exe";
  /// Asked between blocks; true stops the run, which then throws Interrupted (nothing is
  /// written). For embedders (the Python module's Ctrl-C); the CLI handles SIGINT itself.
  std::function<bool()> interrupted;
  /// --checkpoint / --resume (plain runs through run_joint only).
  CheckpointOptions checkpoint;
};

/// Thrown by a run that `interrupted` stopped.
struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Runs every replication of one design and returns its summary (SPEC section 4).
nlohmann::json run_design(const topology::Design& design, const topology::Model& model,
                          const RunOptions& options);

/// One design of a joint run, and where its full results go (empty: nowhere).
struct DesignRun {
  const topology::Design* design;
  const topology::Model* model;
  std::string out;
  /// A component index, for a design that is the first one with that component made perfect
  /// (importance): in a replication where nothing happened to it in the first design, this
  /// design's replication is the first one's, taken as is instead of simulated again.
  int same_as_first_unless_touched = -1;
};

/// Runs several designs over the same replications: replication i of each uses the same seed,
/// so a component with the same id sees the same random numbers in every design (common random
/// numbers). Each summary after the first carries `differences` against the first: the paired
/// difference of every figure both have, its 95% interval and P(better).
std::vector<nlohmann::json> run_designs(const std::vector<DesignRun>& designs,
                                        const RunOptions& options);

/// The general joint run: every design's summary, and the paired differences asked for, each
/// pair (a, b) giving b - a.
struct JointResult {
  std::vector<nlohmann::json> summaries;
  std::vector<PairedDifferences> differences;
  /// Per design and traced figure, its value in every replication, in replication order.
  std::vector<std::vector<std::vector<double>>> traces;
};
JointResult run_joint(const std::vector<DesignRun>& designs,
                      const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                      const RunOptions& options, const std::vector<std::string>& traced = {});

/// True once the ratio estimate down/length has a 95% half-width below `target` times itself.
bool reached_target(const sim::Moments& down, const sim::Moments& length, double target);

/// The name a design goes by in reports: its `name`, else its file name.
std::string design_label(const topology::Design& design);

}  // namespace ridethrough::experiments
