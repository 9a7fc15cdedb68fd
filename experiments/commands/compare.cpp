// `ridethrough compare`: designs side by side over the same replications.
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/report.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Compare : public Command {
 public:
  const char* name() const override { return "compare"; }
  const char* help() const override {
    return "simulate several designs with the same seed and replications; paired differences "
           "against the first";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("designs", designs_, "design files (YAML)")->required()->expected(1, -1);
    add_sets(cmd, sets_);
    add_common(cmd, o_);
    add_uncertainty(cmd, o_);
  }
  int run(const nlohmann::json& command_line) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    if (int rc = check_outputs(o_)) return rc;
    if (!uncertainty_options(o_)) return 2;
    std::vector<LoadedDesign> designs;
    bool bad = false;
    for (const auto& p : designs_) {
      auto l = load(p, sets);
      if (!l) {
        bad = true;
        continue;
      }
      announce_rare_method(o_, p, l->model);
      designs.push_back(std::move(*l));
    }
    if (bad) return 2;
    std::vector<std::string> outs;
    for (std::size_t i = 0; i < designs.size(); ++i)
      outs.push_back(out_for(o_.out, std::to_string(i + 1) + "_" + file_stem(designs_[i])));
    auto summaries = run_all(designs, outs, run_options(o_, command_line));
    for (std::size_t i = 0; i < summaries.size(); ++i) warn_closed(designs_[i], summaries[i]);
    std::vector<const LoadedDesign*> loaded;
    for (const auto& d : designs) loaded.push_back(&d);
    add_uncertainty_blocks(loaded, summaries, run_options(o_, command_line), o_);
    rank_by_expected_total_cost(summaries);
    const bool json_only = emit_json(o_, nlohmann::json(summaries));
    if (!o_.quiet && !json_only) {
      print_compare_table(std::cout, summaries);
      for (std::size_t i = 0; i < summaries.size(); ++i)
        if (summaries[i].contains("uncertainty")) {
          std::cout << "\n" << designs_[i] << ":";
          print_uncertainty(std::cout, summaries[i]["uncertainty"]);
        }
    }
    return 0;
  }

 private:
  CommonOptions o_;
  std::vector<std::string> designs_, sets_;
};

}  // namespace

std::unique_ptr<Command> make_compare() {
  return std::make_unique<Compare>();
}

}  // namespace ridethrough::experiments::commands
