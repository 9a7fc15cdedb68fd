#include "topology/flow.hpp"

#include <algorithm>
#include <cmath>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

namespace ridethrough::topology {
namespace {

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using Graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, double,
        boost::property<boost::edge_residual_capacity_t, double,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
using Edge = Traits::edge_descriptor;

class FlowGraph {
 public:
  explicit FlowGraph(std::size_t vertices) : g_(vertices) {}
  Edge add(std::size_t u, std::size_t v, double cap) {
    Edge e = boost::add_edge(u, v, g_).first;
    Edge r = boost::add_edge(v, u, g_).first;
    boost::put(boost::edge_capacity, g_, e, cap);
    boost::put(boost::edge_capacity, g_, r, 0.0);
    boost::put(boost::edge_reverse, g_, e, r);
    boost::put(boost::edge_reverse, g_, r, e);
    return e;
  }
  void set_capacity(Edge e, double cap) { boost::put(boost::edge_capacity, g_, e, cap); }
  double max_flow(std::size_t s, std::size_t t) { return boost::push_relabel_max_flow(g_, s, t); }
  /// After max_flow: the vertices reachable from `s` through edges with residual capacity
  /// left (the source side of the minimum cut). What lies beyond is behind a bottleneck.
  std::vector<char> reachable_from(std::size_t s, double eps) const {
    std::vector<char> seen(boost::num_vertices(g_), 0);
    std::vector<std::size_t> stack{s};
    seen[s] = 1;
    const auto residual = boost::get(boost::edge_residual_capacity, g_);
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      for (auto [e, end] = boost::out_edges(u, g_); e != end; ++e) {
        const std::size_t v = boost::target(*e, g_);
        if (!seen[v] && residual[*e] > eps) {
          seen[v] = 1;
          stack.push_back(v);
        }
      }
    }
    return seen;
  }

 private:
  Graph g_;
};

/// The live components of a network as a flow graph: vertex 0 is the source, 1 the sink, then
/// an in and an out vertex per component (the edge between them carries its capacity). Grid
/// sources, when `grid` is given, draw through that vertex instead of straight from 0.
void add_components(const Model& m, const FlowNetwork& fn, FlowGraph& g,
                    const std::vector<Mode>& mode, const std::vector<int>& follow, double big,
                    std::size_t grid = 0, int level = 0) {
  const std::size_t S = 0;
  auto vin = [](int c) { return 2 + 2 * static_cast<std::size_t>(c); };
  auto vout = [](int c) { return 3 + 2 * static_cast<std::size_t>(c); };
  for (int c : fn.members) {
    if (mode[c] == Mode::Dead) continue;
    const double cap = fn.derate.empty() || fn.derate[c].empty()
                           ? fn.capacity[c]
                           : fn.derate[c][static_cast<std::size_t>(level)];
    g.add(vin(c), vout(c), std::min(big, cap));
    if (mode[c] == Mode::Source) {
      const bool from_grid = grid != 0 && !fn.grid_source.empty() && fn.grid_source[c];
      g.add(from_grid ? grid : S, vin(c), big);
    } else if (m.kind[c] == Kind::Switch) {
      const int u = m.inputs.idx[m.inputs.begin(c) + follow[c]];
      if (mode[u] != Mode::Dead) g.add(vout(u), vin(c), big);
    } else {
      for (int k = m.inputs.begin(c); k < m.inputs.end(c); ++k) {
        const int u = m.inputs.idx[k];
        if (mode[u] != Mode::Dead) g.add(vout(u), vin(c), big);
      }
    }
  }
}

}  // namespace

double Admission::max_to(const std::vector<Mode>& mode, const std::vector<int>& follow,
                         int item) const {
  double total_demand = 0.0;
  for (const auto& it : fn_.items) total_demand += it.demand;
  const double big = 4.0 * total_demand + 1.0;
  FlowGraph g(2 + 2 * static_cast<std::size_t>(m_.n));
  add_components(m_, fn_, g, mode, follow, big);
  for (int a : fn_.items[item].attach)
    if (mode[a] != Mode::Dead) g.add(3 + 2 * static_cast<std::size_t>(a), 1, big);
  return std::min(g.max_flow(0, 1), big);
}

