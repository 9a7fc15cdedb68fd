#include "topology/model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <queue>

namespace ridethrough::topology {
namespace {

/// The share of a component's rated capacity at an ambient: the lowest step it is above.
double derate_at(const std::vector<DerateStep>& steps, double ambient) {
  double share = 1.0;
  for (const auto& s : steps)
    if (ambient > s.above) share = std::min(share, s.capacity);
  return share;
}

/// The weather classes and levels, and each derated component's share at every level.
void compile_weather(const Design& d, Model& m) {
  const auto& w = d.weather;
  m.weather_levels = {w.ambient};
  for (const auto& wc : w.events)
    if (wc.ambient > w.ambient) m.weather_levels.push_back(wc.ambient);
  std::sort(m.weather_levels.begin() + 1, m.weather_levels.end());
  m.weather_levels.erase(std::unique(m.weather_levels.begin(), m.weather_levels.end()),
                         m.weather_levels.end());
  for (const auto& wc : w.events) {
    const auto& e = wc.event;
    m.weather_rate.push_back(e.rate);
    m.weather_duration.push_back(e.duration);
    m.weather_peak.push_back(e.seasonal ? (e.peak_month - 0.5) * kHoursPerMonth : 0.0);
    m.weather_amplitude.push_back(e.seasonal ? e.amplitude : 0.0);
    m.weather_ambient.push_back(wc.ambient);
    m.weather_names.push_back(e.name);
    m.weather_stream_id.push_back(name_hash("weather:" + e.name));
    m.weather_grid_factor.push_back(wc.grid_event_factor);
    m.weather_call_factor.push_back(wc.call_factor);
    m.max_grid_factor = std::max(m.max_grid_factor, wc.grid_event_factor);
    m.max_call_factor = std::max(m.max_call_factor, wc.call_factor);
    const auto at = std::find(m.weather_levels.begin(), m.weather_levels.end(), wc.ambient);
    m.weather_level_of.push_back(
        at == m.weather_levels.end() ? 0 : static_cast<int>(at - m.weather_levels.begin()));
  }
}

/// Fills the static part of a network: members, capacities that can bind, items per component.
void finish_network(const Model& m, FlowNetwork& fn) {
  for (int c : m.topo)
    if (m.net[c] == fn.net) fn.members.push_back(c);
  fn.capacity.assign(m.n, kUnlimited);
  fn.capacity_free = true;
  // A capacity binds only if the items that can draw through the component together ask for
  // more than it: a component carries at most the demand of the items downstream of it.
  for (int c : fn.members) {
    if (m.capacity[c] == kUnlimited) continue;
    // A derated capacity binds at its lowest level.
    double lowest = 1.0;
    if (!m.derate[c].empty()) {
      if (fn.derate.empty()) fn.derate.resize(m.n);
      // Kept on a grid of 1/1024 kW: sums of such capacities are exact in floating point, as
      // the max-flow solver checks flow conservation exactly (Boost asserts it).
      for (double t : m.weather_levels)
        fn.derate[c].push_back(std::floor(m.capacity[c] * derate_at(m.derate[c], t) * 1024.0) /
                               1024.0);
      lowest = *std::min_element(fn.derate[c].begin(), fn.derate[c].end()) / m.capacity[c];
    }
    std::vector<char> down(m.n, 0);
    std::vector<int> stack{c};
    down[c] = 1;
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      for (int k = m.dependents.begin(u); k < m.dependents.end(u); ++k) {
        const int v = m.dependents.idx[k];
        if (down[v] || m.net[v] != fn.net) continue;
        // Only `inputs` edges carry flow; powered_by edges lead to draws, counted as items.
        bool via_input = false;
        for (int j = m.inputs.begin(v); j < m.inputs.end(v); ++j) via_input |= m.inputs.idx[j] == u;
        if (!via_input) continue;
        down[v] = 1;
        stack.push_back(v);
      }
    }
    double reach = 0.0;
    for (const auto& item : fn.items) {
      bool through = false;
      for (int a : item.attach) through |= down[a] != 0;
      if (through) reach += item.demand;
    }
    if (m.capacity[c] * lowest < reach * (1.0 + 1e-12)) {
      fn.capacity[c] = m.capacity[c];
      fn.capacity_free = false;
    }
  }
  fn.draw_item.assign(m.n, -1);
  for (std::size_t i = 0; i < fn.items.size(); ++i)
    if (fn.items[i].component >= 0) fn.draw_item[fn.items[i].component] = static_cast<int>(i);
  std::vector<std::vector<int>> rows(m.n);
  for (std::size_t i = 0; i < fn.items.size(); ++i)
    for (int a : fn.items[i].attach) rows[a].push_back(static_cast<int>(i));
  for (const auto& r : rows) fn.items_of_component.push_row(r);
}

/// Model::load_cone: a walk up inputs and powered_by from each load's attachments.
void fill_load_cones(Model& m) {
  std::vector<char> seen(m.n, 0);
  for (int l = 0; l < m.n_loads; ++l) {
    std::vector<int> stack, cone;
    for (const Csr* attach : {&m.load_power, &m.load_cooling})
      for (int k = attach->begin(l); k < attach->end(l); ++k) stack.push_back(attach->idx[k]);
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      if (seen[u]) continue;
      seen[u] = 1;
      cone.push_back(u);
      for (const Csr* up : {&m.inputs, &m.powered_by})
        for (int k = up->begin(u); k < up->end(u); ++k) stack.push_back(up->idx[k]);
    }
    std::sort(cone.begin(), cone.end(),
              [&](int a, int b) { return m.topo_pos[a] < m.topo_pos[b]; });
    for (int c : cone) seen[c] = 0;
    m.load_cone.push_row(cone);
  }
}

}  // namespace

