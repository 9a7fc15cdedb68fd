// `ridethrough portfolio`: sites over the same replications, with regional events.
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/portfolio.hpp"
#include "topology/portfolio.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Portfolio : public Command {
 public:
  const char* name() const override { return "portfolio"; }
  const char* help() const override {
    return "simulate the sites of a portfolio over the same replications, with regional events "
           "that hit several at once";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("portfolio", path_, "portfolio file (YAML)")->required();
    add_common(cmd, o_);
  }
  int run(const nlohmann::json& command_line) override {
    if (o_.rare() || o_.target_rel_error > 0) {
      std::cerr << "ridethrough: error: portfolio takes -n, --seed, --threads, --json, --out and "
                   "--quiet\n";
      return 2;
    }
    if (int rc = check_outputs(o_)) return rc;
    const auto loaded = topology::load_portfolio_file(path_);
    if (!loaded.portfolio) {
      for (const auto& e : loaded.errors)
        std::cerr << topology::format_diagnostic(e.path, e.diagnostic) << "\n";
      return 2;
    }
    const auto result = run_portfolio(*loaded.portfolio, run_options(o_, command_line));
    const bool json_only = emit_json(o_, result);
    if (!o_.quiet && !json_only) print_portfolio(std::cout, result);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string path_;
};

}  // namespace

std::unique_ptr<Command> make_portfolio() {
  return std::make_unique<Portfolio>();
}

}  // namespace ridethrough::experiments::commands
