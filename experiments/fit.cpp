#include "experiments/fit.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>

#include "experiments/text.hpp"

namespace ridethrough::experiments {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kLevel = 0.90;  ///< two-sided confidence of every bound

// ---------------------------------------------------------------- reading the CSV

std::vector<std::string> split_csv_line(const std::string& line, std::vector<int>& cols) {
  std::vector<std::string> cells;
  std::string cell;
  int start = 1;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      const auto b = cell.find_first_not_of(" \t\r");
      const auto e = cell.find_last_not_of(" \t\r");
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
      cols.push_back(start + static_cast<int>(b == std::string::npos ? 0 : b));
      cell.clear();
      start = static_cast<int>(i) + 2;
    } else {
      cell += line[i];
    }
  }
  return cells;
}

std::string where(const std::string& path, int line, int col) {
  return path + ":" + std::to_string(line) + ":" + std::to_string(col) + ": error: ";
}

/// The column of each needed name in the header, or -1.
bool header_columns(const std::vector<std::string>& head, const std::string& path,
                    std::vector<std::string>& errors, int& hours, int& failed) {
  hours = failed = -1;
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == "hours") hours = static_cast<int>(i);
    if (head[i] == "failed") failed = static_cast<int>(i);
  }
  if (hours < 0 || failed < 0)
    errors.push_back(where(path, 1, 1) +
                     "the header must name the columns 'hours' (time in service) and 'failed' "
                     "(1 failed, 0 still running when the records stop)");
  return hours >= 0 && failed >= 0;
}

bool read_row(const std::vector<std::string>& cells, const std::vector<int>& cols, int line,
              int hours_col, int failed_col, const std::string& path,
              std::vector<std::string>& errors, LifeRecord& rec) {
  const auto need = static_cast<std::size_t>(std::max(hours_col, failed_col));
  if (cells.size() <= need) {
    errors.push_back(where(path, line, 1) + "the row has " + std::to_string(cells.size()) +
                     " cells; 'hours' and 'failed' need " + std::to_string(need + 1));
    return false;
  }
  const auto& h = cells[static_cast<std::size_t>(hours_col)];
  char* end = nullptr;
  rec.hours = std::strtod(h.c_str(), &end);
  if (h.empty() || *end != '\0' || !std::isfinite(rec.hours) || rec.hours <= 0.0) {
    errors.push_back(where(path, line, cols[static_cast<std::size_t>(hours_col)]) + "hours '" + h +
                     "' must be a positive number of hours");
    return false;
  }
  const auto& f = cells[static_cast<std::size_t>(failed_col)];
  if (f != "0" && f != "1") {
    errors.push_back(where(path, line, cols[static_cast<std::size_t>(failed_col)]) + "failed '" +
                     f + "' must be 1 (failed) or 0 (censored: still running)");
    return false;
  }
  rec.failed = f == "1";
  return true;
}

// ---------------------------------------------------------------- likelihoods

/// The data in units of a reference time (their geometric mean), so that powers of times stay
/// in range; the log-likelihood in hours is the scaled one minus r ln(ref).
struct Scaled {
  std::vector<double> x, lnx;
  std::vector<char> failed;
  int r = 0;
  double ref = 1.0;
  double sum_x = 0.0;
};

Scaled scale_data(const std::vector<LifeRecord>& d) {
  Scaled s;
  double mean_ln = 0.0;
  for (const auto& rec : d) mean_ln += std::log(rec.hours);
  s.ref = std::exp(mean_ln / static_cast<double>(d.size()));
  for (const auto& rec : d) {
    s.x.push_back(rec.hours / s.ref);
    s.lnx.push_back(std::log(rec.hours / s.ref));
    s.failed.push_back(rec.failed ? 1 : 0);
    s.r += rec.failed ? 1 : 0;
    s.sum_x += rec.hours / s.ref;
  }
  return s;
}

