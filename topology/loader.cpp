#include "topology/loader.hpp"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "topology/cluster_loader.hpp"
#include "topology/keys.hpp"
#include "topology/limits.hpp"
#include "topology/reader.hpp"
#include "topology/templates.hpp"
#include "topology/units.hpp"

namespace ridethrough::topology {
namespace {

using namespace reading;

struct KindInfo {
  Kind kind;
  const char* name;
};

/// Their keys are in the key table (topology/keys.cpp), under `components.*` with the kind.
const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> k = {
      {Kind::Source, "source"}, {Kind::Generator, "generator"},
      {Kind::Node, "node"},     {Kind::Switch, "switch"},
      {Kind::Ups, "ups"},       {Kind::CoolingSource, "cooling_source"},
  };
  return k;
}

void parse_component(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
                     Design& d) {
  Component c;
  c.id = id;
  c.loc = loc_of(key);
  const std::string what = "component '" + id + "'";
  if (!r.expect_map(n, what)) return;
  const YAML::Node kind = n["kind"];
  const KindInfo* info = nullptr;
  if (!kind) {
    r.error(key, what + " needs 'kind' (source, generator, node, switch, ups or cooling_source)");
  } else if (kind.IsScalar()) {
    for (const auto& k : kinds())
      if (kind.Scalar() == k.name) info = &k;
    if (!info) {
      std::vector<std::string> names;
      for (const auto& k : kinds()) names.push_back(k.name);
      r.error(kind, what + ": unknown kind '" + kind.Scalar() + "'" +
                        did_you_mean(kind.Scalar(), names) +
                        "; expected source, generator, node, switch, ups or cooling_source");
    }
  } else {
    r.error(kind, what + ": kind must be a single word");
  }
  if (info) {
    c.kind = info->kind;
    std::vector<std::string> allowed = keys_of("components.*", info->name);
    // A key that exists for another kind gets a message that says so.
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string k = it->first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      const std::string other = kind_of_key(k);
      if (other.empty()) continue;
      r.error(it->first, "key '" + k + "' does not apply to " + what + " of kind '" + info->name +
                             "' (it belongs to kind '" + other + "')");
      allowed.push_back(k);  // reported once, not again as unknown
    }
    r.check_keys(n, allowed, what);
  }

