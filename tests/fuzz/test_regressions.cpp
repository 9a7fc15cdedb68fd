// Every input the fuzzer once failed on (tests/fuzz/regressions), replayed in the normal build.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/fuzz_one.hpp"
#include "topology/loader.hpp"

TEST_CASE("fuzz regressions: every past crash or hang now loads or fails cleanly", "[fuzz]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(RIDETHROUGH_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  int replayed = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    INFO(e.path().string());
    CHECK_NOTHROW(ridethrough::fuzz::fuzz_one(ss.str()));
    // And the loader says what is wrong, or loads it.
    const auto r = ridethrough::topology::load_design_text(ss.str(), "x.yaml");
    CHECK(r.design.has_value() != !r.errors.empty());
    ++replayed;
  }
  CHECK(replayed >= 1);
}
