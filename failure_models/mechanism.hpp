#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "topology/model.hpp"

namespace ridethrough::failure_models {

/// Why a load went down: the taxonomy of outage mechanisms (README, "Why outages happen").
/// Each entry of an outage's mechanism is one of these with its subject. The first group says
/// what was down (the root causes), the second what the site's dynamics did with it; an outage
/// is described as "roots -> dynamics", for example
/// "utility lost + start failure (gen2) -> UPS battery exhausted (ups1)".
enum class Why : std::uint8_t {
  Failure,          ///< a component failed in service (subject: component)
  StartFailure,     ///< a generator failed to start on demand (component)
  HiddenFailure,    ///< a standby failure found at a start or test (component)
  TransferFailure,  ///< a switch failed to transfer (component)
  CommonCause,      ///< a common-cause shock failed it (component)
  Maintenance,      ///< planned maintenance (component)
  HumanError,       ///< a maintenance window or a test left it failed (component)
  GridEvent,        ///< a grid event class keeps its feed down (event class)
  FuelExhausted,    ///< a generator ran dry (component)
  RegionalEvent,    ///< a portfolio's regional event (cause index)
  /// The power of a cooling source now restarting was cut by this component (a switch's
  /// transfer, or a failure since repaired): the story of a blip that outlasts itself.
  PowerInterruption,
  Transferring,        ///< a switch is between inputs: the open-transition gap (component)
  Starting,            ///< a generator is in its start delay (component)
  BatteryExhausted,    ///< a UPS battery ran out (component)
  ChillerRestart,      ///< a cooling source is restarting after losing power (component)
  ThermalRideThrough,  ///< the load's thermal budget is spent without cooling (load)
  Shed,                ///< a live path reached the load, but capacity was short (load)
  CurtailmentCall,     ///< shed while a grid call limits the import (load)
  Weather,             ///< a weather event raises the ambient, derating cooling (class)
};
inline constexpr int kWhyKinds = static_cast<int>(Why::Weather) + 1;

/// One entry as an int (kind in the top byte), so an outage's mechanism is a range of ints,
/// like its blame, and mechanisms compare and merge as plain vectors.
inline int why_code(Why w, int subject) {
  return static_cast<int>(w) << 24 | subject;
}
inline Why why_kind(int code) {
  return static_cast<Why>(code >> 24);
}
inline int why_subject(int code) {
  return code & 0xFFFFFF;
}

/// The words for a mechanism: roots, then " -> " and the dynamics; subjects named in
/// alphabetical order within each kind, so that the order of the file does not show.
std::string describe_mechanism(const std::vector<int>& codes, const topology::Model& m);

}  // namespace ridethrough::failure_models
