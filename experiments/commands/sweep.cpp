// `ridethrough sweep`: one run per point of a grid of key values, same seed for each.
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "experiments/analysis.hpp"
#include "experiments/commands/command.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Sweep : public Command {
 public:
  const char* name() const override { return "sweep"; }
  const char* help() const override {
    return "one run per value (a grid for several --vary), same seed for each";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("--vary", vary_,
                   "PATH=V1,V2,...: a dotted key path into the design (* and ? match keys) and "
                   "its values")
        ->required();
    cmd.add_flag("--zip", zip_, "several --vary step together instead of forming a grid");
    add_sets(cmd, sets_);
    add_common(cmd, o_);
    add_uncertainty(cmd, o_);
  }
  int run(const nlohmann::json& command_line) override;

 private:
  /// The --vary axes; false (with a message) if one is malformed.
  bool axes(std::vector<SweepAxis>& out) const;

  CommonOptions o_;
  std::string design_;
  std::vector<std::string> vary_, sets_;
  bool zip_ = false;
};

bool Sweep::axes(std::vector<SweepAxis>& out) const {
  for (const auto& v : vary_) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
      std::cerr << "ridethrough: error: --vary expects PATH=V1,V2,..., got '" << v << "'\n";
      return false;
    }
    std::vector<std::string> values;
    std::stringstream ss(v.substr(eq + 1));
    for (std::string x; std::getline(ss, x, ',');) values.push_back(x);
    out.emplace_back(v.substr(0, eq), values);
  }
  return true;
}

int Sweep::run(const nlohmann::json& command_line) {
  std::vector<topology::Override> sets;
  if (!parse_sets(sets_, sets)) return 2;
  if (int rc = check_outputs(o_)) return rc;
  if (!uncertainty_options(o_)) return 2;
  std::vector<SweepAxis> ax;
  if (!axes(ax)) return 2;
  std::vector<std::vector<topology::Override>> points;
  try {
    points = sweep_points(ax, zip_);
  } catch (const std::invalid_argument& e) {
    std::cerr << "ridethrough: error: " << e.what() << "\n";
    return 2;
  }
  std::vector<LoadedDesign> designs;
  bool bad = false;
  for (const auto& p : points) {
    auto all = sets;
    all.insert(all.end(), p.begin(), p.end());
    auto l = load(design_, all);
    if (!l) {
      bad = true;
      continue;
    }
    announce_rare_method(o_, design_, l->model);
    designs.push_back(std::move(*l));
  }
  if (bad) return 2;
  std::vector<std::string> outs;
  for (std::size_t i = 0; i < designs.size(); ++i)
    outs.push_back(out_for(o_.out, "point" + std::to_string(i + 1)));
  auto summaries = run_all(designs, outs, run_options(o_, command_line));
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    warn_closed(design_, summaries[i]);
    nlohmann::json at = nlohmann::json::object();
    for (const auto& ov : points[i]) at[ov.path] = ov.value;
    summaries[i]["sweep"] = at;
  }
  std::vector<const LoadedDesign*> loaded;
  for (const auto& d : designs) loaded.push_back(&d);
  add_uncertainty_blocks(loaded, summaries, run_options(o_, command_line), o_);
  const bool json_only = emit_json(o_, nlohmann::json(summaries));
  if (!o_.quiet && !json_only) {
    print_sweep_table(std::cout, summaries);
    for (std::size_t i = 0; i < summaries.size(); ++i)
      if (summaries[i].contains("uncertainty")) {
        std::cout << "\npoint " << i + 1 << " " << summaries[i]["sweep"].dump() << ":";
        print_uncertainty(std::cout, summaries[i]["uncertainty"]);
      }
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_sweep() {
  return std::make_unique<Sweep>();
}

}  // namespace ridethrough::experiments::commands
