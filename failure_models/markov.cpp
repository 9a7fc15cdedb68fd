#include "failure_models/markov.hpp"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>

#include "topology/static_eval.hpp"

namespace ridethrough::failure_models {

using topology::Kind;
using topology::LawKind;

namespace {

double rate_of(const topology::Law& law) {
  return law.kind == LawKind::Exponential ? 1.0 / law.mean_or_scale_or_median_or_value : 0.0;
}

/// Which targets (facility, then loads) are down for a set of down components.
class Targets {
 public:
  explicit Targets(const topology::Model& m) : m_(m), eval_(m) {}
  int count() const { return m_.n_loads + 1; }
  /// down_t for every target.
  const std::vector<char>& evaluate(const std::vector<char>& down) {
    eval_.evaluate(down, served_);
    out_.assign(count(), 0);
    out_[0] = eval_.facility_down(served_);
    for (int l = 0; l < m_.n_loads; ++l) out_[l + 1] = !served_[l];
    ++evaluations_;
    return out_;
  }
  /// Which loads are served with `down` down.
  const std::vector<char>& served(const std::vector<char>& down) {
    eval_.evaluate(down, served_);
    ++evaluations_;
    return served_;
  }
  bool monotone() const { return eval_.monotone(); }
  std::size_t evaluations() const { return evaluations_; }

 private:
  const topology::Model& m_;
  topology::StaticEvaluator eval_;
  std::vector<char> served_, out_;
  std::size_t evaluations_ = 0;
};

/// Independent components, monotone service: P(a set of loads is not all served) by
/// recursive conditioning over the failing components that can affect them, pruned as soon as
/// the undecided ones can no longer change the answer.
class Pruned {
 public:
  Pruned(const topology::Model& m, Targets& t, std::vector<int> failing,
         const std::vector<double>& unavail, std::vector<int> loads)
      : t_(t), f_(std::move(failing)), loads_(std::move(loads)), down_(m.n, 0) {
    for (int c : f_) u_.push_back(unavail[c]);
  }

  const std::vector<int>& failing() const { return f_; }

  /// P(some load of the set down), with component `fixed` (or -1) held at `fixed_down`.
  double probability(int fixed, bool fixed_down) {
    fixed_ = fixed;
    std::fill(down_.begin(), down_.end(), 0);
    if (fixed >= 0) down_[fixed] = fixed_down;
    return rec(0, 1.0);
  }

 private:
  bool some_down() {
    const auto& served = t_.served(down_);
    for (int l : loads_)
      if (!served[l]) return true;
    return false;
  }
  double rec(std::size_t i, double prob) {
    while (i < f_.size() && f_[i] == fixed_) ++i;
    if (some_down()) return prob;  // down even with every undecided part up
    if (i == f_.size()) return 0.0;
    for (std::size_t k = i; k < f_.size(); ++k)
      if (f_[k] != fixed_) down_[f_[k]] = 1;
    const bool can_fail = some_down();
    for (std::size_t k = i; k < f_.size(); ++k)
      if (f_[k] != fixed_) down_[f_[k]] = 0;
    if (!can_fail) return 0.0;  // up even with every undecided part down
    const int c = f_[i];
    down_[c] = 1;
    const double a = rec(i + 1, prob * u_[i]);
    down_[c] = 0;
    return a + rec(i + 1, prob * (1.0 - u_[i]));
  }

