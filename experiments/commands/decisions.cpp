// `ridethrough importance` and `ridethrough sensitivity`: reruns of variants of a design with
// common random numbers.
#include <iostream>
#include <sstream>

#include "experiments/commands/command.hpp"
#include "experiments/decisions.hpp"
#include "topology/units.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Decision : public Command {
 public:
  explicit Decision(bool importance) : importance_(importance) {}
  const char* name() const override { return importance_ ? "importance" : "sensitivity"; }
  const char* help() const override {
    return importance_
               ? "per component: Birnbaum, RAW, RRW, Fussell-Vesely and tenant costs, from reruns "
                 "with the component perfect and always failed (common random numbers)"
               : "one at a time, every parameter of the design (laws, failure probabilities, grid "
                 "events, common-cause betas, durations of the dynamics) scaled by each factor: "
                 "the change in unavailability and tenant costs (common random numbers)";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    if (!importance_)
      cmd.add_option("--factors", factors_, "factors, comma-separated (default 0.5,2)");
    add_sets(cmd, sets_);
    add_common(cmd, o_);
  }
  int run(const nlohmann::json& command_line) override;

 private:
  /// --factors; false (with a message) if one is not a positive number.
  bool factors(std::vector<double>& out) const {
    std::stringstream ss(factors_);
    for (std::string x; std::getline(ss, x, ',');) {
      const auto v = topology::parse_number(x);
      if (!v.value || *v.value <= 0) {
        std::cerr << "ridethrough: error: --factors expects positive numbers, got '" << x << "'\n";
        return false;
      }
      out.push_back(*v.value);
    }
    return true;
  }

  bool importance_;
  CommonOptions o_;
  std::string design_, factors_ = "0.5,2";
  std::vector<std::string> sets_;
};

int Decision::run(const nlohmann::json& command_line) {
  std::vector<topology::Override> sets;
  if (!parse_sets(sets_, sets)) return 2;
  if (!o_.out.empty() || o_.rare() || o_.target_rel_error > 0) {
    std::cerr << "ridethrough: error: " << name()
              << " takes -n, --seed, --threads, --json, --quiet and --set only\n";
    return 2;
  }
  if (int rc = check_outputs(o_)) return rc;
  std::vector<double> f;
  if (!importance_ && !factors(f)) return 2;
  auto l = load(design_, sets);
  if (!l) return 2;
  const auto options = run_options(o_, command_line);
  const auto result = importance_ ? importance_analysis(l->design, options)
                                  : sensitivity_analysis(l->design, f, options);
  const bool json_only = emit_json(o_, result);
  if (!o_.quiet && !json_only) {
    if (importance_)
      print_importance(std::cout, result);
    else
      print_sensitivity(std::cout, result);
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_importance() {
  return std::make_unique<Decision>(true);
}

std::unique_ptr<Command> make_sensitivity() {
  return std::make_unique<Decision>(false);
}

}  // namespace ridethrough::experiments::commands
