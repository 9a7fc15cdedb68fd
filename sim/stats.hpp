#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/archive.hpp"

namespace ridethrough::sim {

/// Mean and variance by Welford's update, merged with Chan's formula. Merging is done in a
/// fixed order by the runner, so results are bit-identical whatever the thread count.
class Moments {
 public:
  void add(double x) {
    ++n_;
    const double d = x - mean_;
    mean_ += d / static_cast<double>(n_);
    m2_ += d * (x - mean_);
  }
  void merge(const Moments& o);

  std::uint64_t count() const { return n_; }
  double mean() const { return mean_; }
  /// Sample variance with n - 1 (0 for fewer than two values).
  double variance() const { return n_ > 1 ? m2_ / static_cast<double>(n_ - 1) : 0.0; }
  double stddev() const;
  /// Half-width of the 95% interval, 1.96 s / sqrt(n).
  double ci95_half_width() const;

  void save(Archive& a) const { a.put(n_), a.put(mean_), a.put(m2_); }
  void load(Archive& a) { a.get(n_), a.get(mean_), a.get(m2_); }

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

/// Means, variances and covariance of pairs (x, y), updated one pair at a time and merged like
/// Moments (Chan's formulas), for a correlation that does not depend on the thread count.
class CoMoments {
 public:
  void add(double x, double y) {
    ++n_;
    const double n = static_cast<double>(n_);
    const double dx = x - mx_, dy = y - my_;
    mx_ += dx / n;
    my_ += dy / n;
    cxy_ += dx * (y - my_);
    m2x_ += dx * (x - mx_);
    m2y_ += dy * (y - my_);
  }
  void merge(const CoMoments& o);
  /// Pearson correlation; nullopt when either has no spread.
  std::optional<double> correlation() const;
  void save(Archive& a) const {
    a.put(n_), a.put(mx_), a.put(my_), a.put(cxy_), a.put(m2x_), a.put(m2y_);
  }
  void load(Archive& a) {
    a.get(n_), a.get(mx_), a.get(my_), a.get(cxy_), a.get(m2x_), a.get(m2y_);
  }

 private:
  std::uint64_t n_ = 0;
  double mx_ = 0.0, my_ = 0.0, cxy_ = 0.0, m2x_ = 0.0, m2y_ = 0.0;
};

/// Empirical distribution of a sample, for quantiles. Exact up to kExactLimit non-zero values
/// (zeros are only counted: most replications of a reliable design have no downtime); past
/// that it switches to bins of 12 mantissa bits (relative error below 2.5e-4) so memory stays
/// bounded whatever the number of replications. Count, sum and maximum stay exact. The switch
/// happens at a fixed point of the fixed merge order, so results stay reproducible.
class Sample {
 public:
  static constexpr std::size_t kExactLimit = std::size_t{1} << 20;

  void add(double x) {
    sum_ += x;
    if (count() == 0 || x > max_) max_ = x;
    if (x == 0.0) {
      ++zeros_;
    } else if (binned_) {
      ++bins_[key(x)];
      ++binned_count_;
    } else {
      values_.push_back(x);
      sorted_ = false;
      if (values_.size() > kExactLimit) to_bins();
    }
  }
  void merge(const Sample& o);
  /// Sorts once; quantile() and friends need it.
  void finalize();

  std::uint64_t count() const { return zeros_ + values_.size() + binned_count_; }
  double sum() const { return sum_; }
  bool exact() const { return !binned_; }
  /// Smallest value with at least ceil(num/den * n) of the n values at or below it
  /// (q = num/den exactly, so no floating rounding decides the rank).
  std::optional<double> quantile(std::uint64_t num, std::uint64_t den) const;
  std::optional<double> max() const;
  /// Mean of the ceil(n num / den) largest values.
  std::optional<double> cvar(std::uint64_t num, std::uint64_t den) const;
  /// The share of values strictly above x (exact while exact; once binned, a bin counts as
  /// above x when its midpoint is).
  double share_above(double x) const;
  /// The smallest positive value (a bin's midpoint once binned), if any.
  std::optional<double> min_positive() const;
  /// The k-th smallest value, 1-based (a bin's midpoint once binned).
  double order_statistic(std::uint64_t k) const;

  void save(Archive& a) const;
  void load(Archive& a);

 private:
  static std::int64_t key(double x);
  static double midpoint(std::int64_t key);
  void to_bins();

  std::uint64_t zeros_ = 0;
  std::vector<double> values_;  ///< non-zero values while exact; sorted after finalize()
  bool sorted_ = false;
  bool binned_ = false;
  std::map<std::int64_t, std::uint64_t> bins_;  ///< key -> count, once binned
  std::uint64_t binned_count_ = 0;
  double sum_ = 0.0;
  double max_ = 0.0;
};

}  // namespace ridethrough::sim
