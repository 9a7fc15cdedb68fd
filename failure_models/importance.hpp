#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/archive.hpp"
#include "sim/rng.hpp"
#include "sim/stats.hpp"
#include "topology/model.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::failure_models {

/// Every reason a design cannot use failure biasing, one per line; empty if it can (the declared
/// capabilities, topology/capabilities.cpp). It needs exponential failure laws (repairs may
/// follow any law), and no dynamics beyond failures and repairs: the all-up state must be a
/// regeneration point.
std::string importance_refusal(const topology::Model& m);

/// Per-cycle observations of one regenerative cycle (from all up to all up again). Biased
/// cycles carry the likelihood ratio in their weights; plain cycles have weight 1.
struct CycleObservation {
  double length = 0.0;                ///< hours
  std::vector<double> down, outages;  ///< per target (facility, then loads): weighted
  std::vector<double> comp_down, comp_failures, comp_blamed;  ///< per component: weighted
};

/// Simulates regenerative cycles with balanced failure biasing (Shahabuddin 1994): while some
/// component is down and the facility is still up, the probability that a failure happens
/// before the next repair completes (known, since repair times are drawn when repairs start)
/// is raised to at least `bias`, and the failing event (an up component, or a common-cause
/// shock) is drawn uniformly. The likelihood ratio is tracked exactly; its factors are bounded
/// whatever the repair law, which keeps the relative error bounded as failures get rarer.
class RegenerativeSim {
 public:
  RegenerativeSim(const topology::Model& m, double bias);
  /// One cycle from all up; `biased` selects importance sampling.
  void cycle(sim::Rng& rng, bool biased, CycleObservation& out);

 private:
  void refresh_targets(double weight, CycleObservation& out);
  void begin_cycle(CycleObservation& out);
  void fail(int c, sim::Rng& rng, CycleObservation& out);
  double collect_events();
  void apply_event(int e, sim::Rng& rng, CycleObservation& out);
  std::size_t pick(sim::Rng& rng, double total) const;
  std::size_t pick_balanced(sim::Rng& rng, double total);
  void step(sim::Rng& rng, bool biased, CycleObservation& out);
  void complete_repair(sim::Rng& rng);
  static constexpr std::greater<std::pair<double, int>> kLater{};

  const topology::Model& m_;
  double bias_;
  topology::StaticEvaluator eval_;
  std::vector<double> lam_, mean_repair_;
  std::vector<char> down_, target_down_;
  std::vector<int> failing_;
  std::vector<std::pair<double, int>> repairs_;  ///< (completion time, component), a heap
  std::vector<int> crew_queue_;
  std::vector<char> served_;
  // The cycle under way: its clock, likelihood ratio, free crews (-1: unlimited), components
  // down, and the failure events possible now with their natural rates.
  double t_ = 0.0, weight_ = 1.0;
  int free_crews_ = -1, n_down_ = 0;
  std::vector<std::pair<int, double>> events_;
  std::vector<double> natural_;
};

/// Sums of cycle observations, merged in block order like the other statistics.
struct CycleStats {
  sim::Moments length;
  std::vector<sim::Moments> down, outages, comp_down, comp_failures, comp_blamed;
  void resize(int targets, int components);
  void add_biased(const CycleObservation& o);
  void add_plain(const CycleObservation& o);
  void merge(const CycleStats& o);
  void save(sim::Archive& a) const;
  void load(sim::Archive& a);
};

}  // namespace ridethrough::failure_models