  Targets& t_;
  std::vector<int> f_;
  std::vector<double> u_;
  std::vector<int> loads_;
  std::vector<char> down_;
  int fixed_ = -1;
};

/// The components whose state can change whether load `l` is served when service is monotone:
/// everything upstream of its power and cooling through inputs and powered_by.
std::vector<char> relevant_to(const topology::Model& m, int l) {
  std::vector<char> seen(m.n, 0);
  std::vector<int> stack;
  for (int k = m.load_power.begin(l); k < m.load_power.end(l); ++k)
    stack.push_back(m.load_power.idx[k]);
  for (int k = m.load_cooling.begin(l); k < m.load_cooling.end(l); ++k)
    stack.push_back(m.load_cooling.idx[k]);
  while (!stack.empty()) {
    const int c = stack.back();
    stack.pop_back();
    if (seen[c]) continue;
    seen[c] = 1;
    for (int k = m.inputs.begin(c); k < m.inputs.end(c); ++k) stack.push_back(m.inputs.idx[k]);
    for (int k = m.powered_by.begin(c); k < m.powered_by.end(c); ++k)
      stack.push_back(m.powered_by.idx[k]);
  }
  return seen;
}

}  // namespace

std::string static_refusal(const topology::Model& m, bool exponential_repairs) {
  std::string why;
  auto add = [&](const std::string& s) { why += s + "\n"; };
  for (int c = 0; c < m.n; ++c) {
    const std::string id = "component '" + m.ids[c] + "'";
    switch (m.kind[c]) {
      case Kind::Generator:
        add(id + " is a generator (start delays and start failures are not Markovian)");
        break;
      case Kind::Switch:
        add(id + " is a switch (transfers and their delays are not Markovian)");
        break;
      case Kind::Ups:
        add(id + " is a ups (battery charge is not Markovian)");
        break;
      case Kind::CoolingSource:
        if (m.restart[c] > 0) add(id + " has a restart time");
        break;
      default:
        break;
    }
    if (m.failure[c].kind != LawKind::Exponential && m.failure[c].kind != LawKind::Never)
      add(id + " has a non-exponential failure law");
    if (exponential_repairs && m.failure[c].can_fail() && m.repair[c].kind != LawKind::Exponential)
      add(id + " has a non-exponential repair law");
    if (m.maintenance_interval[c] > 0) add(id + " has maintenance");
    if (m.spare_pool[c] >= 0) add(id + " draws on a spare pool");
  }
  for (int l = 0; l < m.n_loads; ++l)
    if (m.thermal_ride_through[l] > 0)
      add("load '" + m.load_ids[l] + "' has a thermal ride-through");
  return why;
}

std::string markov_refusal(const topology::Model& m) {
  return static_refusal(m, true);
}

ExactResult solve_exact(const topology::Model& m, std::size_t max_states) {
  ExactResult r;
  r.refusal = markov_refusal(m);
  if (!r.refusal.empty()) return r;

  Targets targets(m);
  const int nt = targets.count();
  std::vector<int> failing;
  std::vector<double> lam(m.n, 0.0), mu(m.n, 0.0);
  for (int c = 0; c < m.n; ++c) {
    lam[c] = rate_of(m.failure[c]);
    if (lam[c] > 0) {
      mu[c] = rate_of(m.repair[c]);
      failing.push_back(c);
    }
  }
  const int k = static_cast<int>(failing.size());
  r.unavailability.assign(nt, 0.0);
  r.frequency.assign(nt, 0.0);
  const bool shared_crews = m.crews >= 0 && m.crews < k;
  const bool independent = !shared_crews && m.cc_members.empty();

  if (independent) {
    r.states = std::pow(2.0, k);
    std::vector<double> u(m.n, 0.0);
    for (int c : failing) u[c] = lam[c] / (lam[c] + mu[c]);
    if (targets.monotone()) {
      r.method = "product form, structure function (independent components)";
      // Each load depends only on the failing components upstream of it; loads that share none
      // are independent, so the facility (any critical load down) splits into groups whose
      // availabilities multiply.
      std::vector<std::vector<char>> relevant(m.n_loads);
      for (int l = 0; l < m.n_loads; ++l) relevant[l] = relevant_to(m, l);
      auto solve_set = [&](const std::vector<int>& loads) {
        std::vector<char> any(m.n, 0);
        for (int l : loads)
          for (int c = 0; c < m.n; ++c) any[c] |= relevant[l][c];
        std::vector<int> f;
        for (int c : failing)
          if (any[c]) f.push_back(c);
        // Most unavailable first: the recursion then prunes sooner.
        std::stable_sort(f.begin(), f.end(), [&](int a, int b) { return u[a] > u[b]; });
        Pruned pr(m, targets, f, u, loads);
        const double unavailability = pr.probability(-1, false);
        // Outage frequency: sum of Birnbaum importance x each component's cycle frequency.
        double frequency = 0.0;
        for (int c : pr.failing())
          frequency += (pr.probability(c, true) - pr.probability(c, false)) * lam[c] * (1.0 - u[c]);
        return std::make_pair(unavailability, frequency);
      };
      for (int l = 0; l < m.n_loads; ++l)
        std::tie(r.unavailability[l + 1], r.frequency[l + 1]) = solve_set({l});
      // Group critical loads that share a failing component (union-find over loads).
      std::vector<int> parent(m.n_loads);
      for (int l = 0; l < m.n_loads; ++l) parent[l] = l;
      std::function<int(int)> root = [&](int x) {
        return parent[x] == x ? x : parent[x] = root(parent[x]);
      };
      std::vector<int> owner(m.n, -1);
      for (int l = 0; l < m.n_loads; ++l) {
        if (!m.critical[l]) continue;
        for (int c : failing) {
          if (!relevant[l][c]) continue;
          if (owner[c] < 0)
            owner[c] = l;
          else
            parent[root(l)] = root(owner[c]);
        }
      }
      std::map<int, std::vector<int>> groups;
      for (int l = 0; l < m.n_loads; ++l)
        if (m.critical[l]) groups[root(l)].push_back(l);
      std::vector<std::pair<double, double>> g;
      for (const auto& [rt, loads] : groups)
        g.push_back(loads.size() == 1
                        ? std::make_pair(r.unavailability[loads[0] + 1], r.frequency[loads[0] + 1])
                        : solve_set(loads));
      double available = 1.0;
      for (const auto& [ug, fg] : g) available *= 1.0 - ug;
      r.unavailability[0] = 1.0 - available;
      r.frequency[0] = 0.0;
      for (std::size_t i = 0; i < g.size(); ++i) {
        double others = 1.0;
        for (std::size_t j = 0; j < g.size(); ++j)
          if (j != i) others *= 1.0 - g[j].first;
        r.frequency[0] += g[i].second * others;
      }
      r.evaluated_states = targets.evaluations();
      return r;
    }
    if (k > 22) {
      r.refusal =
          "the design has capacities that can bind (service is not monotone), so every one of the "
          "2^" +
          std::to_string(k) + " states of its " + std::to_string(k) +
          " failing components would have to be evaluated: too many (at most 2^22)\n";
      return r;
    }
    r.method = "product form, full enumeration (independent components)";
    const std::size_t n_states = std::size_t{1} << k;
    std::vector<std::vector<char>> down_of(nt, std::vector<char>(n_states));
    std::vector<char> down(m.n, 0);
    for (std::size_t s = 0; s < n_states; ++s) {
      for (int i = 0; i < k; ++i) down[failing[i]] = (s >> i) & 1;
      const auto& d = targets.evaluate(down);
      for (int t = 0; t < nt; ++t) down_of[t][s] = d[t];
    }
    for (std::size_t s = 0; s < n_states; ++s) {
      double p = 1.0;
      for (int i = 0; i < k; ++i) p *= ((s >> i) & 1) ? u[failing[i]] : 1.0 - u[failing[i]];
      for (int t = 0; t < nt; ++t) {
        if (down_of[t][s]) {
          r.unavailability[t] += p;
          continue;
        }
        for (int i = 0; i < k; ++i) {
          const std::size_t next = s ^ (std::size_t{1} << i);
          if (down_of[t][next])
            r.frequency[t] += p * (((s >> i) & 1) ? mu[failing[i]] : lam[failing[i]]);
        }
      }
    }
    r.evaluated_states = n_states;
    return r;
  }

  // The chain of failed-component sequences: the first `crews` are being repaired (order among
  // them does not matter), the rest wait in order of failure.
  r.method = "continuous-time Markov chain (shared crews or common cause), sparse LU";
  const int crews = m.crews < 0 ? k : m.crews;
  using Seq = std::vector<int>;
  auto canonical = [&](Seq s) {
    std::sort(s.begin(), s.begin() + std::min<std::size_t>(crews, s.size()));
    return s;
  };
  auto key = [](const Seq& s) {
    return std::string(reinterpret_cast<const char*>(s.data()), s.size() * sizeof(int));
  };
  std::vector<Seq> states{Seq{}};
  std::unordered_map<std::string, int> index{{key(Seq{}), 0}};
  struct Tr {
    int from, to;
    double rate;
  };
  std::vector<Tr> trans;
  std::vector<double> cc_rate = m.cc_rate;
  for (std::size_t i = 0; i < states.size(); ++i) {
    const Seq s = states[i];
    std::vector<char> is_down(m.n, 0);
    for (int c : s) is_down[c] = 1;
    auto go = [&](Seq next, double rate) {
      if (rate <= 0) return;
      next = canonical(std::move(next));
      const auto kk = key(next);
      auto it = index.find(kk);
      int to;
      if (it == index.end()) {
        to = static_cast<int>(states.size());
        index.emplace(kk, to);
        states.push_back(std::move(next));
      } else {
        to = it->second;
      }
      trans.push_back({static_cast<int>(i), to, rate});
    };
    for (int c : failing) {
      if (is_down[c]) continue;
      Seq next = s;
      next.push_back(c);
      go(next, lam[c] / m.life_stretch[c]);
    }
    for (std::size_t g = 0; g < m.cc_members.size(); ++g) {
      Seq next = s;
      for (int c : m.cc_members[g])
        if (!is_down[c]) next.push_back(c);
      if (next.size() > s.size()) go(next, cc_rate[g]);
    }
    for (std::size_t p = 0; p < s.size() && static_cast<int>(p) < crews; ++p) {
      Seq next = s;
      next.erase(next.begin() + static_cast<long>(p));
      go(next, mu[s[p]]);
    }
    if (states.size() > max_states) {
      r.refusal = "the chain has more than " + std::to_string(max_states) + " states (" +
                  std::to_string(k) + " failing components sharing " + std::to_string(crews) +
                  " crews in first-come order): too big to solve exactly\n";
      return r;
    }
  }
  const int n = static_cast<int>(states.size());
  r.states = n;
  // Solve pi Q = 0 with sum(pi) = 1: the transpose system, last equation replaced.
  std::vector<Eigen::Triplet<double>> tri;
  std::vector<double> out_rate(n, 0.0);
  for (const auto& t : trans) {
    out_rate[t.from] += t.rate;
    if (t.to != n - 1) tri.emplace_back(t.to, t.from, t.rate);
  }
  for (int s = 0; s < n - 1; ++s) tri.emplace_back(s, s, -out_rate[s]);
  for (int s = 0; s < n; ++s) tri.emplace_back(n - 1, s, 1.0);
  Eigen::SparseMatrix<double> a(n, n);
  a.setFromTriplets(tri.begin(), tri.end());
  a.makeCompressed();
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) {
    r.refusal = "the chain's matrix could not be factorised\n";
    return r;
  }
  Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
  b(n - 1) = 1.0;
  const Eigen::VectorXd pi = lu.solve(b);

  std::vector<std::vector<char>> down_of(n);
  std::vector<char> down(m.n, 0);
  for (int s = 0; s < n; ++s) {
    std::fill(down.begin(), down.end(), 0);
    for (int c : states[s]) down[c] = 1;
    down_of[s] = targets.evaluate(down);
  }
  for (int s = 0; s < n; ++s)
    for (int t = 0; t < nt; ++t)
      if (down_of[s][t]) r.unavailability[t] += pi(s);
  for (const auto& tr : trans)
    for (int t = 0; t < nt; ++t)
      if (!down_of[tr.from][t] && down_of[tr.to][t]) r.frequency[t] += pi(tr.from) * tr.rate;
  r.evaluated_states = static_cast<std::size_t>(n);
  return r;
}

}  // namespace ridethrough::failure_models
