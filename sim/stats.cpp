#include "sim/stats.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ridethrough::sim {

void Moments::merge(const Moments& o) {
  if (o.n_ == 0) return;
  if (n_ == 0) {
    *this = o;
    return;
  }
  const double na = static_cast<double>(n_), nb = static_cast<double>(o.n_);
  const double n = na + nb;
  const double d = o.mean_ - mean_;
  mean_ += d * nb / n;
  m2_ += o.m2_ + d * d * na * nb / n;
  n_ += o.n_;
}

double Moments::stddev() const {
  return std::sqrt(variance());
}

double Moments::ci95_half_width() const {
  return n_ > 0 ? 1.96 * stddev() / std::sqrt(static_cast<double>(n_)) : 0.0;
}

void Sample::merge(const Sample& o) {
  zeros_ += o.zeros_;
  values_.insert(values_.end(), o.values_.begin(), o.values_.end());
  sorted_ = false;
}

void Sample::finalize() {
  if (!sorted_) std::sort(values_.begin(), values_.end());
  sorted_ = true;
}

double Sample::order_statistic(std::uint64_t k) const {
  assert(sorted_ && k >= 1 && k <= count());
  // Negative values sort before the zeros, positive ones after.
  const auto negatives = static_cast<std::uint64_t>(
      std::lower_bound(values_.begin(), values_.end(), 0.0) - values_.begin());
  if (k <= negatives) return values_[k - 1];
  if (k <= negatives + zeros_) return 0.0;
  return values_[k - 1 - zeros_];
}

std::optional<double> Sample::quantile(std::uint64_t num, std::uint64_t den) const {
  const std::uint64_t n = count();
  if (n == 0) return std::nullopt;
  std::uint64_t k = (num * n + den - 1) / den;  // ceil(q n)
  k = std::clamp<std::uint64_t>(k, 1, n);
  return order_statistic(k);
}

std::optional<double> Sample::max() const {
  if (count() == 0) return std::nullopt;
  return order_statistic(count());
}

std::optional<double> Sample::cvar(std::uint64_t num, std::uint64_t den) const {
  const std::uint64_t n = count();
  if (n == 0) return std::nullopt;
  const std::uint64_t k = std::max<std::uint64_t>(1, (num * n + den - 1) / den);
  double sum = 0.0;
  for (std::uint64_t i = n - k + 1; i <= n; ++i) sum += order_statistic(i);
  return sum / static_cast<double>(k);
}

}  // namespace ridethrough::sim