std::uint64_t name_hash(const std::string& name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : name) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

namespace {

/// Ids to indices, for every list of the design.
struct Index {
  std::map<std::string, int> component, pool, tenant;
  explicit Index(const Design& d) {
    for (std::size_t i = 0; i < d.components.size(); ++i)
      component[d.components[i].id] = static_cast<int>(i);
    for (std::size_t i = 0; i < d.spares.size(); ++i) pool[d.spares[i].id] = static_cast<int>(i);
    for (std::size_t i = 0; i < d.tenants.size(); ++i)
      tenant[d.tenants[i].id] = static_cast<int>(i);
  }
  std::vector<int> of(const std::vector<std::string>& ids) const {
    std::vector<int> out;
    for (const auto& s : ids) out.push_back(component.at(s));
    return out;
  }
};

void compile_site(const Design& d, Model& m) {
  m.name = d.name;
  m.horizon = d.horizon;
  m.warmup = d.warmup;
  m.crews = d.crews ? *d.crews : -1;
  m.n = static_cast<int>(d.components.size());
  for (const auto& pool : d.spares) {
    m.pool_ids.push_back(pool.id);
    m.pool_stock.push_back(pool.stock);
    m.pool_lead_time.push_back(pool.lead_time);
  }
  m.tenants = d.tenants;
  m.economics = d.economics;
}

/// The graph: inputs, powered_by and their reverse (dependents, each once).
void compile_graph(const Design& d, const Index& ix, Model& m) {
  std::vector<std::vector<int>> deps_rows(m.n);
  for (int i = 0; i < m.n; ++i) {
    const auto& c = d.components[i];
    m.ids.push_back(c.id);
    m.kind.push_back(c.kind);
    const auto in = ix.of(c.inputs);
    const auto pb = ix.of(c.powered_by);
    m.inputs.push_row(in);
    m.powered_by.push_row(pb);
    for (int u : in) deps_rows[u].push_back(i);
    for (int u : pb)
      if (std::find(deps_rows[u].begin(), deps_rows[u].end(), i) == deps_rows[u].end())
        deps_rows[u].push_back(i);
  }
  for (const auto& r : deps_rows) m.dependents.push_row(r);
}

bool any_uncertainty(const Component& c) {
  bool uncertain = c.failure.uncertainty.present() || c.repair.uncertainty.present() ||
                   c.standby_failure.uncertainty.present() || c.start_fail_uncertainty.present() ||
                   c.transfer_fail_uncertainty.present();
  for (const auto& e : c.events) uncertain = uncertain || e.duration.uncertainty.present();
  return uncertain;
}

/// What a component is and how it behaves: one entry per component in each per-component array.
void compile_component(const Component& c, const Index& ix, Model& m) {
  m.capacity.push_back(c.capacity);
  m.power_draw.push_back(c.power_draw);
  m.failure.push_back(c.failure);
  m.repair.push_back(c.repair);
  m.derate.push_back(c.derate);
  m.maintenance_human_error.push_back(c.has_maintenance ? c.maintenance_human_error : 0.0);
  m.test_human_error.push_back(c.has_test ? c.test_human_error : 0.0);
  m.economics.component_capex += c.capex;
  m.economics.component_opex += c.annual_opex;
  m.economics.priced_components = m.economics.priced_components || c.has_cost;
  m.uncertain.push_back(any_uncertainty(c));
  m.start_delay.push_back(c.start_delay);
  m.start_fail_prob.push_back(c.start_fail_prob);
  m.transfer_delay.push_back(c.transfer_delay);
  m.transfer_fail_prob.push_back(c.transfer_fail_prob);
  m.retransfer_after.push_back(c.retransfer_after);
  m.transfer_human_error.push_back(c.transfer_human_error);
  m.autonomy.push_back(c.autonomy);
  m.recharge.push_back(c.recharge);
  m.restart.push_back(c.restart);
  m.maintenance_interval.push_back(c.has_maintenance ? c.maintenance_interval : 0.0);
  m.maintenance_duration.push_back(c.has_maintenance ? c.maintenance_duration : 0.0);
  m.maintenance_offset.push_back(c.maintenance_offset ? *c.maintenance_offset : -1.0);
  m.maintenance_crew.push_back(c.has_maintenance && c.maintenance_crew);
  m.maintenance_defer.push_back(c.has_maintenance && c.maintenance_defer);
  m.any_defer = m.any_defer || m.maintenance_defer.back();
  m.standby_failure.push_back(c.standby_failure);
  m.test_interval.push_back(c.has_test ? c.test_interval : 0.0);
  m.test_duration.push_back(c.has_test ? c.test_duration : 0.0);
  m.test_offset.push_back(c.test_offset ? *c.test_offset : -1.0);
  m.fuel_tank.push_back(c.fuel_tank);
  m.refuel_delay.push_back(c.has_refuel ? c.refuel_delay : kUnlimited);
  m.refuel_fail_prob.push_back(c.refuel_fail_prob);
  m.storm_refuel_delay.push_back(c.has_refuel && c.has_storm_refuel ? c.storm_refuel_delay
                                                                    : m.refuel_delay.back());
  m.storm_refuel_fail_prob.push_back(c.has_storm_refuel ? c.storm_refuel_fail_prob
                                                        : c.refuel_fail_prob);
  m.battery_energy.push_back(c.battery_energy);
  m.forced_down.push_back(c.forced_down);
  m.needs_power_sharing = m.needs_power_sharing || c.fuel_tank > 0 || c.battery_energy > 0;
  m.stream_id.push_back(name_hash(c.id));
  m.spare_pool.push_back(c.spare_pool.empty() ? -1 : ix.pool.at(c.spare_pool));
}

/// Causes an outage is blamed on: the components, then their human errors, their fuel, and
/// their grid event classes (Model::cause_names).
void compile_causes(const Design& d, Model& m) {
  m.cause_names = m.ids;
  for (int i = 0; i < m.n; ++i) m.cause_owner.push_back(i);
  auto add_cause = [&](int i, const std::string& suffix) {
    m.cause_names.push_back(m.ids[i] + ":" + suffix);
    m.cause_owner.push_back(i);
    return static_cast<int>(m.cause_names.size()) - 1;
  };
  m.human_error_cause.assign(m.n, -1);
  for (int i = 0; i < m.n; ++i)
    if (m.maintenance_human_error[i] > 0 || m.test_human_error[i] > 0 ||
        m.transfer_human_error[i] > 0)
      m.human_error_cause[i] = add_cause(i, "human_error");
  m.fuel_cause.assign(m.n, -1);
  for (int i = 0; i < m.n; ++i)
    if (m.fuel_tank[i] > 0) m.fuel_cause[i] = add_cause(i, "fuel");
  for (int i = 0; i < m.n; ++i) {
    std::vector<int> row;
    for (const auto& e : d.components[i].events) {
      row.push_back(static_cast<int>(m.event_rate.size()));
      m.event_rate.push_back(e.rate);
      m.event_duration.push_back(e.duration);
      // The rate peaks in the middle of month `peak_month` (730 h months from time 0).
      m.event_peak.push_back(e.seasonal ? (e.peak_month - 0.5) * kHoursPerMonth : 0.0);
      m.event_amplitude.push_back(e.seasonal ? e.amplitude : 0.0);
      m.event_component.push_back(i);
      m.event_names.push_back(e.name);
      m.event_cause.push_back(add_cause(i, e.name));
      m.event_stream_id.push_back(name_hash(m.ids[i] + ":events:" + e.name));
    }
    m.events.push_row(row);
  }
}

/// Topological order (Kahn), ties broken by file order so it is stable; then the network of
/// each component: cooling flows from cooling sources, power from the rest.
void compile_order(Model& m) {
  std::vector<int> indeg(m.n, 0);
  for (int i = 0; i < m.n; ++i)
    for (int k = m.dependents.begin(i); k < m.dependents.end(i); ++k) ++indeg[m.dependents.idx[k]];
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < m.n; ++i)
    if (indeg[i] == 0) ready.push(i);
  while (!ready.empty()) {
    const int u = ready.top();
    ready.pop();
    m.topo.push_back(u);
    for (int k = m.dependents.begin(u); k < m.dependents.end(u); ++k)
      if (--indeg[m.dependents.idx[k]] == 0) ready.push(m.dependents.idx[k]);
  }
  assert(static_cast<int>(m.topo.size()) == m.n && "validation rejects cycles");
  m.topo_pos.assign(m.n, 0);
  for (int i = 0; i < m.n; ++i) m.topo_pos[m.topo[i]] = i;
  m.net.assign(m.n, Net::Power);
  for (int u : m.topo) {
    if (m.kind[u] == Kind::CoolingSource) {
      m.net[u] = Net::Cooling;
    } else if (m.kind[u] == Kind::Node || m.kind[u] == Kind::Switch) {
      for (int k = m.inputs.begin(u); k < m.inputs.end(u); ++k)
        if (m.net[m.inputs.idx[k]] == Net::Cooling) m.net[u] = Net::Cooling;
    }
  }
}

