#include <catch2/catch.hpp>

#include "topology/units.hpp"

using namespace ridethrough::topology;

TEST_CASE("durations in every unit, bare numbers in hours", "[units]") {
  CHECK(*parse_duration("30s").value == Approx(30.0 / 3600.0));
  CHECK(*parse_duration("5min").value == Approx(5.0 / 60.0));
  CHECK(*parse_duration("8h").value == 8.0);
  CHECK(*parse_duration("2d").value == 48.0);
  CHECK(*parse_duration("40w").value == 40.0 * 168.0);
  CHECK(*parse_duration("1y").value == 8760.0);
  CHECK(*parse_duration("1e5h").value == 1e5);
  CHECK(*parse_duration("2.5").value == 2.5);
  CHECK(*parse_duration("-3h").value == -3.0);  // sign is checked by the loader, per field
  for (const char* bad :
       {"", "h", "5 hours", "5m", "5H", "0x10h", "inf", "nan", "1e5x", "5hh", "1,5h"})
    CHECK_FALSE(parse_duration(bad).value);
}

TEST_CASE("powers in kW and MW, bare numbers in kW", "[units]") {
  CHECK(*parse_power("500kW").value == 500.0);
  CHECK(*parse_power("2.5MW").value == 2500.0);
  CHECK(*parse_power("750").value == 750.0);
  CHECK(*parse_power("1e3kW").value == 1000.0);
  for (const char* bad : {"500kw", "5 MW", "5W", "GW", "1.2.3"})
    CHECK_FALSE(parse_power(bad).value);
}

TEST_CASE("shares as percentages or fractions", "[units]") {
  CHECK(*parse_share("99.99%").value == Approx(0.9999));
  CHECK(*parse_share("0.25").value == 0.25);
  CHECK(*parse_share("100%").value == 1.0);
  CHECK_FALSE(parse_share("50 %").value);
  CHECK_FALSE(parse_share("half").value);
}

TEST_CASE("sizes and bandwidths are decimal, bytes or bits", "[units]") {
  CHECK(*parse_size("8TB").value == 8e12);
  CHECK(*parse_size("300GB").value == 3e11);
  CHECK(*parse_size("1.6TB").value == Approx(1.6e12).epsilon(1e-15));
  CHECK(*parse_size("0").value == 0.0);
  CHECK(*parse_size("0GB").value == 0.0);
  CHECK_FALSE(parse_size("300").value);  // a bare number other than 0 has no unit
  CHECK_FALSE(parse_size("300Gb").value);
  CHECK_FALSE(parse_size("8 TiB").value);
  CHECK(*parse_bandwidth("50GB/s").value == 5e10);
  CHECK(*parse_bandwidth("1.2TB/s").value == Approx(1.2e12).epsilon(1e-15));
  CHECK(*parse_bandwidth("400Gb/s").value == 5e10);  // bits: 400 Gb/s = 50 GB/s
  CHECK(*parse_bandwidth("800Mb/s").value == 1e8);
  CHECK_FALSE(parse_bandwidth("50").value);
  CHECK_FALSE(parse_bandwidth("50GB").value);
  CHECK(parse_bandwidth("fast").error.find("50GB/s") != std::string::npos);
}