  Reader::Sign pos = Reader::Sign::Positive, nonneg = Reader::Sign::NonNegative;
  if (auto v = n["capacity"]) c.capacity = r.power(v, what + " capacity", pos).value_or(kUnlimited);
  if (auto v = n["power_draw"]) c.power_draw = r.power(v, what + " power_draw", nonneg).value_or(0);
  if (auto v = n["inputs"]) r.id_list(v, what + " inputs", c.inputs, c.input_locs);
  if (auto v = n["powered_by"]) r.id_list(v, what + " powered_by", c.powered_by, c.powered_by_locs);
  if (auto v = n["failure"]) c.failure = r.law(v, what + " failure");
  if (auto v = n["repair"]) {
    c.repair = r.law(v, what + " repair");
    c.has_repair = true;
    if (!c.repair.can_fail()) r.error(v, what + " repair cannot be 'never'");
  }
  if (auto v = n["spare_pool"]) {
    if (auto s = r.id_ref(v, what + " spare_pool")) {
      c.spare_pool = *s;
      c.spare_pool_loc = loc_of(v);
    }
  }
  // A periodic window (maintenance, generator test): interval, duration and an optional offset
  // that fixes the phase (without one, the phase is random in each replication).
  auto window = [&](const YAML::Node& m, const std::string& block, double& interval,
                    double& duration, std::optional<double>& offset) {
    r.check_keys(m, keys_of("components.*." + block), what + " " + block);
    if (!m["interval"]) r.error(m, what + " " + block + " needs 'interval'");
    if (!m["duration"]) r.error(m, what + " " + block + " needs 'duration'");
    if (m["interval"])
      interval = r.duration(m["interval"], what + " " + block + " interval", pos).value_or(1);
    if (m["duration"])
      duration = r.duration(m["duration"], what + " " + block + " duration", pos).value_or(0);
    if (m["offset"])
      offset = r.duration(m["offset"], what + " " + block + " offset", nonneg).value_or(0);
    if (m["interval"] && m["duration"] && duration >= interval && duration > 0)
      r.error(m, what + " " + block + " duration must be shorter than its interval");
  };
  if (auto m = n["maintenance"]) {
    if (r.expect_map(m, what + " maintenance")) {
      c.has_maintenance = true;
      window(m, "maintenance", c.maintenance_interval, c.maintenance_duration,
             c.maintenance_offset);
      if (auto v = m["crew"])
        c.maintenance_crew = r.flag(v, what + " maintenance crew").value_or(false);
      if (auto v = m["defer_if_unsafe"])
        c.maintenance_defer = r.flag(v, what + " maintenance defer_if_unsafe").value_or(false);
    }
  }
  if (auto m = n["test"]) {
    if (r.expect_map(m, what + " test")) {
      c.has_test = true;
      window(m, "test", c.test_interval, c.test_duration, c.test_offset);
    }
  }
  if (auto v = n["standby_failure"]) c.standby_failure = r.law(v, what + " standby_failure");
  if (auto f = n["fuel"]) {
    if (r.expect_map(f, what + " fuel")) {
      r.check_keys(f, keys_of("components.*.fuel"), what + " fuel");
      if (auto v = f["tank"])
        c.fuel_tank = r.duration(v, what + " fuel tank", pos).value_or(1);
      else
        r.error(f, what + " fuel needs 'tank' (hours of running at full capacity)");
      if (auto rf = f["refuel"]) {
        if (r.expect_map(rf, what + " fuel refuel")) {
          c.has_refuel = true;
          r.check_keys(rf, keys_of("components.*.fuel.refuel"), what + " fuel refuel");
          if (auto v = rf["delay"])
            c.refuel_delay = r.duration(v, what + " fuel refuel delay", pos).value_or(1);
          else
            r.error(rf, what + " fuel refuel needs 'delay'");
          if (auto v = rf["fail_prob"]) {
            c.refuel_fail_prob = r.share(v, what + " fuel refuel fail_prob").value_or(0);
            if (c.refuel_fail_prob >= 1.0)
              r.error(v, what +
                             " fuel refuel fail_prob must be below 1 (a delivery must be able "
                             "to arrive)");
          }
        }
      }
    }
  }
  if (auto ev = n["events"]) {
    if (!ev.IsSequence() || ev.size() == 0) {
      r.error(ev, what + " events must be a non-empty list of {rate, duration, name, season}");
    } else {
      std::set<std::string> names;
      for (std::size_t k = 0; k < ev.size(); ++k) {
        const YAML::Node e = ev[k];
        const std::string ew = what + " event class " + std::to_string(k + 1);
        if (!r.expect_map(e, ew)) continue;
        r.check_keys(e, keys_of("components.*.events[]"), ew);
        GridEventClass g;
        g.loc = loc_of(e);
        g.name = "event" + std::to_string(k + 1);
        if (auto v = e["name"])
          if (auto s = r.id_ref(v, ew + " name")) g.name = *s;
        if (!names.insert(g.name).second)
          r.error(e, ew + ": another class is named '" + g.name + "'");
        if (auto v = e["rate"])
          g.rate = r.rate(v, ew + " rate").value_or(1.0 / kHoursPerYear);
        else
          r.error(e, ew + " needs 'rate' (such as 2/y)");
        if (auto v = e["duration"]) {
          g.duration = r.law(v, ew + " duration");
          if (!g.duration.can_fail()) r.error(v, ew + " duration cannot be 'never'");
        } else {
          r.error(e, ew + " needs 'duration' (a law)");
        }
        if (auto s = e["season"]) {
          if (r.expect_map(s, ew + " season")) {
            r.check_keys(s, keys_of("components.*.events[].season"), ew + " season");
            g.seasonal = true;
            if (auto v = s["peak"])
              g.peak_month = r.month(v, ew + " season peak").value_or(1);
            else
              r.error(s, ew + " season needs 'peak' (the month the rate peaks, such as 7m)");
            if (auto v = s["amplitude"])
              g.amplitude = r.share(v, ew + " season amplitude").value_or(0);
            else
              r.error(s, ew + " season needs 'amplitude' (such as 50%)");
          }
        }
        c.events.push_back(g);
      }
    }
    if (n["failure"] || n["repair"])
      r.error(ev, what + " has events and failure/repair: events replace them for a utility feed");
    if (n["maintenance"])
      r.error(ev, what + " has events and maintenance: a utility's planned work is an event class");
  }
  if (auto v = n["battery_energy"])
    c.battery_energy = r.energy(v, what + " battery_energy", pos).value_or(1);
  if (auto s = n["start"]) {
    if (r.expect_map(s, what + " start")) {
      r.check_keys(s, keys_of("components.*.start"), what + " start");
      if (auto v = s["delay"])
        c.start_delay = r.duration(v, what + " start delay", nonneg).value_or(0);
      if (auto v = s["fail_prob"])
        c.start_fail_prob = r.share(v, what + " start fail_prob").value_or(0);
    }
  }
  if (auto s = n["transfer"]) {
    if (r.expect_map(s, what + " transfer")) {
      r.check_keys(s, keys_of("components.*.transfer"), what + " transfer");
      if (auto v = s["delay"])
        c.transfer_delay = r.duration(v, what + " transfer delay", nonneg).value_or(0);
      if (auto v = s["fail_prob"])
        c.transfer_fail_prob = r.share(v, what + " transfer fail_prob").value_or(0);
    }
  }
  if (auto v = n["retransfer_after"])
    c.retransfer_after = r.duration(v, what + " retransfer_after", nonneg).value_or(0);
  if (auto v = n["autonomy"]) c.autonomy = r.duration(v, what + " autonomy", pos).value_or(1);
  if (auto v = n["recharge"]) c.recharge = r.duration(v, what + " recharge", pos).value_or(1);
  if (auto v = n["restart"]) c.restart = r.duration(v, what + " restart", nonneg).value_or(0);

