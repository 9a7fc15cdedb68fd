// The invariants checked by assert() (the admission cache key, a generator's demand count) run
// only where NDEBUG is not defined. The `checked` and `asan` presets promise that; this test
// makes the promise checkable, so a preset that quietly compiles them out fails.
#include <catch2/catch.hpp>

TEST_CASE("assertions: a build that promises them has them compiled in", "[build]") {
#ifdef RIDETHROUGH_EXPECT_ASSERTIONS
  const bool promised = true;
#else
  const bool promised = false;
#endif
#ifdef NDEBUG
  const bool compiled = false;
#else
  const bool compiled = true;
#endif
  CHECK((!promised || compiled));
}
