#include "failure_models/importance.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "topology/capabilities.hpp"
#include "topology/law.hpp"

namespace ridethrough::failure_models {

using topology::Kind;
using topology::LawKind;

std::string importance_refusal(const topology::Model& m) {
  return topology::assess(topology::Analysis::FailureBiasing, m).refusal_text();
}

RegenerativeSim::RegenerativeSim(const topology::Model& m, double bias)
    : m_(m), bias_(bias), eval_(m), lam_(m.n, 0.0), mean_repair_(m.n, 0.0) {
  for (int c = 0; c < m.n; ++c) {
    if (m.failure[c].kind != LawKind::Exponential) continue;
    // A common-cause member's own failures are stretched by 1 / (1 - beta).
    lam_[c] = 1.0 / (m.failure[c].scale * m.life_stretch[c]);
    mean_repair_[c] = m.repair[c].mean();
    failing_.push_back(c);
  }
}

void RegenerativeSim::refresh_targets(double weight, CycleObservation& out) {
  eval_.evaluate(down_, served_);
  const int nt = m_.n_loads + 1;
  for (int t = 0; t < nt; ++t) {
    const bool d = t == 0 ? eval_.facility_down(served_) : !served_[t - 1];
    if (d && !target_down_[t]) {
      out.outages[t] += weight;
      if (t == 0)
        for (int c = 0; c < m_.n; ++c)
          if (down_[c]) out.comp_blamed[c] += weight;
    }
    target_down_[t] = d;
  }
}

void RegenerativeSim::begin_cycle(CycleObservation& out) {
  const int n = m_.n, nt = m_.n_loads + 1;
  out.length = 0.0;
  out.down.assign(nt, 0.0);
  out.outages.assign(nt, 0.0);
  out.comp_down.assign(n, 0.0);
  out.comp_failures.assign(n, 0.0);
  out.comp_blamed.assign(n, 0.0);
  down_.assign(n, 0);
  target_down_.assign(nt, 0);
  repairs_.clear();
  crew_queue_.clear();
  free_crews_ = m_.crews;
  n_down_ = 0;
  t_ = 0.0;
  weight_ = 1.0;
}

/// Component c fails now: a crew starts its repair if one is free, else it queues.
void RegenerativeSim::fail(int c, sim::Rng& rng, CycleObservation& out) {
  down_[c] = 1;
  ++n_down_;
  out.comp_failures[c] += weight_;
  if (free_crews_ < 0 || free_crews_ > 0) {
    if (free_crews_ > 0) --free_crews_;
    repairs_.emplace_back(t_ + sample(m_.repair[c], rng), c);
    std::push_heap(repairs_.begin(), repairs_.end(), kLater);
  } else {
    crew_queue_.push_back(c);
  }
}

/// The failure events possible now with their rates: each failing component while up, and
/// each common-cause group with an up member (index < n: a component; n + g: group g).
double RegenerativeSim::collect_events() {
  events_.clear();
  natural_.clear();
  for (int c : failing_)
    if (!down_[c]) events_.emplace_back(c, lam_[c]);
  for (std::size_t g = 0; g < m_.cc_members.size(); ++g) {
    bool any = false;
    for (int c : m_.cc_members[g]) any = any || !down_[c];
    if (any) events_.emplace_back(m_.n + static_cast<int>(g), m_.cc_rate[g]);
  }
  double total = 0.0;
  for (const auto& ev : events_) natural_.push_back(ev.second), total += ev.second;
  return total;
}

void RegenerativeSim::apply_event(int e, sim::Rng& rng, CycleObservation& out) {
  if (e < m_.n) {
    fail(e, rng, out);
  } else {
    for (int c : m_.cc_members[e - m_.n])
      if (!down_[c]) fail(c, rng, out);
  }
}

/// An event drawn in proportion to its natural rate.
std::size_t RegenerativeSim::pick(sim::Rng& rng, double total) const {
  double x = rng.uniform() * total;
  for (std::size_t i = 0; i < natural_.size(); ++i) {
    x -= natural_[i];
    if (x < 0.0) return i;
  }
  return natural_.size() - 1;
}

/// An event drawn uniformly (balanced), its likelihood ratio folded into the weight.
std::size_t RegenerativeSim::pick_balanced(sim::Rng& rng, double total) {
  const std::size_t k =
      std::min(events_.size() - 1,
               static_cast<std::size_t>(rng.uniform() * static_cast<double>(events_.size())));
  weight_ *= natural_[k] / total * static_cast<double>(events_.size());
  return k;
}

void RegenerativeSim::cycle(sim::Rng& rng, bool biased, CycleObservation& out) {
  begin_cycle(out);
  // The first failure from all up: its time keeps its law (the all-up sojourn is not rare);
  // biased, which event it is is balanced too (uniform), so rare first failures (a
  // transformer among feeds) start as many cycles as common ones.
  const double total = collect_events();
  if (total <= 0.0) {  // nothing can fail: a cycle never ends
    out.length = topology::kUnlimited;
    return;
  }
  t_ = rng.exponential() / total;
  const std::size_t first = biased ? pick_balanced(rng, total) : pick(rng, total);
  apply_event(events_[first].first, rng, out);
  refresh_targets(weight_, out);
  while (n_down_ > 0) step(rng, biased, out);
  out.length = t_;
}

/// Up to the next event while something is down: a failure before the next repair completes,
/// or that repair.
void RegenerativeSim::step(sim::Rng& rng, bool biased, CycleObservation& out) {
  const double lambda = collect_events();
  const double next_repair = repairs_.front().first;
  const double window = next_repair - t_;
  // Does a failure happen before the next repair completes, and when? Under the true law the
  // probability is p = 1 - exp(-lambda window). Biased (while the facility is still up), it is
  // raised to at least `bias_`, the failure time keeps its law conditioned on falling in the
  // window, and the failing event is drawn uniformly (balanced). Every likelihood-ratio factor
  // is then bounded, whatever the repair law: no exponential tilting over repair times.
  const double p = lambda > 0.0 ? -std::expm1(-lambda * window) : 0.0;
  const bool bias_now = biased && !target_down_[0] && lambda > 0.0 && p < bias_;
  const double q = bias_now ? bias_ : p;
  std::size_t chosen = 0;
  bool failure = false;
  double end = next_repair;
  if (q > 0.0 && rng.uniform() < q) {
    failure = true;
    // Exponential(lambda) conditioned on falling in [0, window): inverse of its CDF.
    const double v = rng.uniform();
    end = std::min(next_repair, t_ - std::log1p(-v * p) / lambda);
    if (bias_now) {
      weight_ *= p / q;
      chosen = pick_balanced(rng, lambda);
    } else {
      chosen = pick(rng, lambda);
    }
  } else if (bias_now) {
    weight_ *= (1.0 - p) / (1.0 - q);
  }
  // The interval's observations are known once it ends: weight them with the likelihood ratio
  // of the path up to then (a stopping time), which keeps the estimate unbiased.
  const double dt = end - t_;
  t_ = end;
  for (int k = 0; k < m_.n_loads + 1; ++k)
    if (target_down_[k]) out.down[k] += weight_ * dt;
  for (int c = 0; c < m_.n; ++c)
    if (down_[c]) out.comp_down[c] += weight_ * dt;
  if (failure)
    apply_event(events_[chosen].first, rng, out);
  else
    complete_repair(rng);
  refresh_targets(weight_, out);
}

/// The next repair completes; its crew takes the first queued component, if any.
void RegenerativeSim::complete_repair(sim::Rng& rng) {
  std::pop_heap(repairs_.begin(), repairs_.end(), kLater);
  const int c = repairs_.back().second;
  repairs_.pop_back();
  down_[c] = 0;
  --n_down_;
  if (!crew_queue_.empty()) {
    const int next = crew_queue_.front();
    crew_queue_.erase(crew_queue_.begin());
    repairs_.emplace_back(t_ + sample(m_.repair[next], rng), next);
    std::push_heap(repairs_.begin(), repairs_.end(), kLater);
  } else if (free_crews_ >= 0) {
    ++free_crews_;
  }
}

void CycleStats::resize(int targets, int components) {
  down.resize(targets);
  outages.resize(targets);
  comp_down.resize(components);
  comp_failures.resize(components);
  comp_blamed.resize(components);
}

void CycleStats::add_biased(const CycleObservation& o) {
  for (std::size_t t = 0; t < down.size(); ++t) {
    down[t].add(o.down[t]);
    outages[t].add(o.outages[t]);
  }
  for (std::size_t c = 0; c < comp_down.size(); ++c) {
    comp_down[c].add(o.comp_down[c]);
    comp_failures[c].add(o.comp_failures[c]);
    comp_blamed[c].add(o.comp_blamed[c]);
  }
}

void CycleStats::add_plain(const CycleObservation& o) {
  length.add(o.length);
}

void CycleStats::merge(const CycleStats& o) {
  length.merge(o.length);
  for (std::size_t t = 0; t < down.size(); ++t) {
    down[t].merge(o.down[t]);
    outages[t].merge(o.outages[t]);
  }
  for (std::size_t c = 0; c < comp_down.size(); ++c) {
    comp_down[c].merge(o.comp_down[c]);
    comp_failures[c].merge(o.comp_failures[c]);
    comp_blamed[c].merge(o.comp_blamed[c]);
  }
}

void CycleStats::save(sim::Archive& a) const {
  length.save(a);
  for (const auto* v : {&down, &outages, &comp_down, &comp_failures, &comp_blamed})
    for (const auto& m : *v) m.save(a);
}

void CycleStats::load(sim::Archive& a) {
  length.load(a);
  for (auto* v : {&down, &outages, &comp_down, &comp_failures, &comp_blamed})
    for (auto& m : *v) m.load(a);
}

}  // namespace ridethrough::failure_models
