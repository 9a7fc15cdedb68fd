// Checks that need the whole design: references between entries, cycles, which network each
// component belongs to, common-cause groups, SLA months, and what the clock can resolve.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "topology/cluster_loader.hpp"
#include "topology/loading.hpp"

namespace ridethrough::topology::loading {

using reading::did_you_mean;

namespace {

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
  expand(d.curtailment.sources, d.curtailment.source_locs, "grid curtailment sources");
  expand(d.curtailment.generators, d.curtailment.generator_locs, "grid curtailment generators");
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

/// The checks that need the whole design, with what they share: each component's index and
/// what it depends on, and which network it belongs to.
class Validator {
 public:
  Validator(Reader& r, Design& d) : r_(r), d_(d), n_(static_cast<int>(d.components.size())) {}
  void run() {
    index_components();
    check_references();
    check_cycles();
    if (!cyclic_) classify_networks();
    check_loads();
    check_common_cause();
    if (d_.loads.empty()) r_.error(Loc{1, 1}, "the design has no loads");
    validate_clusters(r_, d_);
    check_clock_resolution(r_, d_);
    check_sla_months();
    check_weather_factors();
  }

 private:
  bool known(const std::string& id, Loc loc, const std::string& what) {
    if (index_.count(id)) return true;
    r_.error(loc, what + " names unknown component '" + id + "'" + did_you_mean(id, ids_));
    return false;
  }
  void index_components();
  void check_references();
  void check_cycles();
  void classify_networks();
  int classify(int i);
  void check_loads();
  void check_common_cause();
  void check_sla_months();
  void check_weather_factors();

