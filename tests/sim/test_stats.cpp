#include <catch2/catch.hpp>

#include "sim/stats.hpp"

using namespace ridethrough::sim;

TEST_CASE("quantiles follow the SPEC definition", "[stats]") {
  Sample s;
  for (double v : {0.0, 0.0, 3.0, 1.0, 2.0, 0.0, 5.0, 4.0, 0.0, 0.0}) s.add(v);
  s.finalize();
  // Sorted: 0 0 0 0 0 1 2 3 4 5
  CHECK(*s.quantile(50, 100) == 0.0);  // ceil(5) = 5th value
  CHECK(*s.quantile(90, 100) == 4.0);  // 9th
  CHECK(*s.quantile(99, 100) == 5.0);  // ceil(9.9) = 10th
  CHECK(*s.max() == 5.0);
  CHECK(*s.cvar(1, 100) == 5.0);  // ceil(10/100) = 1 largest
}
