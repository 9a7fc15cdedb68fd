#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ridethrough::experiments {

/// printf-style formatting of one number.
inline std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

/// Left-aligned in a column of width w (at least one space after).
inline std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

/// Availability as "nines": -log10(1 - A).
inline std::string nines(double a) {
  return a >= 1.0 ? "inf" : fmt("%.2f", std::max(0.0, -std::log10(1.0 - a)));
}

}  // namespace ridethrough::experiments
