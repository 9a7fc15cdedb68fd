#pragma once
// Reading YAML into design structures with every problem reported at its line and column: the
// helpers the design loader and the portfolio loader share.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "topology/design.hpp"
#include "topology/keys.hpp"
#include "topology/loader.hpp"
#include "topology/units.hpp"

namespace ridethrough::topology::reading {

inline Loc loc_of(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {1, 1};
  return {m.line + 1, m.column + 1};
}

inline std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

inline std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

inline std::string did_you_mean(const std::string& word,
                                const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

inline const std::regex& id_pattern() {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_-]*");
  return re;
}

/// Walks the YAML tree, collecting every problem instead of stopping at the first.
class Reader {
 public:
  explicit Reader(std::vector<Diagnostic>& errors) : errors_(errors) {}

  void error(Loc loc, std::string msg) { errors_.push_back({loc, std::move(msg)}); }
  void error(const YAML::Node& n, std::string msg) { error(loc_of(n), std::move(msg)); }

  static const char* type_name(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Map:
        return "a mapping";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Null:
        return "nothing";
      default:
        return "a scalar";
    }
  }

  bool expect_map(const YAML::Node& n, const std::string& what) {
    if (n.IsMap()) return true;
    error(n, what + " must be a mapping, got " + type_name(n));
    return false;
  }