Admission::Admission(const Model& m, const FlowNetwork& fn) : m_(m), fn_(fn) {
  layout_.mode_pos.assign(m.n, -1);
  layout_.follow_pos.assign(m.n, -1);
  int pos = 0;
  for (int c : fn_.members) {
    layout_.mode_pos[c] = pos++;
    if (m_.kind[c] == Kind::Switch) layout_.follow_pos[c] = pos++;
  }
  layout_.item0 = pos;
  layout_.call = pos + static_cast<int>(fn_.items.size());
  layout_.size = layout_.call + 1;
}

void Admission::build_key(const std::vector<Mode>& mode, const std::vector<int>& follow,
                          const std::vector<std::uint8_t>& candidate, int state,
                          std::string& key) const {
  key.assign(static_cast<std::size_t>(layout_.size), '\0');
  for (int c : fn_.members) {
    key[layout_.mode_pos[c]] = static_cast<char>(mode[c]);
    if (layout_.follow_pos[c] >= 0) key[layout_.follow_pos[c]] = follow_byte(mode[c], follow[c]);
  }
  for (std::size_t i = 0; i < candidate.size(); ++i)
    key[layout_.item0 + i] = static_cast<char>(candidate[i]);
  key[layout_.call] = static_cast<char>(state);
}

void Admission::admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate, int state, Admitted& out) {
  build_key(mode, follow, candidate, state, key_);
  admit_keyed(key_, mode, follow, candidate, state, out);
}

void Admission::admit_keyed(const std::string& key, const std::vector<Mode>& mode,
                            const std::vector<int>& follow,
                            const std::vector<std::uint8_t>& candidate, int state, Admitted& out) {
  auto it = cache_->find(key);
  if (it != cache_->end()) {
    out = it->second;
    return;
  }
  ++misses_;
  solve(mode, follow, candidate, state, out);
  if (cache_->size() > 200000) cache_->clear();  // bound memory on pathological designs
  cache_->emplace(key, out);
}

namespace {

/// Admission of one network state, group of equal standing by group (SPEC "Serving loads",
/// amended: see README "Shedding"). Each flow is a fresh max flow over the whole graph, so the
/// order of the items inside a group cannot matter.
class GroupAdmission {
 public:
  GroupAdmission(const Model& m, const FlowNetwork& fn, const std::vector<Mode>& mode,
                 const std::vector<int>& follow, const std::vector<std::uint8_t>& candidate,
                 int level)
      : fn_(fn),
        candidate_(candidate),
        n_items_(fn.items.size()),
        item0_(2 + 2 * static_cast<std::size_t>(m.n)),
        grid_(item0_ + n_items_),
        g_(grid_ + 1) {
    double total_demand = 0.0;
    for (const auto& item : fn_.items) total_demand += item.demand;
    big_ = 4.0 * total_demand + 1.0;  // more than any flow can use
    add_components(m, fn_, g_, mode, follow, big_, grid_, level);
    grid_edge_ = g_.add(0, grid_, big_);
    sink_edge_.resize(n_items_);
    reachable_.assign(n_items_, 0);
    for (std::size_t i = 0; i < n_items_; ++i) {
      for (int a : fn_.items[i].attach) {
        if (mode[a] == Mode::Dead) continue;
        g_.add(3 + 2 * static_cast<std::size_t>(a), item0_ + i, big_);
        reachable_[i] = 1;
      }
      sink_edge_[i] = g_.add(item0_ + i, 1, 0.0);
    }
  }
  double big() const { return big_; }
  double admitted() const { return admitted_; }
  void set_admitted(double a) { admitted_ = a; }
  void cap_grid(double cap) { g_.set_capacity(grid_edge_, cap); }
  double flow() { return g_.max_flow(0, 1); }
  void close(std::size_t i) { g_.set_capacity(sink_edge_[i], 0.0); }

  /// Admits one group [begin, end): whole items first, then divisible ones share what is left.
  void group(int begin, int end, std::vector<double>& share);