double weibull_ll(const Scaled& s, double beta, double eta) {
  double ll = 0.0;
  const double ln_eta = std::log(eta);
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    const double z = beta * (s.lnx[i] - ln_eta);
    ll -= std::exp(z);
    if (s.failed[i]) ll += std::log(beta) + z - s.lnx[i];
  }
  return ll;
}

/// For a given shape, the scale that maximises the likelihood (closed form).
double weibull_eta(const Scaled& s, double beta) {
  double sum = 0.0;
  for (double v : s.lnx) sum += std::exp(beta * v);
  return std::pow(sum / s.r, 1.0 / beta);
}

/// ln of the standard normal survival function, accurate far in the tail.
double log_survival(double z) {
  const double q = 0.5 * boost::math::erfc(z / std::sqrt(2.0));
  if (q > 1e-300) return std::log(q);
  // Mills ratio: Q(z) ~ phi(z) / z for large z.
  return -0.5 * z * z - std::log(z * std::sqrt(2.0 * M_PI));
}

double lognormal_ll(const Scaled& s, double mu, double sigma) {
  double ll = 0.0;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    const double z = (s.lnx[i] - mu) / sigma;
    if (s.failed[i])
      ll += -s.lnx[i] - std::log(sigma) - 0.5 * std::log(2.0 * M_PI) - 0.5 * z * z;
    else
      ll += log_survival(z);
  }
  return ll;
}

// ---------------------------------------------------------------- maximising

/// The maximum of a unimodal f over [lo, hi]: (argmax, max).
std::pair<double, double> maximise(const std::function<double(double)>& f, double lo, double hi) {
  std::uintmax_t iters = 200;
  const auto m = boost::math::tools::brent_find_minima(
      [&](double u) { return -f(u); }, lo, hi, std::numeric_limits<double>::digits / 2, iters);
  return {m.first, -m.second};
}

/// Where the profile log-likelihood `f` (of a log parameter u) falls to `level`, walking from
/// the maximum at `u0` in direction `dir` (+1 or -1): the likelihood-ratio bound. Infinite if it
/// never falls within `span`.
double lr_bound(const std::function<double(double)>& f, double u0, double level, int dir,
                double span) {
  double inner = u0, step = 0.05;
  double outer = u0 + dir * step;
  while (f(outer) > level) {
    inner = outer;
    step *= 2.0;
    outer = u0 + dir * step;
    if (step > span) return dir > 0 ? kInf : -kInf;
  }
  std::uintmax_t iters = 200;
  const auto g = [&](double u) { return f(u) - level; };
  const auto tol = boost::math::tools::eps_tolerance<double>(40);
  const auto r = boost::math::tools::toms748_solve(g, std::min(inner, outer),
                                                   std::max(inner, outer), tol, iters);
  return 0.5 * (r.first + r.second);
}

/// The drop of the log-likelihood that bounds a one-parameter 90% likelihood-ratio interval.
double lr_drop() {
  const boost::math::chi_squared_distribution<double> chi1(1.0);
  return 0.5 * boost::math::quantile(chi1, kLevel);
}

/// Bounds of exp(u) around the profile maximum u0 of f.
std::pair<double, double> lr_interval(const std::function<double(double)>& f, double u0,
                                      double ll_max) {
  const double level = ll_max - lr_drop();
  return {std::exp(lr_bound(f, u0, level, -1, 60.0)), std::exp(lr_bound(f, u0, level, +1, 60.0))};
}

constexpr double kLnShapeLo = -7.0, kLnShapeHi = 5.0;  ///< shapes and sigmas in [1e-3, 150]

Fit fit_exponential(const Scaled& s) {
  Fit f;
  f.law = FitLaw::Exponential;
  const double T = s.sum_x * s.ref, r = s.r;
  const double mean = T / r;
  const boost::math::chi_squared_distribution<double> upper(2.0 * r + 2.0), lower(2.0 * r);
  const double alpha = 1.0 - kLevel;
  f.parameters.push_back({"mean", mean, 2.0 * T / boost::math::quantile(upper, 1.0 - alpha / 2),
                          2.0 * T / boost::math::quantile(lower, alpha / 2), true});
  f.log_likelihood = -r * std::log(mean) - T / mean;
  f.bounds = "chi-square, time-terminated: [2T/chi2(0.95; 2r+2), 2T/chi2(0.05; 2r)]";
  return f;
}