/// Generators a switch demands through each of its inputs (not crossing another switch).
void compile_switch_generators(Model& m) {
  m.switch_input_gens.assign(m.inputs.idx.size(), {});
  for (int s = 0; s < m.n; ++s) {
    if (m.kind[s] != Kind::Switch) continue;
    for (int k = m.inputs.begin(s); k < m.inputs.end(s); ++k) {
      std::vector<char> seen(m.n, 0);
      std::vector<int> stack{m.inputs.idx[k]};
      std::vector<int>& gens = m.switch_input_gens[k];
      while (!stack.empty()) {
        const int u = stack.back();
        stack.pop_back();
        if (seen[u] || m.kind[u] == Kind::Switch) continue;
        seen[u] = 1;
        if (m.kind[u] == Kind::Generator) gens.push_back(u);
        for (int j = m.inputs.begin(u); j < m.inputs.end(u); ++j) stack.push_back(m.inputs.idx[j]);
      }
      std::sort(gens.begin(), gens.end());
    }
  }
}

/// Common cause: rate beta / mean MTTF, members' own lives stretched by 1 / (1 - beta).
void compile_common_cause(const Design& d, const Index& ix, Model& m) {
  m.life_stretch.assign(m.n, 1.0);
  for (const auto& grp : d.common_cause) {
    std::vector<int> members = ix.of(grp.members);
    double sum = 0.0;
    for (int c : members) {
      m.life_stretch[c] = 1.0 / (1.0 - grp.beta);
      sum += m.failure[c].mean();
    }
    const double mean_mttf = sum / static_cast<double>(members.size());
    m.cc_members.push_back(members);
    m.cc_rate.push_back(grp.beta / mean_mttf);
    std::string key = "common_cause";
    for (const auto& id : grp.members) key += ":" + id;
    m.cc_stream_id.push_back(name_hash(key));
  }
}

