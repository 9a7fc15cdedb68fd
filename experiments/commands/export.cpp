// `ridethrough export DESIGN --format open-psa [-o FILE.xml]`.
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/export.hpp"
#include "experiments/report.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Export : public Command {
 public:
  const char* name() const override { return "export"; }
  const char* help() const override {
    return "write the design's critical loads as fault trees (Open-PSA MEF, for SCRAM and "
           "other fault-tree tools)";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("--format", format_, "the format: open-psa")
        ->required()
        ->check(CLI::IsMember({"open-psa"}));
    cmd.add_option("-o,--output", o_.out, "write to FILE (default: stdout)");
    add_sets(cmd, sets_);
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    CommonOptions outs;
    outs.json = o_.out;  // checked like any output file
    if (int rc = check_outputs(outs)) return rc;
    auto l = load(design_, sets);
    if (!l) return 2;
    const auto e = open_psa(l->design, l->model);
    if (!e.refusals.empty()) {
      std::cerr << "ridethrough export: " << design_ << " has no static fault tree:\n";
      for (const auto& r : e.refusals) std::cerr << "  - " << r << "\n";
      return 2;
    }
    for (const auto& line : e.left_out)
      std::cerr << design_ << ": note: approximated or left out: " << line << "\n";
    if (o_.out.empty() || o_.out == "-")
      std::cout << e.xml;
    else
      write_file_atomic(o_.out, e.xml);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string design_, format_;
  std::vector<std::string> sets_;
};

}  // namespace

std::unique_ptr<Command> make_export() {
  return std::make_unique<Export>();
}

}  // namespace ridethrough::experiments::commands
