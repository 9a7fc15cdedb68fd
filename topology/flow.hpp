#pragma once
#include <cstdint>
#include <memory>
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

/// One admission of a network's items: which are admitted, what share of its demand each
/// divisible item gets, and, during a grid call, what the call costs.
struct Admitted {
  std::vector<std::uint8_t> item;  ///< admitted (a divisible item: any share above 0)
  std::vector<double> share;       ///< share of the demand admitted (1 for whole items)
  double excess = 0.0;             ///< kW that critical items import above the call's limit
  double shed = 0.0;               ///< kW of flexible demand given up because of the call
};

/// Greedy admission of a network's items (SPEC "Serving loads"): in order, an item is admitted
/// if one flow from live sources through live components, within every capacity, can carry the
/// full demand of all items admitted so far plus this one; a divisible flexible item takes the
/// largest share (or number of blocks) that fits. During a grid call the import from the grid
/// sources is capped at the call's limit once the draws and critical loads are in (they are
/// never shed for a call; what they import above the limit is the excess). Answers are cached
/// by network state, since a replication revisits the same few states again and again.
class Admission {
 public:
  Admission(const Model& m, const FlowNetwork& fn);

  /// `mode` and `follow` are indexed by component, `candidate` by item. `state`: bit 0 a grid
  /// call under way, the other bits the weather level (capacities derated with the ambient).
  void admit(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, int state, Admitted& out);

  /// The state the answer depends on, as a cache key: a byte of mode per member of the
  /// network, a byte of followed input per switch member, a byte per item (asks or not), and
  /// a byte for a grid call. A caller that keeps the key up to date as the state changes saves
  /// building it each time.
  struct KeyLayout {
    std::vector<int> mode_pos;    ///< per component: its byte, or -1 if not a member
    std::vector<int> follow_pos;  ///< per component: its followed-input byte, or -1
    int item0 = 0;                ///< the first item's byte
    int call = 0;                 ///< the grid call's byte
    int size = 0;
  };
  const KeyLayout& layout() const { return layout_; }
  /// The followed-input byte of a switch: what it follows while it passes flow, and one value
  /// for any dead switch (what a dead switch follows changes nothing, and can change on the way,
  /// a transfer completing onto a dead input, without any other change to see).
  static char follow_byte(Mode mode, int follow) {
    return mode == Mode::Dead ? static_cast<char>(-1) : static_cast<char>(follow);
  }
  /// The key of a state, built from scratch.
  void build_key(const std::vector<Mode>& mode, const std::vector<int>& follow,
                 const std::vector<std::uint8_t>& candidate, int state, std::string& key) const;
  /// admit() with a key the caller kept up to date (it must equal build_key's).
  void admit_keyed(const std::string& key, const std::vector<Mode>& mode,
                   const std::vector<int>& follow, const std::vector<std::uint8_t>& candidate,
                   int state, Admitted& out);

  std::uint64_t cache_misses() const { return misses_; }
  /// Use the other admission's cache from now on: for an admission of the same network
  /// (same_network), whose answers are the same for every key. Not thread-safe: only for
  /// admissions used by one thread.
  void share_cache(const Admission& other) { cache_ = other.cache_; }

  /// The most flow that can reach one item on its own, ignoring every other item.
  double max_to(const std::vector<Mode>& mode, const std::vector<int>& follow, int item) const;

 private:
  void solve(const std::vector<Mode>& mode, const std::vector<int>& follow,
             const std::vector<std::uint8_t>& candidate, int state, Admitted& out);

  const Model& m_;
  const FlowNetwork& fn_;
  KeyLayout layout_;
  std::shared_ptr<std::unordered_map<std::string, Admitted>> cache_ =
      std::make_shared<std::unordered_map<std::string, Admitted>>();
  std::string key_;
  std::uint64_t misses_ = 0;
};

/// Whether two models' networks are the same for admission and for the static rule: the same
/// components, kinds, inputs and loads, and the same flow networks (members, items, groups,
/// capacities, derates, grid call). Designs that differ only in laws, schedules or
/// probabilities (importance's perfect and failed variants, sensitivity's scaled parameters)
/// share admission answers.
bool same_network(const Model& a, const Model& b);

}  // namespace ridethrough::topology
