#pragma once
// Equipment kinds: what each is in a design file (its own keys, how they are read and checked).
// One file per kind in topology/kinds/, registered in the table of topology/kinds.cpp; what a
// kind does in the simulation is in failure_models/ (generator.cpp, switch.cpp, ups.cpp,
// cooling.cpp).
#include <string>
#include <string_view>
#include <vector>

#include "topology/design.hpp"
#include "topology/keys.hpp"
#include "topology/reader.hpp"

namespace ridethrough::topology {

struct KindSpec {
  Kind kind;
  const char* name;
  /// What the kind is, in a few words (for messages and the reference).
  const char* what;
  /// Its own keys besides those of every component (scope `components.*`).
  std::vector<DesignKey> keys;
  /// Passes on flow from `inputs` (a node, a switch, a UPS), which it then needs.
  bool takes_inputs = false;
  /// Reads its own keys into `c` (the common ones are read before).
  void (*read)(reading::Reader& r, const YAML::Node& n, const std::string& what,
               Component& c) = nullptr;
  /// Checks what needs the whole entry (required keys, exclusive ones).
  void (*check)(reading::Reader& r, const YAML::Node& key, const YAML::Node& n,
                const std::string& what) = nullptr;
};

/// Every kind, in the order of the reference.
const std::vector<const KindSpec*>& kinds();
/// The kind called `name`, or null.
const KindSpec* kind_named(std::string_view name);
const KindSpec& kind_spec(Kind k);

// The kinds (topology/kinds/*.cpp).
extern const KindSpec kSourceKind, kGeneratorKind, kNodeKind, kSwitchKind, kUpsKind,
    kCoolingSourceKind;

/// One class of events (a grid event class, or a weather class's common keys): rate, duration
/// law, name, season; `scope` is its key table's (`components.*.events[]`, `weather.events[]`).
GridEventClass read_event_class(reading::Reader& r, const YAML::Node& e, const std::string& ew,
                                std::size_t k, const std::string& scope);

/// A periodic window (maintenance, a generator test): interval, duration and an optional offset
/// that fixes the phase (without one, the phase is random in each replication).
void read_window(reading::Reader& r, const YAML::Node& m, const std::string& what,
                 const std::string& block, double& interval, double& duration,
                 std::optional<double>& offset);

}  // namespace ridethrough::topology
