#include <catch2/catch.hpp>

#include <cmath>

#include "experiments/fit.hpp"

using namespace ridethrough::experiments;

namespace {

const FitParameter& param(const Fit& f, const std::string& name) {
  for (const auto& p : f.parameters)
    if (p.name == name) return p;
  FAIL("no parameter " << name);
  return f.parameters.front();
}

Fit fit_or_fail(const std::vector<LifeRecord>& d, FitLaw law) {
  std::string why;
  auto f = fit_law(d, law, why);
  INFO(why);
  REQUIRE(f);
  return *f;
}

/// Lieblein and Zelen's deep-groove ball bearings (millions of revolutions, 23 failures), the
/// dataset of Lawless, Statistical Models and Methods for Lifetime Data (2nd ed., 2003).
std::vector<LifeRecord> ball_bearings() {
  std::vector<LifeRecord> d;
  for (double t :
       {17.88, 28.92, 33.00, 41.52, 42.12, 45.60, 48.48,  51.84,  51.96,  54.12,  55.56, 67.80,
        68.64, 68.64, 68.88, 84.12, 93.12, 98.64, 105.12, 105.84, 127.92, 128.04, 173.40})
    d.push_back({t, true});
  return d;
}

}  // namespace

TEST_CASE("fit: the censored exponential's mean is T/r with the chi-square bounds", "[fit]") {
  // 5 failures and 3 units still running: T = 10,000 h in all.
  const std::vector<LifeRecord> d = {{500, true},  {1200, true},  {800, true},   {2500, true},
                                     {1000, true}, {2000, false}, {1500, false}, {500, false}};
  const Fit f = fit_or_fail(d, FitLaw::Exponential);
  CHECK(f.failures == 5);
  CHECK(f.total_hours == Approx(10000.0).epsilon(1e-12));
  const auto& m = param(f, "mean");
  CHECK(m.value == Approx(2000.0).epsilon(1e-12));
  // Printed chi-square tables: chi2(0.95; 12) = 21.0261, chi2(0.05; 10) = 3.94030.
  CHECK(m.lo == Approx(20000.0 / 21.0261).epsilon(2e-5));
  CHECK(m.hi == Approx(20000.0 / 3.94030).epsilon(2e-5));
  // ln L = -r ln(mean) - T/mean, one parameter.
  CHECK(f.log_likelihood == Approx(-5.0 * std::log(2000.0) - 5.0).epsilon(1e-12));
  CHECK(f.aic == Approx(2.0 - 2.0 * f.log_likelihood).epsilon(1e-12));
}

TEST_CASE("fit: Weibull and lognormal on the ball bearings give the published estimates", "[fit]") {
  const auto d = ball_bearings();
  // Lawless (2003): Weibull shape 2.102, scale 81.88; lognormal mu 4.150, sigma 0.5216 (the
  // uncensored lognormal MLE: mean and n-denominator deviation of the logs).
  const Fit w = fit_or_fail(d, FitLaw::Weibull);
  CHECK(param(w, "shape").value == Approx(2.102).margin(0.0005));
  CHECK(param(w, "scale").value == Approx(81.88).margin(0.005));
  const Fit ln = fit_or_fail(d, FitLaw::Lognormal);
  CHECK(std::log(param(ln, "median").value) == Approx(4.150).margin(0.0005));
  CHECK(param(ln, "sigma").value == Approx(0.5216).margin(0.00005));
  // The bounds surround the estimate, and the likelihood-ratio bound sits where the profile
  // has dropped by chi2(0.90; 1)/2 = 1.3528: the exponential (shape 1) lies outside.
  for (const auto* f : {&w, &ln})
    for (const auto& p : f->parameters) {
      CHECK(p.lo < p.value);
      CHECK(p.value < p.hi);
    }
  CHECK(param(w, "shape").lo > 1.0);
  CHECK(w.aic < fit_or_fail(d, FitLaw::Exponential).aic);
}

TEST_CASE("fit: too few failures are refused with the one-sided bound", "[fit]") {
  std::string why;
  CHECK_FALSE(fit_law({{1000, false}, {3000, false}}, FitLaw::Exponential, why));
  // 4000 h without failure: mean above 2T/chi2(0.95; 2) = 8000/5.99146.
  CHECK(why.find("1335") != std::string::npos);
  CHECK_FALSE(fit_law({{1000, true}, {3000, false}}, FitLaw::Weibull, why));
  CHECK_FALSE(fit_law({{1000, true}, {1000, true}}, FitLaw::Lognormal, why));
}

TEST_CASE("fit: bad CSV input names its line and column", "[fit]") {
  std::vector<std::string> errors;
  CHECK_FALSE(parse_life_csv("unit,hours,failed\na,100,1\nb,-3,0\nc,50,yes\n", "s.csv", errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "s.csv:3:3: error: hours '-3' must be a positive number of hours");
  CHECK(errors[1].rfind("s.csv:4:6: error: failed 'yes'", 0) == 0);
  errors.clear();
  CHECK_FALSE(parse_life_csv("time,status\n1,1\n", "s.csv", errors));
  CHECK(errors.at(0).rfind("s.csv:1:1: error: the header must name", 0) == 0);
  errors.clear();
  const auto ok = parse_life_csv("hours, failed\n 10 , 1\n20,0\n", "s.csv", errors);
  REQUIRE(ok);
  CHECK(ok->size() == 2);
  CHECK((*ok)[1].failed == false);
}

TEST_CASE("fit: the Bayesian update of a rate is the gamma-Poisson closed form", "[fit]") {
  // Prior: 3 failures in 20,000 unit-hours; the site: 2 failures in 5,000 h.
  RateUpdate u{3.0, 20000.0, 2.0, 5000.0};
  CHECK(u.posterior_mean_rate() == Approx(5.0 / 25000.0).epsilon(1e-14));
  // Gamma(5, 25000) with integer shape: P(rate <= x) = 1 - sum_{k<5} e^-y y^k / k!, y = 25000 x.
  const auto cdf = [](double x) {
    const double y = 25000.0 * x;
    double term = std::exp(-y), sum = term;
    for (int k = 1; k < 5; ++k) sum += term *= y / k;
    return 1.0 - sum;
  };
  const auto [lo, hi] = u.rate_ci90();
  CHECK(cdf(lo) == Approx(0.05).epsilon(1e-9));
  CHECK(cdf(hi) == Approx(0.95).epsilon(1e-9));
}
