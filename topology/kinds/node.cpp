// A node: transformer, switchgear, breaker, busway, PDU, pump, pipe, CRAH; anything that passes
// power or cooling on, combining the flow of its live inputs.
#include "topology/kinds.hpp"

namespace ridethrough::topology {

const KindSpec kNodeKind = {Kind::Node,
                            "node",
                            "equipment that passes power or cooling on",
                            {{"components.*", "inputs", kNoFeature}},
                            true,
                            nullptr,
                            nullptr};

}  // namespace ridethrough::topology
