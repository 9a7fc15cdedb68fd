// `ridethrough diagram DESIGN [-o FILE.svg] [--format svg|dot] [--results RUN.json]`.
#include <fstream>
#include <iostream>

#include "experiments/analysis.hpp"
#include "experiments/commands/command.hpp"
#include "experiments/diagram.hpp"
#include "experiments/report.hpp"

namespace ridethrough::experiments::commands {

namespace {

class DiagramCommand : public Command {
 public:
  const char* name() const override { return "diagram"; }
  const char* help() const override {
    return "draw the single-line diagram (SVG by Graphviz, or its DOT text); with --results, "
           "components coloured by outage share or Birnbaum importance";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("-o,--output", out_, "write to FILE (default: stdout)");
    cmd.add_option("--format", format_, "svg (default) or dot")
        ->check(CLI::IsMember({"svg", "dot"}));
    cmd.add_option("--results", results_,
                   "a run or importance JSON of this design: colour by its figures");
    add_sets(cmd, sets_);
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    CommonOptions outs;
    outs.json = out_;  // checked like any output file
    if (int rc = check_outputs(outs)) return rc;
    nlohmann::json results;
    if (!results_.empty() && !read_results(results)) return 2;
    auto l = load(design_, sets);
    if (!l) return 2;
    DiagramOptions o;
    if (!results_.empty()) o.results = &results;
    const Diagram d = diagram_dot(l->model, check_design(l->model), o);
    if (!results_.empty() && d.colour_by.empty())
      std::cerr << "ridethrough diagram: " << results_
                << ": no component figures to colour by (outage_share or birnbaum)\n";
    std::string text = d.dot;
    if (format_ == "svg") {
      std::string error;
      const auto svg = render_svg(d.dot, error);
      if (!svg) {
        std::cerr << "ridethrough diagram: " << error << "\n";
        return 1;
      }
      text = *svg;
    }
    if (out_.empty() || out_ == "-")
      std::cout << text;
    else
      write_file_atomic(out_, text);
    return 0;
  }

 private:
  bool read_results(nlohmann::json& j) const {
    std::ifstream f(results_);
    if (!f) {
      std::cerr << results_ << ": error: cannot read it\n";
      return false;
    }
    try {
      j = nlohmann::json::parse(f);
    } catch (const nlohmann::json::parse_error& e) {
      std::cerr << results_ << ":1:" << e.byte << ": error: not JSON: " << e.what() << "\n";
      return false;
    }
    return true;
  }

  std::string design_, out_, format_ = "svg", results_;
  std::vector<std::string> sets_;
};

}  // namespace

std::unique_ptr<Command> make_diagram() {
  return std::make_unique<DiagramCommand>();
}

}  // namespace ridethrough::experiments::commands
