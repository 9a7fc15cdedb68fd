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
  Admission(const Model& m, const FlowNetwork& fn);

  /// `mode` and `follow` are indexed by component, `candidate` and `admitted` by item.
  void admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, std::vector<std::uint8_t>& admitted);

  /// The state the answer depends on, as a cache key: a byte of mode per member of the
  /// network, a byte of followed input per switch member, a byte per item (asks or not). A
  /// caller that keeps the key up to date as the state changes saves building it each time.
  struct KeyLayout {
    std::vector<int> mode_pos;    ///< per component: its byte, or -1 if not a member
    std::vector<int> follow_pos;  ///< per component: its followed-input byte, or -1
    int item0 = 0;                ///< the first item's byte
    int size = 0;
  };
  const KeyLayout& layout() const { return layout_; }
  /// The key of a state, built from scratch.
  void build_key(const std::vector<Mode>& mode, const std::vector<int>& follow,
                 const std::vector<std::uint8_t>& candidate, std::string& key) const;
  /// admit() with a key the caller kept up to date (it must equal build_key's).
  void admit_keyed(const std::string& key, const std::vector<Mode>& mode,
                   const std::vector<int>& follow, const std::vector<std::uint8_t>& candidate,
                   std::vector<std::uint8_t>& admitted);

  std::uint64_t cache_misses() const { return misses_; }

  /// The most flow that can reach one item on its own, ignoring every other item.
  double max_to(const std::vector<Mode>& mode, const std::vector<int>& follow, int item) const;

 private:
  void solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, std::vector<std::uint8_t>& admitted);

  const Model& m_;
  const FlowNetwork& fn_;
  KeyLayout layout_;
  std::unordered_map<std::string, std::vector<std::uint8_t>> cache_;
  std::string key_;
  std::uint64_t misses_ = 0;
};

}  // namespace ridethrough::topology
