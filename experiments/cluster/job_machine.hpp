#pragma once
// One synchronous training job over one replication: the rules of the cluster workload (when it
// runs, writes, loses work, restarts), kept apart from whoever moves the bytes. A driver asks
// next(), does what it says (waits, or moves a checkpoint over the network), and reports back;
// the analytic driver and the SimGrid actor drive the same machine, so they cannot disagree on
// the rules.
#include <cstdint>
#include <limits>
#include <vector>

namespace ridethrough::experiments::cluster {

constexpr double kNever = std::numeric_limits<double>::infinity();

/// A span of facility time in hours from the end of the warmup.
struct Span {
  double start = 0.0, end = 0.0;
};

/// What the job's driver must do next.
struct Step {
  enum Kind { Wait, Write, Read, Done } kind = Done;
  /// Wait: the time to wake (call woke()). Write/Read: the time a stop cuts the transfer
  /// (kNever: nothing cuts it); call transferred() when it completes or is cut.
  double until = kNever;
};

/// A restart: hosts back at `start`; `read_hours` to read the checkpoint back (NaN if a stop cut
/// the read); `completed` once the overhead after it also ran out uninterrupted.
struct RestartRow {
  double start = 0.0, read_hours = 0.0;
  bool completed = false;
};

/// What one job did in one replication. Lost work, stopped and restart time follow the last
/// stop to its end (past the horizon); the `in_horizon` figures count [0, horizon] only.
struct JobTally {
  double lost_work = 0.0;  ///< running work since the last checkpoint, lost at stops
  double stopped = 0.0;    ///< hours a host of the job was down
  double restart = 0.0;    ///< hours from hosts back to running again, cut restarts included
  double work_in_horizon = 0.0, write_in_horizon = 0.0;  ///< running and writing time
  std::uint32_t interruptions = 0, checkpoints = 0;
  std::vector<RestartRow> restarts;
  std::vector<Span> writes;  ///< completed writes (start, end), kept only when asked
};

/// The job's timeline: its parameters and the stops the facility imposes on it.
struct JobTimeline {
  double interval = 1.0;        ///< hours of running work between checkpoints
  double overhead = 0.0;        ///< hours of restart overhead after the read
  double analytic_write = 0.0;  ///< hours a write takes outside `windows`
  double horizon = 0.0;
  const std::vector<Span>* stops = nullptr;  ///< merged, sorted, start >= 0, end > start
  /// Where writes are real transfers (sorted, disjoint); elsewhere a write takes
  /// `analytic_write`. Reads are always transfers.
  const std::vector<Span>* windows = nullptr;
  bool record_writes = false;
};

class JobMachine {
 public:
  explicit JobMachine(const JobTimeline& timeline);
  Step next();
  /// The wait asked for by next() is over (at its `until`).
  void woke();
  /// The transfer asked for by next() completed at `t` (hours), or was cut by the stop at its
  /// `until` (completed = false).
  void transferred(double t, bool completed);
  double now() const { return now_; }
  bool done() const { return phase_ == Phase::Done; }
  const JobTally& tally() const { return tally_; }

 private:
  enum class Phase { Running, Writing, Stopped, Reading, Overhead, Done };
  enum class Pending {
    None,
    ToWrite,
    ToStop,
    ToHorizon,
    WriteDone,
    WriteCut,
    StopEnd,
    Resumed,
    RestartCut
  };
  double next_stop() const;
  bool in_window(double t);
  double next_window_start(double t);
  void run_to(double t);
  void write_to(double t);
  void enter_stop();
  void fast_forward(double limit);

  JobTimeline tl_;
  JobTally tally_;
  Phase phase_ = Phase::Running;
  Pending pending_ = Pending::None;
  double now_ = 0.0;
  double work_ = 0.0;  ///< running work since the last completed checkpoint
  double wake_ = 0.0;
  double write_began_ = 0.0, restart_began_ = 0.0;
  std::size_t stop_ = 0;    ///< next stop not yet begun
  std::size_t window_ = 0;  ///< first window not yet over
};

}  // namespace ridethrough::experiments::cluster
