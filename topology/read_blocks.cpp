// The blocks of a design file besides components: the header, spares, common cause, loads,
// tenants, economics, the grid's curtailment calls and the options `optimize` searches.
#include "topology/cluster_loader.hpp"
#include "topology/keys.hpp"
#include "topology/kinds.hpp"
#include "topology/loading.hpp"

namespace ridethrough::topology::loading {

using reading::did_you_mean;
using reading::loc_of;

void read_header(Reader& r, const YAML::Node& root, Design& d) {
  r.check_keys(root, keys_of(""), "the design");
  if (auto v = root["version"]) {
    auto s = r.scalar(v, "version");
    if (s && *s != "1")
      r.error(v, "unsupported version '" + *s + "': this ridethrough reads version 1");
  } else {
    r.error(Loc{1, 1}, "missing 'version: 1'");
  }
  if (auto v = root["name"]) d.name = r.scalar(v, "name").value_or("");
  if (auto v = root["horizon"])
    d.horizon = r.duration(v, "horizon", Reader::Sign::Positive).value_or(kHoursPerYear);
  if (auto v = root["warmup"])
    d.warmup = r.duration(v, "warmup", Reader::Sign::NonNegative).value_or(0);
  if (auto v = root["crews"]) d.crews = r.count(v, "crews", 1);
}

void read_spares(Reader& r, const YAML::Node& s, Design& d) {
  each_entry(
      r, s, "spares", [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
        SparePool p;
        p.id = id;
        p.loc = loc_of(key);
        const std::string what = "spare pool '" + id + "'";
        if (!r.expect_map(n, what)) return;
        r.check_keys(n, keys_of("spares.*"), what);
        if (auto v = n["stock"])
          p.stock = r.count(v, what + " stock", 0).value_or(0);
        else
          r.error(key, what + " needs 'stock'");
        if (auto v = n["lead_time"])
          p.lead_time = r.duration(v, what + " lead_time", Reader::Sign::NonNegative).value_or(0);
        else
          r.error(key, what + " needs 'lead_time'");
        d.spares.push_back(p);
      });
}

void read_common_cause(Reader& r, const YAML::Node& cc, Design& d) {
  if (!cc.IsSequence()) {
    r.error(cc, "common_cause must be a list of {group, beta}");
    return;
  }
  for (const auto& g : cc) {
    if (!r.expect_map(g, "common_cause entry")) continue;
    r.check_keys(g, keys_of("common_cause[]"), "common_cause entry");
    CommonCauseGroup grp;
    grp.loc = loc_of(g);
    if (auto v = g["group"])
      r.id_list(v, "common_cause group", grp.members, grp.member_locs);
    else
      r.error(g, "common_cause entry needs 'group'");
    if (auto v = g["beta"]) {
      grp.beta = r.share(v, "common_cause beta").value_or(0.5);
      if (grp.beta <= 0.0 || grp.beta >= 1.0)
        r.error(v, "common_cause beta must be strictly between 0 and 1");
    } else {
      r.error(g, "common_cause entry needs 'beta'");
    }
    d.common_cause.push_back(std::move(grp));
  }
}

void read_load(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
               Design& d) {
  Load l;
  l.id = id;
  l.loc = loc_of(key);
  const std::string what = "load '" + id + "'";
  if (!r.expect_map(n, what)) return;
  r.check_keys(n, keys_of("loads.*"), what);
  if (auto v = n["demand"])
    l.demand = r.power(v, what + " demand", Reader::Sign::Positive).value_or(1);
  else
    r.error(key, what + " needs 'demand'");
  if (auto v = n["power"])
    r.id_list(v, what + " power", l.power, l.power_locs);
  else
    r.error(key, what + " needs 'power' (the components it draws from)");
  if (auto v = n["cooling"]) r.id_list(v, what + " cooling", l.cooling, l.cooling_locs);
  if (auto v = n["thermal_ride_through"])
    l.thermal_ride_through =
        r.duration(v, what + " thermal_ride_through", Reader::Sign::NonNegative).value_or(0);
  if (auto v = n["priority"]) {
    if (auto s = r.scalar(v, what + " priority")) {
      if (*s == "critical")
        l.priority = Priority::Critical;
      else if (*s == "flexible")
        l.priority = Priority::Flexible;
      else
        r.error(v, what + ": unknown priority '" + *s + "'" +
                       did_you_mean(*s, {"critical", "flexible"}) +
                       "; expected critical or flexible");
    }
  }
  if (auto v = n["tenant"]) {
    if (auto s = r.id_ref(v, what + " tenant")) {
      l.tenant = *s;
      l.tenant_loc = loc_of(v);
    }
  }
  // Partial shedding: a flexible load that can take any share of its demand, or blocks of it.
  if (auto v = n["divisible"])
    if (r.flag(v, what + " divisible").value_or(false)) l.steps = 0;
  if (auto v = n["steps"]) {
    l.steps = r.count(v, what + " steps", 1).value_or(1);
    if (n["divisible"]) r.error(v, what + " has both 'divisible' and 'steps': give one");
  }
  if (auto v = n["hosts"]) {
    l.hosts = r.count(v, what + " hosts", 0).value_or(0);
    l.hosts_loc = loc_of(v);
  }
  if (auto v = n["shed_order"]) l.shed_order = r.count(v, what + " shed_order", 1).value_or(1);
  if (l.steps >= 0) {
    const YAML::Node where = n["divisible"] ? n["divisible"] : n["steps"];
    if (l.priority != Priority::Flexible)
      r.error(where, what + " can be shed in part only if it is flexible (priority: flexible)");
    if (n["cooling"])
      r.error(where, what +
                         " is shed in part, so it cannot have 'cooling' (its heat would change "
                         "with its share): cool it with its power");
  }
  d.loads.push_back(std::move(l));
}

void read_tenant(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
                 Design& d) {
  Tenant t;
  t.id = id;
  t.loc = loc_of(key);
  const std::string what = "tenant '" + id + "'";
  if (!r.expect_map(n, what)) return;
  r.check_keys(n, keys_of("tenants.*"), what);
  const auto nonneg = Reader::Sign::NonNegative;
  if (auto v = n["monthly_fee"])
    t.monthly_fee = r.number(v, what + " monthly_fee", nonneg).value_or(0);
  if (auto s = n["sla"]) {
    if (r.expect_map(s, what + " sla")) {
      t.has_sla = true;
      r.check_keys(s, keys_of("tenants.*.sla"), what + " sla");
      if (auto p = s["period"]) {
        auto ps = r.scalar(p, what + " sla period");
        if (ps && *ps != "month")
          r.error(p, what + " sla period must be 'month' (the only period in v1)");
      }
      if (auto c = s["credits"]) {
        if (!c.IsSequence()) {
          r.error(c, what + " sla credits must be a list of {below, credit} bands");
        } else {
          for (const auto& band : c) {
            if (!r.expect_map(band, what + " sla credit band")) continue;
            r.check_keys(band, keys_of("tenants.*.sla.credits[]"), what + " sla credit band");
            CreditBand b;
            if (auto v = band["below"])
              b.below = r.share(v, what + " sla credit band below").value_or(0);
            else
              r.error(band, what + " sla credit band needs 'below'");
            if (auto v = band["credit"])
              b.credit = r.share(v, what + " sla credit band credit").value_or(0);
            else
              r.error(band, what + " sla credit band needs 'credit'");
            t.credits.push_back(b);
          }
        }
      }
      if (auto v = s["per_incident"])
        t.per_incident = r.number(v, what + " sla per_incident", nonneg).value_or(0);
      if (auto v = s["cap"]) t.cap = r.share(v, what + " sla cap");
      if (!n["monthly_fee"] && !t.credits.empty())
        r.error(s, what + " has SLA credits but no monthly_fee to take them from");
    }
  }
  if (auto w = n["workload"]) {
    if (r.expect_map(w, what + " workload")) {
      const YAML::Node kind = w["kind"];
      const std::string k = kind && kind.IsScalar() ? kind.Scalar() : "";
      if (k == "training") {
        t.workload = WorkloadKind::Training;
        r.check_keys(w, keys_of("tenants.*.workload:training"), what + " workload");
        if (auto v = w["checkpoint_interval"])
          t.checkpoint_interval =
              r.duration(v, what + " checkpoint_interval", Reader::Sign::Positive).value_or(1);
        else
          r.error(w, what + " training workload needs 'checkpoint_interval'");
        if (auto v = w["restart_time"])
          t.restart_time = r.duration(v, what + " restart_time", nonneg).value_or(0);
        if (auto v = w["cost_per_hour"])
          t.cost_per_hour = r.number(v, what + " cost_per_hour", nonneg).value_or(0);
        else
          r.error(w, what + " training workload needs 'cost_per_hour'");
      } else if (k == "mining") {
        t.workload = WorkloadKind::Mining;
        r.check_keys(w, keys_of("tenants.*.workload:mining"), what + " workload");
        if (auto v = w["revenue_per_mwh"])
          t.revenue_per_mwh = r.number(v, what + " revenue_per_mwh", nonneg).value_or(0);
        else
          r.error(w, what + " mining workload needs 'revenue_per_mwh'");
      } else if (k == "cluster") {
        parse_cluster_workload(r, w, what, t);
      } else {
        r.error(kind ? kind : w, what +
                                     " workload needs 'kind: training', 'kind: mining' or "
                                     "'kind: cluster'");
      }
    }
  }
  d.tenants.push_back(std::move(t));
}

void read_economics(Reader& r, const YAML::Node& e, bool has_crews, Design& d) {
  if (!r.expect_map(e, "economics")) return;
  r.check_keys(e, keys_of("economics"), "economics");
  auto& x = d.economics;
  x.present = true;
  const auto nonneg = Reader::Sign::NonNegative;
  if (auto v = e["capex"]) x.capex = r.number(v, "economics capex", nonneg).value_or(0);
  if (auto v = e["annual_opex"])
    x.annual_opex = r.number(v, "economics annual_opex", nonneg).value_or(0);
  if (auto v = e["years"])
    x.years = r.number(v, "economics years", Reader::Sign::Positive).value_or(1);
  else
    r.error(e, "economics needs 'years'");
  if (auto v = e["discount_rate"])
    x.discount_rate = r.share(v, "economics discount_rate").value_or(0);
  if (auto v = e["crew_cost_per_year"]) {
    x.crew_cost_per_year = r.number(v, "economics crew_cost_per_year", nonneg).value_or(0);
    if (!has_crews) r.error(v, "economics crew_cost_per_year needs a number of 'crews' to price");
  }
  if (auto v = e["spare_unit_cost"])
    x.spare_unit_cost = r.number(v, "economics spare_unit_cost", nonneg).value_or(0);
}

namespace {

void read_curtailment(Reader& r, const YAML::Node& c, Design& d) {
  const std::string what = "grid curtailment";
  if (!r.expect_map(c, what)) return;
  r.check_keys(c, keys_of("grid.curtailment"), what);
  auto& cu = d.curtailment;
  cu.present = true;
  cu.loc = loc_of(c);
  const auto nonneg = Reader::Sign::NonNegative;
  auto need = [&](const char* key) {
    if (!c[key]) r.error(c, what + " needs '" + key + "'");
    return c[key];
  };
  if (auto v = need("rate")) cu.rate = r.rate(v, what + " rate").value_or(1.0 / kHoursPerYear);
  if (auto v = need("duration")) {
    cu.duration = r.law(v, what + " duration");
    if (!cu.duration.can_fail()) r.error(v, what + " duration cannot be 'never'");
  }
  if (auto v = need("limit")) cu.limit = r.power(v, what + " limit", nonneg).value_or(0);
  if (auto v = c["notice"]) cu.notice = r.duration(v, what + " notice", nonneg).value_or(0);
  if (auto v = c["price_per_mwh"])
    cu.price_per_mwh = r.number(v, what + " price_per_mwh", nonneg).value_or(0);
  if (auto v = c["penalty_per_mwh"])
    cu.penalty_per_mwh = r.number(v, what + " penalty_per_mwh", nonneg).value_or(0);
  if (auto v = need("sources")) r.id_list(v, what + " sources", cu.sources, cu.source_locs);
  if (auto v = c["generators"])
    r.id_list(v, what + " generators", cu.generators, cu.generator_locs);
  if (auto v = c["generator_cost_per_mwh"])
    cu.generator_cost_per_mwh = r.number(v, what + " generator_cost_per_mwh", nonneg).value_or(0);
  if (c["generator_cost_per_mwh"] && !c["generators"])
    r.error(c["generator_cost_per_mwh"], what + " has a generator_cost_per_mwh but no generators");
}

OptionChoice read_option(Reader& r, const YAML::Node& o) {
  OptionChoice c;
  c.loc = loc_of(o);
  if (auto v = o["path"])
    c.path = r.scalar(v, "option path").value_or("");
  else
    r.error(o, "an option needs 'path' (a dotted key path, as for --vary)");
  if (auto v = o["values"]) {
    if (!v.IsSequence() || v.size() == 0)
      r.error(v, "option values must be a non-empty list");
    else
      for (const auto& x : v)
        if (auto t = r.scalar(x, "option value")) c.values.push_back(*t);
  } else {
    r.error(o, "an option needs 'values'");
  }
  c.capex.assign(c.values.size(), 0.0);
  if (auto v = o["capex"]) {
    if (!v.IsSequence() || v.size() != c.values.size())
      r.error(v, "option capex must be a list with one amount per value (" +
                     std::to_string(c.values.size()) + ")");
    else
      for (std::size_t k = 0; k < v.size(); ++k)
        c.capex[k] = r.number(v[k], "option capex", Reader::Sign::NonNegative).value_or(0);
  }
  return c;
}

}  // namespace

void read_grid(Reader& r, const YAML::Node& g, Design& d) {
  if (!r.expect_map(g, "grid")) return;
  r.check_keys(g, keys_of("grid"), "grid");
  if (auto c = g["curtailment"]) read_curtailment(r, c, d);
}

void read_weather(Reader& r, const YAML::Node& w, Design& d) {
  if (!r.expect_map(w, "weather")) return;
  r.check_keys(w, keys_of("weather"), "weather");
  d.weather.present = true;
  d.weather.loc = reading::loc_of(w);
  if (auto v = w["ambient"]) d.weather.ambient = r.temperature(v, "weather ambient").value_or(25);
  const YAML::Node ev = w["events"];
  if (!ev) return;
  if (!ev.IsSequence() || ev.size() == 0) {
    r.error(ev,
            "weather events must be a non-empty list of {rate, duration, ambient, name, season}");
    return;
  }
  for (std::size_t k = 0; k < ev.size(); ++k) {
    const std::string ew = "weather event class " + std::to_string(k + 1);
    if (!r.expect_map(ev[k], ew)) continue;
    WeatherClass wc;
    wc.event = read_event_class(r, ev[k], ew, k, "weather.events[]");
    wc.event.name = ev[k]["name"] ? wc.event.name : "weather" + std::to_string(k + 1);
    if (auto v = ev[k]["ambient"])
      wc.ambient = r.temperature(v, ew + " ambient").value_or(d.weather.ambient);
    else
      r.error(ev[k], ew + " needs 'ambient' (the temperature while it lasts, such as 40C)");
    for (auto [key, factor] : {std::pair{"grid_event_factor", &wc.grid_event_factor},
                               std::pair{"call_factor", &wc.call_factor}})
      if (auto v = ev[k][key]) {
        *factor = r.number(v, ew + " " + key, Reader::Sign::NonNegative).value_or(1);
        if (*factor < 1.0)
          r.error(v, ew + " " + key + " must be at least 1 (weather raises rates, never lowers)");
      }
    for (const auto& other : d.weather.events)
      if (other.event.name == wc.event.name)
        r.error(ev[k], ew + ": another class is named '" + wc.event.name + "'");
    d.weather.events.push_back(wc);
  }
}

void read_options(Reader& r, const YAML::Node& opts, Design& d) {
  if (!opts.IsSequence()) {
    r.error(opts, "options must be a list of {path, values, capex}");
    return;
  }
  for (const auto& o : opts) {
    if (!r.expect_map(o, "an option")) continue;
    r.check_keys(o, keys_of("options[]"), "an option");
    d.options.push_back(read_option(r, o));
  }
}

}  // namespace ridethrough::topology::loading