void compile_loads(const Design& d, const Index& ix, Model& m) {
  m.n_loads = static_cast<int>(d.loads.size());
  for (const auto& l : d.loads) {
    m.load_ids.push_back(l.id);
    m.demand.push_back(l.demand);
    m.thermal_ride_through.push_back(l.thermal_ride_through);
    m.critical.push_back(l.priority == Priority::Critical);
    m.load_steps.push_back(l.steps);
    m.tenant.push_back(l.tenant.empty() ? -1 : ix.tenant.at(l.tenant));
    m.load_power.push_row(ix.of(l.power));
    m.load_cooling.push_row(ix.of(l.cooling));
  }
}

/// The admission order of each network: the draws of equipment, then the loads by standing:
/// critical before flexible; within a priority, loads without a shed_order first, then by
/// shed_order from the highest (shed last) down to 1 (shed first); loads of equal standing keep
/// file order (one admission group), which admission does not depend on.
void compile_admission_items(const Design& d, const Index& ix, Model& m) {
  m.power.net = Net::Power;
  m.cooling.net = Net::Cooling;
  std::vector<int> order(m.n_loads);
  for (int l = 0; l < m.n_loads; ++l) order[l] = l;
  auto standing = [&](int l) {
    const int rank = d.loads[l].shed_order;
    return std::make_pair(m.critical[l] ? 0 : 1,
                          rank == 0 ? std::numeric_limits<int>::min() : -rank);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return standing(a) < standing(b); });
  auto group = [](FlowNetwork& fn, bool same) {
    const int i = static_cast<int>(fn.items.size()) - 1;
    if (same && !fn.groups.empty())
      fn.groups.back().second = i + 1;
    else
      fn.groups.emplace_back(i, i + 1);
  };
  for (int c = 0; c < m.n; ++c)
    if (m.powered_by.size(c) > 0 && m.power_draw[c] > 0.0) {
      m.power.items.push_back(
          {m.power_draw[c], ix.of(d.components[c].powered_by), c, -1, true, -1});
      group(m.power, false);
    }
  int last_power = -1, last_cooling = -1;  // the load item before, in each network
  for (int l : order) {
    const bool critical = m.critical[l];
    m.power.items.push_back(
        {m.demand[l], ix.of(d.loads[l].power), -1, l, critical, d.loads[l].steps});
    group(m.power, last_power >= 0 && standing(last_power) == standing(l));
    last_power = l;
    if (!d.loads[l].cooling.empty()) {
      m.cooling.items.push_back({m.demand[l], ix.of(d.loads[l].cooling), -1, l, critical, -1});
      group(m.cooling, last_cooling >= 0 && standing(last_cooling) == standing(l));
      last_cooling = l;
    }
  }
}

