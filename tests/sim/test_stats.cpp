#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
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

TEST_CASE("moments of a hand-computed sample: mean, n-1 variance, 95% half-width", "[stats]") {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum to 32, so s^2 = 32 / 7.
  Moments m;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) m.add(x);
  CHECK(m.count() == 8);
  CHECK(m.mean() == Approx(5.0).epsilon(1e-15));
  CHECK(m.variance() == Approx(32.0 / 7.0).epsilon(1e-14));
  CHECK(m.stddev() == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-14));
  CHECK(m.ci95_half_width() ==
        Approx(1.96 * std::sqrt(32.0 / 7.0) / std::sqrt(8.0)).epsilon(1e-14));
  // One value: no spread, no interval.
  Moments one;
  one.add(3.0);
  CHECK(one.variance() == 0.0);
  CHECK(one.ci95_half_width() == 0.0);
}

TEST_CASE("merging moments equals adding the values one by one", "[stats]") {
  ridethrough::sim::Rng rng(7);
  Moments all, a, b, c;
  for (int i = 0; i < 1000; ++i) {
    const double x = rng.exponential() * 3.0 + (i % 7);
    all.add(x);
    (i < 137 ? a : i < 600 ? b : c).add(x);
  }
  Moments merged;
  merged.merge(a);
  merged.merge(b);
  merged.merge(Moments{});  // an empty block changes nothing
  merged.merge(c);
  CHECK(merged.count() == all.count());
  CHECK(merged.mean() == Approx(all.mean()).epsilon(1e-13));
  CHECK(merged.variance() == Approx(all.variance()).epsilon(1e-12));
  CHECK(merged.ci95_half_width() == Approx(all.ci95_half_width()).epsilon(1e-12));
}

TEST_CASE("co-moments: correlation of hand-computed pairs, and merging", "[stats]") {
  // x = 1..5, y = 2, 4, 5, 4, 5: cov = 1.5 (n-1), sd_x = sqrt(2.5), sd_y = sqrt(1.5).
  CoMoments all, a, b;
  const double xs[] = {1, 2, 3, 4, 5}, ys[] = {2, 4, 5, 4, 5};
  for (int i = 0; i < 5; ++i) {
    all.add(xs[i], ys[i]);
    (i < 2 ? a : b).add(xs[i], ys[i]);
  }
  const double r = 1.5 / std::sqrt(2.5 * 1.5);
  CHECK(*all.correlation() == Approx(r).epsilon(1e-14));
  a.merge(b);
  CHECK(*a.correlation() == Approx(r).epsilon(1e-14));
  CoMoments flat;
  flat.add(1, 3);
  flat.add(2, 3);
  CHECK_FALSE(flat.correlation().has_value());
}
