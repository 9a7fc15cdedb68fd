#include "topology/units.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <string>

namespace ridethrough::topology {
namespace {

/// Splits a leading decimal number `[+-]digits[.digits][e[+-]digits]` from its suffix. Written
/// by hand because strtod also accepts hex, "inf" and "nan", which are not numbers here.
bool split_number(std::string_view text, double& value, std::string_view& suffix) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t digits_start = i;
  while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t mantissa_digits = i - digits_start;
  if (i < n && text[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    mantissa_digits += i - frac_start;
  }
  if (mantissa_digits == 0) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < n && (text[j] == '+' || text[j] == '-')) ++j;
    const std::size_t exp_start = j;
    while (j < n && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j > exp_start) i = j;  // otherwise the 'e' belongs to the suffix
  }
  const std::string number(text.substr(0, i));
  std::size_t used = 0;
  try {
    value = std::stod(number, &used);
  } catch (...) {
    return false;
  }
  if (used != number.size() || !std::isfinite(value)) return false;
  suffix = text.substr(i);
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Parsed parse_number(std::string_view text) {
  double v = 0;
  std::string_view suffix;
  if (!split_number(trim(text), v, suffix) || !suffix.empty())
    return {std::nullopt, "expected a number, got '" + std::string(text) + "'"};
  return {v, {}};
}

namespace {
struct Unit {
  std::string_view suffix;
  double factor;
};

/// A number followed by one of `units` (an empty suffix stands for a bare number).
Parsed scaled(std::string_view text, std::initializer_list<Unit> units, const char* example) {
  double v = 0;
  std::string_view suffix;
  if (split_number(trim(text), v, suffix))
    for (const auto& u : units)
      if (suffix == u.suffix) return {v * u.factor, {}};
  return {std::nullopt, std::string("expected ") + example + ", got '" + std::string(text) + "'"};
}
}  // namespace

Parsed parse_duration(std::string_view text) {
  return scaled(text,
                {{"", 1.0},
                 {"h", 1.0},
                 {"s", 1.0 / 3600.0},
                 {"min", 1.0 / 60.0},
                 {"d", 24.0},
                 {"w", 168.0},
                 {"y", kHoursPerYear}},
                "a duration such as 30s, 5min, 8h, 2d, 40w or 1y (a bare number means hours)");
}

Parsed parse_power(std::string_view text) {
  return scaled(text, {{"", 1.0}, {"kW", 1.0}, {"MW", 1000.0}},
                "a power such as 500kW or 2.5MW (a bare number means kW)");
}

Parsed parse_rate(std::string_view text) {
  return scaled(text,
                {{"", 1.0 / kHoursPerYear},
                 {"/y", 1.0 / kHoursPerYear},
                 {"/month", 1.0 / 730.0},
                 {"/w", 1.0 / 168.0},
                 {"/d", 1.0 / 24.0},
                 {"/h", 1.0}},
                "a rate such as 2/y, 0.5/month or 1/w (a bare number means per year)");
}

Parsed parse_month(std::string_view text) {
  Parsed p = scaled(text, {{"", 1.0}, {"m", 1.0}}, "a month such as 7m (1 to 12)");
  if (p.value && (*p.value < 1.0 || *p.value >= 13.0))
    return {std::nullopt,
            "expected a month from 1 to 12 such as 7m, got '" + std::string(text) + "'"};
  return p;
}

Parsed parse_energy(std::string_view text) {
  return scaled(text, {{"", 1.0}, {"kWh", 1.0}, {"MWh", 1000.0}},
                "an energy such as 400kWh or 1.2MWh (a bare number means kWh)");
}

Parsed parse_size(std::string_view text) {
  Parsed p = scaled(
      text,
      {{"", 1.0}, {"B", 1.0}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15}},
      "a size such as 300GB or 8TB (decimal: 1 GB = 1e9 bytes)");
  // A bare number would leave the unit to a guess; only zero needs none.
  double v = 0;
  std::string_view suffix;
  if (p.value && *p.value != 0.0 && split_number(trim(text), v, suffix) && suffix.empty())
    return {std::nullopt,
            "expected a size with its unit such as 300GB or 8TB, got '" + std::string(text) + "'"};
  return p;
}

Parsed parse_bandwidth(std::string_view text) {
  return scaled(text,
                {{"MB/s", 1e6},
                 {"GB/s", 1e9},
                 {"TB/s", 1e12},
                 {"Mb/s", 1e6 / 8},
                 {"Gb/s", 1e9 / 8},
                 {"Tb/s", 1e12 / 8}},
                "a bandwidth such as 50GB/s, 400Gb/s or 1.2TB/s (B: bytes, b: bits)");
}

Parsed parse_temperature(std::string_view text) {
  double v = 0;
  std::string_view suffix;
  if (split_number(trim(text), v, suffix) && suffix == "C") return {v, {}};
  return {std::nullopt,
          "expected a temperature in degrees Celsius such as 35C, got '" + std::string(text) + "'"};
}

Parsed parse_share(std::string_view text) {
  double v = 0;
  std::string_view suffix;
  const std::string form =
      "expected a share such as 99.9% or a fraction in [0, 1], got '" + std::string(text) + "'";
  if (!split_number(trim(text), v, suffix)) return {std::nullopt, form};
  if (suffix == "%") return {v / 100.0, {}};
  if (suffix.empty()) return {v, {}};
  return {std::nullopt, form};
}

}  // namespace ridethrough::topology
