#include "topology/cut_sets.hpp"

#include "topology/static_eval.hpp"

namespace ridethrough::topology {

std::vector<LoadCutSets> minimal_cut_sets(const Model& m) {
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
