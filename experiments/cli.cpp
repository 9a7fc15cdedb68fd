// The command-line front end: the only file that knows CLI11. It parses options, loads and
// validates designs, and hands them to the drivers and reporters.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "experiments/analysis.hpp"
#include "experiments/cluster/worker.hpp"
#include "experiments/decisions.hpp"
#include "experiments/driver.hpp"
#include "experiments/optimize.hpp"
#include "experiments/portfolio.hpp"
#include "experiments/report.hpp"
#include "experiments/temp_files.hpp"
#include "failure_models/importance.hpp"
#include "sim/mpi.hpp"
#include "topology/limits.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"
#include "topology/static_eval.hpp"
#include "topology/units.hpp"

using namespace ridethrough;

namespace {

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
};

void add_common(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("-n,--replications", o.replications,
                  "independent replications, each one horizon long (at most 1e12)")
      ->check(CLI::PositiveNumber)
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            try {
              if (std::stod(s) > static_cast<double>(topology::limits::kMaxReplications))
                return "at most 1e12 replications (" + s +
                       " would not finish: about 1e6 a second on this engine)";
            } catch (const std::exception&) {
            }
            return "";
          },
          "<= 1e12"));
  cmd->add_option("--seed", o.seed,
                  "master seed; results depend only on seed, replications and design");
  cmd->add_option("--threads", o.threads, "worker threads (default: all cores)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--json", o.json, "write the summary as JSON; '-' means stdout (JSON alone)");
  cmd->add_option("--out", o.out, "write the full results as HDF5");
  cmd->add_flag("--quiet", o.quiet, "no progress bar, no table");
  cmd->add_flag("--importance-sampling", o.importance_sampling,
                "rare-event estimate: balanced failure biasing on regenerative cycles where the "
                "design is failures and repairs only (-n counts cycles), else splitting");
  cmd->add_flag("--splitting", o.splitting,
                "rare-event estimate by RESTART splitting on the full simulation, whatever the "
                "design (-n counts replications)");
  cmd->add_option("--bias", o.bias, "importance sampling: failure share while something is down")
      ->check(CLI::Range(0.01, 0.99));
  cmd->add_option("--target-rel-error", o.target_rel_error,
                  "stop once the facility unavailability's 95% half-width is below this share of "
                  "it (or at --replications)")
      ->check(CLI::Range(1e-9, 1.0));
}

/// Exit status 2 with every problem on stderr, or the validated design.
struct Loaded {
  topology::Design design;
  topology::Model model;
};

/// Balanced failure biasing needs a regenerative design; where it has not one,
/// --importance-sampling splits instead, and says why on stderr.
void announce_rare_method(const CommonOptions& o, const std::string& path,
                          const topology::Model& m) {
  if (!o.importance_sampling || o.splitting || o.quiet) return;
  const std::string why = failure_models::importance_refusal(m);
  if (why.empty()) return;
  std::cerr << "ridethrough: " << path
            << ": --importance-sampling uses splitting (failure biasing needs a design of "
               "failures and repairs only:";
  std::istringstream lines(why);
  for (std::string line; std::getline(lines, line);) std::cerr << "\n  - " << line;
  std::cerr << ")\n";
}

/// An outage that was still going at the end of the follow-up was closed there: its length
/// (and what it costs) is a lower bound, so say so.
void warn_closed(const std::string& path, const nlohmann::json& summary) {
  const auto n = summary.value("outages_closed_at_follow_up_limit", std::uint64_t{0});
  if (n == 0) return;
  std::cerr << path << ": warning: " << n
            << " outage(s) never ended and were closed at the follow-up limit (horizon + "
               "max(10 horizons, 100000 h)); their lengths and costs are lower bounds\n";
}

/// Loads, validates and compiles a design with its overrides (--set, a sweep point); every
/// problem goes to stderr, with the overrides named when there are any.
std::optional<Loaded> load(const std::string& path,
                           const std::vector<topology::Override>& overrides = {}) {
  std::string with;
  for (const auto& o : overrides)
    with += (with.empty() ? " (with " : ", ") + o.path + "=" + o.value;
  if (!with.empty()) with += ")";
  auto report = [&](const std::vector<topology::Diagnostic>& errors) {
    for (const auto& d : errors) std::cerr << topology::format_diagnostic(path, d) << with << "\n";
  };
  auto r = topology::load_design_file(path, overrides);
  if (!r.design) {
    report(r.errors);
    return std::nullopt;
  }
  Loaded l{std::move(*r.design), {}};
  l.model = topology::compile(l.design);
  const auto unservable = topology::unservable_loads(l.design, l.model);
  report(unservable);
  if (!unservable.empty()) return std::nullopt;
  return l;
}