  Reader& r_;
  Design& d_;
  int n_;
  std::map<std::string, int> index_;
  std::vector<std::string> ids_;
  std::vector<std::vector<int>> deps_;  ///< inputs and powered_by
  std::vector<int> net_;                ///< 0 power, 1 cooling; -1 not classified
  bool cyclic_ = false;
};

void Validator::index_components() {
  for (int i = 0; i < n_; ++i) {
    const auto& c = d_.components[i];
    ids_.push_back(c.id);
    if (!index_.emplace(c.id, i).second)
      r_.error(c.loc, "component id '" + c.id +
                          "' is used twice (a copy made by 'count' takes its id plus a number)");
  }
}

void Validator::check_references() {
  std::set<std::string> pools;
  std::vector<std::string> pool_ids;
  for (const auto& p : d_.spares) pools.insert(p.id), pool_ids.push_back(p.id);
  deps_.assign(n_, {});
  for (int i = 0; i < n_; ++i) {
    const auto& c = d_.components[i];
    for (std::size_t k = 0; k < c.inputs.size(); ++k)
      if (known(c.inputs[k], c.input_locs[k], "component '" + c.id + "' inputs"))
        deps_[i].push_back(index_[c.inputs[k]]);
    for (std::size_t k = 0; k < c.powered_by.size(); ++k)
      if (known(c.powered_by[k], c.powered_by_locs[k], "component '" + c.id + "' powered_by"))
        deps_[i].push_back(index_[c.powered_by[k]]);
    if (!c.spare_pool.empty() && !pools.count(c.spare_pool))
      r_.error(c.spare_pool_loc, "component '" + c.id + "' names unknown spare pool '" +
                                     c.spare_pool + "'" + did_you_mean(c.spare_pool, pool_ids));
  }
  for (std::size_t k = 0; k < d_.curtailment.sources.size(); ++k) {
    const auto& id = d_.curtailment.sources[k];
    if (!known(id, d_.curtailment.source_locs[k], "grid curtailment sources")) continue;
    if (d_.components[index_[id]].kind != Kind::Source)
      r_.error(d_.curtailment.source_locs[k], "grid curtailment sources names '" + id +
                                                  "', which is not a source (a utility feed)");
  }
  for (std::size_t k = 0; k < d_.curtailment.generators.size(); ++k) {
    const auto& id = d_.curtailment.generators[k];
    if (!known(id, d_.curtailment.generator_locs[k], "grid curtailment generators")) continue;
    if (d_.components[index_[id]].kind != Kind::Generator)
      r_.error(d_.curtailment.generator_locs[k],
               "grid curtailment generators names '" + id + "', which is not a generator");
  }
}

/// A weather factor on rates the design does not have would silently do nothing.
void Validator::check_weather_factors() {
  const bool events = std::any_of(d_.components.begin(), d_.components.end(),
                                  [](const Component& c) { return !c.events.empty(); });
  for (const auto& wc : d_.weather.events) {
    if (wc.grid_event_factor != 1.0 && !events)
      r_.error(wc.event.loc, "weather event class '" + wc.event.name +
                                 "' has a grid_event_factor but no source has grid events");
    if (wc.call_factor != 1.0 && !d_.curtailment.present)
      r_.error(wc.event.loc, "weather event class '" + wc.event.name +
                                 "' has a call_factor but the grid has no curtailment calls");
  }
}

/// Depth-first search; each cycle is reported once, with its path.
void Validator::check_cycles() {
  std::vector<int> state(n_, 0), stack;
  std::function<void(int)> dfs = [&](int u) {
    state[u] = 1;
    stack.push_back(u);
    for (int v : deps_[u]) {
      if (state[v] == 1) {
        std::string path;
        for (auto it = std::find(stack.begin(), stack.end(), v); it != stack.end(); ++it)
          path += d_.components[*it].id + " <- ";
        path += d_.components[v].id;
        r_.error(d_.components[v].loc, "cycle through inputs/powered_by: " + path);
        cyclic_ = true;
      } else if (state[v] == 0) {
        dfs(v);
      }
    }
    stack.pop_back();
    state[u] = 2;
  };
  for (int i = 0; i < n_; ++i)
    if (state[i] == 0) dfs(i);
}

/// Cooling comes from cooling sources, power from the rest (needs an acyclic graph).
int Validator::classify(int i) {
  if (net_[i] >= 0) return net_[i];
  const auto& c = d_.components[i];
  int result = 0;
  if (c.kind == Kind::CoolingSource) {
    result = 1;
  } else if (c.kind == Kind::Node || c.kind == Kind::Switch) {
    std::set<int> seen;
    for (const auto& in : c.inputs)
      if (index_.count(in)) seen.insert(classify(index_[in]));
    if (seen.size() > 1) r_.error(c.loc, "component '" + c.id + "' mixes power and cooling inputs");
    result = seen.empty() ? 0 : *seen.rbegin();
  } else if (c.kind == Kind::Ups) {
    for (std::size_t k = 0; k < c.inputs.size(); ++k)
      if (index_.count(c.inputs[k]) && classify(index_[c.inputs[k]]) == 1)
        r_.error(c.input_locs[k],
                 "ups '" + c.id + "' takes power, but input '" + c.inputs[k] + "' carries cooling");
  }
  return net_[i] = result;
}

void Validator::classify_networks() {
  net_.assign(n_, -1);
  for (int i = 0; i < n_; ++i) classify(i);
  for (int i = 0; i < n_; ++i) {
    const auto& c = d_.components[i];
    for (std::size_t k = 0; k < c.powered_by.size(); ++k)
      if (index_.count(c.powered_by[k]) && net_[index_[c.powered_by[k]]] == 1)
        r_.error(c.powered_by_locs[k], "component '" + c.id + "' powered_by '" + c.powered_by[k] +
                                           "', which carries cooling, not power");
  }
}

void Validator::check_loads() {
  std::set<std::string> tenants;
  std::vector<std::string> tenant_ids;
  for (const auto& t : d_.tenants) tenants.insert(t.id), tenant_ids.push_back(t.id);
  // A load's power must be a power component and its cooling a cooling one.
  auto on = [&](const std::string& id, int network) {
    return !cyclic_ && net_[index_[id]] == network;
  };
  for (const auto& l : d_.loads) {
    for (std::size_t k = 0; k < l.power.size(); ++k)
      if (known(l.power[k], l.power_locs[k], "load '" + l.id + "' power") && on(l.power[k], 1))
        r_.error(l.power_locs[k], "load '" + l.id + "' power names '" + l.power[k] +
                                      "', which carries cooling, not power");
    for (std::size_t k = 0; k < l.cooling.size(); ++k)
      if (known(l.cooling[k], l.cooling_locs[k], "load '" + l.id + "' cooling") &&
          on(l.cooling[k], 0))
        r_.error(l.cooling_locs[k], "load '" + l.id + "' cooling names '" + l.cooling[k] +
                                        "', which carries power, not cooling");
    if (!l.tenant.empty() && !tenants.count(l.tenant))
      r_.error(l.tenant_loc, "load '" + l.id + "' names unknown tenant '" + l.tenant + "'" +
                                 did_you_mean(l.tenant, tenant_ids));
  }
}

void Validator::check_common_cause() {
  std::map<std::string, int> group_of;
  for (std::size_t g = 0; g < d_.common_cause.size(); ++g) {
    const auto& grp = d_.common_cause[g];
    if (grp.members.size() < 2)
      r_.error(grp.loc, "a common_cause group needs at least two members" +
                            std::string(d_.counted.empty() ? "" : " (counting every copy)"));
    for (std::size_t k = 0; k < grp.members.size(); ++k) {
      const auto& m = grp.members[k];
      if (!known(m, grp.member_locs[k], "common_cause group")) continue;
      const auto& c = d_.components[index_[m]];
      if (c.kind == Kind::Generator)
        r_.error(grp.member_locs[k], "common_cause group member '" + m +
                                         "' is a generator; generators cannot be in a group");
      if (!c.failure.can_fail())
        r_.error(grp.member_locs[k], "common_cause group member '" + m + "' has no failure law");
      if (group_of.count(m))
        r_.error(grp.member_locs[k], "component '" + m + "' is already in common_cause group " +
                                         std::to_string(group_of[m] + 1));
      else
        group_of[m] = static_cast<int>(g);
    }
  }
}

void Validator::check_sla_months() {
  bool any_sla = false;
  for (const auto& t : d_.tenants) any_sla = any_sla || t.has_sla;
  if (!any_sla) return;
  const double months = d_.horizon / kHoursPerMonth;
  if (std::fabs(months - std::round(months)) > 1e-9 * std::max(1.0, months) || months < 0.5)
    r_.error(Loc{1, 1},
             "with an SLA defined, horizon must be a whole number of months (730h), got " +
                 std::to_string(d_.horizon) + "h");
}

}  // namespace

void validate(Reader& r, Design& d) {
  expand_counted(r, d);
  Validator(r, d).run();
}

/// Errors in the order of the file (stable: messages at one place keep theirs).
void sort_by_position(std::vector<Diagnostic>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.loc.line < b.loc.line || (a.loc.line == b.loc.line && a.loc.col < b.loc.col);
  });
}

}  // namespace ridethrough::topology::loading