  if (info) {
    const bool takes_inputs = c.kind == Kind::Node || c.kind == Kind::Switch || c.kind == Kind::Ups;
    if (takes_inputs && !n["inputs"])
      r.error(key, what + " of kind '" + info->name + "' needs 'inputs'");
    if (c.kind == Kind::Ups) {
      if (!n["autonomy"] && !n["battery_energy"])
        r.error(key, what + " of kind 'ups' needs 'autonomy' or 'battery_energy'");
      if (n["autonomy"] && n["battery_energy"])
        r.error(n["battery_energy"], what +
                                         " has both 'autonomy' and 'battery_energy': give one "
                                         "(battery_energy makes runtime depend on the load)");
      if (!n["recharge"]) r.error(key, what + " of kind 'ups' needs 'recharge'");
    }
    if (n["power_draw"] && !n["powered_by"])
      r.error(n["power_draw"], what + " has a power_draw but no powered_by to draw it from");
  }
  const bool can_fail = c.failure.can_fail() || c.standby_failure.can_fail() ||
                        c.start_fail_prob > 0 || c.transfer_fail_prob > 0;
  if (can_fail && !c.has_repair) r.error(key, what + " can fail but has no 'repair' law");
  if (auto v = n["count"]) {
    // N identical copies, id1 .. idN; count 0 removes the component (a sweep can do that).
    int count = r.count(v, what + " count", 0).value_or(1);
    if (d.components.size() + static_cast<std::size_t>(count) > limits::kMaxEntries) {
      r.error(v, what + " count makes the design bigger than " +
                     std::to_string(limits::kMaxEntries) +
                     " components and loads, the most it can be");
      count = 0;
    }
    std::vector<std::string> ids;
    for (int k = 1; k <= count; ++k) {
      Component copy = c;
      copy.id = id + std::to_string(k);
      ids.push_back(copy.id);
      d.components.push_back(std::move(copy));
    }
    d.counted.emplace_back(id, std::move(ids));
    return;
  }
  d.components.push_back(std::move(c));
}

void parse_load(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
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

void parse_tenant(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
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

template <class Fn>
void each_entry(Reader& r, const YAML::Node& map, const std::string& what, Fn fn) {
  if (!r.expect_map(map, what)) return;
  r.check_ids(map, what);
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar()) fn(it->first.Scalar(), it->first, it->second);
}

/// A reference to a component written with `count` names all its copies.
void expand_counted(Reader& r, Design& d) {
  if (d.counted.empty()) return;
  std::map<std::string, const std::vector<std::string>*> copies;
  for (const auto& [id, ids] : d.counted) copies[id] = &ids;
  // A list that named only components of count 0 is left empty: that is an error where the
  // list needs an entry.
  auto expand = [&](std::vector<std::string>& names, std::vector<Loc>& locs,
                    const std::string& what = "") {
    const Loc first = locs.empty() ? Loc{} : locs.front();
    const bool had = !names.empty();
    std::vector<std::string> out_names;
    std::vector<Loc> out_locs;
    for (std::size_t k = 0; k < names.size(); ++k) {
      auto it = copies.find(names[k]);
      if (it == copies.end()) {
        out_names.push_back(names[k]);
        out_locs.push_back(locs[k]);
        continue;
      }
      for (const auto& c : *it->second) {
        out_names.push_back(c);
        out_locs.push_back(locs[k]);
      }
    }
    names = std::move(out_names);
    locs = std::move(out_locs);
    if (had && names.empty() && !what.empty())
      r.error(first, what + " is left empty: every component it names has count 0");
  };
  for (auto& c : d.components) {
    expand(c.inputs, c.input_locs, "component '" + c.id + "' inputs");
    expand(c.powered_by, c.powered_by_locs, "component '" + c.id + "' powered_by");
  }
  for (auto& l : d.loads) {
    expand(l.power, l.power_locs, "load '" + l.id + "' power");
    expand(l.cooling, l.cooling_locs, "load '" + l.id + "' cooling");
  }
  for (auto& g : d.common_cause) expand(g.members, g.member_locs);
}

/// Errors in the order of the file (stable: messages at one place keep theirs).
void sort_by_position(std::vector<Diagnostic>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.loc.line < b.loc.line || (a.loc.line == b.loc.line && a.loc.col < b.loc.col);
  });
}