 private:
  bool asks(std::size_t i) const { return candidate_[i] && reachable_[i]; }
  void set(std::size_t i, double s) { g_.set_capacity(sink_edge_[i], s * fn_.items[i].demand); }
  bool fits(double extra) {
    last_flow_ = flow();
    return last_flow_ >= (admitted_ + extra) * (1.0 - 1e-9);
  }
  /// Items of `list` behind a bottleneck: beyond the minimum cut of the last flow.
  std::vector<char> behind(const std::vector<std::size_t>& list) {
    const auto side = g_.reachable_from(0, 1e-9 * big_);
    std::vector<char> out(list.size(), 0);
    for (std::size_t k = 0; k < list.size(); ++k) out[k] = !side[item0_ + list[k]];
    return out;
  }
  void whole_items(const std::vector<std::size_t>& whole, std::vector<double>& share);
  void divisible_items(std::vector<std::size_t> active, std::vector<double>& share);

  const FlowNetwork& fn_;
  const std::vector<std::uint8_t>& candidate_;
  std::size_t n_items_, item0_, grid_;
  FlowGraph g_;
  double big_ = 0.0, admitted_ = 0.0, last_flow_ = 0.0;
  Edge grid_edge_;
  std::vector<Edge> sink_edge_;
  std::vector<char> reachable_;
};

void GroupAdmission::group(int begin, int end, std::vector<double>& share) {
  std::vector<std::size_t> whole, divisible;
  for (int i = begin; i < end; ++i) {
    const auto k = static_cast<std::size_t>(i);
    share[k] = 0.0;
    if (!asks(k)) continue;
    (fn_.items[k].steps < 0 ? whole : divisible).push_back(k);
  }
  if (!whole.empty()) whole_items(whole, share);
  if (!divisible.empty()) divisible_items(divisible, share);
}

/// Items that take all of their demand or nothing: all of them if they fit together; else
/// those behind the bottleneck (the sink side of the minimum cut) go down together, and the
/// rest, which the flow serves in full, stay.
void GroupAdmission::whole_items(const std::vector<std::size_t>& whole,
                                 std::vector<double>& share) {
  double demand = 0.0;
  for (std::size_t i : whole) {
    set(i, 1.0);
    demand += fn_.items[i].demand;
  }
  if (fits(demand)) {
    for (std::size_t i : whole) share[i] = 1.0;
    admitted_ += demand;
    return;
  }
  const auto out = behind(whole);
  for (std::size_t k = 0; k < whole.size(); ++k) {
    if (out[k]) {
      close(whole[k]);
    } else {
      share[whole[k]] = 1.0;
      admitted_ += fn_.items[whole[k]].demand;
    }
  }
}

/// Items that can take part of their demand share what is left, each the same share of its
/// demand, as much as fits; those still held back by a bottleneck keep that share and the
/// others go on rising (max-min fair), then each is floored to its blocks.
void GroupAdmission::divisible_items(std::vector<std::size_t> active, std::vector<double>& share) {
  const std::vector<std::size_t> all = active;
  double from = 0.0;
  while (!active.empty()) {
    auto extra = [&](double s) {
      double e = 0.0;
      for (std::size_t i : active) {
        set(i, s);
        e += s * fn_.items[i].demand;
      }
      return e;
    };
    // The largest common share that fits, by Newton's method on the parametric flow: the
    // minimum cut at a share that does not fit bounds the share from above, exactly where that
    // cut is the one that binds; a few cuts at most are visited.
    double s = 1.0;
    for (int it = 0; it < 64 && !fits(extra(s)); ++it) {
      const auto out = behind(active);
      double held = 0.0, free = 0.0;  // demand behind the cut, and beside it
      for (std::size_t k = 0; k < active.size(); ++k)
        (out[k] ? held : free) += fn_.items[active[k]].demand;
      const double next = held > 0.0 ? (last_flow_ - free * s - admitted_) / held : from;
      if (!(next < s)) break;  // no progress left (rounding): s fits to 1e-9
      s = std::max(next, from);
    }
    const double e = extra(s);
    flow();
    const auto out = s < 1.0 ? behind(active) : std::vector<char>(active.size(), 1);
    const bool none = std::none_of(out.begin(), out.end(), [](char c) { return c != 0; });
    std::vector<std::size_t> rising;
    for (std::size_t k = 0; k < active.size(); ++k) {
      if (out[k] || none) {
        share[active[k]] = s;
      } else {
        rising.push_back(active[k]);
      }
    }
    // What stays at s is admitted; the rest rises from s.
    admitted_ += e;
    for (std::size_t i : rising) admitted_ -= s * fn_.items[i].demand;
    active.swap(rising);
    from = s;
  }
  // Blocks: a load of N steps takes the whole blocks of its share.
  for (std::size_t i : all) {
    const int steps = fn_.items[i].steps;
    if (steps <= 0) continue;
    const double floored = std::floor(share[i] * steps + 1e-9) / steps;
    admitted_ -= (share[i] - floored) * fn_.items[i].demand;
    share[i] = floored;
    set(i, floored);
  }
}

}  // namespace

