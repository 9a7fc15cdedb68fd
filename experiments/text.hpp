#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "topology/units.hpp"

namespace ridethrough::experiments {

/// printf-style formatting of one number.
inline std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

/// How many characters a UTF-8 string shows ("±" is two bytes, one column).
inline std::size_t columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// Left-aligned in a column of width w (at least one space after).
inline std::string pad(const std::string& s, std::size_t w) {
  const std::size_t n = columns(s);
  return n >= w ? s + " " : s + std::string(w - n, ' ');
}

/// `sig` significant digits without an exponent ("0.000008121", "1475"): tables never print
/// exponents.
inline std::string plain(double v, int sig = 4) {
  if (v == 0.0 || !std::isfinite(v)) return fmt("%g", v);
  const int e = static_cast<int>(std::floor(std::log10(std::fabs(v))));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, sig - 1 - e), v);
  return buf;
}

/// Availability as "nines": -log10(1 - A); a thing never down has none to count.
inline std::string nines(double a) {
  return a >= 1.0 ? "never down" : fmt("%.2f", std::max(0.0, -std::log10(1.0 - a)));
}

/// Money for people: thousands separators below ten million ("8,641,800", "13.86" for small
/// amounts), then SI ("12.6 M", "1.23 G"); never an exponent.
inline std::string money(double v) {
  const double a = std::fabs(v);
  if (a >= 1e10) return fmt("%.3g G", v / 1e9);
  if (a >= 1e7) return fmt(a >= 1e8 ? "%.0f M" : "%.1f M", v / 1e6);
  if (a < 100.0) return fmt("%.2f", v);
  std::string digits = fmt("%.0f", a), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

/// What a per-replication figure is counted over: "/y" for the default year.
inline std::string per_horizon(double horizon_hours) {
  if (horizon_hours == topology::kHoursPerYear) return "/y";
  if (horizon_hours == topology::kHoursPerMonth) return "/month";
  return fmt("/%g h", horizon_hours);
}

}  // namespace ridethrough::experiments
