// `ridethrough optimize`: the choices of a design's `options` block searched with common random
// numbers.
#include <iostream>
#include <stdexcept>

#include "experiments/commands/command.hpp"
#include "experiments/optimize.hpp"
#include "experiments/report.hpp"
#include "experiments/temp_files.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Optimize : public Command {
 public:
  const char* name() const override { return "optimize"; }
  const char* help() const override {
    return "search the choices of the design's 'options' block with common random numbers: "
           "designs ranked by expected total cost with paired intervals, and the Pareto front";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML) with an options block")->required();
    cmd.add_option("--require", require_,
                   "a constraint such as 'facility.availability>=0.9999'; repeatable");
    cmd.add_option("--write-best", write_, "write the best design as YAML");
    cmd.add_option("--exhaustive-limit", limit_,
                   "grids up to this many combinations are searched exhaustively, larger ones by "
                   "coordinate descent (default 64)");
    add_sets(cmd, sets_);
    add_common(cmd, o_);
    cmd.add_option("--uncertainty", o_.uncertainty,
                   "then run the best five feasible choices over K draws of the design's "
                   "uncertain parameters: their spread, P(meeting --require) and P(beating the "
                   "best at the stated values)")
        ->check(CLI::Range(2, 100000));
  }
  int run(const nlohmann::json& command_line) override;

 private:
  /// Writes the best design as YAML (the file's text with the best choices set); exit status.
  int write_best(const LoadedDesign& l, const std::vector<topology::Override>& sets,
                 const nlohmann::json& result) const;

  CommonOptions o_;
  std::string design_, write_;
  std::vector<std::string> sets_, require_;
  std::size_t limit_ = 64;
};

int Optimize::write_best(const LoadedDesign& l, const std::vector<topology::Override>& sets,
                         const nlohmann::json& result) const {
  if (write_.empty() || result["best"].is_null()) return 0;
  auto overrides = sets;
  const auto best = best_overrides(l.design, result);
  overrides.insert(overrides.end(), best.begin(), best.end());
  std::vector<topology::Diagnostic> errors;
  const auto text = topology::rewrite_design_text(l.design.text, overrides, {"options"}, errors);
  if (!text) {
    for (const auto& d : errors) std::cerr << topology::format_diagnostic(design_, d) << "\n";
    return 2;
  }
  write_file_atomic(write_,
                    "# The best design of 'ridethrough optimize " + design_ + "'\n" + *text);
  return 0;
}

int Optimize::run(const nlohmann::json& command_line) {
  std::vector<topology::Override> sets;
  if (!parse_sets(sets_, sets)) return 2;
  if (!o_.out.empty() || o_.rare() || o_.target_rel_error > 0) {
    std::cerr << "ridethrough: error: optimize takes -n, --seed, --threads, --json, --quiet, "
                 "--set, --require, --write-best and --exhaustive-limit\n";
    return 2;
  }
  CommonOptions outs = o_;
  outs.out = write_;
  if (int rc = check_outputs(outs)) return rc;
  OptimizeOptions o;
  for (const auto& text : require_) {
    auto req = parse_requirement(text);
    if (!req) {
      std::cerr << "ridethrough: error: --require expects PATH>=VALUE (or <=, >, <), got '" << text
                << "'\n";
      return 2;
    }
    o.requirements.push_back(*req);
  }
  o.exhaustive_limit = limit_;
  auto l = load(design_, sets);
  if (!l) return 2;
  o.run = run_options(o_, command_line);
  nlohmann::json result;
  try {
    result = optimize_design(l->design, o);
  } catch (const std::invalid_argument& e) {
    std::cerr << design_ << ": error: " << e.what() << "\n";
    return 2;
  }
  if (o_.uncertainty > 0) {
    if (uncertain_parameters(l->design).empty()) {
      std::cerr << "ridethrough: error: --uncertainty: " << design_
                << " has no uncertain parameter\n";
      return 2;
    }
    result["uncertainty"] = optimize_uncertainty(l->design, result, o, o_.uncertainty);
  }
  if (result.contains("warnings"))
    for (const auto& w : result["warnings"])
      std::cerr << "ridethrough: warning: " << design_ << ": " << w.get<std::string>() << "\n";
  if (int rc = write_best(*l, sets, result)) return rc;
  const bool json_only = emit_json(o_, result);
  if (!o_.quiet && !json_only) {
    print_optimize(std::cout, result);
    if (result.contains("uncertainty"))
      for (const auto& row : result["uncertainty"]) {
        std::cout << "\n" << row["choice"].dump() << ":";
        print_uncertainty(std::cout, row["uncertainty"]);
      }
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_optimize() {
  return std::make_unique<Optimize>();
}

}  // namespace ridethrough::experiments::commands
