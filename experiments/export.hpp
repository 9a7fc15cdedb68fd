#pragma once
// `ridethrough export --format open-psa`: a design's critical loads as fault trees in the Open-PSA
// Model Exchange Format (MEF), for SCRAM, XFTA, RiskSpectrum and the like.
#include <string>
#include <vector>

#include "topology/design.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

struct OpenPsaExport {
  std::string xml;                    ///< empty if refused
  std::vector<std::string> refusals;  ///< one per load that has no fault tree, and why
  std::vector<std::string> left_out;  ///< what the static trees approximate or leave out
};

/// One fault tree per critical load, its top gate named after the load ("the load is not
/// served"): the OR of its minimal cut sets (topology::load_fault_tree), each the AND of basic
/// events, one per component that can be down, with its probability
/// (topology::basic_event_probability) and its laws in the label. Common-cause groups are
/// approximated (see topology/capabilities.cpp, "export").
OpenPsaExport open_psa(const topology::Design& d, const topology::Model& m);

}  // namespace ridethrough::experiments
