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

 private:
  Graph g_;
};

/// The live components of a network as a flow graph: vertex 0 is the source, 1 the sink, then
/// an in and an out vertex per component (the edge between them carries its capacity). Grid
/// sources, when `grid` is given, draw through that vertex instead of straight from 0.
void add_components(const Model& m, const FlowNetwork& fn, FlowGraph& g,
                    const std::vector<Mode>& mode, const std::vector<int>& follow, double big,
                    std::size_t grid = 0) {
  const std::size_t S = 0;
  auto vin = [](int c) { return 2 + 2 * static_cast<std::size_t>(c); };
  auto vout = [](int c) { return 3 + 2 * static_cast<std::size_t>(c); };
  for (int c : fn.members) {
    if (mode[c] == Mode::Dead) continue;
    g.add(vin(c), vout(c), std::min(big, fn.capacity[c]));
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
                          const std::vector<std::uint8_t>& candidate, bool call,
                          std::string& key) const {
  key.assign(static_cast<std::size_t>(layout_.size), '\0');
  for (int c : fn_.members) {
    key[layout_.mode_pos[c]] = static_cast<char>(mode[c]);
    if (layout_.follow_pos[c] >= 0) key[layout_.follow_pos[c]] = static_cast<char>(follow[c]);
  }
  for (std::size_t i = 0; i < candidate.size(); ++i)
    key[layout_.item0 + i] = static_cast<char>(candidate[i]);
  key[layout_.call] = static_cast<char>(call);
}

void Admission::admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate, bool call, Admitted& out) {
  build_key(mode, follow, candidate, call, key_);
  admit_keyed(key_, mode, follow, candidate, call, out);
}

void Admission::admit_keyed(const std::string& key, const std::vector<Mode>& mode,
                            const std::vector<int>& follow,
                            const std::vector<std::uint8_t>& candidate, bool call, Admitted& out) {
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    out = it->second;
    return;
  }
  ++misses_;
  solve(mode, follow, candidate, call, out);
  if (cache_.size() > 200000) cache_.clear();  // bound memory on pathological designs
  cache_.emplace(key, out);
}

void Admission::solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate, bool call, Admitted& out) {
  const std::size_t n_items = fn_.items.size();
  out.item.assign(n_items, 0);
  out.share.assign(n_items, 0.0);
  out.excess = out.shed = 0.0;
  // Vertices: 0 source, 1 sink, then in/out per component (global index), then items, then
  // the grid vertex that grid sources draw through.
  const std::size_t S = 0, T = 1;
  auto vout = [](int c) { return 3 + 2 * static_cast<std::size_t>(c); };
  const std::size_t item0 = 2 + 2 * static_cast<std::size_t>(m_.n);
  const std::size_t grid = item0 + n_items;
  double total_demand = 0.0;
  for (const auto& item : fn_.items) total_demand += item.demand;
  const double big = 4.0 * total_demand + 1.0;  // more than any flow can use

  FlowGraph g(grid + 1);
  add_components(m_, fn_, g, mode, follow, big, grid);
  const Edge grid_edge = g.add(S, grid, big);
  std::vector<Edge> sink_edge(n_items);
  std::vector<char> reachable(n_items, 0);
  for (std::size_t i = 0; i < n_items; ++i) {
    for (int a : fn_.items[i].attach) {
      if (mode[a] == Mode::Dead) continue;
      g.add(vout(a), item0 + i, big);
      reachable[i] = 1;
    }
    sink_edge[i] = g.add(item0 + i, T, 0.0);
  }
  double admitted_demand = 0.0;
  // One item in admission order: the largest share of it that fits (all or nothing unless it
  // is divisible), given everything admitted before it.
  auto admit_item = [&](std::size_t i, std::vector<double>& share) {
    const auto& item = fn_.items[i];
    share[i] = 0.0;
    if (!candidate[i] || !reachable[i]) return;
    g.set_capacity(sink_edge[i], item.demand);
    const double got = g.max_flow(S, T) - admitted_demand;
    double s = got >= item.demand * (1.0 - 1e-9) ? 1.0 : 0.0;
    if (s < 1.0 && item.steps >= 0 && got > 0.0) {
      s = std::min(1.0, got / item.demand);
      if (item.steps > 0) s = std::floor(s * item.steps + 1e-9) / item.steps;
    }
    g.set_capacity(sink_edge[i], s * item.demand);
    admitted_demand += s * item.demand;
    share[i] = s;
  };
  for (std::size_t i = 0; i < n_items; ++i)
    if (fn_.items[i].critical) admit_item(i, out.share);
  if (call && fn_.call_limit < big) {
    // The grid import the critical items cannot do without: what the other sources cannot
    // carry. The flexible items then share what the limit leaves, if anything.
    g.set_capacity(grid_edge, 0.0);
    const double needed = std::max(0.0, admitted_demand - g.max_flow(S, T));
    double cap = std::max(fn_.call_limit, needed);
    out.excess = std::max(0.0, needed - fn_.call_limit);
    g.set_capacity(grid_edge, cap);
    // (A topology where the other sources' share cannot be combined with the grid's: let the
    // critical items have the grid.)
    if (g.max_flow(S, T) < admitted_demand * (1.0 - 1e-9)) cap = big;
    // What the flexible items would take without the call, to price what the call sheds.
    std::vector<double> free_share(n_items, 0.0);
    const double before = admitted_demand;
    g.set_capacity(grid_edge, big);
    for (std::size_t i = 0; i < n_items; ++i)
      if (!fn_.items[i].critical) admit_item(i, free_share);
    for (std::size_t i = 0; i < n_items; ++i)
      if (!fn_.items[i].critical) g.set_capacity(sink_edge[i], 0.0);
    admitted_demand = before;
    g.set_capacity(grid_edge, cap);
    for (std::size_t i = 0; i < n_items; ++i)
      if (!fn_.items[i].critical) {
        admit_item(i, out.share);
        out.shed += (free_share[i] - out.share[i]) * fn_.items[i].demand;
      }
  } else {
    for (std::size_t i = 0; i < n_items; ++i)
      if (!fn_.items[i].critical) admit_item(i, out.share);
  }
  for (std::size_t i = 0; i < n_items; ++i) out.item[i] = out.share[i] > 0.0;
}

}  // namespace ridethrough::topology
