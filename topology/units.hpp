#pragma once
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ridethrough::topology {

/// Units of the design format, in the project's base units (hours, kW).
constexpr double kHoursPerYear = 8760.0;  ///< 1y, and the default horizon
constexpr double kHoursPerMonth = 730.0;  ///< a twelfth of a year: SLA months
constexpr double kUnlimited = std::numeric_limits<double>::infinity();

/// Each parser returns the value in the project's base unit (hours, kW, fraction), or an error
/// message that says what form was expected.
struct Parsed {
  std::optional<double> value;
  std::string error;
};

/// `<number><unit>` with unit s, min, h, d, w, y (1y = 8760h); a bare number means hours.
Parsed parse_duration(std::string_view text);
/// `<number>kW` or `<number>MW`; a bare number means kW.
Parsed parse_power(std::string_view text);
/// `<number>kWh` or `<number>MWh`; a bare number means kWh.
Parsed parse_energy(std::string_view text);
/// A rate: `<number>/y`, `/month`, `/w`, `/d` or `/h`, returned per hour; a bare number means
/// per year.
Parsed parse_rate(std::string_view text);
/// A data size: `<number>` followed by B, kB, MB, GB, TB or PB (decimal: 1 GB = 1e9 bytes),
/// returned in bytes. A bare number is accepted only for 0.
Parsed parse_size(std::string_view text);
/// A bandwidth: bytes per second (MB/s, GB/s, TB/s) or bits per second (Mb/s, Gb/s, Tb/s),
/// decimal, returned in bytes per second. No bare numbers.
Parsed parse_bandwidth(std::string_view text);
/// A month of the year, `7m` or a bare number, from 1 up to (not including) 13.
Parsed parse_month(std::string_view text);
/// A temperature in degrees Celsius: `<number>C` (`25C`, `-5C`, `35.5C`).
Parsed parse_temperature(std::string_view text);
/// `<number>%` or a bare fraction.
Parsed parse_share(std::string_view text);
/// A plain decimal number with optional exponent, nothing else.
Parsed parse_number(std::string_view text);

}  // namespace ridethrough::topology
