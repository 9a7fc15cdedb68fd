#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::topology {

/// What a component contributes to a network at one instant.
enum class Mode : std::uint8_t {
  Dead = 0,
  Pass = 1,    ///< passes on what its live inputs deliver (a switch: only the input it follows)
  Source = 2,  ///< produces flow itself (utility, running generator, UPS on battery, chiller)
};

/// Greedy admission of a network's items (SPEC "Serving loads"): in order, an item is admitted
/// if one flow from live sources through live components, within every capacity, can carry the
/// full demand of all items admitted so far plus this one. Answers are cached by network state,
/// since a replication revisits the same few failure states again and again.
class Admission {
 public:
  Admission(const Model& m, const FlowNetwork& fn) : m_(m), fn_(fn) {}

  /// `mode` and `follow` are indexed by component, `candidate` and `admitted` by item.
  void admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, std::vector<std::uint8_t>& admitted);

  std::uint64_t cache_misses() const { return misses_; }

 private:
  void solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, std::vector<std::uint8_t>& admitted);

  const Model& m_;
  const FlowNetwork& fn_;
  std::unordered_map<std::string, std::vector<std::uint8_t>> cache_;
  std::string key_;
  std::uint64_t misses_ = 0;
};

}  // namespace ridethrough::topology
