// The test runner. Catch2 2.13's `-w` option parses unreliably (its handler outlives what it
// captures), so the warnings that make an empty test fail are set here instead of on the
// command line: a test case without assertions fails, and so does a run that matched no test.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <string>

#include "experiments/cluster/worker.hpp"

int main(int argc, char* argv[]) {
  // Tests that run cluster tenants start SimGrid workers from this same executable.
  if (argc == 2 && std::string(argv[1]) == ridethrough::experiments::cluster::kWorkerCommand)
    return ridethrough::experiments::cluster::worker_main();
  Catch::Session session;
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  auto& config = session.configData();
  config.warnings = static_cast<Catch::WarnAbout::What>(
      config.warnings | Catch::WarnAbout::NoAssertions | Catch::WarnAbout::NoTests);
  return session.run();
}
