// `ridethrough run`: one design, plain or rare-event, resumable with checkpoints.
#include <iostream>

#include "experiments/checkpoint.hpp"
#include "experiments/commands/command.hpp"
#include "experiments/report.hpp"
#include "experiments/temp_files.hpp"
#include "experiments/trace.hpp"
#include "sim/mpi.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Run : public Command {
 public:
  const char* name() const override { return "run"; }
  const char* help() const override { return "simulate one design"; }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    add_sets(cmd, sets_);
    add_common(cmd, o_);
    add_uncertainty(cmd, o_);
    cmd.add_option("--checkpoint", checkpoint_,
                   "save the merged statistics to FILE every --checkpoint-every seconds and on "
                   "SIGINT/SIGTERM (then stop), to continue later with --resume FILE");
    cmd.add_option("--checkpoint-every", every_, "seconds between checkpoints")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--resume", resume_,
                   "continue the run saved in FILE (same design, --set, --seed, --replications, "
                   "--out), checkpointing there; the result is bit-identical to an "
                   "uninterrupted run")
        ->excludes("--checkpoint");
    cmd.add_option("--trace", traces_,
                   "replay the N replications with the most facility downtime (up to 20) and "
                   "add their timelines to the JSON (`traces`); the table shows the worst")
        ->check(CLI::Range(1, 20));
  }
  int run(const nlohmann::json& command_line) override;

 private:
  /// Sets up --checkpoint or --resume; false (exit status 2) if they cannot be used here.
  bool checkpoints(const LoadedDesign& l, const std::vector<topology::Override>& sets,
                   RunOptions& options) const;

  CommonOptions o_;
  std::string design_, checkpoint_, resume_;
  std::vector<std::string> sets_;
  double every_ = 60.0;
  int traces_ = 0;
};

/// `--trace N`: the timelines of the worst replications, replayed (each is a pure function of
/// the design, the seed and its index).
std::vector<Timeline> worst_timelines(const LoadedDesign& l, const nlohmann::json& summary,
                                      std::uint64_t seed, int n) {
  std::vector<Timeline> out;
  for (const auto& w : summary["worst_replications"]) {
    if (static_cast<int>(out.size()) == n) break;
    out.push_back(trace_replication(l.model, seed, w["replication"].get<std::uint64_t>()));
  }
  return out;
}

/// The worst replication's outages, from an hour before the first to the end of the last.
void print_worst(std::ostream& os, const Timeline& t, const std::string& design,
                 std::uint64_t seed) {
  double first = -1.0, last = 0.0;
  for (const auto& e : t.entries)
    if (e.subject == "facility") {
      if (first < 0.0) first = e.time;
      last = e.time;
    }
  os << "\nthe worst replication, " << t.replication << " (" << t.facility_downtime
     << " h down; all of it: ridethrough trace " << design << " --replication " << t.replication
     << " --seed " << seed << "):\n";
  print_timeline(os, t, first - 1.0, last);
}

bool Run::checkpoints(const LoadedDesign& l, const std::vector<topology::Override>& sets,
                      RunOptions& options) const {
  const std::string& path = resume_.empty() ? checkpoint_ : resume_;
  if (path.empty()) return true;
  if (o_.rare() || sim::mpi_ranks().size > 1) {
    std::cerr << "ridethrough: error: --checkpoint and --resume work on plain runs in one "
                 "process (not --importance-sampling, not several MPI ranks)\n";
    return false;
  }
  auto& ck = options.checkpoint;
  ck.path = path;
  ck.resume = !resume_.empty();
  ck.every_seconds = every_;
  ck.fingerprint = checkpoint_fingerprint(l.design.text, sets, o_.seed, o_.replications,
                                          o_.target_rel_error, o_.out);
  ck.stop_signal = [] { return pending_stop_signal(); };
  for (const auto& p : {o_.out, o_.json})
    if (!p.empty() && p != "-") ck.outputs.push_back(p);
  defer_stop_signals();
  return true;
}

int Run::run(const nlohmann::json& command_line) {
  std::vector<topology::Override> sets;
  if (!parse_sets(sets_, sets)) return 2;
  if (int rc = check_outputs(o_)) return rc;
  if (!uncertainty_options(o_)) return 2;
  if (o_.uncertainty > 0 && (!checkpoint_.empty() || !resume_.empty())) {
    std::cerr << "ridethrough: error: --checkpoint and --resume work on plain runs, not with "
                 "--uncertainty\n";
    return 2;
  }
  auto l = load(design_, sets);
  if (!l) return 2;
  if (o_.uncertainty > 0 && uncertain_parameters(l->design).empty()) {
    std::cerr << "ridethrough: error: --uncertainty: " << design_
              << " has no uncertain parameter (give a law or a fail_prob an `uncertainty: "
                 "{error_factor: EF}`)\n";
    return 2;
  }
  announce_rare_method(o_, design_, l->model);
  auto options = run_options(o_, command_line);
  if (!checkpoints(*l, sets, options)) return 2;
  nlohmann::json summary;
  try {
    summary = run_design(l->design, l->model, options);
  } catch (const CheckpointError& e) {
    std::cerr << "ridethrough: error: " << e.what() << "\n";
    return 2;
  } catch (const StoppedAtCheckpoint& e) {
    const std::string& path = resume_.empty() ? checkpoint_ : resume_;
    std::cerr << "ridethrough: stopped by signal " << e.signal << "; checkpoint saved in '" << path
              << "': run the same command with --resume " << path << " to continue\n";
    return 128 + e.signal;
  }
  warn_closed(design_, summary);
  {
    std::vector<nlohmann::json> one = {std::move(summary)};
    add_uncertainty_blocks({&*l}, one, options, o_);
    summary = std::move(one.front());
  }
  std::vector<Timeline> timelines;
  if (traces_ > 0 && summary.contains("worst_replications")) {
    timelines = worst_timelines(*l, summary, o_.seed, traces_);
    summary["traces"] = nlohmann::json::array();
    for (const auto& t : timelines) summary["traces"].push_back(timeline_json(t, -1e300, 1e300));
  }
  const bool json_only = emit_json(o_, summary);
  if (!o_.quiet && !json_only) {
    print_run_table(std::cout, summary);
    if (summary.contains("uncertainty")) print_uncertainty(std::cout, summary["uncertainty"]);
    if (!timelines.empty()) print_worst(std::cout, timelines.front(), design_, o_.seed);
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_run() {
  return std::make_unique<Run>();
}

}  // namespace ridethrough::experiments::commands