Fit fit_weibull(const Scaled& s) {
  Fit f;
  f.law = FitLaw::Weibull;
  const auto profile_shape = [&](double u) {
    const double beta = std::exp(u);
    return weibull_ll(s, beta, weibull_eta(s, beta));
  };
  const auto [u, ll] = maximise(profile_shape, kLnShapeLo, kLnShapeHi);
  const double beta = std::exp(u), eta = weibull_eta(s, beta);
  const auto profile_scale = [&](double v) {
    return maximise([&](double w) { return weibull_ll(s, std::exp(w), std::exp(v)); }, kLnShapeLo,
                    kLnShapeHi)
        .second;
  };
  const auto shape_ci = lr_interval(profile_shape, u, ll);
  const auto scale_ci = lr_interval(profile_scale, std::log(eta), ll);
  f.parameters.push_back({"shape", beta, shape_ci.first, shape_ci.second, false});
  f.parameters.push_back(
      {"scale", eta * s.ref, scale_ci.first * s.ref, scale_ci.second * s.ref, true});
  f.log_likelihood = ll - s.r * std::log(s.ref);
  f.bounds = "likelihood ratio (profile likelihood, chi-square with 1 degree of freedom)";
  return f;
}

Fit fit_lognormal(const Scaled& s) {
  Fit f;
  f.law = FitLaw::Lognormal;
  double lo = 0.0, hi = 0.0;
  for (double v : s.lnx) lo = std::min(lo, v), hi = std::max(hi, v);
  const double mu_lo = lo - 30.0, mu_hi = hi + 30.0;
  const auto profile_sigma = [&](double u) {
    return maximise([&](double mu) { return lognormal_ll(s, mu, std::exp(u)); }, mu_lo, mu_hi)
        .second;
  };
  const auto [u, ll] = maximise(profile_sigma, kLnShapeLo, kLnShapeHi);
  const double sigma = std::exp(u);
  const double mu =
      maximise([&](double m) { return lognormal_ll(s, m, sigma); }, mu_lo, mu_hi).first;
  // The median's profile, in ln(median) = mu.
  const auto profile_median = [&](double m) {
    return maximise([&](double w) { return lognormal_ll(s, m, std::exp(w)); }, kLnShapeLo,
                    kLnShapeHi)
        .second;
  };
  const auto sigma_ci = lr_interval(profile_sigma, u, ll);
  const auto median_ci = lr_interval(profile_median, mu, ll);
  f.parameters.push_back(
      {"median", std::exp(mu) * s.ref, median_ci.first * s.ref, median_ci.second * s.ref, true});
  f.parameters.push_back({"sigma", sigma, sigma_ci.first, sigma_ci.second, false});
  f.log_likelihood = ll - s.r * std::log(s.ref);
  f.bounds = "likelihood ratio (profile likelihood, chi-square with 1 degree of freedom)";
  return f;
}

}  // namespace

std::optional<std::vector<LifeRecord>> parse_life_csv(const std::string& text,
                                                      const std::string& path,
                                                      std::vector<std::string>& errors) {
  std::istringstream in(text);
  std::string line;
  int line_no = 0, hours_col = -1, failed_col = -1;
  std::vector<LifeRecord> rows;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<int> cols;
    const auto cells = split_csv_line(line, cols);
    if (!header) {
      header = true;
      if (!header_columns(cells, path, errors, hours_col, failed_col)) return std::nullopt;
      continue;
    }
    LifeRecord rec;
    if (read_row(cells, cols, line_no, hours_col, failed_col, path, errors, rec))
      rows.push_back(rec);
  }
  if (!header)
    errors.push_back(where(path, 1, 1) + "the file is empty: it needs a header");
  else if (rows.empty() && errors.empty())
    errors.push_back(where(path, line_no, 1) + "no records after the header");
  if (!errors.empty()) return std::nullopt;
  return rows;
}