void Admission::solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate, int state, Admitted& out) {
  const std::size_t n_items = fn_.items.size();
  out.item.assign(n_items, 0);
  out.share.assign(n_items, 0.0);
  out.excess = out.shed = 0.0;
  // The state byte: bit 0 a grid call, the rest the weather level (Model::weather_levels).
  const bool call = (state & 1) != 0;
  GroupAdmission ga(m_, fn_, mode, follow, candidate, state >> 1);
  auto critical = [&](const std::pair<int, int>& g) { return fn_.items[g.first].critical; };
  for (const auto& g : fn_.groups)
    if (critical(g)) ga.group(g.first, g.second, out.share);
  if (call && fn_.call_limit < ga.big()) {
    // The grid import the critical items cannot do without: what the other sources cannot
    // carry. The flexible items then share what the limit leaves, if anything.
    ga.cap_grid(0.0);
    const double needed = std::max(0.0, ga.admitted() - ga.flow());
    double cap = std::max(fn_.call_limit, needed);
    out.excess = std::max(0.0, needed - fn_.call_limit);
    ga.cap_grid(cap);
    // (A topology where the other sources' share cannot be combined with the grid's: let the
    // critical items have the grid.)
    if (ga.flow() < ga.admitted() * (1.0 - 1e-9)) cap = ga.big();
    // What the flexible items would take without the call, to price what the call sheds.
    std::vector<double> free_share(n_items, 0.0);
    const double before = ga.admitted();
    ga.cap_grid(ga.big());
    for (const auto& g : fn_.groups)
      if (!critical(g)) ga.group(g.first, g.second, free_share);
    for (const auto& g : fn_.groups)
      if (!critical(g))
        for (int i = g.first; i < g.second; ++i) ga.close(static_cast<std::size_t>(i));
    ga.set_admitted(before);
    ga.cap_grid(cap);
    for (const auto& g : fn_.groups)
      if (!critical(g)) {
        ga.group(g.first, g.second, out.share);
        for (int i = g.first; i < g.second; ++i)
          out.shed += (free_share[i] - out.share[i]) * fn_.items[i].demand;
      }
  } else {
    for (const auto& g : fn_.groups)
      if (!critical(g)) ga.group(g.first, g.second, out.share);
  }
  for (std::size_t i = 0; i < n_items; ++i) out.item[i] = out.share[i] > 0.0;
}

namespace {

bool same_items(const std::vector<FlowItem>& a, const std::vector<FlowItem>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].demand != b[i].demand || a[i].attach != b[i].attach ||
        a[i].component != b[i].component || a[i].load != b[i].load ||
        a[i].critical != b[i].critical || a[i].steps != b[i].steps)
      return false;
  return true;
}

bool same_flow_network(const FlowNetwork& a, const FlowNetwork& b) {
  return a.net == b.net && a.members == b.members && same_items(a.items, b.items) &&
         a.groups == b.groups && a.capacity == b.capacity && a.capacity_free == b.capacity_free &&
         a.items_of_component.off == b.items_of_component.off &&
         a.items_of_component.idx == b.items_of_component.idx && a.grid_source == b.grid_source &&
         a.derate == b.derate && a.call_limit == b.call_limit && a.draw_item == b.draw_item;
}

}  // namespace

bool same_network(const Model& a, const Model& b) {
  return a.n == b.n && a.kind == b.kind && a.net == b.net && a.n_loads == b.n_loads &&
         a.critical == b.critical && a.inputs.off == b.inputs.off && a.inputs.idx == b.inputs.idx &&
         a.powered_by.off == b.powered_by.off && a.powered_by.idx == b.powered_by.idx &&
         a.topo == b.topo && a.weather_levels == b.weather_levels &&
         same_flow_network(a.power, b.power) && same_flow_network(a.cooling, b.cooling);
}

}  // namespace ridethrough::topology
