#pragma once
// Random valid designs for the metamorphic tests: 3 to 15 components of every kind, with every
// feature the format has, drawn from a seed. Each comes with variants that must give the same
// figures (another order, other names) or better ones (a redundant unit added).
#include <cstdint>
#include <string>

namespace ridethrough::testing {

struct RandomDesign {
  std::string yaml;
  /// Components and loads listed in another order (lists inside entries keep theirs: a
  /// switch's inputs are its priorities).
  std::string reordered;
  /// Every component and load under another id (their random streams change with their ids).
  std::string renamed;
  /// One more unit in parallel with the first transformer (no crew, spare or common cause to
  /// share), or empty if the design has no such unit or its crews are shared.
  std::string with_redundant_unit;
  bool markovian = false;   ///< drawn from the profile `exact` accepts
  bool draws = false;       ///< equipment draws power (started in file order)
  bool uses_count = false;  ///< written with `count:` (expand then run must equal run)
  int components = 0;       ///< after `count` is expanded
};

/// The design of `seed`: the same seed gives the same design on every machine.
RandomDesign random_design(std::uint64_t seed);

}  // namespace ridethrough::testing
