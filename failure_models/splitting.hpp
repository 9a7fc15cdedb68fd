#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "failure_models/facility.hpp"
#include "sim/archive.hpp"
#include "sim/stats.hpp"
#include "topology/model.hpp"

namespace ridethrough::failure_models {

/// How close a replication is to a facility outage, from the design's structure and rates.
/// Each component weighs -ln q, q how likely it is to be down when it matters (its share of
/// time under repair, or its failure on demand if larger). Over the minimal cut sets of the
/// critical loads (order <= 3), the value is the largest share of a set's weight already
/// down, below 1; once some set is wholly down it grows from 1 towards 2 as the last
/// ride-through store drains (a UPS on battery, a load's thermal budget); it is 2 while the
/// facility is down. Weighing by rarity puts "one transformer of a pair down" and "the utility
/// down" where their chances of going on to an outage are alike, which a count of components
/// would not. Any function of the state gives an unbiased splitting estimate; this one decides
/// only how efficient it is. Without cut sets (none of order <= 3) only the drain counts.
class ImportanceFunction {
 public:
  explicit ImportanceFunction(const topology::Model& m);
  double value(const FacilitySim& s) const;
  /// The chance, from the components' q alone, that the state goes on to an importance of at
  /// least `h` (h <= depth()): exp(-the least weight of up components whose failure would
  /// take some cut set's share there).
  double chance_to_reach(const FacilitySim& s, double h) const;
  /// Where the drain begins: 1, or 0 without cut sets.
  int depth() const { return depth_; }
  std::size_t cut_sets() const { return sets_.size(); }
  /// Where thresholds may go: every 1 / kSteps up to the outage at depth() + 1.
  std::vector<double> candidates() const;
  static constexpr int kSteps = 20;

 private:
  std::vector<std::vector<int>> sets_;
  std::vector<double> weight_, total_;
  std::vector<char> standby_;  ///< generators with a standby life
  int depth_ = 0;
};

/// RESTART thresholds: a trajectory that rises through threshold i is split into factor[i]
/// copies (raised for the state at hand below the drain, see SplittingSim::factor); the copies
/// made there die when they fall below it again. The region of a state is the number of
/// thresholds at or below its importance, and what happens in region k counts with weight
/// 1 / (the factors of the thresholds crossed on the way there).
struct SplittingPlan {
  std::vector<double> threshold;
  std::vector<int> factor;
  int region(double f) const;
};

/// One replication's weighted observations. Targets: the facility, then each load.
struct SplitObservation {
  std::vector<double> down;     ///< hours down within the span, weighted
  std::vector<double> outages;  ///< outages begun within the span, weighted
  /// Pilot only, per candidate threshold: up-crossings weighted, and as counted.
  std::vector<double> crossings;
  std::vector<std::uint64_t> crossing_counts;
  std::uint64_t events = 0;
  std::uint64_t trials = 0;  ///< trajectories simulated (the main one and every copy)
};

/// Runs replications by RESTART splitting on the real facility simulation (every behaviour:
/// generators, switches, UPS, chillers, maintenance, spares, crews). A replication is a pure
/// function of (plan, seed, index): copies take their random streams from a counter of the
/// copies made so far in the replication, explored depth first.
class SplittingSim {
 public:
  SplittingSim(const topology::Model& m, const ImportanceFunction& f);
  void replication(const SplittingPlan& plan, std::uint64_t seed, std::uint64_t index,
                   bool count_candidates, SplitObservation& out);

 private:
  static constexpr double kMaxFactor = 10000.0;
  static constexpr std::uint64_t kRaiseBudget = 20000, kStopBudget = 200000;  ///< copies
  int factor(const FacilitySim& s, int level) const;
  void rise(FacilitySim& s, std::vector<double>& weights, int to, double f);
  void spawn(FacilitySim& s, const std::vector<double>& weights, const std::vector<int>& factors,
             int from, int to, double f);
  void resplit(FacilitySim& s, std::vector<double>& weights, double f);
  void trial(FacilitySim& s, int born, std::vector<double> weights, double f);
  void count_crossings(double from, double to, double weight);
  void accrue(const FacilitySim& s, double to, double weight);

  const topology::Model& m_;
  const ImportanceFunction& f_;
  FacilitySim root_;
  std::vector<double> candidates_;
  const SplittingPlan* plan_ = nullptr;
  SplitObservation* out_ = nullptr;
  std::uint64_t seed_ = 0, index_ = 0, copies_ = 0;
  bool count_ = false;
  ReplicationResult scratch_;
  std::vector<char> load_was_down_;
};

/// Per-replication statistics of a splitting run, merged in block order.
struct SplitStats {
  std::vector<sim::Moments> down, outages;
  sim::Moments trials;
  std::uint64_t events = 0;
  void resize(int targets);
  void add(const SplitObservation& o);
  void merge(const SplitStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

/// What the pilot found: the plan, and how it got there.
struct PilotResult {
  SplittingPlan plan;
  std::uint64_t replications = 0;  ///< pilot replications simulated
  int stages = 0;
  bool reached_outage = false;  ///< the pilot saw enough outages to place every threshold
};

/// Places thresholds and factors by pilot runs on streams of their own (so the estimate that
/// follows stays unbiased). If the first stage, plain replications, already sees `min_count`
/// outages, the plan stays empty: the run is then plain sampling. Each stage runs replications with
/// the plan found so far, counts weighted up-crossings of every candidate, and extends the plan up
/// to the highest candidate crossed at least `min_count` times, putting a threshold wherever the
/// expected crossings have fallen by `ratio` since the previous one, with factor 1 / (that fall).
PilotResult plan_splitting(const topology::Model& m, const ImportanceFunction& f,
                           std::uint64_t seed, double ratio = 0.15, int min_count = 20,
                           std::uint64_t max_replications = 1u << 18);

}  // namespace ridethrough::failure_models
