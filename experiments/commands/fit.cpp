// `ridethrough fit`: a failure law from a site's own records (experiments/fit.hpp).
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/fit.hpp"
#include "experiments/text.hpp"

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
  }
  int run(const nlohmann::json&) override;

 private:
  CommonOptions o_;
  std::string csv_, law_ = "best";
};

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
  if (emit_json(o_, j)) return 0;
  std::cout << "fit of " << csv_ << ": " << fits[best].units << " units, " << fits[best].failures
            << " failed, " << plain(fits[best].total_hours) << " h in service\n\n";
  for (std::size_t i = 0; i < fits.size(); ++i) print_fit(std::cout, fits[i], i == best);
  for (const auto& why : skipped) std::cout << "not fitted: " << why << "\n";
  std::cout << "\n90% bounds (in brackets):\n";
  for (const auto& f : fits) std::cout << "  " << pad(law_name(f.law), 13) << f.bounds << "\n";
  std::cout << (fits.size() > 1 ? "chosen by the lowest AIC; " : "")
            << "paste into a design:\n  failure: " << law_block(fits[best]) << "\n";
  return 0;
}

}  // namespace

std::unique_ptr<Command> make_fit() {
  return std::make_unique<FitCommand>();
}

}  // namespace ridethrough::experiments::commands
