#include "topology/flow.hpp"

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
/// an in and an out vertex per component (the edge between them carries its capacity).
void add_components(const Model& m, const FlowNetwork& fn, FlowGraph& g,
                    const std::vector<Mode>& mode, const std::vector<int>& follow, double big) {
  const std::size_t S = 0;
  auto vin = [](int c) { return 2 + 2 * static_cast<std::size_t>(c); };
  auto vout = [](int c) { return 3 + 2 * static_cast<std::size_t>(c); };
  for (int c : fn.members) {
    if (mode[c] == Mode::Dead) continue;
    g.add(vin(c), vout(c), std::min(big, fn.capacity[c]));
    if (mode[c] == Mode::Source) {
      g.add(S, vin(c), big);
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
  layout_.size = pos + static_cast<int>(fn_.items.size());
}

void Admission::build_key(const std::vector<Mode>& mode, const std::vector<int>& follow,
                          const std::vector<std::uint8_t>& candidate, std::string& key) const {
  key.assign(static_cast<std::size_t>(layout_.size), '\0');
  for (int c : fn_.members) {
    key[layout_.mode_pos[c]] = static_cast<char>(mode[c]);
    if (layout_.follow_pos[c] >= 0) key[layout_.follow_pos[c]] = static_cast<char>(follow[c]);
  }
  for (std::size_t i = 0; i < candidate.size(); ++i)
    key[layout_.item0 + i] = static_cast<char>(candidate[i]);
}

void Admission::admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate,
                      std::vector<std::uint8_t>& admitted) {
  build_key(mode, follow, candidate, key_);
  admit_keyed(key_, mode, follow, candidate, admitted);
}

void Admission::admit_keyed(const std::string& key, const std::vector<Mode>& mode,
                            const std::vector<int>& follow,
                            const std::vector<std::uint8_t>& candidate,
                            std::vector<std::uint8_t>& admitted) {
  auto it = cache_.find(key);
  if (it != cache_.end()) {
    admitted = it->second;
    return;
  }
  ++misses_;
  solve(mode, follow, candidate, admitted);
  if (cache_.size() > 200000) cache_.clear();  // bound memory on pathological designs
  cache_.emplace(key, admitted);
}

void Admission::solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
                      const std::vector<std::uint8_t>& candidate,
                      std::vector<std::uint8_t>& admitted) {
  const std::size_t n_items = fn_.items.size();
  admitted.assign(n_items, 0);
  // Vertices: 0 source, 1 sink, then in/out per component (global index), then items.
  const std::size_t S = 0, T = 1;
  auto vout = [](int c) { return 3 + 2 * static_cast<std::size_t>(c); };
  const std::size_t item0 = 2 + 2 * static_cast<std::size_t>(m_.n);
  double total_demand = 0.0;
  for (const auto& item : fn_.items) total_demand += item.demand;
  const double big = 4.0 * total_demand + 1.0;  // more than any flow can use

  FlowGraph g(item0 + n_items);
  add_components(m_, fn_, g, mode, follow, big);
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
  for (std::size_t i = 0; i < n_items; ++i) {
    if (!candidate[i] || !reachable[i]) continue;
    const double want = admitted_demand + fn_.items[i].demand;
    g.set_capacity(sink_edge[i], fn_.items[i].demand);
    const double flow = g.max_flow(S, T);
    if (flow >= want * (1.0 - 1e-9)) {
      admitted[i] = 1;
      admitted_demand = want;
    } else {
      g.set_capacity(sink_edge[i], 0.0);
    }
  }
}

}  // namespace ridethrough::topology
