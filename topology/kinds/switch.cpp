// A transfer switch (ATS, STS): follows the first live input of its list, moving with a delay
// and a failure probability; a planned (manual) move may be done wrongly (human_error).
#include "topology/kinds.hpp"

namespace ridethrough::topology {

namespace {

using reading::Reader;

void read_switch(Reader& r, const YAML::Node& n, const std::string& what, Component& c) {
  if (auto s = n["transfer"]; s && r.expect_map(s, what + " transfer")) {
    r.check_keys(s, keys_of("components.*.transfer"), what + " transfer");
    if (auto v = s["delay"])
      c.transfer_delay =
          r.duration(v, what + " transfer delay", Reader::Sign::NonNegative).value_or(0);
    if (auto v = s["fail_prob"])
      c.transfer_fail_prob = r.share(v, what + " transfer fail_prob").value_or(0);
    if (auto u = s["uncertainty"])
      c.transfer_fail_uncertainty = r.uncertainty(u, what + " transfer");
    if (auto v = s["human_error"])
      c.transfer_human_error = r.share(v, what + " transfer human_error").value_or(0);
  }
  if (auto v = n["retransfer_after"])
    c.retransfer_after =
        r.duration(v, what + " retransfer_after", Reader::Sign::NonNegative).value_or(0);
}

}  // namespace

const KindSpec kSwitchKind = {
    Kind::Switch,
    "switch",
    "a transfer switch",
    {{"components.*", "inputs", kNoFeature},
     {"components.*", "transfer", Feature::Switches},
     {"components.*", "retransfer_after", Feature::Switches},
     {"components.*.transfer", "delay", Feature::Switches},
     {"components.*.transfer", "fail_prob", Feature::Switches},
     {"components.*.transfer", "human_error", Feature::Switches},
     {"components.*.transfer", "uncertainty", Feature::ParameterUncertainty}},
    true,
    read_switch,
    nullptr};

}  // namespace ridethrough::topology
