#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "topology/flow.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace ridethrough::topology {

/// Which loads are served when a given set of components is down and every other is up,
/// with the simulation's admission rule (capacities, draws first, critical before flexible)
/// but ignoring delays and ride-through: generators run if up, switches follow their first
/// live input, a UPS passes power only while fed, chillers run while powered.
class StaticEvaluator {
 public:
  explicit StaticEvaluator(const Model& m);
  /// `down` and `served` are indexed by component and load.
  void evaluate(const std::vector<char>& down, std::vector<char>& served);
  /// The same, with only the components of `scope` (in topological order, closed upstream)
  /// able to be live: what it says of the loads whose paths and capacity competitors lie in the
  /// scope is exact, the rest is meaningless. Costs O(scope + items), not O(components).
  void evaluate(const std::vector<char>& down, std::vector<char>& served,
                const std::vector<int>& scope);
  /// The most power that can reach load `l` on its own with `down` down (ignoring every other
  /// load and draw), for explaining why it is not served.
  double deliverable(int l, const std::vector<char>& down);
  /// True if any critical load is not served.
  bool facility_down(const std::vector<char>& served) const;
  /// True if no capacity can bind in either network: service is then monotone in the set of
  /// components up (more up never serves less).
  bool monotone() const { return m_.power.capacity_free && m_.cooling.capacity_free; }

 private:
  const Model& m_;
  Admission power_, cooling_;
  void settle(const std::vector<char>& down, const std::vector<int>& order);
  void serve(std::vector<char>& served);
  std::vector<char> live_, draw_ok_;
  bool all_dirty_ = false;  ///< a full evaluation left states outside any scope
  std::vector<Mode> mode_;
  std::vector<int> follow_;
  std::vector<std::uint8_t> power_cand_, power_adm_, cool_cand_, cool_adm_;
  Admitted admitted_;
};

/// Why load `l` is not served with `down` down, in words ("at most 500 kW reaches it, it
/// needs 600 kW"; "no live path reaches it"; or what else stands in its way).
std::string why_not_served(StaticEvaluator& eval, const Model& m, int l,
                           const std::vector<char>& down);

/// A critical load that cannot be served even with every component up is a mistake in the
/// design (capacities too small, or cooling that cannot carry it): one error per such load,
/// at its line.
std::vector<Diagnostic> unservable_loads(const Design& d, const Model& m);

/// A StaticEvaluator that remembers what it served for each set of components down. The static
/// rule is a pure function of that set, and a simulation asks about the same few sets again
/// and again (deferred maintenance asks whether a window is safe at every change of state), so
/// the answers are those of the evaluator, only cheaper. Bounded: forgets everything past
/// 100,000 sets.
class MemoEvaluator {
 public:
  explicit MemoEvaluator(const Model& m) : eval_(m) {}
  /// What is served with `down` down; valid until the next call.
  const std::vector<char>& served(const std::vector<char>& down);

 private:
  StaticEvaluator eval_;
  std::unordered_map<std::string, std::vector<char>> memo_;
  std::string key_;
};

}  // namespace ridethrough::topology
