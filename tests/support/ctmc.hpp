#pragma once
// A dense steady-state solver for the few-state chains the tests write by hand; deliberately
// independent of the project's own exact solver so that the two can referee each other.
#include <cmath>
#include <utility>
#include <vector>

namespace ridethrough::testing {

/// Stationary distribution of a generator matrix Q (rows sum to zero), by Gaussian elimination
/// on Q^T pi = 0 with the last equation replaced by sum(pi) = 1.
inline std::vector<double> stationary(std::vector<std::vector<double>> q) {
  const std::size_t n = q.size();
  std::vector<std::vector<double>> a(n, std::vector<double>(n + 1, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) a[i][j] = q[j][i];
  for (std::size_t j = 0; j < n; ++j) a[n - 1][j] = 1.0;
  a[n - 1][n] = 1.0;
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    std::swap(a[c], a[p]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t k = c; k <= n; ++k) a[r][k] -= f * a[c][k];
    }
  }
  std::vector<double> pi(n);
  for (std::size_t i = 0; i < n; ++i) pi[i] = a[i][n] / a[i][i];
  return pi;
}

}  // namespace ridethrough::testing