  /// Reports unknown and duplicate keys of a mapping; returns the keys in order.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed,
                  const std::string& what) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        error(it->first, "a key of " + what + " must be a plain name");
        continue;
      }
      const std::string key = it->first.Scalar();
      if (!seen.insert(key).second) {
        error(it->first, "duplicate key '" + key + "' in " + what);
        continue;
      }
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        error(it->first, "unknown key '" + key + "' in " + what + did_you_mean(key, allowed));
    }
  }

  /// Checks the keys of a mapping of named entries (components, loads, ...): ids and duplicates.
  void check_ids(const YAML::Node& map, const std::string& what) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar()) {
        error(it->first, "an id in " + what + " must be a plain name");
        continue;
      }
      const std::string key = it->first.Scalar();
      if (!seen.insert(key).second) error(it->first, "duplicate id '" + key + "' in " + what);
      if (!std::regex_match(key, id_pattern()))
        error(it->first, "invalid id '" + key + "' in " + what +
                             ": ids match [A-Za-z_][A-Za-z0-9_-]* (no dots or spaces)");
    }
  }

  std::optional<std::string> scalar(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) {
      error(n, what + " must be a single value, got " + type_name(n));
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<double> convert(const YAML::Node& n, const std::string& what,
                                Parsed (*parse)(std::string_view)) {
    auto s = scalar(n, what);
    if (!s) return std::nullopt;
    Parsed p = parse(*s);
    if (!p.value) {
      error(n, what + ": " + p.error);
      return std::nullopt;
    }
    return p.value;
  }

  enum class Sign { Positive, NonNegative };

  std::optional<double> duration(const YAML::Node& n, const std::string& what, Sign sign) {
    auto v = convert(n, what, parse_duration);
    v = check_sign(n, what, v, sign, "duration");
    if (v && *v > 0.0) times_.push_back({*v, loc_of(n), what});
    return v;
  }
  std::optional<double> power(const YAML::Node& n, const std::string& what, Sign sign) {
    auto v = convert(n, what, parse_power);
    return check_sign(n, what, v, sign, "power");
  }
  std::optional<double> number(const YAML::Node& n, const std::string& what, Sign sign) {
    auto v = convert(n, what, parse_number);
    return check_sign(n, what, v, sign, "number");
  }
  std::optional<double> share(const YAML::Node& n, const std::string& what) {
    auto v = convert(n, what, parse_share);
    if (v && (*v < 0.0 || *v > 1.0)) {
      error(n, what + " must be between 0 and 1 (0% and 100%), got " + n.Scalar());
      return std::nullopt;
    }
    return v;
  }
  std::optional<bool> flag(const YAML::Node& n, const std::string& what) {
    auto s = scalar(n, what);
    if (!s) return std::nullopt;
    if (*s == "true") return true;
    if (*s == "false") return false;
    error(n, what + " must be true or false, got '" + *s + "'");
    return std::nullopt;
  }
  std::optional<double> rate(const YAML::Node& n, const std::string& what) {
    auto v = convert(n, what, parse_rate);
    v = check_sign(n, what, v, Sign::Positive, "rate");
    if (v) times_.push_back({1.0 / *v, loc_of(n), what + " (its mean time between events)"});
    return v;
  }
  std::optional<double> temperature(const YAML::Node& n, const std::string& what) {
    return convert(n, what, parse_temperature);
  }
  std::optional<double> month(const YAML::Node& n, const std::string& what) {
    return convert(n, what, parse_month);
  }
  std::optional<double> energy(const YAML::Node& n, const std::string& what, Sign sign) {
    auto v = convert(n, what, parse_energy);
    return check_sign(n, what, v, sign, "energy");
  }
  std::optional<double> size(const YAML::Node& n, const std::string& what) {
    auto v = convert(n, what, parse_size);
    return check_sign(n, what, v, Sign::NonNegative, "size");
  }
  std::optional<double> bandwidth(const YAML::Node& n, const std::string& what) {
    auto v = convert(n, what, parse_bandwidth);
    return check_sign(n, what, v, Sign::Positive, "bandwidth");
  }
  std::optional<int> count(const YAML::Node& n, const std::string& what, int min) {
    auto v = convert(n, what, parse_number);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || *v < min || *v > 1e9) {
      error(n, what + " must be a whole number of at least " + std::to_string(min) + ", got " +
                   n.Scalar());
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::optional<double> check_sign(const YAML::Node& n, const std::string& what,
                                   std::optional<double> v, Sign sign, const char* noun) {
    if (!v) return v;
    if (*v < 0.0 || (sign == Sign::Positive && *v == 0.0)) {
      error(n, what + " must be a " + (sign == Sign::Positive ? "positive " : "non-negative ") +
                   noun + ", got " + n.Scalar());
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::string> id_ref(const YAML::Node& n, const std::string& what) {
    auto s = scalar(n, what);
    if (!s) return s;
    if (!std::regex_match(*s, id_pattern())) {
      error(n, what + ": '" + *s + "' is not a valid id");
      return std::nullopt;
    }
    return s;
  }

  /// A list of ids (a single id is accepted as a list of one).
  void id_list(const YAML::Node& n, const std::string& what, std::vector<std::string>& out,
               std::vector<Loc>& locs) {
    if (n.IsScalar()) {
      if (auto s = id_ref(n, what)) {
        out.push_back(*s);
        locs.push_back(loc_of(n));
      }
      return;
    }
    if (!n.IsSequence()) {
      error(n, what + " must be a list of ids, got " + type_name(n));
      return;
    }
    std::set<std::string> seen;
    for (const auto& item : n) {
      if (auto s = id_ref(item, what)) {
        if (!seen.insert(*s).second) {
          error(item, what + " lists '" + *s + "' twice");
          continue;
        }
        out.push_back(*s);
        locs.push_back(loc_of(item));
      }
    }
    if (out.empty() && n.size() == 0) error(n, what + " must not be empty");
  }

  /// `uncertainty: {error_factor: EF, shared: NAME}` (on a law, or beside a fail_prob).
  Uncertainty uncertainty(const YAML::Node& n, const std::string& what) {
    Uncertainty u;
    if (!expect_map(n, what + " uncertainty")) return u;
    check_keys(n, keys_of("uncertainty"), what + " uncertainty");
    if (auto v = n["error_factor"]) {
      u.error_factor = number(v, what + " uncertainty error_factor", Sign::Positive).value_or(0);
      if (u.error_factor > 0.0 && u.error_factor < 1.0) {
        error(v, what + " uncertainty error_factor is p95/p50 and must be at least 1, got " +
                     v.Scalar());
        u.error_factor = 0.0;
      }
    } else {
      error(n, what + " uncertainty needs 'error_factor' (the 95th percentile over the median)");
    }
    if (auto v = n["shared"]) {
      if (auto s = scalar(v, what + " uncertainty shared")) u.shared = *s;
    }
    return u;
  }

  Law law(const YAML::Node& n, const std::string& what) {
    Law law;
    if (n.IsScalar()) {
      if (n.Scalar() == "never") return law;
      error(n, what + " must be a law such as {dist: exponential, mean: 1000h} or the word never");
      return law;
    }
    if (!expect_map(n, what)) return law;
    const YAML::Node dist = n["dist"];
    if (!dist) {
      error(n, what + " needs 'dist' (exponential, weibull, lognormal or fixed)");
      return law;
    }
    const std::string d = dist.IsScalar() ? dist.Scalar() : std::string();
    auto need = [&](const char* key) -> YAML::Node {
      YAML::Node v = n[key];
      if (!v) error(n, what + " with dist " + d + " needs '" + key + "'");
      return v;
    };
    if (d == "exponential") {
      check_keys(n, keys_of("law:exponential"), what);
      law.kind = LawKind::Exponential;
      if (auto v = need("mean"))
        law.scale = duration(v, what + " mean", Sign::Positive).value_or(1);
    } else if (d == "weibull") {
      check_keys(n, keys_of("law:weibull"), what);
      law.kind = LawKind::Weibull;
      if (auto v = need("shape"))
        law.shape = number(v, what + " shape", Sign::Positive).value_or(1);
      if (auto v = need("scale"))
        law.scale = duration(v, what + " scale", Sign::Positive).value_or(1);
    } else if (d == "lognormal") {
      check_keys(n, keys_of("law:lognormal"), what);
      law.kind = LawKind::Lognormal;
      if (auto v = need("median"))
        law.scale = duration(v, what + " median", Sign::Positive).value_or(1);
      if (auto v = need("sigma"))
        law.shape = number(v, what + " sigma", Sign::NonNegative).value_or(0);
    } else if (d == "fixed") {
      check_keys(n, keys_of("law:fixed"), what);
      law.kind = LawKind::Fixed;
      if (auto v = need("value"))
        law.scale = duration(v, what + " value", Sign::Positive).value_or(1);
    } else {
      error(dist, what + ": unknown dist '" + d + "'" +
                      did_you_mean(d, {"exponential", "weibull", "lognormal", "fixed"}) +
                      "; expected exponential, weibull, lognormal or fixed");
    }
    if (auto u = n["uncertainty"]) law.uncertainty = uncertainty(u, what);
    return law;
  }

  /// A positive time read from the file (a duration, or the mean gap of a rate), kept so that
  /// the whole design can check them against what its clock resolves.
  struct Time {
    double hours;
    Loc loc;
    std::string what;
  };
  const std::vector<Time>& times() const { return times_; }

 private:
  std::vector<Diagnostic>& errors_;
  std::vector<Time> times_;
};

}  // namespace ridethrough::topology::reading
