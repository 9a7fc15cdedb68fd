#include "sim/stats.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

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

void CoMoments::merge(const CoMoments& o) {
  if (o.n_ == 0) return;
  if (n_ == 0) {
    *this = o;
    return;
  }
  const double na = static_cast<double>(n_), nb = static_cast<double>(o.n_), n = na + nb;
  const double dx = o.mx_ - mx_, dy = o.my_ - my_;
  mx_ += dx * nb / n;
  my_ += dy * nb / n;
  cxy_ += o.cxy_ + dx * dy * na * nb / n;
  m2x_ += o.m2x_ + dx * dx * na * nb / n;
  m2y_ += o.m2y_ + dy * dy * na * nb / n;
  n_ += o.n_;
}

std::optional<double> CoMoments::correlation() const {
  if (m2x_ <= 0.0 || m2y_ <= 0.0) return std::nullopt;
  return cxy_ / std::sqrt(m2x_ * m2y_);
}

double Moments::stddev() const {
  return std::sqrt(variance());
}

double Moments::ci95_half_width() const {
  return n_ > 0 ? 1.96 * stddev() / std::sqrt(static_cast<double>(n_)) : 0.0;
}

std::int64_t Sample::key(double x) {
  // The top 24 bits of a double (sign, exponent, 12 mantissa bits) order positive values; a
  // negative value takes the mirrored key below every positive one.
  const double a = x < 0 ? -x : x;
  std::uint64_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  const auto k = static_cast<std::int64_t>(bits >> 40);
  return x < 0 ? -k - 1 : k;
}

double Sample::midpoint(std::int64_t key) {
  const bool negative = key < 0;
  const std::uint64_t k = static_cast<std::uint64_t>(negative ? -key - 1 : key);
  const std::uint64_t lo_bits = k << 40, hi_bits = (k + 1) << 40;
  double lo, hi;
  std::memcpy(&lo, &lo_bits, sizeof lo);
  std::memcpy(&hi, &hi_bits, sizeof hi);
  const double mid = 0.5 * (lo + hi);
  return negative ? -mid : mid;
}

void Sample::to_bins() {
  for (double v : values_) ++bins_[key(v)];
  binned_count_ += values_.size();
  values_.clear();
  values_.shrink_to_fit();
  binned_ = true;
}

void Sample::merge(const Sample& o) {
  if (o.count() == 0) return;
  if (count() == 0 || o.max_ > max_) max_ = o.max_;
  sum_ += o.sum_;
  zeros_ += o.zeros_;
  if (!binned_ && !o.binned_ && values_.size() + o.values_.size() <= kExactLimit) {
    values_.insert(values_.end(), o.values_.begin(), o.values_.end());
    sorted_ = false;
    return;
  }
  if (!binned_) to_bins();
  for (double v : o.values_) ++bins_[key(v)];
  binned_count_ += o.values_.size();
  for (const auto& [k, c] : o.bins_) bins_[k] += c;
  binned_count_ += o.binned_count_;
}

void Sample::save(Archive& a) const {
  a.put(zeros_), a.put(values_), a.put<std::uint8_t>(binned_), a.put(bins_), a.put(binned_count_);
  a.put(sum_), a.put(max_);
}

void Sample::load(Archive& a) {
  std::uint8_t binned = 0;
  a.get(zeros_), a.get(values_), a.get(binned), a.get(bins_), a.get(binned_count_);
  a.get(sum_), a.get(max_);
  binned_ = binned != 0;
  sorted_ = false;
}

void Sample::finalize() {
  if (!sorted_) std::sort(values_.begin(), values_.end());
  sorted_ = true;
}

double Sample::order_statistic(std::uint64_t k) const {
  assert(sorted_ && k >= 1 && k <= count());
  if (binned_) {
    // Negative bins, then the zeros, then positive bins, each in increasing order.
    std::uint64_t seen = 0;
    bool zeros_done = false;
    for (const auto& [key, c] : bins_) {
      if (key >= 0 && !zeros_done) {
        if (k <= seen + zeros_) return 0.0;
        seen += zeros_;
        zeros_done = true;
      }
      if (k <= seen + c) return std::min(midpoint(key), max_);
      seen += c;
    }
    return 0.0;  // only zeros remain
  }
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

double Sample::share_above(double x) const {
  assert(sorted_);
  const std::uint64_t n = count();
  if (n == 0) return 0.0;
  std::uint64_t above = x < 0.0 ? zeros_ : 0;
  if (!binned_) {
    above += static_cast<std::uint64_t>(values_.end() -
                                        std::upper_bound(values_.begin(), values_.end(), x));
  } else {
    for (const auto& [key, c] : bins_)
      if (std::min(midpoint(key), max_) > x) above += c;
  }
  return static_cast<double>(above) / static_cast<double>(n);
}

std::optional<double> Sample::min_positive() const {
  assert(sorted_);
  if (!binned_) {
    auto it = std::upper_bound(values_.begin(), values_.end(), 0.0);
    if (it == values_.end()) return std::nullopt;
    return *it;
  }
  for (const auto& [key, c] : bins_)
    if (key >= 0 && c > 0) return std::min(midpoint(key), max_);
  return std::nullopt;
}

std::optional<double> Sample::max() const {
  if (count() == 0) return std::nullopt;
  return max_;
}

std::optional<double> Sample::cvar(std::uint64_t num, std::uint64_t den) const {
  const std::uint64_t n = count();
  if (n == 0) return std::nullopt;
  const std::uint64_t k = std::max<std::uint64_t>(1, (num * n + den - 1) / den);
  double sum = 0.0;
  if (!binned_) {
    for (std::uint64_t i = n - k + 1; i <= n; ++i) sum += order_statistic(i);
    return sum / static_cast<double>(k);
  }
  // Binned: walk down from the largest bin (the zeros sit between negative and positive keys).
  std::uint64_t left = k;
  bool zeros_done = false;
  for (auto it = bins_.rbegin(); it != bins_.rend() && left > 0; ++it) {
    if (it->first < 0 && !zeros_done) {
      left -= std::min(left, zeros_);
      zeros_done = true;
      if (left == 0) break;
    }
    const std::uint64_t take = std::min(left, it->second);
    sum += static_cast<double>(take) * std::min(midpoint(it->first), max_);
    left -= take;
  }
  return sum / static_cast<double>(k);
}

}  // namespace ridethrough::sim
