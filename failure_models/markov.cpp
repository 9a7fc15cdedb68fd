#include "failure_models/markov.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>

#include "failure_models/markov_classes.hpp"
#include "failure_models/stationary.hpp"
#include "topology/capabilities.hpp"
#include "topology/features.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::failure_models {

using topology::Kind;
using topology::LawKind;

namespace {

double rate_of(const topology::Law& law) {
  return law.kind == LawKind::Exponential ? 1.0 / law.scale : 0.0;
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

std::string fmt_count(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, x < 1e7 ? "%.0f" : "%.3g", x);
  return buf;
}

}  // namespace

std::string markov_refusal(const topology::Model& m) {
  return topology::assess(topology::Analysis::Exact, m).refusal_text();
}

namespace {

/// The parts of a design that change state, as the solvers see them: components with an
/// exponential failure law (two states, failing at `down_rate` and repaired at `up_rate`), and
/// feeds with grid events (down while any event is under way: an M/G/infinity queue, down a
/// share u = 1 - exp(-load) and going down at nu = (sum of rates) exp(-load), independent of
/// everything else). For either, `u` is the long-run share of time down and `nu` the frequency
/// of going down; `down_rate` = nu / (1 - u) and `up_rate` = nu / u are the rates of change given
/// the state, which is all a steady-state frequency needs.
struct Parts {
  std::vector<int> failing;  ///< components with a failure law (the crew chain's)
  std::vector<int> events;   ///< feeds with grid events (never in the chain: no crew)
  std::vector<double> lam, mu, u, nu, down_rate, up_rate;
  explicit Parts(const topology::Model& m)
      : lam(m.n, 0.0),
        mu(m.n, 0.0),
        u(m.n, 0.0),
        nu(m.n, 0.0),
        down_rate(m.n, 0.0),
        up_rate(m.n, 0.0) {
    for (int c = 0; c < m.n; ++c) {
      lam[c] = rate_of(m.failure[c]);
      if (lam[c] > 0) {
        mu[c] = rate_of(m.repair[c]);
        failing.push_back(c);
        u[c] = lam[c] / (lam[c] + mu[c]);
        nu[c] = lam[c] * (1.0 - u[c]);
        down_rate[c] = lam[c];
        up_rate[c] = mu[c];
      } else if (m.events.size(c) > 0) {
        events.push_back(c);
        double rate = 0.0;
        for (int j = m.events.begin(c); j < m.events.end(c); ++j)
          rate += m.event_rate[m.events.idx[j]];
        u[c] = topology::steady_unavailability(m, c);
        nu[c] = rate * (1.0 - u[c]);
        down_rate[c] = rate;
        up_rate[c] = nu[c] / u[c];
      }
    }
  }
  /// Every part, the chain's components first.
  std::vector<int> all() const {
    std::vector<int> v = failing;
    v.insert(v.end(), events.begin(), events.end());
    return v;
  }
};

/// Independent parts, monotone service: each load by recursive conditioning on the parts
/// upstream of it; the facility from groups of critical loads that share no part.
void solve_monotone(const topology::Model& m, const Parts& parts, Targets& targets,
                    ExactResult& r) {
  r.method = "product form, structure function (independent components)";
  const std::vector<int> all = parts.all();
  std::vector<std::vector<char>> relevant(m.n_loads);
  for (int l = 0; l < m.n_loads; ++l) relevant[l] = relevant_to(m, l);
  auto solve_set = [&](const std::vector<int>& loads) {
    std::vector<char> any(m.n, 0);
    for (int l : loads)
      for (int c = 0; c < m.n; ++c) any[c] |= relevant[l][c];
    std::vector<int> f;
    for (int c : all)
      if (any[c]) f.push_back(c);
    // Most unavailable first: the recursion then prunes sooner.
    std::stable_sort(f.begin(), f.end(), [&](int a, int b) { return parts.u[a] > parts.u[b]; });
    Pruned pr(m, targets, f, parts.u, loads);
    const double unavailability = pr.probability(-1, false);
    // Outage frequency: sum of Birnbaum importance x each part's frequency of going down.
    double frequency = 0.0;
    for (int c : pr.failing())
      frequency += (pr.probability(c, true) - pr.probability(c, false)) * parts.nu[c];
    return std::make_pair(unavailability, frequency);
  };
  for (int l = 0; l < m.n_loads; ++l)
    std::tie(r.unavailability[l + 1], r.frequency[l + 1]) = solve_set({l});
  // Group critical loads that share a part (union-find over loads).
  std::vector<int> parent(m.n_loads);
  for (int l = 0; l < m.n_loads; ++l) parent[l] = l;
  std::function<int(int)> root = [&](int x) {
    return parent[x] == x ? x : parent[x] = root(parent[x]);
  };
  std::vector<int> owner(m.n, -1);
  for (int l = 0; l < m.n_loads; ++l) {
    if (!m.critical[l]) continue;
    for (int c : all) {
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
}

/// Independent parts, service not monotone (capacities can bind): every state of the parts.
void solve_enumeration(const topology::Model& m, const Parts& parts, Targets& targets,
                       ExactResult& r) {
  const std::vector<int> all = parts.all();
  const int k = static_cast<int>(all.size()), nt = targets.count();
  if (k > 22) {
    r.refusal =
        "the design has capacities that can bind (service is not monotone), so every one of the "
        "2^" +
        std::to_string(k) + " states of its " + std::to_string(k) +
        " failing components would have to be evaluated: too many (at most 2^22)\n";
    return;
  }
  r.method = "product form, full enumeration (independent components)";
  const std::size_t n_states = std::size_t{1} << k;
  std::vector<std::vector<char>> down_of(nt, std::vector<char>(n_states));
  std::vector<char> down(m.n, 0);
  for (std::size_t s = 0; s < n_states; ++s) {
    for (int i = 0; i < k; ++i) down[all[i]] = (s >> i) & 1;
    const auto& d = targets.evaluate(down);
    for (int t = 0; t < nt; ++t) down_of[t][s] = d[t];
  }
  for (std::size_t s = 0; s < n_states; ++s) {
    double p = 1.0;
    for (int i = 0; i < k; ++i) p *= ((s >> i) & 1) ? parts.u[all[i]] : 1.0 - parts.u[all[i]];
    for (int t = 0; t < nt; ++t) {
      if (down_of[t][s]) {
        r.unavailability[t] += p;
        continue;
      }
      for (int i = 0; i < k; ++i) {
        const std::size_t next = s ^ (std::size_t{1} << i);
        if (down_of[t][next])
          r.frequency[t] += p * (((s >> i) & 1) ? parts.up_rate[all[i]] : parts.down_rate[all[i]]);
      }
    }
  }
  r.evaluated_states = n_states;
}

/// The crew chain's reachable states and transitions: the first `crews` failed units are
/// being repaired (order among them does not matter), the rest wait in order of failure;
/// exchangeable units are lumped into classes, and a state is the sequence of classes failed.
void build_chain(const topology::Model& m, const Classes& cl, int crews,
                 std::vector<std::string>& states, std::vector<Transition>& trans) {
  const int g_count = static_cast<int>(cl.members.size());
  using Seq = std::string;  // one char per failed unit: its class
  auto canonical = [&](Seq s) {
    std::sort(s.begin(), s.begin() + std::min<std::size_t>(crews, s.size()));
    return s;
  };
  states.assign(1, Seq{});
  std::unordered_map<Seq, int> index{{Seq{}, 0}};
  std::vector<int> down_in(g_count);
  for (std::size_t i = 0; i < states.size(); ++i) {
    const Seq s = states[i];
    std::fill(down_in.begin(), down_in.end(), 0);
    for (char g : s) ++down_in[static_cast<unsigned char>(g)];
    auto go = [&](Seq next, double rate) {
      if (rate <= 0) return;
      next = canonical(std::move(next));
      auto it = index.find(next);
      int to;
      if (it == index.end()) {
        to = static_cast<int>(states.size());
        index.emplace(next, to);
        states.push_back(std::move(next));
      } else {
        to = it->second;
      }
      trans.push_back({static_cast<int>(i), to, rate});
    };
    for (int g = 0; g < g_count; ++g) {
      const int up = static_cast<int>(cl.members[g].size()) - down_in[g];
      if (up > 0) go(s + static_cast<char>(g), up * cl.failure_rate[g]);
    }
    for (std::size_t q = 0; q < m.cc_members.size(); ++q) {
      Seq next = s;
      for (int g : cl.cc_classes[q])
        next.append(static_cast<std::size_t>(static_cast<int>(cl.members[g].size()) - down_in[g]),
                    static_cast<char>(g));
      if (next.size() > s.size()) go(next, m.cc_rate[q]);
    }
    for (std::size_t p = 0; p < s.size() && static_cast<int>(p) < crews; ++p) {
      Seq next = s;
      next.erase(p, 1);
      go(next, cl.repair_rate[static_cast<unsigned char>(s[p])]);
    }
  }
}

/// The stationary distribution of the crew chain (failure_models/stationary), with the method
/// and, where the solver fails, the refusal.
bool stationary(int n, const std::vector<Transition>& trans, std::size_t direct_limit,
                ExactResult& r, std::vector<double>& pi) {
  Stationary st = solve_stationary(n, trans, direct_limit);
  r.method = std::string("continuous-time Markov chain (shared crews or common cause), ") +
             (st.iterative ? "BiCGSTAB" : "sparse LU");
  r.iterations = st.iterations;
  r.residual = st.residual;
  if (!st.solved && !st.iterative) r.refusal = "the chain's matrix could not be factorised\n";
  if (!st.solved && st.iterative)
    r.refusal = "the iterative solver did not converge on the chain's " + fmt_count(n) +
                " states (relative residual " + fmt_count(r.residual) + " after " +
                std::to_string(r.iterations) + " iterations)\n";
  pi = std::move(st.pi);
  return st.solved;
}

/// Most states times event combinations the chain's figures are evaluated on.
constexpr double kMaxEvaluations = 5e7;

/// Shared crews or common cause: the chain of failed-component sequences, with the feeds that
/// have grid events (independent of it) conditioned on, combination by combination.
void solve_chain(const topology::Model& m, const Parts& parts, Targets& targets, bool lump,
                 std::size_t max_states, std::size_t direct_limit, ExactResult& r) {
  const int k = static_cast<int>(parts.failing.size()), nt = targets.count();
  const int crews = m.crews < 0 ? k : m.crews;
  const Classes cl = lump ? exchangeable_classes(m, parts.failing, parts.lam, parts.mu)
                          : singleton_classes(m, parts.failing, parts.lam, parts.mu);
  const int g_count = static_cast<int>(cl.members.size());
  r.states = chain_size(cl, crews);
  r.classes = g_count;
  const std::string shape = std::to_string(k) + " failing components in " +
                            std::to_string(g_count) + " classes of exchangeable units, sharing " +
                            std::to_string(crews) + " crews in first-come order";
  if (r.states > static_cast<double>(max_states)) {
    r.refusal = "the chain would have " + fmt_count(r.states) + " states (" + shape +
                "): more than the " + fmt_count(static_cast<double>(max_states)) +
                " the exact solver takes\n";
    return;
  }
  const int ne = static_cast<int>(parts.events.size());
  if (r.states * std::pow(2.0, ne) > kMaxEvaluations) {
    r.refusal = "the chain's " + fmt_count(r.states) + " states times the 2^" + std::to_string(ne) +
                " combinations of feeds with grid events make more than " +
                fmt_count(kMaxEvaluations) + " states to evaluate\n";
    return;
  }
  std::vector<std::string> states;
  std::vector<Transition> trans;
  build_chain(m, cl, crews, states, trans);
  const int n = static_cast<int>(states.size());
  r.states = n;
  std::vector<double> pi;
  if (!stationary(n, trans, direct_limit, r, pi)) return;
  if (g_count < k) r.method += ", exchangeable units lumped";
  if (ne > 0) r.method += ", grid events conditioned on";

  // Which targets are down in each state and combination of event feeds down (bit i: feed i):
  // the first units of each class are the down ones.
  const std::size_t combos = std::size_t{1} << ne;
  std::vector<std::vector<char>> down_of(combos, std::vector<char>(std::size_t(n) * nt));
  std::vector<char> down(m.n, 0);
  std::vector<int> down_in(g_count);
  for (int s = 0; s < n; ++s) {
    std::fill(down.begin(), down.end(), 0);
    std::fill(down_in.begin(), down_in.end(), 0);
    for (char g : states[s]) {
      const int gi = static_cast<unsigned char>(g);
      down[cl.members[gi][down_in[gi]++]] = 1;
    }
    for (std::size_t e = 0; e < combos; ++e) {
      for (int i = 0; i < ne; ++i) down[parts.events[i]] = (e >> i) & 1;
      const auto& d = targets.evaluate(down);
      std::copy(d.begin(), d.end(), down_of[e].begin() + std::size_t(s) * nt);
    }
  }
  for (std::size_t e = 0; e < combos; ++e) {
    double pe = 1.0;
    for (int i = 0; i < ne; ++i)
      pe *= ((e >> i) & 1) ? parts.u[parts.events[i]] : 1.0 - parts.u[parts.events[i]];
    const auto& d = down_of[e];
    for (int s = 0; s < n; ++s)
      for (int t = 0; t < nt; ++t) {
        if (d[std::size_t(s) * nt + t]) {
          r.unavailability[t] += pe * pi[s];
          continue;
        }
        // A feed's event starting or ending takes the target down.
        for (int i = 0; i < ne; ++i) {
          const int c = parts.events[i];
          const bool is_down = (e >> i) & 1;
          if (down_of[e ^ (std::size_t{1} << i)][std::size_t(s) * nt + t])
            r.frequency[t] += pe * pi[s] * (is_down ? parts.up_rate[c] : parts.down_rate[c]);
        }
      }
    for (const auto& tr : trans)
      for (int t = 0; t < nt; ++t)
        if (!d[std::size_t(tr.from) * nt + t] && d[std::size_t(tr.to) * nt + t])
          r.frequency[t] += pe * pi[tr.from] * tr.rate;
  }
  r.evaluated_states = static_cast<std::size_t>(n) * combos;
}

}  // namespace

ExactResult solve_exact(const topology::Model& m, std::size_t max_states, bool lump,
                        std::size_t direct_limit) {
  ExactResult r;
  r.refusal = markov_refusal(m);
  if (!r.refusal.empty()) return r;
  Targets targets(m);
  const Parts parts(m);
  r.unavailability.assign(targets.count(), 0.0);
  r.frequency.assign(targets.count(), 0.0);
  const int k = static_cast<int>(parts.failing.size());
  const bool shared_crews = m.crews >= 0 && m.crews < k;
  if (shared_crews || !m.cc_members.empty()) {
    solve_chain(m, parts, targets, lump, max_states, direct_limit, r);
    return r;
  }
  r.states = std::pow(2.0, k + static_cast<int>(parts.events.size()));
  if (targets.monotone())
    solve_monotone(m, parts, targets, r);
  else
    solve_enumeration(m, parts, targets, r);
  return r;
}

}  // namespace ridethrough::failure_models
