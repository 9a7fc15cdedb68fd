// `ridethrough fit`: a failure law from a site's own records (experiments/fit.hpp).
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/fit.hpp"
#include "experiments/text.hpp"
#include "topology/catalogue.hpp"

namespace ridethrough::experiments::commands {

namespace {

class FitCommand : public Command {
 public:
  const char* name() const override { return "fit"; }
  const char* help() const override {
    return "fit a failure law to a site's records (CSV with 'hours' and 'failed'), with "
           "censoring, 90% bounds and AIC";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("records", csv_, "CSV file: a header with 'hours' and 'failed' (1 or 0)")
        ->required();
    cmd.add_option("--law", law_, "exponential, weibull, lognormal, or best (lowest AIC)")
        ->check(CLI::IsMember({"exponential", "weibull", "lognormal", "best"}));
    cmd.add_option("--json", o_.json, "write the result as JSON; '-' means stdout");
    cmd.add_option("--prior", prior_,
                   "update a catalogue record's failure rate with these records (Bayes, gamma "
                   "prior from the record's population)");
    cmd.add_option("--prior-failures", prior_failures_,
                   "the prior's failures (with --prior-unit-years), instead of a record")
        ->check(CLI::PositiveNumber);
    cmd.add_option("--prior-unit-years", prior_years_, "the prior's unit-years of service")
        ->check(CLI::PositiveNumber);
  }
  int run(const nlohmann::json&) override;

 private:
  /// The prior as (failures, hours), from --prior or the two numbers; false (exit 2) if asked
  /// for and not usable.
  bool prior(std::optional<std::pair<double, double>>& out) const;

  CommonOptions o_;
  std::string csv_, law_ = "best", prior_;
  double prior_failures_ = 0.0, prior_years_ = 0.0;
};

bool FitCommand::prior(std::optional<std::pair<double, double>>& out) const {
  if ((prior_failures_ > 0) != (prior_years_ > 0) || (!prior_.empty() && prior_failures_ > 0)) {
    std::cerr << "ridethrough: error: give --prior RECORD, or both --prior-failures and "
                 "--prior-unit-years\n";
    return false;
  }
  if (prior_failures_ > 0) out = {{prior_failures_, prior_years_ * topology::kHoursPerYear}};
  if (prior_.empty()) return true;
  const auto* rec = topology::catalogue_record(prior_);
  if (!rec) {
    std::cerr << "ridethrough: error: --prior: no catalogue record '" << prior_
              << "' (ridethrough catalogue lists them)\n";
    return false;
  }
  if (!rec->failures) {
    std::cerr << "ridethrough: error: --prior: catalogue record '" << prior_
              << "' gives no population (failures and unit-years): give --prior-failures and "
                 "--prior-unit-years from its source\n";
    return false;
  }
  out = {{*rec->failures, *rec->unit_years * topology::kHoursPerYear}};
  return true;
}

/// The Bayesian update of the failure rate, and the exponential law it gives (its mean life
/// 1 / posterior mean rate, its doubt as an error factor from the posterior).
nlohmann::json bayes_json(const std::vector<LifeRecord>& data, std::pair<double, double> prior) {
  RateUpdate u{prior.first, prior.second, 0.0, 0.0};
  for (const auto& rec : data) {
    u.hours += rec.hours;
    u.failures += rec.failed ? 1.0 : 0.0;
  }
  const auto [lo, hi] = u.rate_ci90();
  const double mean = 1.0 / u.posterior_mean_rate();
  const double ef = topology::population_error_factor(u.prior_failures + u.failures);
  return {{"prior", {{"failures", u.prior_failures}, {"hours", u.prior_hours}}},
          {"site", {{"failures", u.failures}, {"hours", u.hours}}},
          {"posterior_mean_rate_per_hour", u.posterior_mean_rate()},
          {"rate_ci90", {lo, hi}},
          {"mean_life_hours", mean},
          {"error_factor", ef},
          {"design_law", "{dist: exponential, mean: " + plain(mean, 5) +
                             "h, uncertainty: {error_factor: " + plain(ef, 3) + "}}"}};
}

void print_fit(std::ostream& os, const Fit& f, bool chosen) {
  os << pad(std::string(law_name(f.law)) + (chosen ? " *" : ""), 15);
  for (const auto& p : f.parameters) {
    const std::string unit = p.hours ? " h" : "";
    os << p.name << " " << plain(p.value) << unit << " [" << plain(p.lo) << ", "
       << (std::isfinite(p.hi) ? plain(p.hi) : "inf") << "]  ";
  }
  os << "log-likelihood " << fmt("%.3f", f.log_likelihood) << "  AIC " << fmt("%.3f", f.aic)
     << "\n";
}

int FitCommand::run(const nlohmann::json&) {
  if (int rc = check_outputs(o_)) return rc;
  std::optional<std::pair<double, double>> pr;
  if (!prior(pr)) return 2;
  std::vector<std::string> errors;
  const auto data = read_life_csv(csv_, errors);
  if (!data) {
    for (const auto& e : errors) std::cerr << e << "\n";
    return 2;
  }
  std::vector<Fit> fits;
  std::vector<std::string> skipped;
  for (auto law : {FitLaw::Exponential, FitLaw::Weibull, FitLaw::Lognormal}) {
    if (law_ != "best" && law_ != law_name(law)) continue;
    std::string why;
    if (auto f = fit_law(*data, law, why))
      fits.push_back(*f);
    else
      skipped.push_back(why);
  }
  if (fits.empty()) {
    for (const auto& why : skipped) std::cerr << csv_ << ": error: " << why << "\n";
    return 2;
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i < fits.size(); ++i)
    if (fits[i].aic < fits[best].aic) best = i;
  nlohmann::json j = fit_json(fits[best]);
  j["records"] = csv_;
  j["candidates"] = nlohmann::json::array();
  for (const auto& f : fits) j["candidates"].push_back(fit_json(f));
  j["not_fitted"] = skipped;
  if (fits.size() > 1) j["chosen_by"] = "lowest AIC (2k - 2 log-likelihood)";
  if (pr) j["bayes"] = bayes_json(*data, *pr);
  if (emit_json(o_, j)) return 0;
  std::cout << "fit of " << csv_ << ": " << fits[best].units << " units, " << fits[best].failures
            << " failed, " << plain(fits[best].total_hours) << " h in service\n\n";
  for (std::size_t i = 0; i < fits.size(); ++i) print_fit(std::cout, fits[i], i == best);
  for (const auto& why : skipped) std::cout << "not fitted: " << why << "\n";
  std::cout << "\n90% bounds (in brackets):\n";
  for (const auto& f : fits) std::cout << "  " << pad(law_name(f.law), 13) << f.bounds << "\n";
  std::cout << (fits.size() > 1 ? "chosen by the lowest AIC; " : "")
            << "paste into a design:\n  failure: " << law_block(fits[best]) << "\n";
  if (pr) {
    const auto& b = j["bayes"];
    std::cout << "\nBayesian update of the rate (gamma prior: " << plain(pr->first)
              << " failures in " << plain(pr->second)
              << " h; the site: " << b["site"]["failures"].get<double>() << " in "
              << plain(b["site"]["hours"].get<double>()) << " h):\n  mean life "
              << plain(b["mean_life_hours"].get<double>()) << " h, rate 90% interval ["
              << plain(b["rate_ci90"][0].get<double>()) << ", "
              << plain(b["rate_ci90"][1].get<double>())
              << "] per hour\n  failure: " << b["design_law"].get<std::string>() << "\n";
  }
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_fit() {
  return std::make_unique<FitCommand>();
}

}  // namespace ridethrough::experiments::commands
