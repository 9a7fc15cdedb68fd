// RESTART splitting on the facility simulation: the importance function, one replication as a
// tree of trajectories explored depth first, and the pilot that places thresholds.
#include "failure_models/splitting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "sim/rng.hpp"
#include "topology/cut_sets.hpp"
#include "topology/features.hpp"

namespace ridethrough::failure_models {

namespace {
/// Stream ids of the copies (far from the ids of components, shocks and grid classes).
constexpr std::uint64_t kCopyStreams = 0x5851f42d4c957f2dULL;
/// The pilot's seeds, apart from the estimate's.
constexpr std::uint64_t kPilotStream = 0x14057b7ef767814fULL;
/// Below this many components the cut sets of order 3 are cheap enough to find (campus
/// scale takes seconds, see README).
constexpr int kOrder3Components = 5000;
}  // namespace

// ---------------------------------------------------------------------------------------------
// Importance function

ImportanceFunction::ImportanceFunction(const topology::Model& m) {
  std::set<std::vector<int>> sets;
  for (const auto& l : topology::minimal_cut_sets(m, m.n <= kOrder3Components ? 3 : 2)) {
    for (int c : l.singles) sets.insert({c});
    for (const auto& [a, b] : l.pairs) sets.insert({std::min(a, b), std::max(a, b)});
    for (const auto& t : l.triples) {
      std::vector<int> v(t.begin(), t.end());
      std::sort(v.begin(), v.end());
      sets.insert(v);
    }
  }
  sets_.assign(sets.begin(), sets.end());
  depth_ = sets_.empty() ? 0 : 1;
  // A component's weight: -ln of how likely it is to be down when it matters: its share of
  // time under repair (a generator's life counts in running hours), or its failure to start.
  weight_.assign(m.n, 0.0);
  standby_.assign(m.n, 0);
  for (int c = 0; c < m.n; ++c) standby_[c] = m.standby_failure[c].kind != topology::LawKind::Never;
  for (int c = 0; c < m.n; ++c) {
    // Failures, grid events and maintenance (topology::steady_unavailability); a component
    // that cannot be down weighs the most.
    double q = topology::steady_unavailability(m, c);
    // A generator is asked to run only when a cut set with it is under way: its failure to
    // start counts in full. A switch's failure to transfer does not: it happens only while
    // the utility is out, which a cut set without the utility does not ask for.
    q = std::max(q, m.start_fail_prob[c]);
    weight_[c] = -std::log(std::clamp(q, 1e-20, 0.5));
  }
  total_.clear();
  for (const auto& s : sets_) {
    double t = 0.0;
    for (int c : s) t += weight_[c];
    total_.push_back(t);
  }
}

double ImportanceFunction::value(const FacilitySim& s) const {
  if (s.facility_down()) return depth_ + 1.0;
  double f = 0.0;
  for (std::size_t k = 0; k < sets_.size(); ++k) {
    double down = 0.0;
    int up = 0;
    for (int c : sets_[k])
      if (s.component_down(c))
        down += weight_[c];
      else
        ++up;
    if (up == 0) {
      f = depth_;
      break;
    }
    // Below 1 until the set is wholly down, whatever rounding does.
    f = std::max(f, std::min(down / total_[k], 1.0 - 1e-9));
  }
  if (f >= depth_) {
    const double left = s.ride_through_left();
    if (left >= 0.0) f += std::min(1.0 - left, 1.0 - 1e-12);
  }
  return f;
}

double ImportanceFunction::chance_to_reach(const FacilitySim& s, double h) const {
  double least = std::numeric_limits<double>::infinity();
  int up[3];
  for (std::size_t k = 0; k < sets_.size(); ++k) {
    double down = 0.0;
    int n = 0;
    bool blocked = false;  // a member that cannot fail as things stand
    for (int c : sets_[k])
      if (s.component_down(c))
        down += weight_[c];
      else if (!standby_[c] && s.idle_generator(c))
        blocked = true;
      else
        up[n++] = c;
    const double need = h * total_[k] - down;
    if (h < depth_ && need <= 1e-12) return 1.0;  // there already
    if (n == 0 && !blocked) return 1.0;           // complete
    // With a member that cannot fail now, only the others count and the set cannot be
    // completed from here.
    if (blocked && h >= depth_) continue;
    // Every non-empty subset of the (at most three) components still up.
    for (int mask = 1; mask < (1 << n); ++mask) {
      double w = 0.0;
      for (int i = 0; i < n; ++i)
        if (mask & (1 << i)) w += weight_[up[i]];
      const bool all = mask == (1 << n) - 1;
      if (h >= depth_ ? all : w >= need - 1e-12) least = std::min(least, w);
    }
  }
  // No set can go on by failures alone (it waits for a demand): leave it to the pilot.
  return std::isfinite(least) ? std::exp(-least) : 1.0;
}

std::vector<double> ImportanceFunction::candidates() const {
  std::vector<double> c;
  for (int j = 1; j <= kSteps * depth_; ++j) c.push_back(static_cast<double>(j) / kSteps);
  for (int j = 1; j < kSteps; ++j) c.push_back(depth_ + static_cast<double>(j) / kSteps);
  c.push_back(depth_ + 1.0);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Plan

int SplittingPlan::region(double f) const {
  return static_cast<int>(std::upper_bound(threshold.begin(), threshold.end(), f) -
                          threshold.begin());
}

// ---------------------------------------------------------------------------------------------
// One replication

SplittingSim::SplittingSim(const topology::Model& m, const ImportanceFunction& f)
    : m_(m), f_(f), root_(m), candidates_(f.candidates()) {}

void SplittingSim::replication(const SplittingPlan& plan, std::uint64_t seed, std::uint64_t index,
                               bool count_candidates, SplitObservation& out) {
  plan_ = &plan;
  out_ = &out;
  seed_ = seed;
  index_ = index;
  copies_ = 0;
  count_ = count_candidates;
  const int targets = m_.n_loads + 1;
  out.down.assign(targets, 0.0);
  out.outages.assign(targets, 0.0);
  out.crossings.assign(count_ ? candidates_.size() : 0, 0.0);
  out.crossing_counts.assign(count_ ? candidates_.size() : 0, 0);
  out.events = 0;
  out.trials = 1;
  root_.begin(seed, index, scratch_);
  const double f = f_.value(root_);
  std::vector<double> weights{1.0};
  // A design already past thresholds at t = 0 (down from the start) splits there.
  rise(root_, weights, plan.region(f), f);
  trial(root_, 0, std::move(weights), f);
}

/// Counts the candidates in (from, to] as crossed upwards, each with `weight`.
void SplittingSim::count_crossings(double from, double to, double weight) {
  if (!count_ || to <= from) return;
  auto it = std::upper_bound(candidates_.begin(), candidates_.end(), from);
  for (; it != candidates_.end() && *it <= to; ++it) {
    const auto k = static_cast<std::size_t>(it - candidates_.begin());
    out_->crossings[k] += weight;
    ++out_->crossing_counts[k];
  }
}

/// Downtime from the state's clock to `to`, within the measured span.
void SplittingSim::accrue(const FacilitySim& s, double to, double weight) {
  const double a = std::max(s.now(), s.span_start()), b = std::min(to, s.span_end());
  if (b <= a) return;
  const double h = (b - a) * weight;
  if (s.facility_down()) out_->down[0] += h;
  for (int l = 0; l < m_.n_loads; ++l)
    if (s.load_is_down(l)) out_->down[l + 1] += h;
}

/// The factor of threshold `level` (1-based) for a trajectory crossing it in state `s`. Below
/// the drain the pilot's factor is raised to 1 / (the chance, from the components' q, of
/// reaching the next threshold from this very state): one transformer of a pair down can go
/// on only by the other failing, rare, where the utility down goes on by a generator failing,
/// much likelier; a factor per threshold alone would split both alike. Any factor that depends
/// only on the trajectory so far keeps the estimate unbiased.
int SplittingSim::factor(const FacilitySim& s, int level) const {
  // Budgets keep a design whose thresholds are crossed all the time (maintenance windows,
  // chillers) from running away: past the first, factors are the pilot's; past the second,
  // nothing splits. A factor may depend on the replication so far, siblings included, since
  // it is fixed before the copies it makes run.
  if (copies_ >= kStopBudget) return 1;
  const int pilot = plan_->factor[level - 1];
  if (copies_ >= kRaiseBudget) return pilot;
  const double depth = f_.depth();
  if (plan_->threshold[level - 1] >= depth) return pilot;
  const auto n = static_cast<int>(plan_->threshold.size());
  const double next = level < n ? std::min(plan_->threshold[level], depth) : depth;
  const double p = f_.chance_to_reach(s, next);
  const double r = p > 1.0 / kMaxFactor ? std::round(1.0 / p) : kMaxFactor;
  return static_cast<int>(std::clamp(std::max(static_cast<double>(pilot), r), 2.0, kMaxFactor));
}

/// Rises to region `to`: the factors of the thresholds crossed, from this state, extend the
/// weights, and the copies owed are made and followed.
void SplittingSim::rise(FacilitySim& s, std::vector<double>& weights, int to, double f) {
  const int from = static_cast<int>(weights.size()) - 1;
  if (to <= from) return;
  std::vector<int> factors(to + 1, 1);
  for (int level = from + 1; level <= to; ++level) {
    factors[level] = factor(s, level);
    weights.push_back(weights.back() / factors[level]);
  }
  spawn(s, weights, factors, from, to, f);
}

/// The copies owed for rising from region `from` to region `to`: factor - 1 copies born at
/// each threshold crossed, each of which owes the copies of the thresholds above its own. All
/// of them are in region `to` with the same weights as the trajectory they come from.
void SplittingSim::spawn(FacilitySim& s, const std::vector<double>& weights,
                         const std::vector<int>& factors, int from, int to, double f) {
  for (int level = from + 1; level <= to; ++level)
    for (int r = 1; r < factors[level]; ++r) {
      FacilitySim copy(s);
      copy.rebranch(sim::stream_key(seed_, index_, kCopyStreams + ++copies_));
      ++out_->trials;
      spawn(copy, weights, factors, level, to, f);
      trial(copy, level, weights, f);
    }
}

/// Splits again, within its region, a trajectory whose way on has become rarer than the factor
/// it was split by: the utility was out when one transformer failed, and the utility is back.
/// The copies are born at the region's threshold and the weight is shared among them, which
/// keeps the estimate unbiased like any split at a moment the trajectory so far decides.
void SplittingSim::resplit(FacilitySim& s, std::vector<double>& weights, double f) {
  const int region = static_cast<int>(weights.size()) - 1;
  if (region == 0 || plan_->threshold[region - 1] >= f_.depth() || copies_ >= kRaiseBudget) return;
  const double applied = weights[region - 1] / weights[region];
  const double need = factor(s, region);
  if (need < 2.0 * applied) return;
  const auto extra = static_cast<int>(std::round(need / applied));
  weights[region] /= extra;
  for (int r = 1; r < extra; ++r) {
    FacilitySim copy(s);
    copy.rebranch(sim::stream_key(seed_, index_, kCopyStreams + ++copies_));
    ++out_->trials;
    trial(copy, region, weights, f);
  }
}

/// Follows one trajectory until the span ends or (a copy) it falls below the threshold it was
/// born at. `f` is its importance now; weights[k] is its weight in region k, up to its region.
void SplittingSim::trial(FacilitySim& s, int born, std::vector<double> weights, double f) {
  const int depth = f_.depth();
  const auto thresholds = static_cast<int>(plan_->threshold.size());
  const double end = s.span_end();
  const std::uint64_t events_before = s.events();
  for (;;) {
    const int region = static_cast<int>(weights.size()) - 1;
    const double w = weights.back();
    const double next = s.next_time();
    double stop = std::min(next, end);
    // A store draining once a cut set is down: the next threshold may be crossed between
    // events, and the trajectory splits there.
    const bool draining = f >= depth && f < depth + 1.0 && !s.facility_down();
    bool crossing = false;
    double h = 0.0;
    if (draining && region < thresholds && plan_->threshold[region] < depth + 1.0) {
      h = plan_->threshold[region];
      const double t = s.ride_through_reaches(1.0 - (h - depth));
      if (t < stop) stop = t, crossing = true;
    }
    accrue(s, stop, w);
    if (draining) {
      s.advance_to(stop);
      double g = f_.value(s);
      if (crossing) g = std::max(g, h);
      count_crossings(f, g, w);
      f = g;
    }
    if (crossing) {
      rise(s, weights, std::max(plan_->region(f), region + 1), f);
      continue;
    }
    if (next >= end) break;
    const bool was_down = s.facility_down();
    if (m_.n_loads > 0) {
      load_was_down_.resize(m_.n_loads);
      for (int l = 0; l < m_.n_loads; ++l) load_was_down_[l] = s.load_is_down(l);
    }
    s.step();
    if (s.now() >= s.span_start()) {
      if (!was_down && s.facility_down()) out_->outages[0] += w;
      for (int l = 0; l < m_.n_loads; ++l)
        if (!load_was_down_[l] && s.load_is_down(l)) out_->outages[l + 1] += w;
    }
    const double g = f_.value(s);
    count_crossings(f, g, w);
    f = g;
    const int to = plan_->region(f);
    if (to < born) break;  // a copy falls below its threshold: it ends here
    if (to > region) {
      rise(s, weights, to, f);
    } else {
      weights.resize(to + 1);
      resplit(s, weights, f);
    }
  }
  out_->events += s.events() - events_before;
}

// ---------------------------------------------------------------------------------------------
// Statistics

void SplitStats::resize(int targets) {
  down.assign(targets, {});
  outages.assign(targets, {});
}

void SplitStats::add(const SplitObservation& o) {
  for (std::size_t t = 0; t < down.size(); ++t) {
    down[t].add(o.down[t]);
    outages[t].add(o.outages[t]);
  }
  trials.add(static_cast<double>(o.trials));
  events += o.events;
}

void SplitStats::merge(const SplitStats& o) {
  for (std::size_t t = 0; t < down.size(); ++t) {
    down[t].merge(o.down[t]);
    outages[t].merge(o.outages[t]);
  }
  trials.merge(o.trials);
  events += o.events;
}

void SplitStats::save(sim::Archive& a) const {
  for (std::size_t t = 0; t < down.size(); ++t) down[t].save(a), outages[t].save(a);
  trials.save(a);
  a.put(events);
}

void SplitStats::load(sim::Archive& a) {
  for (std::size_t t = 0; t < down.size(); ++t) down[t].load(a), outages[t].load(a);
  trials.load(a);
  a.get(events);
}

// ---------------------------------------------------------------------------------------------
// Pilot

PilotResult plan_splitting(const topology::Model& m, const ImportanceFunction& f,
                           std::uint64_t seed, double ratio, int min_count,
                           std::uint64_t max_replications) {
  PilotResult result;
  SplittingSim sim(m, f);
  const std::vector<double> cand = f.candidates();
  const std::size_t nc = cand.size();
  const std::uint64_t pilot_seed = sim::stream_key(seed, 0, kPilotStream);
  std::uint64_t batch = 256, next_index = 0;
  int frontier_before = -1;
  SplitObservation o;
  for (int stage = 0; stage < 64; ++stage) {
    ++result.stages;
    std::vector<double> e(nc, 0.0);
    std::vector<std::uint64_t> n(nc, 0);
    // The first stage is plain sampling and cheap: a larger batch tells rare from not.
    const std::uint64_t reps = stage == 0 ? 16 * batch : batch;
    for (std::uint64_t i = 0; i < reps; ++i) {
      sim.replication(result.plan, pilot_seed, next_index++, true, o);
      for (std::size_t k = 0; k < nc; ++k) e[k] += o.crossings[k], n[k] += o.crossing_counts[k];
    }
    result.replications += reps;
    int frontier = -1;
    for (std::size_t k = 0; k < nc; ++k)
      if (n[k] >= static_cast<std::uint64_t>(min_count)) frontier = static_cast<int>(k);
    // Outages that plain replications see often enough are not rare: nothing to split.
    if (stage == 0 && frontier == static_cast<int>(nc) - 1) {
      result.reached_outage = true;
      break;
    }
    // Thresholds up to the frontier. Each is placed as high as it can go without losing
    // crossings, the next where the expected crossings have fallen by `ratio`, and each
    // threshold's factor makes up for the fall to the next one (to the frontier for the
    // last): RESTART's factor 1 / P(next | this).
    std::vector<int> at;
    for (int k = 0; k <= frontier;) {
      if (e[k] <= 0.0) {
        ++k;
        continue;
      }
      while (k < frontier && e[k + 1] >= 0.99 * e[k]) ++k;
      at.push_back(k);
      int next = k + 1;
      while (next <= frontier && e[next] > ratio * e[k]) ++next;
      k = next;
    }
    SplittingPlan plan;
    for (std::size_t i = 0; i < at.size(); ++i) {
      const int below = i + 1 < at.size() ? at[i + 1] : frontier;
      double factor = std::round(e[at[i]] / e[below]);
      // A threshold at the frontier (nothing seen above it yet) splits by 1 / ratio, so that
      // the next stage sees further; not the outage itself, which has nothing above.
      if (at[i] == frontier && frontier + 1 < static_cast<int>(nc))
        factor = std::round(1.0 / ratio);
      if (factor < 2.0) continue;
      plan.threshold.push_back(cand[at[i]]);
      plan.factor.push_back(static_cast<int>(std::min(factor, 1000.0)));
    }
    result.plan = plan;
    if (frontier == static_cast<int>(nc) - 1) {
      result.reached_outage = true;
      break;
    }
    if (frontier <= frontier_before) {
      if (result.replications + 4 * batch > max_replications) break;
      batch *= 4;
    }
    frontier_before = std::max(frontier, frontier_before);
  }
  return result;
}

}  // namespace ridethrough::failure_models
