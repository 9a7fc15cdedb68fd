// The command line: one table of subcommands (experiments/commands/, one file each), wired to
// CLI11 here. Under mpirun every rank runs the same command; rank 0 alone reads out and writes.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <vector>

#include "experiments/cluster/worker.hpp"
#include "experiments/commands/command.hpp"
#include "experiments/temp_files.hpp"
#include "sim/mpi.hpp"

using namespace ridethrough;
using experiments::commands::Command;

namespace {

/// Every subcommand, in the order `--help` lists them: one line each.
std::vector<std::unique_ptr<Command>> command_table() {
  namespace c = experiments::commands;
  std::vector<std::unique_ptr<Command>> t;
  for (auto make :
       {c::make_run, c::make_compare, c::make_sweep, c::make_importance, c::make_sensitivity,
        c::make_optimize, c::make_portfolio, c::make_check, c::make_capabilities, c::make_expand,
        c::make_exact, c::make_export, c::make_diagram, c::make_trace, c::make_fit, c::make_catalogue})
    t.push_back(make());
  return t;
}

int run_cli(int argc, char** argv) {
  nlohmann::json command_line = nlohmann::json::array();
  for (int i = 0; i < argc; ++i) command_line.push_back(argv[i]);
  CLI::App app{
      "ridethrough: discrete-event Monte Carlo simulator of datacenter power and cooling "
      "reliability"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(RIDETHROUGH_VERSION));
  auto commands = command_table();
  std::vector<CLI::App*> subs;
  for (auto& c : commands) {
    subs.push_back(app.add_subcommand(c->name(), c->help()));
    c->declare(*subs.back());
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  try {
    for (std::size_t i = 0; i < commands.size(); ++i)
      if (subs[i]->parsed()) return commands[i]->run(command_line);
  } catch (const std::exception& e) {
    std::cerr << "ridethrough: internal error: " << e.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // A SimGrid worker started by a cluster evaluation: no MPI, no CLI (experiments/cluster).
  if (argc == 2 && std::string(argv[1]) == experiments::cluster::kWorkerCommand)
    return experiments::cluster::worker_main();
  const sim::Ranks ranks = sim::mpi_start(&argc, &argv);
  experiments::remove_temp_files_on_signal();
  if (!ranks.root()) {
    // Other ranks stay silent: the same messages would come from rank 0.
    std::cout.setstate(std::ios::failbit);
    std::cerr.setstate(std::ios::failbit);
  }
  int rc = run_cli(argc, argv);
  rc = sim::mpi_max(rc);
  sim::mpi_stop();
  return rc;
}
