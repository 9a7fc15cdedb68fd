#include "topology/portfolio.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "topology/reader.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::topology {

using namespace reading;

namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

/// Each site: its design file (relative to the portfolio's), loaded and compiled; its own
/// errors are reported at its own file.
void read_sites(Reader& r, const YAML::Node& root, const std::string& path, Portfolio& p,
                PortfolioLoad& result, std::map<std::string, int>& site_index) {
  auto sites = root["sites"];
  if (!sites) {
    r.error(Loc{1, 1}, "missing 'sites' (site id: design file)");
    return;
  }
  if (!r.expect_map(sites, "sites")) return;
  r.check_ids(sites, "sites");
  for (auto it = sites.begin(); it != sites.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    Portfolio::Site site;
    site.id = it->first.Scalar();
    site.loc = loc_of(it->first);
    auto file = r.scalar(it->second, "site '" + site.id + "'");
    if (!file) continue;
    site.path = (!file->empty() && (*file)[0] == '/') ? *file : directory_of(path) + *file;
    auto loaded = load_design_file(site.path);
    if (!loaded.design) {
      if (loaded.errors.size() == 1 && loaded.errors[0].message == "cannot open design file")
        r.error(it->second, "site '" + site.id + "': cannot open '" + site.path + "'");
      else
        for (const auto& d : loaded.errors) result.errors.push_back({site.path, d});
      continue;
    }
    site.design = std::make_unique<Design>(std::move(*loaded.design));
    site.model = std::make_unique<Model>(compile(*site.design));
    for (const auto& d : unservable_loads(*site.design, *site.model))
      result.errors.push_back({site.path, d});
    site_index[site.id] = static_cast<int>(p.sites.size());
    p.sites.push_back(std::move(site));
  }
  if (sites.size() == 0) r.error(sites, "a portfolio needs at least one site");
}

/// One horizon and one warmup for all: a replication is the same span of time everywhere.
void check_one_span(Reader& r, const Portfolio& p) {
  for (const auto& s : p.sites) {
    const auto& first = p.sites[0];
    if (s.model->horizon != first.model->horizon || s.model->warmup != first.model->warmup)
      r.error(s.loc, "site '" + s.id + "' has another horizon or warmup than site '" + first.id +
                         "': a portfolio's sites share one span of time");
  }
}

/// One SITE.SOURCE a regional event takes down, or nothing (with an error) if it names none.
std::optional<RegionalEvent::Hit> read_hit(Reader& r, const YAML::Node& x, const std::string& s,
                                           const std::string& what, const Portfolio& p,
                                           const std::map<std::string, int>& site_index) {
  const auto dot = s.find('.');
  const std::string site = s.substr(0, dot);
  auto it = site_index.find(site);
  if (dot == std::string::npos || it == site_index.end()) {
    std::vector<std::string> ids;
    for (const auto& [id, k] : site_index) ids.push_back(id);
    r.error(x, what + " hits '" + s + "': expected SITE.SOURCE with a site of the portfolio" +
                   did_you_mean(site, ids));
    return std::nullopt;
  }
  const auto& m = *p.sites[it->second].model;
  const std::string comp = s.substr(dot + 1);
  const auto c = std::find(m.ids.begin(), m.ids.end(), comp);
  if (c == m.ids.end()) {
    r.error(x, what + " hits '" + s + "': site '" + site + "' has no component '" + comp + "'" +
                   did_you_mean(comp, m.ids));
    return std::nullopt;
  }
  const int ci = static_cast<int>(c - m.ids.begin());
  if (m.kind[ci] != Kind::Source)
    r.error(x, what + " hits '" + s + "': a regional event takes down sources (utility feeds)");
  return RegionalEvent::Hit{it->second, ci};
}

void read_hits(Reader& r, const YAML::Node& e, const std::string& what, const Portfolio& p,
               const std::map<std::string, int>& site_index, RegionalEvent& g) {
  auto h = e["hits"];
  if (!h || !h.IsSequence()) {
    r.error(e, what + " needs 'hits' (a list of SITE.SOURCE)");
    return;
  }
  if (h.size() == 0)
    r.error(h, what + " hits is empty: name at least one SITE.SOURCE it takes down");
  std::set<std::string> seen_hits;
  for (const auto& x : h) {
    auto s = r.scalar(x, what + " hits");
    if (!s) continue;
    if (!seen_hits.insert(*s).second) {
      r.error(x, what + " hits '" + *s + "' twice");
      continue;
    }
    if (auto hit = read_hit(r, x, *s, what, p, site_index)) g.hits.push_back(*hit);
  }
}

