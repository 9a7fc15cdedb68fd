#include "failure_models/markov_classes.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace ridethrough::failure_models {

namespace {

void finish_classes(Classes& cl, const topology::Model& m, const std::vector<int>& class_of,
                    const std::vector<double>& lam, const std::vector<double>& mu) {
  cl.failure_rate.clear();
  cl.repair_rate.clear();
  for (const auto& g : cl.members) {
    cl.failure_rate.push_back(lam[g[0]] / m.life_stretch[g[0]]);
    cl.repair_rate.push_back(mu[g[0]]);
  }
  cl.cc_classes.assign(m.cc_members.size(), {});
  for (std::size_t q = 0; q < m.cc_members.size(); ++q)
    for (int c : m.cc_members[q]) {
      const int g = class_of[c];
      if (g < 0) continue;
      auto& v = cl.cc_classes[q];
      if (std::find(v.begin(), v.end(), g) == v.end()) v.push_back(g);
    }
}

}  // namespace

/// Every failing component its own class: the unlumped chain.
Classes singleton_classes(const topology::Model& m, const std::vector<int>& failing,
                          const std::vector<double>& lam, const std::vector<double>& mu) {
  Classes cl;
  std::vector<int> class_of(m.n, -1);
  for (int c : failing) {
    class_of[c] = static_cast<int>(cl.members.size());
    cl.members.push_back({c});
  }
  finish_classes(cl, m, class_of, lam, mu);
  return cl;
}

/// Exchangeable units: same kind and laws, same inputs and power providers, the same consumers
/// (components, load power, load cooling), the same common-cause groups, and, where a capacity
/// can bind, the same binding capacity and power draw. Swapping two such components is an
/// automorphism of the structure and of the flow problem, so the service of a state depends
/// only on how many of each class are down. One thing is not symmetric: draws are admitted in
/// file order, so units with a draw are lumped only when their draws are next to each other in
/// that order (the first k of them that fit are then admitted, whichever k are up). Members of
/// a common-cause group that holds more than one class stay single, so that the order in which
/// a shock queues its victims is the unlumped chain's.
Classes exchangeable_classes(const topology::Model& m, const std::vector<int>& failing,
                             const std::vector<double>& lam, const std::vector<double>& mu) {
  // Consumers of each component.
  std::vector<std::vector<long>> used_by(m.n);
  auto add_uses = [&](const topology::Csr& csr, int rows, long tag) {
    for (int i = 0; i < rows; ++i)
      for (int k = csr.begin(i); k < csr.end(i); ++k) used_by[csr.idx[k]].push_back(tag + i);
  };
  const long span = std::max(m.n, m.n_loads) + 1;
  add_uses(m.inputs, m.n, 0);
  add_uses(m.powered_by, m.n, span);
  add_uses(m.load_power, m.n_loads, 2 * span);
  add_uses(m.load_cooling, m.n_loads, 3 * span);
  std::vector<std::vector<long>> cc_of(m.n);
  for (std::size_t q = 0; q < m.cc_members.size(); ++q)
    for (int c : m.cc_members[q]) cc_of[c].push_back(static_cast<long>(q));
  auto sorted_row = [](const topology::Csr& csr, int i) {
    std::vector<long> v(csr.idx.begin() + csr.begin(i), csr.idx.begin() + csr.end(i));
    std::sort(v.begin(), v.end());
    return v;
  };
  using Signature = std::tuple<int, double, double, double, std::vector<long>, std::vector<long>,
                               std::vector<long>, std::vector<long>, double, double>;
  std::map<Signature, int> class_index;
  Classes cl;
  std::vector<int> class_of(m.n, -1);
  for (int c : failing) {
    auto uses = used_by[c];
    std::sort(uses.begin(), uses.end());
    // The capacity as admission sees it (infinite where it can never bind).
    const double binding = (m.net[c] == topology::Net::Power ? m.power : m.cooling)
                               .capacity[static_cast<std::size_t>(c)];
    Signature sig{
        static_cast<int>(m.kind[c]), lam[c], mu[c],    m.life_stretch[c], sorted_row(m.inputs, c),
        sorted_row(m.powered_by, c), uses,   cc_of[c], binding,           m.power_draw[c]};
    auto [it, fresh] = class_index.emplace(std::move(sig), static_cast<int>(cl.members.size()));
    if (fresh) cl.members.emplace_back();
    cl.members[it->second].push_back(c);
    class_of[c] = it->second;
  }
  // Split the classes of common-cause groups that mix classes, and those whose draws are not
  // next to each other in admission order.
  std::vector<char> split(cl.members.size(), 0);
  for (std::size_t g = 0; g < cl.members.size(); ++g) {
    std::vector<int> items;
    for (int c : cl.members[g])
      if (m.power.draw_item[c] >= 0) items.push_back(m.power.draw_item[c]);
    std::sort(items.begin(), items.end());
    if (!items.empty() && items.back() - items.front() + 1 != static_cast<int>(items.size()))
      split[g] = 1;
  }
  for (const auto& group : m.cc_members) {
    std::vector<int> gs;
    for (int c : group)
      if (class_of[c] >= 0 && std::find(gs.begin(), gs.end(), class_of[c]) == gs.end())
        gs.push_back(class_of[c]);
    if (gs.size() > 1)
      for (int g : gs) split[g] = 1;
  }
  Classes out;
  std::vector<int> out_of(m.n, -1);
  for (std::size_t g = 0; g < cl.members.size(); ++g) {
    if (split[g]) {
      for (int c : cl.members[g]) {
        out_of[c] = static_cast<int>(out.members.size());
        out.members.push_back({c});
      }
    } else {
      for (int c : cl.members[g]) out_of[c] = static_cast<int>(out.members.size());
      out.members.push_back(cl.members[g]);
    }
  }
  finish_classes(out, m, out_of, lam, mu);
  return out;
}

