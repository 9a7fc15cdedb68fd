// `ridethrough trace DESIGN --replication K [--seed S] [--from H] [--to H] [--json FILE|-]`.
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/trace.hpp"

namespace ridethrough::experiments::commands {

namespace {

class Trace : public Command {
 public:
  const char* name() const override { return "trace"; }
  const char* help() const override {
    return "the event timeline of one replication (the same one `run` simulated with that "
           "seed and index), in words";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("design", design_, "design file (YAML)")->required();
    cmd.add_option("--replication", index_, "the replication's index (0, 1, ...)")->required();
    cmd.add_option("--seed", o_.seed, "the run's seed (default 1)");
    cmd.add_option("--from", from_, "hours from the end of the warmup (default 0)");
    cmd.add_option("--to", to_, "up to this hour (default: the end, outages followed past it)");
    cmd.add_option("--json", o_.json, "write the timeline as JSON to FILE, or - for stdout");
    add_sets(cmd, sets_);
  }
  int run(const nlohmann::json&) override {
    std::vector<topology::Override> sets;
    if (!parse_sets(sets_, sets)) return 2;
    if (int rc = check_outputs(o_)) return rc;
    auto l = load(design_, sets);
    if (!l) return 2;
    const Timeline t = trace_replication(l->model, o_.seed, index_);
    nlohmann::json j = timeline_json(t, from_, to_);
    j["design"] = design_label(l->design);
    j["seed"] = o_.seed;
    if (emit_json(o_, j)) return 0;
    std::cout << "trace: " << design_label(l->design) << ", replication " << index_ << ", seed "
              << o_.seed << "; hours from the end of the warmup; facility down "
              << t.facility_downtime << " h in the horizon\n\n";
    print_timeline(std::cout, t, from_, to_);
    return 0;
  }

 private:
  CommonOptions o_;
  std::string design_;
  std::uint64_t index_ = 0;
  double from_ = 0.0, to_ = 1e300;
  std::vector<std::string> sets_;
};

}  // namespace

std::unique_ptr<Command> make_trace() {
  return std::make_unique<Trace>();
}

}  // namespace ridethrough::experiments::commands
