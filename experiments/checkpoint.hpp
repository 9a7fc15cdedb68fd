#pragma once
// Resumable runs: the merged statistics and the next block, saved now and then and on SIGINT or
// SIGTERM; a resumed run skips the blocks already merged and ends bit-identical to a run that
// never stopped. Full results (HDF5) rows go to an append-only side file `FILE.rows`, replayed
// on resume, so the checkpoint itself stays small.
#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/archive.hpp"

namespace ridethrough::experiments {

/// What a run needs to checkpoint: where, how often, and what identifies the run.
struct CheckpointOptions {
  std::string path;                  ///< empty: no checkpoints
  bool resume = false;               ///< continue from `path`
  double every_seconds = 60.0;       ///< a checkpoint at the first block merged after this long
  std::string fingerprint;           ///< the design texts, overrides, seed, replications, ...
  std::function<int()> stop_signal;  ///< non-zero: save now and stop (the signal's number)
  std::vector<std::string> outputs;  ///< output files whose temporaries a killed run leaves
};

/// Thrown when a run stopped on a signal after saving its checkpoint.
struct StoppedAtCheckpoint : std::runtime_error {
  StoppedAtCheckpoint(int sig, std::uint64_t blocks)
      : std::runtime_error("stopped"), signal(sig), blocks_done(blocks) {}
  int signal;
  std::uint64_t blocks_done;
};

/// A bad or mismatched checkpoint: the CLI reports it and exits with status 2.
struct CheckpointError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The state a checkpoint holds.
struct CheckpointState {
  std::uint64_t next_block = 0;
  std::uint64_t rows_bytes = 0;  ///< valid length of the rows side file
  std::int64_t pid = 0;          ///< the process that saved it
  std::vector<char> totals;      ///< the merged statistics (the run's own encoding)
};

class Checkpointer {
 public:
  explicit Checkpointer(const CheckpointOptions& o);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  bool enabled() const { return !o_.path.empty(); }
  /// The saved state of a resumed run (nullopt for a fresh one); throws CheckpointError if the
  /// file is missing, damaged or from another run.
  std::optional<CheckpointState> load();
  /// The rows saved so far, one record per merged block with rows, in order.
  void replay_rows(const std::function<void(sim::Archive&)>& each);
  /// Appends one merged block's rows.
  void append_rows(const sim::Archive& rows);
  /// True when a checkpoint is due (time, or a signal).
  bool due() const;
  int stop_signal() const { return o_.stop_signal ? o_.stop_signal() : 0; }
  /// Saves atomically: the state file is replaced only once complete.
  void save(std::uint64_t next_block, const sim::Archive& totals);
  /// The run finished: the checkpoint and its rows are no longer needed.
  void finished();

 private:
  void remove_dead_temporaries() const;

  CheckpointOptions o_;
  std::string rows_path_;
  std::ofstream rows_;
  std::uint64_t rows_bytes_ = 0;
  double last_ = 0.0;
};

}  // namespace ridethrough::experiments
