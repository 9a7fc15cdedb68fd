// The commands that do not simulate: `check`, `exact`, `expand` and `capabilities`.
#include <fstream>
#include <iostream>
#include <sstream>

#include "experiments/analysis.hpp"
#include "experiments/commands/command.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Check : public Command {
 public:
  const char* name() const override { return "check"; }
  const char* help() const override {
    return "validate; print the topology, single points of failure and minimal cut sets of "
           "order <= 2";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("--json", o_.json, "write the result as JSON; '-' means stdout");
    add_sets(cmd, sets_);
    cmd.add_option("--order", order_, "largest cut sets to list: 2, or 3")->check(CLI::Range(1, 3));
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    if (int rc = check_outputs(o_)) return rc;
    auto l = load(design_, sets);
    if (!l) return 2;
    const auto result = check_design(l->model, order_);
    if (!emit_json(o_, result)) print_check(std::cout, l->design, l->model, result);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string design_;
  std::vector<std::string> sets_;
  int order_ = 2;
};

class Exact : public Command {
 public:
  const char* name() const override { return "exact"; }
  const char* help() const override {
    return "exact steady-state availability and outage frequency of a Markovian design";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("--json", o_.json, "write the result as JSON; '-' means stdout");
    add_sets(cmd, sets_);
    cmd.add_flag("--no-lump", no_lump_,
                 "solve the crew chain on individual components, not classes of exchangeable "
                 "units (to check the lumping; far bigger chains)");
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    if (int rc = check_outputs(o_)) return rc;
    auto l = load(design_, sets);
    if (!l) return 2;
    const auto result = exact_design(l->design, l->model, !no_lump_);
    if (result.contains("refusal")) {
      std::cerr << "ridethrough exact: " << design_ << " cannot be solved exactly:\n";
      std::istringstream why(result["refusal"].get<std::string>());
      for (std::string line; std::getline(why, line);) std::cerr << "  - " << line << "\n";
      std::cerr << "use 'ridethrough run' to simulate it\n";
      return 2;
    }
    if (!emit_json(o_, result)) print_exact(std::cout, result);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string design_;
  std::vector<std::string> sets_;
  bool no_lump_ = false;
};

class Expand : public Command {
 public:
  const char* name() const override { return "expand"; }
  const char* help() const override {
    return "print the design with its templates expanded: flat YAML, one entry per line";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    add_sets(cmd, sets_);
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    if (!load(design_, sets)) return 2;  // every problem, at its line
    std::ifstream in(design_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::vector<topology::Diagnostic> errors;
    const auto flat = topology::expand_design_text(text.str(), sets, errors);
    for (const auto& d : errors) std::cerr << topology::format_diagnostic(design_, d) << "\n";
    if (!flat) return 2;
    std::cout << *flat;
    return 0;
  }

 private:
  std::string design_;
  std::vector<std::string> sets_;
};

class Capabilities : public Command {
 public:
  const char* name() const override { return "capabilities"; }
  const char* help() const override {
    return "what each analysis handles, approximates, leaves out or refuses (for a design: of "
           "it)";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML); none: the whole table");
    cmd.add_option("--json", o_.json, "write the answer as JSON; '-' means stdout");
  }
  int run(const nlohmann::json&) override {
    if (int rc = check_outputs(o_)) return rc;
    std::optional<LoadedDesign> l;
    if (!design_.empty() && !(l = load(design_))) return 2;
    const auto caps = capabilities_json(l ? &l->model : nullptr);
    if (!emit_json(o_, caps)) print_capabilities(std::cout, caps);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string design_;
};

}  // namespace

std::unique_ptr<Command> make_check() {
  return std::make_unique<Check>();
}
std::unique_ptr<Command> make_exact() {
  return std::make_unique<Exact>();
}
std::unique_ptr<Command> make_expand() {
  return std::make_unique<Expand>();
}
std::unique_ptr<Command> make_capabilities() {
  return std::make_unique<Capabilities>();
}

}  // namespace ridethrough::experiments::commands
