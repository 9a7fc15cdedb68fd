#pragma once
#include <vector>

#include "topology/flow.hpp"
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
  /// True if any critical load is not served.
  bool facility_down(const std::vector<char>& served) const;
  /// True if no capacity can bind in either network: service is then monotone in the set of
  /// components up (more up never serves less).
  bool monotone() const { return m_.power.capacity_free && m_.cooling.capacity_free; }

 private:
  const Model& m_;
  Admission power_, cooling_;
  std::vector<char> live_, draw_ok_;
  std::vector<Mode> mode_;
  std::vector<int> follow_;
  std::vector<std::uint8_t> power_cand_, power_adm_, cool_cand_, cool_adm_;
};

}  // namespace ridethrough::topology
