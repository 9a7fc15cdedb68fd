#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "sim/rng.hpp"
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

TEST_CASE("past its exact limit a sample bins values, keeping count, sum and max exact",
          "[stats]") {
  ridethrough::sim::Rng rng(42);
  Sample binned, part1, part2;
  std::vector<double> all;
  const std::size_t n = 2 * Sample::kExactLimit;  // two thirds non-zero: past the limit
  for (std::size_t i = 0; i < n; ++i) {
    const double x = i % 3 == 0 ? 0.0 : rng.exponential() * 10.0;
    all.push_back(x);
    binned.add(x);
    (i < n / 2 ? part1 : part2).add(x);
  }
  CHECK_FALSE(binned.exact());
  binned.finalize();
  std::sort(all.begin(), all.end());
  double sum = 0.0;
  for (double x : all) sum += x;
  CHECK(binned.count() == n);
  CHECK(binned.sum() == Approx(sum).epsilon(1e-12));
  CHECK(*binned.max() == all.back());
  for (auto [num, den] : {std::pair<int, int>{50, 100}, {90, 100}, {99, 100}}) {
    const double exact = all[(num * n + den - 1) / den - 1];
    CHECK(*binned.quantile(num, den) == Approx(exact).epsilon(2.5e-4));
  }
  // Merging two halves gives the same distribution as adding one by one.
  part1.merge(part2);
  part1.finalize();
  CHECK(*part1.quantile(99, 100) == *binned.quantile(99, 100));
  CHECK(*part1.cvar(1, 100) == Approx(*binned.cvar(1, 100)).epsilon(1e-12));
}
