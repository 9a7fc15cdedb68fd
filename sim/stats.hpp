#pragma once
#include <cstdint>
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

/// Exact empirical distribution of a sample. Zeros are only counted (most replications of a
/// reliable design have no downtime), so memory grows with the number of non-zero values.
class Sample {
 public:
  void add(double x) {
    if (x == 0.0)
      ++zeros_;
    else
      values_.push_back(x);
  }
  void merge(const Sample& o);
  /// Sorts once; quantile() and friends need it.
  void finalize();

  std::uint64_t count() const { return zeros_ + values_.size(); }
  /// Smallest value with at least ceil(num/den * n) of the n values at or below it
  /// (q = num/den exactly, so no floating rounding decides the rank).
  std::optional<double> quantile(std::uint64_t num, std::uint64_t den) const;
  std::optional<double> max() const;
  /// Mean of the ceil(n / 100) largest values.
  std::optional<double> cvar(std::uint64_t num, std::uint64_t den) const;
  /// The k-th smallest value, 1-based.
  double order_statistic(std::uint64_t k) const;

  void save(Archive& a) const { a.put(zeros_), a.put(values_); }
  void load(Archive& a) {
    a.get(zeros_), a.get(values_);
    sorted_ = false;
  }

 private:
  std::uint64_t zeros_ = 0;
  std::vector<double> values_;  ///< non-zero values; sorted after finalize()
  bool sorted_ = false;
};

}  // namespace ridethrough::sim