/// A positive time too short for the clock to advance by it (1e-300h) would put an event at
/// the very instant it is drawn, again and again: a run that never ends. Refuse every time
/// below what the clock resolves at the end of the follow-up, the latest instant a replication
/// reaches (with a margin of four units in the last place).
void check_clock_resolution(Reader& r, const Design& d) {
  const double end = d.warmup + d.horizon + std::max(10.0 * d.horizon, 1e5);
  const double smallest = 4.0 * end * std::numeric_limits<double>::epsilon();
  for (const auto& t : r.times())
    if (t.hours < smallest) {
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    " is %.3g h: too short for the clock, which at the end of the follow-up "
                    "(%.6g h) resolves %.3g h and more",
                    t.hours, end, smallest);
      r.error(t.loc, t.what + buf);
    }
}

/// Cross-references, kinds of network, cycles: everything that needs the whole design.
void validate(Reader& r, Design& d) {
  expand_counted(r, d);
  std::map<std::string, int> comp_index;
  for (std::size_t i = 0; i < d.components.size(); ++i) {
    const auto& c = d.components[i];
    if (!comp_index.emplace(c.id, static_cast<int>(i)).second)
      r.error(c.loc, "component id '" + c.id +
                         "' is used twice (a copy made by 'count' takes "
                         "its id plus a number)");
  }
  std::vector<std::string> comp_ids;
  for (const auto& c : d.components) comp_ids.push_back(c.id);
  std::set<std::string> pools, tenants;
  std::vector<std::string> pool_ids, tenant_ids;
  for (const auto& p : d.spares) pools.insert(p.id), pool_ids.push_back(p.id);
  for (const auto& t : d.tenants) tenants.insert(t.id), tenant_ids.push_back(t.id);

  auto known = [&](const std::string& id, Loc loc, const std::string& what) {
    if (comp_index.count(id)) return true;
    r.error(loc, what + " names unknown component '" + id + "'" + did_you_mean(id, comp_ids));
    return false;
  };
  const int n = static_cast<int>(d.components.size());
  std::vector<std::vector<int>> deps(n);  // inputs and powered_by
  for (int i = 0; i < n; ++i) {
    const auto& c = d.components[i];
    for (std::size_t k = 0; k < c.inputs.size(); ++k)
      if (known(c.inputs[k], c.input_locs[k], "component '" + c.id + "' inputs"))
        deps[i].push_back(comp_index[c.inputs[k]]);
    for (std::size_t k = 0; k < c.powered_by.size(); ++k)
      if (known(c.powered_by[k], c.powered_by_locs[k], "component '" + c.id + "' powered_by"))
        deps[i].push_back(comp_index[c.powered_by[k]]);
    if (!c.spare_pool.empty() && !pools.count(c.spare_pool))
      r.error(c.spare_pool_loc, "component '" + c.id + "' names unknown spare pool '" +
                                    c.spare_pool + "'" + did_you_mean(c.spare_pool, pool_ids));
  }

  // Cycle detection by depth-first search; each cycle is reported once, with its path.
  std::vector<int> state(n, 0), stack;
  bool cyclic = false;
  std::function<void(int)> dfs = [&](int u) {
    state[u] = 1;
    stack.push_back(u);
    for (int v : deps[u]) {
      if (state[v] == 1) {
        std::string path;
        auto it = std::find(stack.begin(), stack.end(), v);
        for (; it != stack.end(); ++it) path += d.components[*it].id + " <- ";
        path += d.components[v].id;
        r.error(d.components[v].loc, "cycle through inputs/powered_by: " + path);
        cyclic = true;
      } else if (state[v] == 0) {
        dfs(v);
      }
    }
    stack.pop_back();
    state[u] = 2;
  };
  for (int i = 0; i < n; ++i)
    if (state[i] == 0) dfs(i);

  // Which network each component belongs to: cooling comes from cooling sources, power from
  // the rest. Needs an acyclic graph.
  std::vector<int> net(n, -1);  // 0 power, 1 cooling
  if (!cyclic) {
    std::function<int(int)> classify = [&](int i) -> int {
      if (net[i] >= 0) return net[i];
      const auto& c = d.components[i];
      int result = 0;
      if (c.kind == Kind::CoolingSource) {
        result = 1;
      } else if (c.kind == Kind::Node || c.kind == Kind::Switch) {
        std::set<int> seen;
        for (const auto& in : c.inputs)
          if (comp_index.count(in)) seen.insert(classify(comp_index[in]));
        if (seen.size() > 1)
          r.error(c.loc, "component '" + c.id + "' mixes power and cooling inputs");
        result = seen.empty() ? 0 : *seen.rbegin();
      } else if (c.kind == Kind::Ups) {
        for (std::size_t k = 0; k < c.inputs.size(); ++k)
          if (comp_index.count(c.inputs[k]) && classify(comp_index[c.inputs[k]]) == 1)
            r.error(c.input_locs[k], "ups '" + c.id + "' takes power, but input '" + c.inputs[k] +
                                         "' carries cooling");
      }
      return net[i] = result;
    };
    for (int i = 0; i < n; ++i) classify(i);
    for (int i = 0; i < n; ++i) {
      const auto& c = d.components[i];
      for (std::size_t k = 0; k < c.powered_by.size(); ++k)
        if (comp_index.count(c.powered_by[k]) && net[comp_index[c.powered_by[k]]] == 1)
          r.error(c.powered_by_locs[k], "component '" + c.id + "' powered_by '" + c.powered_by[k] +
                                            "', which carries cooling, not power");
    }
  }

  for (std::size_t k = 0; k < d.curtailment.sources.size(); ++k) {
    const auto& id = d.curtailment.sources[k];
    if (!known(id, d.curtailment.source_locs[k], "grid curtailment sources")) continue;
    if (d.components[comp_index[id]].kind != Kind::Source)
      r.error(d.curtailment.source_locs[k], "grid curtailment sources names '" + id +
                                                "', which is not a source (a utility feed)");
  }
  for (const auto& l : d.loads) {
    for (std::size_t k = 0; k < l.power.size(); ++k)
      if (known(l.power[k], l.power_locs[k], "load '" + l.id + "' power") && !cyclic &&
          net[comp_index[l.power[k]]] == 1)
        r.error(l.power_locs[k], "load '" + l.id + "' power names '" + l.power[k] +
                                     "', which carries cooling, not power");
    for (std::size_t k = 0; k < l.cooling.size(); ++k)
      if (known(l.cooling[k], l.cooling_locs[k], "load '" + l.id + "' cooling") && !cyclic &&
          net[comp_index[l.cooling[k]]] == 0)
        r.error(l.cooling_locs[k], "load '" + l.id + "' cooling names '" + l.cooling[k] +
                                       "', which carries power, not cooling");
    if (!l.tenant.empty() && !tenants.count(l.tenant))
      r.error(l.tenant_loc, "load '" + l.id + "' names unknown tenant '" + l.tenant + "'" +
                                did_you_mean(l.tenant, tenant_ids));
  }

  std::map<std::string, int> group_of;
  for (std::size_t g = 0; g < d.common_cause.size(); ++g) {
    const auto& grp = d.common_cause[g];
    if (grp.members.size() < 2)
      r.error(grp.loc, "a common_cause group needs at least two members" +
                           std::string(d.counted.empty() ? "" : " (counting every copy)"));
    for (std::size_t k = 0; k < grp.members.size(); ++k) {
      const auto& m = grp.members[k];
      if (!known(m, grp.member_locs[k], "common_cause group")) continue;
      const auto& c = d.components[comp_index[m]];
      if (c.kind == Kind::Generator)
        r.error(grp.member_locs[k], "common_cause group member '" + m +
                                        "' is a generator; generators cannot be in a group");
      if (!c.failure.can_fail())
        r.error(grp.member_locs[k], "common_cause group member '" + m + "' has no failure law");
      if (group_of.count(m))
        r.error(grp.member_locs[k], "component '" + m + "' is already in common_cause group " +
                                        std::to_string(group_of[m] + 1));
      else
        group_of[m] = static_cast<int>(g);
    }
  }

  if (d.loads.empty()) r.error(Loc{1, 1}, "the design has no loads");
  validate_clusters(r, d);
  check_clock_resolution(r, d);

  bool any_sla = false;
  for (const auto& t : d.tenants) any_sla = any_sla || t.has_sla;
  if (any_sla) {
    const double months = d.horizon / kHoursPerMonth;
    if (std::fabs(months - std::round(months)) > 1e-9 * std::max(1.0, months) || months < 0.5)
      r.error(Loc{1, 1},
              "with an SLA defined, horizon must be a whole number of months (730h), got " +
                  std::to_string(d.horizon) + "h");
  }
}