/// PATH=VALUE pairs (--set); false with a message if one is malformed.
bool parse_sets(const std::vector<std::string>& sets, std::vector<topology::Override>& out) {
  for (const auto& s : sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "ridethrough: error: --set expects PATH=VALUE, got '" << s << "'\n";
      return false;
    }
    out.push_back({s.substr(0, eq), s.substr(eq + 1)});
  }
  return true;
}

/// `results.h5` -> `results_<stem>.h5`: compare and sweep write one HDF5 file per run.
std::string out_for(const std::string& out, const std::string& stem) {
  if (out.empty()) return out;
  const auto dot = out.rfind(".h5");
  const std::string base = dot == std::string::npos ? out : out.substr(0, dot);
  return base + "_" + stem + ".h5";
}

std::string file_stem(const std::string& path) {
  auto name = path.substr(path.find_last_of('/') + 1);
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

/// Runs designs side by side: jointly, with common random numbers and paired differences
/// against the first; with importance sampling, one after the other.
std::vector<nlohmann::json> run_all(const std::vector<Loaded>& designs,
                                    const std::vector<std::string>& outs,
                                    const experiments::RunOptions& options) {
  std::vector<nlohmann::json> summaries;
  if (options.importance_sampling) {
    for (const auto& l : designs)
      summaries.push_back(experiments::run_design(l.design, l.model, options));
    return summaries;
  }
  std::vector<experiments::DesignRun> runs;
  for (std::size_t i = 0; i < designs.size(); ++i)
    runs.push_back({&designs[i].design, &designs[i].model, outs[i]});
  return experiments::run_designs(runs, options);
}

experiments::RunOptions run_options(const CommonOptions& o, const nlohmann::json& argv) {
  experiments::RunOptions r;
  r.out = o.out;
  r.command_line = argv;
  r.replications = o.replications;
  r.seed = o.seed;
  r.threads = o.threads;
  r.progress = !o.quiet && o.json != "-";
  r.importance_sampling = o.rare();
  r.splitting = o.splitting;
  r.bias = o.bias;
  r.target_rel_error = o.target_rel_error;
  return r;
}

/// Writes the JSON where asked; returns true if stdout now carries the JSON alone.
bool emit_json(const CommonOptions& o, const nlohmann::json& j) {
  if (o.json.empty()) return false;
  if (!sim::mpi_ranks().root()) return true;  // rank 0 writes
  const std::string text = j.dump(2) + "\n";
  if (o.json == "-") {
    std::cout << text;
    return true;
  }
  experiments::write_file_atomic(o.json, text);
  return false;
}

/// Checks the output options before anything is simulated: 0 if fine, else exit status 2.
int check_outputs(const CommonOptions& o) {
  for (const auto& [flag, path] :
       {std::pair<const char*, std::string>{"--json", o.json}, {"--out", o.out}}) {
    if (path.empty() || path == "-") continue;
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    if (::access(dir.c_str(), W_OK) != 0) {
      std::cerr << "ridethrough: error: " << flag << " " << path << ": directory '" << dir
                << "' does not exist or is not writable\n";
      return 2;
    }
  }
  if (o.out == "-") {
    std::cerr << "ridethrough: error: --out needs a file name (HDF5 cannot go to stdout)\n";
    return 2;
  }
  if (o.rare() && !o.out.empty()) {
    std::cerr << "ridethrough: error: " << (o.splitting ? "--splitting" : "--importance-sampling")
              << " estimates from weighted trajectories: it has no per-replication rows for "
                 "--out\n";
    return 2;
  }
  if (o.target_rel_error > 0 && sim::mpi_ranks().size > 1) {
    std::cerr << "ridethrough: error: --target-rel-error is not available under mpirun with "
                 "several ranks; give --replications instead\n";
    return 2;
  }
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv);

/// Under mpirun every rank runs the same command; rank 0 alone reads out and writes results.
int main(int argc, char** argv) {
  // A SimGrid worker started by a cluster evaluation: no MPI, no CLI (experiments/cluster).
  if (argc == 2 && std::string(argv[1]) == experiments::cluster::kWorkerCommand)
    return experiments::cluster::worker_main();
  const sim::Ranks ranks = sim::mpi_start(&argc, &argv);
  experiments::remove_temp_files_on_signal();
  if (!ranks.root()) {
    // Other ranks stay silent: the same messages would come from rank 0.
    std::cout.setstate(std::ios::failbit);
    std::cerr.setstate(std::ios::failbit);
  }
  int rc = run_cli(argc, argv);
  rc = sim::mpi_max(rc);
  sim::mpi_stop();
  return rc;
}

int run_cli(int argc, char** argv) {
  nlohmann::json command_line = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) command_line.push_back(argv[i]);
  CLI::App app{
      "ridethrough: discrete-event Monte Carlo simulator of datacenter power and cooling "
      "reliability"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(RIDETHROUGH_VERSION));
  const char* set_help =
      "PATH=VALUE: set a key of the design (dotted path; * and ? match keys); repeatable";

  CommonOptions run_o;
  std::string run_design;
  std::vector<std::string> run_set;
  auto* run = app.add_subcommand("run", "simulate one design");
  run->add_option("design", run_design, "design file (YAML)")->required();
  run->add_option("--set", run_set, set_help);
  add_common(run, run_o);
  std::string run_checkpoint, run_resume;
  double run_checkpoint_every = 60.0;
  run->add_option("--checkpoint", run_checkpoint,
                  "save the merged statistics to FILE every --checkpoint-every seconds and on "
                  "SIGINT/SIGTERM (then stop), to continue later with --resume FILE");
  run->add_option("--checkpoint-every", run_checkpoint_every, "seconds between checkpoints")
      ->check(CLI::PositiveNumber);
  run->add_option("--resume", run_resume,
                  "continue the run saved in FILE (same design, --set, --seed, --replications, "
                  "--out), checkpointing there; the result is bit-identical to an uninterrupted "
                  "run")
      ->excludes("--checkpoint");

  CommonOptions cmp_o;
  std::vector<std::string> cmp_designs, cmp_set;
  auto* compare = app.add_subcommand(
      "compare",
      "simulate several designs with the same seed and replications; paired differences "
      "against the first");
  compare->add_option("designs", cmp_designs, "design files (YAML)")->required()->expected(1, -1);
  compare->add_option("--set", cmp_set, set_help);
  add_common(compare, cmp_o);

  CommonOptions sw_o;
  std::string sw_design;
  std::vector<std::string> sw_vary, sw_set;
  bool sw_zip = false;
  auto* sweep = app.add_subcommand(
      "sweep", "one run per value (a grid for several --vary), same seed for each");
  sweep->add_option("design", sw_design, "design file (YAML)")->required();
  sweep
      ->add_option("--vary", sw_vary,
                   "PATH=V1,V2,...: a dotted key path into the design (* and ? match keys) and "
                   "its values")
      ->required();
  sweep->add_flag("--zip", sw_zip, "several --vary step together instead of forming a grid");
  sweep->add_option("--set", sw_set, set_help);
  add_common(sweep, sw_o);

  CommonOptions imp_o;
  std::string imp_design;
  std::vector<std::string> imp_set;
  auto* importance = app.add_subcommand(
      "importance",
      "per component: Birnbaum, RAW, RRW, Fussell-Vesely and tenant costs, from reruns with the "
      "component perfect and always failed (common random numbers)");
  importance->add_option("design", imp_design, "design file (YAML)")->required();
  importance->add_option("--set", imp_set, set_help);
  add_common(importance, imp_o);

  CommonOptions sen_o;
  std::string sen_design, sen_factors = "0.5,2";
  std::vector<std::string> sen_set;
  auto* sensitivity = app.add_subcommand(
      "sensitivity",
      "one at a time, every parameter of the design (laws, failure probabilities, grid events, "
      "common-cause betas, durations of the dynamics) scaled by each factor: the change in "
      "unavailability and tenant costs (common random numbers)");
  sensitivity->add_option("design", sen_design, "design file (YAML)")->required();
  sensitivity->add_option("--factors", sen_factors, "factors, comma-separated (default 0.5,2)");
  sensitivity->add_option("--set", sen_set, set_help);
  add_common(sensitivity, sen_o);

  CommonOptions opt_o;
  std::string opt_design, opt_write;
  std::vector<std::string> opt_set, opt_require;
  std::size_t opt_limit = 64;
  auto* optimize = app.add_subcommand(
      "optimize",
      "search the choices of the design's 'options' block with common random numbers: designs "
      "ranked by expected total cost with paired intervals, and the Pareto front");
  optimize->add_option("design", opt_design, "design file (YAML) with an options block")
      ->required();
  optimize->add_option("--require", opt_require,
                       "a constraint such as 'facility.availability>=0.9999'; repeatable");
  optimize->add_option("--write-best", opt_write, "write the best design as YAML");
  optimize->add_option("--exhaustive-limit", opt_limit,
                       "grids up to this many combinations are searched exhaustively, larger "
                       "ones by coordinate descent (default 64)");
  optimize->add_option("--set", opt_set, set_help);
  add_common(optimize, opt_o);

  CommonOptions pf_o;
  std::string pf_path;
  auto* portfolio = app.add_subcommand(
      "portfolio",
      "simulate the sites of a portfolio over the same replications, with regional events that "
      "hit several at once");
  portfolio->add_option("portfolio", pf_path, "portfolio file (YAML)")->required();
  add_common(portfolio, pf_o);

  std::string check_design_path, check_json;
  std::vector<std::string> check_set;
  auto* check = app.add_subcommand(
      "check",
      "validate; print the topology, single points of failure and minimal cut sets of order <= 2");
  check->add_option("design", check_design_path, "design file (YAML)")->required();
  check->add_option("--json", check_json, "write the result as JSON; '-' means stdout");
  check->add_option("--set", check_set, set_help);
  int check_order = 2;
  check->add_option("--order", check_order, "largest cut sets to list: 2, or 3")
      ->check(CLI::Range(1, 3));

  std::string caps_design, caps_json;
  auto* capabilities = app.add_subcommand(
      "capabilities",
      "what each analysis handles, approximates, leaves out or refuses (for a design: of it)");
  capabilities->add_option("design", caps_design, "design file (YAML); none: the whole table");
  capabilities->add_option("--json", caps_json, "write the answer as JSON; '-' means stdout");

  std::string expand_design_path;
  std::vector<std::string> expand_set;
  auto* expand = app.add_subcommand(
      "expand", "print the design with its templates expanded: flat YAML, one entry per line");
  expand->add_option("design", expand_design_path, "design file (YAML)")->required();
  expand->add_option("--set", expand_set, set_help);

  std::string exact_design_path, exact_json;
  std::vector<std::string> exact_set;
  auto* exact = app.add_subcommand(
      "exact", "exact steady-state availability and outage frequency of a Markovian design");
  exact->add_option("design", exact_design_path, "design file (YAML)")->required();
  exact->add_option("--json", exact_json, "write the result as JSON; '-' means stdout");
  exact->add_option("--set", exact_set, set_help);
  bool exact_no_lump = false;
  exact->add_flag("--no-lump", exact_no_lump,
                  "solve the crew chain on individual components, not classes of exchangeable "
                  "units (to check the lumping; far bigger chains)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    if (*run) {
      std::vector<topology::Override> sets;
      if (!parse_sets(run_set, sets)) return 2;
      if (int rc = check_outputs(run_o)) return rc;
      auto l = load(run_design, sets);
      if (!l) return 2;
      announce_rare_method(run_o, run_design, l->model);
      auto options = run_options(run_o, command_line);
      const std::string& ck_path = run_resume.empty() ? run_checkpoint : run_resume;
      if (!ck_path.empty()) {
        if (run_o.rare() || sim::mpi_ranks().size > 1) {
          std::cerr << "ridethrough: error: --checkpoint and --resume work on plain runs in one "
                       "process (not --importance-sampling, not several MPI ranks)\n";
          return 2;
        }
        nlohmann::json sets_json = nlohmann::json::array();
        for (const auto& s : sets) sets_json.push_back({s.path, s.value});
        options.checkpoint.path = ck_path;
        options.checkpoint.resume = !run_resume.empty();
        options.checkpoint.every_seconds = run_checkpoint_every;
        options.checkpoint.fingerprint = nlohmann::json{
            {"version", RIDETHROUGH_VERSION},
            {"design", l->design.text},
            {"sets", sets_json},
            {"seed", run_o.seed},
            {"replications", run_o.replications},
            {"target_rel_error", run_o.target_rel_error},
            {"out", run_o.out}}.dump();
        options.checkpoint.stop_signal = [] { return experiments::pending_stop_signal(); };
        for (const auto& p : {run_o.out, run_o.json})
          if (!p.empty() && p != "-") options.checkpoint.outputs.push_back(p);
        experiments::defer_stop_signals();
      }
      nlohmann::json summary;
      try {
        summary = experiments::run_design(l->design, l->model, options);
      } catch (const experiments::CheckpointError& e) {
        std::cerr << "ridethrough: error: " << e.what() << "\n";
        return 2;
      } catch (const experiments::StoppedAtCheckpoint& e) {
        std::cerr << "ridethrough: stopped by signal " << e.signal << "; checkpoint saved in '"
                  << ck_path << "': run the same command with --resume " << ck_path
                  << " to continue\n";
        return 128 + e.signal;
      }
      warn_closed(run_design, summary);
      const bool json_only = emit_json(run_o, summary);
      if (!run_o.quiet && !json_only) experiments::print_run_table(std::cout, summary);
      return 0;
    }
    if (*compare) {
      std::vector<topology::Override> sets;
      if (!parse_sets(cmp_set, sets)) return 2;
      if (int rc = check_outputs(cmp_o)) return rc;
      std::vector<Loaded> designs;
      bool bad = false;
      for (const auto& p : cmp_designs) {
        auto l = load(p, sets);
        if (!l) {
          bad = true;
          continue;
        }
        announce_rare_method(cmp_o, p, l->model);
        designs.push_back(std::move(*l));
      }
      if (bad) return 2;
      std::vector<std::string> outs;
      for (std::size_t i = 0; i < designs.size(); ++i)
        outs.push_back(out_for(cmp_o.out, std::to_string(i + 1) + "_" + file_stem(cmp_designs[i])));
      std::vector<nlohmann::json> summaries =
          run_all(designs, outs, run_options(cmp_o, command_line));
      for (std::size_t i = 0; i < summaries.size(); ++i) warn_closed(cmp_designs[i], summaries[i]);
      // Rank the designs that have an economics block by expected total cost (1 = cheapest).
      std::vector<std::size_t> order;
      for (std::size_t i = 0; i < summaries.size(); ++i)
        if (summaries[i].contains("economics")) order.push_back(i);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return summaries[a]["economics"]["expected_total_cost"].get<double>() <
               summaries[b]["economics"]["expected_total_cost"].get<double>();
      });
      for (std::size_t r = 0; r < order.size(); ++r)
        summaries[order[r]]["economics"]["rank"] = r + 1;
      const bool json_only = emit_json(cmp_o, nlohmann::json(summaries));
      if (!cmp_o.quiet && !json_only) experiments::print_compare_table(std::cout, summaries);
      return 0;
    }
    if (*check) {
      CommonOptions o;
      o.json = check_json;
      std::vector<topology::Override> sets;
      if (!parse_sets(check_set, sets)) return 2;
      if (int rc = check_outputs(o)) return rc;
      auto l = load(check_design_path, sets);
      if (!l) return 2;
      const auto result = experiments::check_design(l->model, check_order);
      if (!emit_json(o, result)) experiments::print_check(std::cout, l->design, l->model, result);
      return 0;
    }
    if (*capabilities) {
      CommonOptions o;
      o.json = caps_json;
      if (int rc = check_outputs(o)) return rc;
      std::optional<Loaded> l;
      if (!caps_design.empty() && !(l = load(caps_design))) return 2;
      const auto caps = experiments::capabilities_json(l ? &l->model : nullptr);
      if (!emit_json(o, caps)) experiments::print_capabilities(std::cout, caps);
      return 0;
    }
    if (*expand) {
      std::vector<topology::Override> sets;
      if (!parse_sets(expand_set, sets)) return 2;
      if (!load(expand_design_path, sets)) return 2;  // every problem, at its line
      std::ifstream in(expand_design_path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::vector<topology::Diagnostic> errors;
      const auto flat = topology::expand_design_text(text.str(), sets, errors);
      for (const auto& d : errors)
        std::cerr << topology::format_diagnostic(expand_design_path, d) << "\n";
      if (!flat) return 2;
      std::cout << *flat;
      return 0;
    }
    if (*exact) {
      CommonOptions o;
      o.json = exact_json;
      std::vector<topology::Override> sets;
      if (!parse_sets(exact_set, sets)) return 2;
      if (int rc = check_outputs(o)) return rc;
      auto l = load(exact_design_path, sets);
      if (!l) return 2;
      const auto result = experiments::exact_design(l->design, l->model, !exact_no_lump);
      if (result.contains("refusal")) {
        std::cerr << "ridethrough exact: " << exact_design_path << " cannot be solved exactly:\n";
        std::istringstream why(result["refusal"].get<std::string>());
        for (std::string line; std::getline(why, line);) std::cerr << "  - " << line << "\n";
        std::cerr << "use 'ridethrough run' to simulate it\n";
        return 2;
      }
      if (!emit_json(o, result)) experiments::print_exact(std::cout, result);
      return 0;
    }
    if (*importance || *sensitivity) {
      const bool imp = importance->parsed();
      const CommonOptions& o = imp ? imp_o : sen_o;
      const std::string& path = imp ? imp_design : sen_design;
      std::vector<topology::Override> sets;
      if (!parse_sets(imp ? imp_set : sen_set, sets)) return 2;
      if (!o.out.empty() || o.rare() || o.target_rel_error > 0) {
        std::cerr << "ridethrough: error: " << (imp ? "importance" : "sensitivity")
                  << " takes -n, --seed, --threads, --json, --quiet and --set only\n";
        return 2;
      }
      if (int rc = check_outputs(o)) return rc;
      std::vector<double> factors;
      if (!imp) {
        std::stringstream ss(sen_factors);
        for (std::string x; std::getline(ss, x, ',');) {
          const auto v = topology::parse_number(x);
          if (!v.value || *v.value <= 0) {
            std::cerr << "ridethrough: error: --factors expects positive numbers, got '" << x
                      << "'\n";
            return 2;
          }
          factors.push_back(*v.value);
        }
      }
      auto l = load(path, sets);
      if (!l) return 2;
      const auto options = run_options(o, command_line);
      const auto result = imp ? experiments::importance_analysis(l->design, options)
                              : experiments::sensitivity_analysis(l->design, factors, options);
      const bool json_only = emit_json(o, result);
      if (!o.quiet && !json_only) {
        if (imp)
          experiments::print_importance(std::cout, result);
        else
          experiments::print_sensitivity(std::cout, result);
      }
      return 0;
    }
    if (*portfolio) {
      if (pf_o.rare() || pf_o.target_rel_error > 0) {
        std::cerr << "ridethrough: error: portfolio takes -n, --seed, --threads, --json, --out "
                     "and --quiet\n";
        return 2;
      }
      if (int rc = check_outputs(pf_o)) return rc;
      const auto loaded = topology::load_portfolio_file(pf_path);
      if (!loaded.portfolio) {
        for (const auto& e : loaded.errors)
          std::cerr << topology::format_diagnostic(e.path, e.diagnostic) << "\n";
        return 2;
      }
      const auto result =
          experiments::run_portfolio(*loaded.portfolio, run_options(pf_o, command_line));
      const bool json_only = emit_json(pf_o, result);
      if (!pf_o.quiet && !json_only) experiments::print_portfolio(std::cout, result);
      return 0;
    }
    if (*optimize) {
      std::vector<topology::Override> sets;
      if (!parse_sets(opt_set, sets)) return 2;
      if (!opt_o.out.empty() || opt_o.rare() || opt_o.target_rel_error > 0) {
        std::cerr << "ridethrough: error: optimize takes -n, --seed, --threads, --json, --quiet, "
                     "--set, --require, --write-best and --exhaustive-limit\n";
        return 2;
      }
      CommonOptions outs = opt_o;
      outs.out = opt_write;
      if (int rc = check_outputs(outs)) return rc;
      experiments::OptimizeOptions o;
      for (const auto& text : opt_require) {
        auto req = experiments::parse_requirement(text);
        if (!req) {
          std::cerr << "ridethrough: error: --require expects PATH>=VALUE (or <=, >, <), got '"
                    << text << "'\n";
          return 2;
        }
        o.requirements.push_back(*req);
      }
      o.exhaustive_limit = opt_limit;
      auto l = load(opt_design, sets);
      if (!l) return 2;
      o.run = run_options(opt_o, command_line);
      nlohmann::json result;
      try {
        result = experiments::optimize_design(l->design, o);
      } catch (const std::invalid_argument& e) {
        std::cerr << opt_design << ": error: " << e.what() << "\n";
        return 2;
      }
      if (!opt_write.empty() && !result["best"].is_null()) {
        auto overrides = sets;
        const auto best = experiments::best_overrides(l->design, result);
        overrides.insert(overrides.end(), best.begin(), best.end());
        std::vector<topology::Diagnostic> errors;
        const auto text =
            topology::rewrite_design_text(l->design.text, overrides, {"options"}, errors);
        if (!text) {
          for (const auto& d : errors)
            std::cerr << topology::format_diagnostic(opt_design, d) << "\n";
          return 2;
        }
        experiments::write_file_atomic(
            opt_write, "# The best design of 'ridethrough optimize " + opt_design + "'\n" + *text);
      }
      const bool json_only = emit_json(opt_o, result);
      if (!opt_o.quiet && !json_only) experiments::print_optimize(std::cout, result);
      return 0;
    }
    if (*sweep) {
      std::vector<topology::Override> sets;
      if (!parse_sets(sw_set, sets)) return 2;
      if (int rc = check_outputs(sw_o)) return rc;
      std::vector<std::pair<std::string, std::vector<std::string>>> axes;
      for (const auto& v : sw_vary) {
        const auto eq = v.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
          std::cerr << "ridethrough: error: --vary expects PATH=V1,V2,..., got '" << v << "'\n";
          return 2;
        }
        std::vector<std::string> values;
        std::stringstream ss(v.substr(eq + 1));
        for (std::string x; std::getline(ss, x, ',');) values.push_back(x);
        axes.emplace_back(v.substr(0, eq), values);
      }
      // The points: every combination of the --vary values, the first varying slowest; with
      // --zip, the k-th value of every --vary together.
      std::vector<std::vector<topology::Override>> points;
      if (sw_zip) {
        for (const auto& a : axes)
          if (a.second.size() != axes[0].second.size()) {
            std::cerr << "ridethrough: error: --zip needs the same number of values in every "
                         "--vary ('"
                      << axes[0].first << "' has " << axes[0].second.size() << ", '" << a.first
                      << "' has " << a.second.size() << ")\n";
            return 2;
          }
        for (std::size_t k = 0; k < axes[0].second.size(); ++k) {
          std::vector<topology::Override> p;
          for (const auto& [path, values] : axes) p.push_back({path, values[k]});
          points.push_back(p);
        }
      } else {
        points = {{}};
        for (const auto& [path, values] : axes) {
          std::vector<std::vector<topology::Override>> next;
          for (const auto& p : points)
            for (const auto& value : values) {
              auto q = p;
              q.push_back({path, value});
              next.push_back(q);
            }
          points = next;
        }
      }
      std::vector<Loaded> designs;
      bool bad = false;
      for (const auto& p : points) {
        auto all = sets;
        all.insert(all.end(), p.begin(), p.end());
        auto l = load(sw_design, all);
        if (!l) {
          bad = true;
          continue;
        }
        announce_rare_method(sw_o, sw_design, l->model);
        designs.push_back(std::move(*l));
      }
      if (bad) return 2;
      std::vector<std::string> outs;
      for (std::size_t i = 0; i < designs.size(); ++i)
        outs.push_back(out_for(sw_o.out, "point" + std::to_string(i + 1)));
      std::vector<nlohmann::json> summaries =
          run_all(designs, outs, run_options(sw_o, command_line));
      for (std::size_t i = 0; i < summaries.size(); ++i) {
        auto& s = summaries[i];
        warn_closed(sw_design, s);
        nlohmann::json at = nlohmann::json::object();
        for (const auto& ov : points[i]) at[ov.path] = ov.value;
        s["sweep"] = at;
      }
      const bool json_only = emit_json(sw_o, nlohmann::json(summaries));
      if (!sw_o.quiet && !json_only) experiments::print_sweep_table(std::cout, summaries);
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "ridethrough: internal error: " << e.what() << "\n";
    return 1;
  }
  return 1;
}