/// Number of states of the first-come crew chain on these classes, without building it: a
/// state is the multiset of units in repair (at most `crews`) and, when every crew is busy, the
/// sequence of classes waiting. Every such state is reachable by failures in the right order.
/// Counted with generating functions: x marks a unit in repair, y/q! a waiting one.
double chain_size(const Classes& cl, int crews) {
  int total = 0;
  for (const auto& g : cl.members) total += static_cast<int>(g.size());
  const int C = std::min(crews, total), Q = total - C;
  // poly[r][q]: sum over classes so far of x^r y^q / prod(q_g!)
  std::vector<std::vector<long double>> poly(C + 1, std::vector<long double>(Q + 1, 0.0L));
  poly[0][0] = 1.0L;
  std::vector<long double> inv_fact(Q + 1, 1.0L);
  for (int q = 1; q <= Q; ++q) inv_fact[q] = inv_fact[q - 1] / q;
  for (const auto& g : cl.members) {
    const int n = static_cast<int>(g.size());
    std::vector<std::vector<long double>> next(C + 1, std::vector<long double>(Q + 1, 0.0L));
    for (int r = 0; r <= C; ++r)
      for (int q = 0; q <= Q; ++q) {
        if (poly[r][q] == 0.0L) continue;
        for (int rg = 0; rg <= n && r + rg <= C; ++rg)
          for (int qg = 0; rg + qg <= n && q + qg <= Q; ++qg)
            next[r + rg][q + qg] += poly[r][q] * inv_fact[qg];
      }
    poly.swap(next);
  }
  long double count = 0.0L, fact = 1.0L;
  for (int r = 0; r < C; ++r) count += poly[r][0];
  for (int q = 0; q <= Q; ++q) {
    if (q > 0) fact *= q;
    count += poly[C][q] * fact;
  }
  return static_cast<double>(count);
}

}  // namespace ridethrough::failure_models