int set_at(YAML::Node cur, const std::vector<std::string>& parts, std::size_t i,
           const YAML::Node& value);

/// In a list, a part picks entries by position (`0`, `1`, ...) or by their `name` key (a glob
/// over names like a glob over keys): `tenants.lab.workload.jobs.pretrain.checkpoint_interval`.
int set_in_list(YAML::Node list, const std::vector<std::string>& parts, std::size_t i,
                const YAML::Node& value) {
  const std::string& part = parts[i];
  const bool last = i + 1 == parts.size();
  std::vector<std::size_t> picked;
  const bool digits =
      !part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 9;
  if (digits) {
    const std::size_t k = std::stoul(part);
    if (k < list.size()) picked.push_back(k);
  } else {
    for (std::size_t k = 0; k < list.size(); ++k) {
      const YAML::Node item = list[k];
      if (item.IsMap() && item["name"] && item["name"].IsScalar() &&
          ::fnmatch(part.c_str(), item["name"].Scalar().c_str(), 0) == 0)
        picked.push_back(k);
    }
  }
  int n = 0;
  for (std::size_t k : picked) {
    if (last) {
      list[k] = YAML::Clone(value);
      ++n;
    } else {
      n += set_at(list[k], parts, i + 1, value);
    }
  }
  return n;
}

