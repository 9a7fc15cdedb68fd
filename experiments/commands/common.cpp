#include <unistd.h>

#include <iostream>
#include <sstream>

#include "experiments/commands/command.hpp"
#include "experiments/report.hpp"
#include "experiments/temp_files.hpp"
#include "failure_models/importance.hpp"
#include "sim/mpi.hpp"
#include "topology/limits.hpp"

namespace ridethrough::experiments::commands {

void add_common(CLI::App& app, CommonOptions& o) {
  CLI::App* cmd = &app;
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

void add_uncertainty(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--uncertainty", o.uncertainty,
                 "K draws of the design's uncertain parameters (error factors), each run with "
                 "the same seed and --replications: the spread of every figure over the draws")
      ->check(CLI::Range(2, 100000));
  cmd.add_option("--require", o.require,
                 "PATH>=VALUE (or <=, >, <) on a summary figure, e.g. "
                 "facility.availability>=0.9999: with --uncertainty, the probability of meeting "
                 "it over the draws; repeatable (the probability that all hold)");
}

std::optional<UncertaintyOptions> uncertainty_options(const CommonOptions& o) {
  UncertaintyOptions u;
  u.draws = o.uncertainty;
  u.progress = !o.quiet && o.json != "-";
  if (o.uncertainty == 0 && !o.require.empty()) {
    std::cerr << "ridethrough: error: --require needs --uncertainty K (the probability of meeting "
                 "it over parameter draws)\n";
    return std::nullopt;
  }
  if (o.uncertainty > 0 && (o.rare() || !o.out.empty())) {
    std::cerr << "ridethrough: error: --uncertainty runs plain replications and writes no "
                 "per-replication results: not with --importance-sampling, --splitting or --out\n";
    return std::nullopt;
  }
  for (const auto& text : o.require) {
    auto req = parse_requirement(text);
    if (!req) {
      std::cerr << "ridethrough: error: --require expects PATH>=VALUE (or <=, >, <), got '" << text
                << "'\n";
      return std::nullopt;
    }
    u.requirements.push_back(*req);
  }
  return u;
}

void add_uncertainty_blocks(const std::vector<const LoadedDesign*>& designs,
                            std::vector<nlohmann::json>& summaries, const RunOptions& run,
                            const CommonOptions& o) {
  std::vector<const topology::Design*> ds;
  for (const auto* l : designs) {
    const auto n = uncertain_parameters(l->design).size();
    if (n > 0 && o.uncertainty == 0)
      std::cerr << "note: " << l->design.path << " has " << n
                << " uncertain parameter(s); this run takes their stated values (the medians): "
                   "add --uncertainty K to propagate them\n";
    ds.push_back(&l->design);
  }
  if (o.uncertainty == 0) return;
  auto u = uncertainty_options(o);
  auto blocks = propagate_uncertainty(ds, run, *u);
  for (std::size_t i = 0; i < summaries.size(); ++i) summaries[i]["uncertainty"] = blocks[i];
}

void add_sets(CLI::App& cmd, std::vector<std::string>& sets) {
  cmd.add_option("--set", sets,
                 "PATH=VALUE: set a key of the design (dotted path; * and ? match keys); "
                 "repeatable");
}

std::optional<LoadedDesign> load(const std::string& path,
                                 const std::vector<topology::Override>& overrides) {
  auto r = load_and_compile_file(path, overrides);
  for (const auto& e : r.errors) std::cerr << e << "\n";
  return std::move(r.loaded);
}

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

void warn_closed(const std::string& path, const nlohmann::json& summary) {
  const auto n = summary.value("outages_closed_at_follow_up_limit", std::uint64_t{0});
  if (n == 0) return;
  std::cerr << path << ": warning: " << n
            << " outage(s) never ended and were closed at the follow-up limit (horizon + "
               "max(10 horizons, 100000 h)); their lengths and costs are lower bounds\n";
}

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

std::vector<nlohmann::json> run_all(const std::vector<LoadedDesign>& designs,
                                    const std::vector<std::string>& outs,
                                    const RunOptions& options) {
  std::vector<nlohmann::json> summaries;
  if (options.importance_sampling) {
    for (const auto& l : designs) summaries.push_back(run_design(l.design, l.model, options));
    return summaries;
  }
  std::vector<DesignRun> runs;
  for (std::size_t i = 0; i < designs.size(); ++i)
    runs.push_back({&designs[i].design, &designs[i].model, outs[i]});
  return run_designs(runs, options);
}

RunOptions run_options(const CommonOptions& o, const nlohmann::json& argv) {
  RunOptions r;
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

bool emit_json(const CommonOptions& o, const nlohmann::json& j) {
  if (o.json.empty()) return false;
  if (!sim::mpi_ranks().root()) return true;  // rank 0 writes
  const std::string text = j.dump(2) + "\n";
  if (o.json == "-") {
    std::cout << text;
    return true;
  }
  write_file_atomic(o.json, text);
  return false;
}

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

}  // namespace ridethrough::experiments::commands
