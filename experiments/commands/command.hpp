#pragma once
// The subcommands of the command line, one file each (experiments/commands/*.cpp), wired by
// experiments/cli.cpp from one table. These files and cli.cpp are the only ones that know CLI11;
// what a command computes is library code (drivers, analyses, experiments/workflow.hpp), which
// the Python module calls too.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "experiments/uncertainty.hpp"
#include "experiments/workflow.hpp"

namespace ridethrough::experiments::commands {

/// One subcommand: it declares its options on its CLI11 subcommand, then runs once parsed.
class Command {
 public:
  virtual ~Command() = default;
  virtual const char* name() const = 0;
  virtual const char* help() const = 0;
  virtual void declare(CLI::App& cmd) = 0;
  /// The exit status: 0 done, 2 bad usage or input, 1 internal error.
  virtual int run(const nlohmann::json& command_line) = 0;
};

// One factory per command (the table in experiments/cli.cpp lists them).
std::unique_ptr<Command> make_run();
std::unique_ptr<Command> make_compare();
std::unique_ptr<Command> make_sweep();
std::unique_ptr<Command> make_importance();
std::unique_ptr<Command> make_sensitivity();
std::unique_ptr<Command> make_optimize();
std::unique_ptr<Command> make_portfolio();
std::unique_ptr<Command> make_check();
std::unique_ptr<Command> make_capabilities();
std::unique_ptr<Command> make_expand();
std::unique_ptr<Command> make_exact();
std::unique_ptr<Command> make_export();
std::unique_ptr<Command> make_diagram();
std::unique_ptr<Command> make_trace();
std::unique_ptr<Command> make_fit();
std::unique_ptr<Command> make_catalogue();

// What the commands share (common.cpp).

/// The options of the commands that simulate.
struct CommonOptions {
  std::uint64_t replications = 10000;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::string json;
  std::string out;
  bool quiet = false;
  bool importance_sampling = false;
  bool splitting = false;
  double bias = 0.5;
  /// Either rare-event method: estimates from weighted trajectories, no per-replication rows.
  bool rare() const { return importance_sampling || splitting; }
  double target_rel_error = 0.0;
  std::size_t uncertainty = 0;       ///< --uncertainty K: parameter draws (0: stated values)
  std::vector<std::string> require;  ///< --require PATH>=V, with --uncertainty
};

void add_common(CLI::App& cmd, CommonOptions& o);
/// `--uncertainty K` and `--require` (run, compare, sweep).
void add_uncertainty(CLI::App& cmd, CommonOptions& o);
/// The options of --uncertainty, checked against the other options: nullopt (exit 2, said on
/// stderr) if they do not go together.
std::optional<UncertaintyOptions> uncertainty_options(const CommonOptions& o);
/// Adds `uncertainty` blocks to the summaries (one per design, same order); says, for a design
/// with uncertain parameters and no --uncertainty, that its stated values are used.
void add_uncertainty_blocks(const std::vector<const LoadedDesign*>& designs,
                            std::vector<nlohmann::json>& summaries, const RunOptions& run,
                            const CommonOptions& o);
/// `--set PATH=VALUE` (repeatable).
void add_sets(CLI::App& cmd, std::vector<std::string>& sets);

/// Loads, validates and compiles a design with its overrides; every problem goes to stderr.
std::optional<LoadedDesign> load(const std::string& path,
                                 const std::vector<topology::Override>& overrides = {});
/// PATH=VALUE pairs (--set); false with a message if one is malformed.
bool parse_sets(const std::vector<std::string>& sets, std::vector<topology::Override>& out);
/// Checks the output options before anything is simulated: 0 if fine, else exit status 2.
int check_outputs(const CommonOptions& o);
/// Writes the JSON where asked; returns true if stdout now carries the JSON alone.
bool emit_json(const CommonOptions& o, const nlohmann::json& j);
/// An outage closed at the follow-up limit makes lengths and costs lower bounds: says so.
void warn_closed(const std::string& path, const nlohmann::json& summary);
/// --importance-sampling where failure biasing refuses: says that it splits, and why.
void announce_rare_method(const CommonOptions& o, const std::string& path,
                          const topology::Model& m);
RunOptions run_options(const CommonOptions& o, const nlohmann::json& argv);
/// `results.h5` -> `results_<stem>.h5`: compare and sweep write one HDF5 file per run.
std::string out_for(const std::string& out, const std::string& stem);
std::string file_stem(const std::string& path);
/// Runs designs side by side: jointly, with common random numbers and paired differences
/// against the first; with importance sampling, one after the other.
std::vector<nlohmann::json> run_all(const std::vector<LoadedDesign>& designs,
                                    const std::vector<std::string>& outs,
                                    const RunOptions& options);

}  // namespace ridethrough::experiments::commands