/// Sets `value` at parts[i..] below `cur`. A part with * or ? is a glob over the keys of the
/// mapping it applies to, and sets every match. Returns the number of places set.
int set_at(YAML::Node cur, const std::vector<std::string>& parts, std::size_t i,
           const YAML::Node& value) {
  if (cur.IsSequence()) return set_in_list(cur, parts, i, value);
  if (!cur.IsMap()) return 0;
  const std::string& part = parts[i];
  const bool glob = part.find_first_of("*?[") != std::string::npos;
  const bool last = i + 1 == parts.size();
  if (!glob) {
    if (last) {
      cur[part] = YAML::Clone(value);
      return 1;
    }
    if (!cur[part]) return 0;
    return set_at(cur[part], parts, i + 1, value);
  }
  int n = 0;
  std::vector<std::string> keys;
  for (auto it = cur.begin(); it != cur.end(); ++it)
    if (it->first.IsScalar() && ::fnmatch(part.c_str(), it->first.Scalar().c_str(), 0) == 0)
      keys.push_back(it->first.Scalar());
  for (const auto& k : keys) {
    if (last) {
      cur[k] = YAML::Clone(value);
      ++n;
    } else {
      n += set_at(cur[k], parts, i + 1, value);
    }
  }
  return n;
}

/// Applies `path=value` to the parsed tree, so --vary and --set go through the same
/// validation as the file.
bool apply_override(YAML::Node root, const Override& o, std::vector<Diagnostic>& errors) {
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  if (parts.empty() || o.path.empty()) {
    errors.push_back({{1, 1}, "override: empty path"});
    return false;
  }
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    errors.push_back({{1, 1}, "override: value '" + o.value + "' is not valid YAML: " + e.msg});
    return false;
  }
  // The path must lead through existing mappings (only its last key may be new).
  if (set_at(root, parts, 0, value) == 0) {
    errors.push_back(
        {{1, 1},
         "override: path '" + o.path +
             "' matches nothing in the design (each part but the last must "
             "name an existing mapping, or a list entry by position or name; * and ? match keys)"});
    return false;
  }
  return true;
}

}  // namespace

const char* kind_name(Kind k) {
  for (const auto& info : kinds())
    if (info.kind == k) return info.name;
  return "?";
}

std::string format_diagnostic(const std::string& path, const Diagnostic& d) {
  return path + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) +
         ": error: " + d.message;
}