std::optional<std::vector<LifeRecord>> read_life_csv(const std::string& path,
                                                     std::vector<std::string>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back("ridethrough: error: cannot read '" + path + "'");
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_life_csv(ss.str(), path, errors);
}

const char* law_name(FitLaw law) {
  switch (law) {
    case FitLaw::Exponential:
      return "exponential";
    case FitLaw::Weibull:
      return "weibull";
    case FitLaw::Lognormal:
      return "lognormal";
  }
  return "";
}

std::optional<FitLaw> law_named(const std::string& name) {
  for (auto law : {FitLaw::Exponential, FitLaw::Weibull, FitLaw::Lognormal})
    if (name == law_name(law)) return law;
  return std::nullopt;
}

std::optional<Fit> fit_law(const std::vector<LifeRecord>& data, FitLaw law, std::string& why) {
  const Scaled s = scale_data(data);
  const int needed = law == FitLaw::Exponential ? 1 : 2;
  if (s.r < needed) {
    const boost::math::chi_squared_distribution<double> chi2(2.0);
    const double T = s.sum_x * s.ref;
    why = std::string(law_name(law)) + " needs at least " + std::to_string(needed) + " failure" +
          (needed > 1 ? "s" : "") + " (the records have " + std::to_string(s.r) + ")";
    if (s.r == 0)
      why += "; with none in " + plain(T) + " h of service, the mean life is above " +
             plain(2.0 * T / boost::math::quantile(chi2, 0.95)) + " h with 95% confidence";
    return std::nullopt;
  }
  if (law != FitLaw::Exponential) {
    std::vector<double> failed;
    for (const auto& rec : data)
      if (rec.failed) failed.push_back(rec.hours);
    if (*std::min_element(failed.begin(), failed.end()) ==
        *std::max_element(failed.begin(), failed.end())) {
      why = std::string(law_name(law)) + " needs failures at different times (all are at " +
            plain(failed.front()) + " h: the spread cannot be estimated)";
      return std::nullopt;
    }
  }
  Fit f = law == FitLaw::Exponential ? fit_exponential(s)
          : law == FitLaw::Weibull   ? fit_weibull(s)
                                     : fit_lognormal(s);
  f.units = static_cast<int>(data.size());
  f.failures = s.r;
  f.total_hours = s.sum_x * s.ref;
  f.aic = 2.0 * static_cast<double>(f.parameters.size()) - 2.0 * f.log_likelihood;
  return f;
}

std::string law_block(const Fit& f) {
  std::string out = std::string("{dist: ") + law_name(f.law);
  for (const auto& p : f.parameters)
    out += ", " + p.name + ": " + plain(p.value, 4) + (p.hours ? "h" : "");
  return out + "}";
}

nlohmann::json fit_json(const Fit& f) {
  nlohmann::json j;
  j["law"] = law_name(f.law);
  nlohmann::json ci = nlohmann::json::object();
  for (const auto& p : f.parameters) {
    j[p.name] = p.value;
    const auto bound = [](double v) {
      return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
    };
    ci[p.name] = {bound(p.lo), bound(p.hi)};
  }
  j["ci90"] = ci;
  j["bounds"] = f.bounds;
  j["log_likelihood"] = f.log_likelihood;
  j["aic"] = f.aic;
  j["design_law"] = law_block(f);
  j["data"] = {{"units", f.units}, {"failures", f.failures}, {"hours", f.total_hours}};
  return j;
}

double RateUpdate::posterior_mean_rate() const {
  return (prior_failures + failures) / (prior_hours + hours);
}

std::pair<double, double> RateUpdate::rate_ci90() const {
  const boost::math::gamma_distribution<double> post(prior_failures + failures,
                                                     1.0 / (prior_hours + hours));
  return {boost::math::quantile(post, 0.05), boost::math::quantile(post, 0.95)};
}

}  // namespace ridethrough::experiments
