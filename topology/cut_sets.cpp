#include "topology/cut_sets.hpp"

#include <algorithm>
#include <numeric>

#include "topology/static_eval.hpp"

namespace ridethrough::topology {

namespace {

/// Components upstream of `start` (through inputs and powered_by), `start` included.
void upstream(const Model& m, int start, std::vector<char>& mark, std::vector<int>& out) {
  std::vector<int> stack{start};
  while (!stack.empty()) {
    const int u = stack.back();
    stack.pop_back();
    if (mark[u]) continue;
    mark[u] = 1;
    out.push_back(u);
    for (int k = m.inputs.begin(u); k < m.inputs.end(u); ++k) stack.push_back(m.inputs.idx[k]);
    for (int k = m.powered_by.begin(u); k < m.powered_by.end(u); ++k)
      stack.push_back(m.powered_by.idx[k]);
  }
}

int find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

}  // namespace

std::vector<std::vector<int>> relevant_components(const Model& m) {
  // Items: every power item and every cooling item, each with its cone.
  struct Item {
    int load;
    std::vector<int> cone;
  };
  std::vector<Item> items;
  std::vector<char> mark(m.n, 0);
  auto add = [&](const FlowItem& it) {
    Item x{it.load, {}};
    if (it.component >= 0) upstream(m, it.component, mark, x.cone);  // a draw: its equipment too
    for (int a : it.attach) upstream(m, a, mark, x.cone);
    for (int c : x.cone) mark[c] = 0;
    items.push_back(std::move(x));
  };
  for (const auto& it : m.power.items) add(it);
  for (const auto& it : m.cooling.items) add(it);
  // Items that share a component whose capacity can bind compete: one class.
  std::vector<int> parent(items.size());
  std::iota(parent.begin(), parent.end(), 0);
  std::vector<int> first_item(m.n, -1);
  for (std::size_t i = 0; i < items.size(); ++i)
    for (int c : items[i].cone) {
      if (m.power.capacity[c] == kUnlimited && m.cooling.capacity[c] == kUnlimited) continue;
      if (first_item[c] < 0)
        first_item[c] = static_cast<int>(i);
      else
        parent[find(parent, static_cast<int>(i))] = find(parent, first_item[c]);
    }
  std::vector<std::vector<int>> members(items.size());
  for (std::size_t i = 0; i < items.size(); ++i)
    members[find(parent, static_cast<int>(i))].push_back(static_cast<int>(i));
  std::vector<std::vector<int>> out(m.n_loads);
  for (const auto& cls : members) {
    if (cls.empty()) continue;
    std::vector<int> all;
    for (int i : cls)
      for (int c : items[i].cone)
        if (!mark[c]) mark[c] = 1, all.push_back(c);
    for (int c : all) mark[c] = 0;
    std::sort(all.begin(), all.end(), [&](int a, int b) { return m.topo_pos[a] < m.topo_pos[b]; });
    for (int i : cls)
      if (items[i].load >= 0) {
        auto& r = out[items[i].load];
        if (r.empty()) {
          r = all;
        } else {  // a load with both power and cooling items in two classes: both
          std::vector<int> both;
          std::merge(r.begin(), r.end(), all.begin(), all.end(), std::back_inserter(both),
                     [&](int a, int b) { return m.topo_pos[a] < m.topo_pos[b]; });
          both.erase(std::unique(both.begin(), both.end()), both.end());
          r = std::move(both);
        }
      }
  }
  return out;
}

namespace {

/// Candidate sets of one order, each with the loads it is a candidate for; evaluated once each
/// on the union of those loads' relevant components.
template <std::size_t K>
void evaluate_candidates(const Model& m, StaticEvaluator& eval,
                         std::vector<std::pair<std::array<int, K>, int>>& candidates,
                         const std::vector<std::vector<int>>& relevant,
                         std::vector<LoadCutSets>& out, const std::vector<int>& slot,
                         std::vector<std::vector<std::array<int, K>>>& found) {
  std::sort(candidates.begin(), candidates.end());
  std::vector<char> down(m.n, 0), served, in_scope(m.n, 0);
  std::vector<int> scope;
  for (std::size_t i = 0; i < candidates.size();) {
    std::size_t j = i;
    while (j < candidates.size() && candidates[j].first == candidates[i].first) ++j;
    scope.clear();
    for (std::size_t k = i; k < j; ++k)
      for (int c : relevant[candidates[k].second])
        if (!in_scope[c]) in_scope[c] = 1, scope.push_back(c);
    for (int c : scope) in_scope[c] = 0;
    std::sort(scope.begin(), scope.end(),
              [&](int a, int b) { return m.topo_pos[a] < m.topo_pos[b]; });
    const auto& set = candidates[i].first;
    for (int c : set) down[c] = 1;
    eval.evaluate(down, served, scope);
    for (int c : set) down[c] = 0;
    for (std::size_t k = i; k < j; ++k) {
      const int l = candidates[k].second;
      if (!served[l]) found[slot[l]].push_back(set);
    }
    i = j;
  }
  (void)out;
}

}  // namespace

std::vector<LoadCutSets> minimal_cut_sets(const Model& m, int order) {
  StaticEvaluator eval(m);
  std::vector<char> down(m.n, 0), served;
  std::vector<LoadCutSets> out;
  std::vector<int> slot(m.n_loads, -1);
  eval.evaluate(down, served);
  for (int l = 0; l < m.n_loads; ++l) {
    if (!m.critical[l]) continue;
    LoadCutSets c;
    c.load = l;
    c.served_all_up = served[l] != 0;
    slot[l] = static_cast<int>(out.size());
    out.push_back(c);
  }
  const auto relevant = relevant_components(m);
  // Singles: each component once, on the scope of the loads it is relevant to.
  std::vector<std::vector<int>> loads_of(m.n);
  for (const auto& c : out)
    if (c.served_all_up)
      for (int x : relevant[c.load]) loads_of[x].push_back(c.load);
  std::vector<std::vector<char>> single(out.size());
  for (auto& s : single) s.clear();
  std::vector<std::pair<std::array<int, 1>, int>> ones;
  for (int a = 0; a < m.n; ++a)
    for (int l : loads_of[a]) ones.push_back({{a}, l});
  std::vector<std::vector<std::array<int, 1>>> found1(out.size());
  evaluate_candidates<1>(m, eval, ones, relevant, out, slot, found1);
  std::vector<std::vector<char>> is_single(out.size());
  for (std::size_t s = 0; s < out.size(); ++s) {
    auto& c = out[s];
    is_single[s].assign(m.n, 0);
    for (const auto& [a] : found1[s]) {
      c.singles.push_back(a);
      is_single[s][a] = 1;
      if (m.maintenance_interval[a] > 0) c.maintenance_drops.push_back(a);
    }
  }
  // Pairs of relevant components, neither a single point of failure of the load.
  // The relevant components of slot s's load that are not single points of failure, sorted.
  auto candidates = [&](std::size_t s) {
    std::vector<int> cand;
    for (int x : relevant[out[s].load])
      if (!is_single[s][x]) cand.push_back(x);
    std::sort(cand.begin(), cand.end());
    return cand;
  };
  std::vector<std::pair<std::array<int, 2>, int>> twos;
  for (std::size_t s = 0; s < out.size(); ++s) {
    const auto& c = out[s];
    if (!c.served_all_up) continue;
    const std::vector<int> cand = candidates(s);
    for (std::size_t i = 0; i < cand.size(); ++i)
      for (std::size_t j = i + 1; j < cand.size(); ++j)
        twos.push_back({{cand[i], cand[j]}, c.load});
  }
  std::vector<std::vector<std::array<int, 2>>> found2(out.size());
  evaluate_candidates<2>(m, eval, twos, relevant, out, slot, found2);
  for (std::size_t s = 0; s < out.size(); ++s) {
    std::sort(found2[s].begin(), found2[s].end());
    for (const auto& [a, b] : found2[s]) out[s].pairs.emplace_back(a, b);
  }
  if (order < 3) return out;
  // Triples: no member a single, no two of them a cut set.
  std::vector<std::pair<std::array<int, 3>, int>> threes;
  for (std::size_t s = 0; s < out.size(); ++s) {
    const auto& c = out[s];
    if (!c.served_all_up) continue;
    const std::vector<int> cand = candidates(s);
    const auto& pairs = found2[s];
    auto pair_cut = [&](int a, int b) {
      return std::binary_search(pairs.begin(), pairs.end(), std::array<int, 2>{a, b});
    };
    for (std::size_t i = 0; i < cand.size(); ++i)
      for (std::size_t j = i + 1; j < cand.size(); ++j) {
        if (pair_cut(cand[i], cand[j])) continue;
        for (std::size_t k = j + 1; k < cand.size(); ++k)
          if (!pair_cut(cand[i], cand[k]) && !pair_cut(cand[j], cand[k]))
            threes.push_back({{cand[i], cand[j], cand[k]}, c.load});
      }
  }
  std::vector<std::vector<std::array<int, 3>>> found3(out.size());
  evaluate_candidates<3>(m, eval, threes, relevant, out, slot, found3);
  for (std::size_t s = 0; s < out.size(); ++s) {
    std::sort(found3[s].begin(), found3[s].end());
    out[s].triples = std::move(found3[s]);
  }
  return out;
}

std::vector<LoadCutSets> minimal_cut_sets_exhaustive(const Model& m) {
  StaticEvaluator eval(m);
  std::vector<char> down(m.n, 0), served;
  std::vector<LoadCutSets> out;
  eval.evaluate(down, served);
  for (int l = 0; l < m.n_loads; ++l) {
    if (!m.critical[l]) continue;
    LoadCutSets c;
    c.load = l;
    c.served_all_up = served[l] != 0;
    out.push_back(c);
  }
  // Singles: one evaluation per component answers for every load at once.
  std::vector<std::vector<char>> served_without(m.n);
  for (int a = 0; a < m.n; ++a) {
    down[a] = 1;
    eval.evaluate(down, served);
    down[a] = 0;
    served_without[a] = served;
    for (auto& c : out)
      if (c.served_all_up && !served[c.load]) {
        c.singles.push_back(a);
        if (m.maintenance_interval[a] > 0) c.maintenance_drops.push_back(a);
      }
  }
  for (int a = 0; a < m.n; ++a) {
    for (int b = a + 1; b < m.n; ++b) {
      // Skip the evaluation when both members already drop every load on their own.
      bool needed = false;
      for (const auto& c : out)
        needed |= c.served_all_up && served_without[a][c.load] && served_without[b][c.load];
      if (!needed) continue;
      down[a] = down[b] = 1;
      eval.evaluate(down, served);
      down[a] = down[b] = 0;
      for (auto& c : out)
        if (c.served_all_up && served_without[a][c.load] && served_without[b][c.load] &&
            !served[c.load])
          c.pairs.emplace_back(a, b);
    }
  }
  return out;
}

}  // namespace ridethrough::topology