LoadResult load_design_text(const std::string& text, const std::string& path,
                            const std::vector<Override>& overrides) {
  LoadResult result;
  auto& errors = result.errors;
  Reader r(errors);

  // Binary garbage: a NUL byte or invalid UTF-8 is refused before the YAML parser sees it.
  {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < text.size();) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      std::size_t len = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
      bool ok = len > 0 && i + len <= text.size() && c != 0;
      for (std::size_t k = 1; ok && k < len; ++k)
        ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
      if (!ok) {
        r.error(Loc{line, col}, "the file is not UTF-8 text (is it a design file?)");
        return result;
      }
      if (c == '\n')
        ++line, col = 1;
      else
        ++col;
      i += len;
    }
  }
  if (text.size() > limits::kMaxFileBytes) {
    r.error(Loc{1, 1}, "the design is " + std::to_string(text.size() >> 20) +
                           " MiB; designs are limited to " +
                           std::to_string(limits::kMaxFileBytes >> 20) + " MiB");
    return result;
  }
  if (auto p = limits::check_yaml_text(text)) {
    r.error(p->loc, p->message);
    return result;
  }

  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    return result;
  } catch (const YAML::Exception& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg);
    return result;
  }
  if (!root.IsMap()) {
    r.error(Loc{1, 1}, "a design file must be a YAML mapping with version, components and loads");
    return result;
  }
  const bool templated = has_templates(root);
  std::vector<Override> later;  // overrides of entries that only templates make
  for (const auto& o : overrides) {
    std::vector<Diagnostic> miss;
    if (apply_override(root, o, miss)) continue;
    if (!templated) {
      errors.insert(errors.end(), miss.begin(), miss.end());
      return result;
    }
    later.push_back(o);
  }
  if (templated) {
    // Expand, read the flat design, and point every message back at the file.
    auto ex = expand_templates(root, errors);
    if (!ex) {
      sort_by_position(errors);
      return result;
    }
    LoadResult inner = load_design_text(ex->text, path, later);
    for (auto& d : inner.errors) {
      const std::size_t i = d.loc.line >= 1 ? static_cast<std::size_t>(d.loc.line - 1) : 0;
      if (i < ex->origin.size()) {
        d.message += ex->context[i];
        d.loc = ex->origin[i];
      }
    }
    sort_by_position(inner.errors);
    if (inner.design) inner.design->text = text;
    return inner;
  }

  Design d;
  d.path = path;
  d.text = text;
  try {
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
    if (auto s = root["spares"]) {
      each_entry(r, s, "spares",
                 [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
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
                     p.lead_time =
                         r.duration(v, what + " lead_time", Reader::Sign::NonNegative).value_or(0);
                   else
                     r.error(key, what + " needs 'lead_time'");
                   d.spares.push_back(p);
                 });
    }
    if (auto c = root["components"]) {
      each_entry(r, c, "components",
                 [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                   parse_component(r, id, key, n, d);
                 });
    } else {
      r.error(Loc{1, 1}, "missing 'components'");
    }
    if (auto cc = root["common_cause"]) {
      if (!cc.IsSequence()) {
        r.error(cc, "common_cause must be a list of {group, beta}");
      } else {
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
    }
    if (auto l = root["loads"]) {
      each_entry(r, l, "loads",
                 [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                   parse_load(r, id, key, n, d);
                 });
    }
    if (auto t = root["tenants"]) {
      each_entry(r, t, "tenants",
                 [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                   parse_tenant(r, id, key, n, d);
                 });
    }
    if (auto e = root["economics"]) {
      if (r.expect_map(e, "economics")) {
        r.check_keys(e, keys_of("economics"), "economics");
        d.economics.present = true;
        const auto nonneg = Reader::Sign::NonNegative;
        if (auto v = e["capex"])
          d.economics.capex = r.number(v, "economics capex", nonneg).value_or(0);
        if (auto v = e["annual_opex"])
          d.economics.annual_opex = r.number(v, "economics annual_opex", nonneg).value_or(0);
        if (auto v = e["years"])
          d.economics.years = r.number(v, "economics years", Reader::Sign::Positive).value_or(1);
        else
          r.error(e, "economics needs 'years'");
        if (auto v = e["discount_rate"])
          d.economics.discount_rate = r.share(v, "economics discount_rate").value_or(0);
        if (auto v = e["crew_cost_per_year"]) {
          d.economics.crew_cost_per_year =
              r.number(v, "economics crew_cost_per_year", nonneg).value_or(0);
          if (!root["crews"])
            r.error(v, "economics crew_cost_per_year needs a number of 'crews' to price");
        }
        if (auto v = e["spare_unit_cost"])
          d.economics.spare_unit_cost =
              r.number(v, "economics spare_unit_cost", nonneg).value_or(0);
      }
    }
    if (auto g = root["grid"]) {
      if (r.expect_map(g, "grid")) {
        r.check_keys(g, keys_of("grid"), "grid");
        if (auto c = g["curtailment"]) {
          const std::string what = "grid curtailment";
          if (r.expect_map(c, what)) {
            r.check_keys(c, keys_of("grid.curtailment"), what);
            auto& cu = d.curtailment;
            cu.present = true;
            cu.loc = loc_of(c);
            auto need = [&](const char* key) {
              if (!c[key]) r.error(c, what + " needs '" + key + "'");
              return c[key];
            };
            if (auto v = need("rate")) cu.rate = r.rate(v, what + " rate").value_or(1.0 / kHoursPerYear);
            if (auto v = need("duration")) {
              cu.duration = r.law(v, what + " duration");
              if (!cu.duration.can_fail()) r.error(v, what + " duration cannot be 'never'");
            }
            if (auto v = need("limit"))
              cu.limit = r.power(v, what + " limit", Reader::Sign::NonNegative).value_or(0);
            if (auto v = c["notice"])
              cu.notice = r.duration(v, what + " notice", Reader::Sign::NonNegative).value_or(0);
            if (auto v = c["price_per_mwh"])
              cu.price_per_mwh =
                  r.number(v, what + " price_per_mwh", Reader::Sign::NonNegative).value_or(0);
            if (auto v = c["penalty_per_mwh"])
              cu.penalty_per_mwh =
                  r.number(v, what + " penalty_per_mwh", Reader::Sign::NonNegative).value_or(0);
            if (auto v = need("sources"))
              r.id_list(v, what + " sources", cu.sources, cu.source_locs);
          }
        }
      }
    }
    if (auto opts = root["options"]) {
      if (!opts.IsSequence()) {
        r.error(opts, "options must be a list of {path, values, capex}");
      } else {
        for (const auto& o : opts) {
          if (!r.expect_map(o, "an option")) continue;
          r.check_keys(o, keys_of("options[]"), "an option");
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
          d.options.push_back(std::move(c));
        }
      }
    }
    validate(r, d);
  } catch (const YAML::Exception& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, std::string("malformed design: ") + e.msg);
  }
  sort_by_position(errors);
  if (errors.empty()) result.design = std::move(d);
  return result;
}