RegionalEvent read_regional_event(Reader& r, const YAML::Node& e, const Portfolio& p,
                                  const std::map<std::string, int>& site_index) {
  const std::string what = "regional event";
  r.check_keys(e, keys_of("portfolio:regional_events[]"), what);
  RegionalEvent g;
  g.loc = loc_of(e);
  if (auto v = e["name"])
    g.name = r.id_ref(v, what + " name").value_or("regional");
  else
    r.error(e, what + " needs 'name'");
  if (auto v = e["rate"])
    g.rate = r.convert(v, what + " rate", parse_rate).value_or(1.0 / kHoursPerYear);
  else
    r.error(e, what + " needs 'rate' (such as 0.05/y)");
  if (auto v = e["duration"]) {
    g.duration = r.law(v, what + " duration");
    if (!g.duration.can_fail()) r.error(v, what + " duration cannot be 'never'");
  } else {
    r.error(e, what + " needs 'duration' (a law)");
  }
  if (auto s = e["season"]; s && r.expect_map(s, what + " season")) {
    r.check_keys(s, keys_of("portfolio:regional_events[].season"), what + " season");
    const double month =
        s["peak"] ? r.convert(s["peak"], what + " season peak", parse_month).value_or(1) : 1;
    g.peak = (month - 0.5) * kHoursPerMonth;
    if (s["amplitude"])
      g.amplitude = r.share(s["amplitude"], what + " season amplitude").value_or(0);
  }
  read_hits(r, e, what, p, site_index, g);
  return g;
}

/// The file's text as YAML, or an error at its position.
std::optional<YAML::Node> parse_portfolio(const std::string& path,
                                          std::vector<Diagnostic>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({{1, 1}, "cannot open portfolio file"});
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    errors.push_back({{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg});
    return std::nullopt;
  }
  if (!root.IsMap()) {
    errors.push_back({{1, 1},
                      "a portfolio file must be a mapping with version, sites and "
                      "regional_events"});
    return std::nullopt;
  }
  return root;
}

}  // namespace

PortfolioLoad load_portfolio_file(const std::string& path) {
  PortfolioLoad result;
  std::vector<Diagnostic> errors;
  Reader r(errors);
  auto finish = [&]() {
    std::vector<FileDiagnostic> own;
    for (auto& d : errors) own.push_back({path, d});
    result.errors.insert(result.errors.begin(), own.begin(), own.end());
    if (!result.errors.empty()) result.portfolio.reset();
    return std::move(result);
  };
  const auto root = parse_portfolio(path, errors);
  if (!root) return finish();
  Portfolio p;
  p.path = path;
  try {
    r.check_keys(*root, keys_of("portfolio:"), "the portfolio");
    if (auto v = (*root)["version"]) {
      auto s = r.scalar(v, "version");
      if (s && *s != "1") r.error(v, "unsupported version '" + *s + "': this ridethrough reads 1");
    } else {
      r.error(Loc{1, 1}, "missing 'version: 1'");
    }
    if (auto v = (*root)["name"]) p.name = r.scalar(v, "name").value_or("");
    std::map<std::string, int> site_index;
    read_sites(r, *root, path, p, result, site_index);
    check_one_span(r, p);
    if (auto ev = (*root)["regional_events"]) {
      if (!ev.IsSequence())
        r.error(ev, "regional_events must be a list of {name, rate, duration, hits, season}");
      else
        for (const auto& e : ev)
          if (r.expect_map(e, "regional event"))
            p.regional.push_back(read_regional_event(r, e, p, site_index));
    }
  } catch (const YAML::Exception& e) {
    errors.push_back({{e.mark.line + 1, e.mark.column + 1}, std::string("malformed: ") + e.msg});
  }
  result.portfolio = std::move(p);
  return finish();
}

}  // namespace ridethrough::topology
