#pragma once
// Fitting a site's own records (`ridethrough fit`): maximum likelihood with right censoring for
// the exponential, Weibull and lognormal laws, 90% bounds per parameter, AIC, and the Bayesian
// update of a catalogue record's rate. Distributions, quantiles and root finding are Boost.Math.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ridethrough::experiments {

/// One unit's record: hours in service until it failed, or until the records stop (censored).
struct LifeRecord {
  double hours = 0.0;
  bool failed = false;
};

/// Reads a CSV with a header naming at least `hours` and `failed` (1 failed, 0 censored); other
/// columns are ignored. nullopt with `FILE:LINE:COL: error:` lines in `errors` on bad input.
std::optional<std::vector<LifeRecord>> read_life_csv(const std::string& path,
                                                     std::vector<std::string>& errors);
std::optional<std::vector<LifeRecord>> parse_life_csv(const std::string& text,
                                                      const std::string& path,
                                                      std::vector<std::string>& errors);

enum class FitLaw { Exponential, Weibull, Lognormal };

struct FitParameter {
  std::string name;  ///< as in a design file: mean; shape, scale; median, sigma
  double value = 0.0;
  double lo = 0.0, hi = 0.0;  ///< 90% two-sided bounds (hi may be infinite)
  bool hours = false;         ///< a duration (written with `h` in the law block)
};

struct Fit {
  FitLaw law = FitLaw::Exponential;
  std::vector<FitParameter> parameters;
  double log_likelihood = 0.0;
  double aic = 0.0;
  std::string bounds;  ///< how the 90% bounds were found
  int units = 0, failures = 0;
  double total_hours = 0.0;
};

const char* law_name(FitLaw law);
std::optional<FitLaw> law_named(const std::string& name);

/// The maximum-likelihood fit of one law, or nullopt with the reason (too few failures).
std::optional<Fit> fit_law(const std::vector<LifeRecord>& data, FitLaw law, std::string& why);

/// The law block to paste into a design, e.g. `{dist: weibull, shape: 2.1, scale: 81.9h}`.
std::string law_block(const Fit& f);
nlohmann::json fit_json(const Fit& f);

/// Gamma prior on a failure rate (per hour): `failures` seen in `hours` of service (a
/// catalogue record's population), updated with a site's `r` failures in `T` hours: the
/// posterior is Gamma(failures + r, hours + T), conjugate to the Poisson count of failures.
struct RateUpdate {
  double prior_failures = 0.0, prior_hours = 0.0;
  double failures = 0.0, hours = 0.0;
  double posterior_mean_rate() const;
  /// The 5% and 95% points of the posterior rate (per hour).
  std::pair<double, double> rate_ci90() const;
};

}  // namespace ridethrough::experiments