std::optional<std::string> expand_design_text(const std::string& text,
                                              const std::vector<Override>& overrides,
                                              std::vector<Diagnostic>& errors) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back({Loc{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg});
    return std::nullopt;
  }
  std::vector<Override> later;
  for (const auto& o : overrides) {
    std::vector<Diagnostic> miss;
    if (!apply_override(root, o, miss)) later.push_back(o);
  }
  if (!has_templates(root)) {
    if (!later.empty()) {
      apply_override(root, later[0], errors);  // says what it does not match
      return std::nullopt;
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
  }
  auto ex = expand_templates(root, errors);
  if (!ex) return std::nullopt;
  if (later.empty()) return ex->text;
  return rewrite_design_text(ex->text, later, {}, errors);
}

std::optional<std::string> rewrite_design_text(const std::string& text,
                                               const std::vector<Override>& overrides,
                                               const std::vector<std::string>& drop_keys,
                                               std::vector<Diagnostic>& errors) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back({Loc{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg});
    return std::nullopt;
  }
  for (const auto& o : overrides)
    if (!apply_override(root, o, errors)) return std::nullopt;
  for (const auto& k : drop_keys) root.remove(k);
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

LoadResult load_design_file(const std::string& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  LoadResult r;
  if (!in) {
    r.errors.push_back({{1, 1}, "cannot open design file"});
    return r;
  }
  const auto too_big = [&] {
    r.errors.push_back({{1, 1},
                        "the file is larger than " + std::to_string(limits::kMaxFileBytes >> 20) +
                            " MiB, the largest design ridethrough reads"});
    return r;
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits::kMaxFileBytes) return too_big();
  // Read in chunks and stop one chunk past the limit, whatever the file is (a pipe has no
  // size), so that a huge stream is refused without being read in full.
  std::string text;
  std::vector<char> chunk(1 << 20);
  while (in && text.size() <= limits::kMaxFileBytes) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (text.size() > limits::kMaxFileBytes) return too_big();
  return load_design_text(text, path, overrides);
}

}  // namespace ridethrough::topology