/// Curtailment calls: their law and prices, the sources they cap, the generators they start
/// and the switch inputs behind them (needs Model::switch_input_gens).
void compile_curtailment(const Curtailment& c, const Index& ix, Model& m) {
  m.call_rate = c.rate;
  m.call_notice = c.notice;
  m.call_price = c.price_per_mwh;
  m.call_penalty = c.penalty_per_mwh;
  m.call_duration = c.duration;
  m.call_stream_id = name_hash("grid:curtailment");
  m.power.grid_source.assign(m.n, 0);
  for (int s : ix.of(c.sources)) m.power.grid_source[s] = 1;
  m.power.call_limit = c.limit;
  m.power.capacity_free = false;  // a call caps the import: admission needs the flow
  m.call_generators = ix.of(c.generators);
  std::sort(m.call_generators.begin(), m.call_generators.end());
  m.call_generator_cost = c.generator_cost_per_mwh;
  m.needs_power_sharing = m.needs_power_sharing || !m.call_generators.empty();
  m.call_input.assign(m.switch_input_gens.size(), 0);
  for (std::size_t k = 0; k < m.switch_input_gens.size(); ++k)
    for (int g : m.switch_input_gens[k])
      if (std::binary_search(m.call_generators.begin(), m.call_generators.end(), g))
        m.call_input[k] = 1;
}

}  // namespace

Model compile(const Design& d) {
  Model m;
  const Index ix(d);
  compile_site(d, m);
  compile_graph(d, ix, m);
  for (const auto& c : d.components) compile_component(c, ix, m);
  compile_causes(d, m);
  compile_order(m);
  compile_switch_generators(m);
  compile_common_cause(d, ix, m);
  compile_loads(d, ix, m);
  compile_admission_items(d, ix, m);
  compile_weather(d, m);
  finish_network(m, m.power);
  finish_network(m, m.cooling);
  fill_load_cones(m);
  if (d.curtailment.present) compile_curtailment(d.curtailment, ix, m);
  return m;
}

}  // namespace ridethrough::topology
