// Mining: revenue_per_mwh for every MWh its loads did not receive (outages followed to their
// end, and the energy short while a load received part of its demand).
#include <algorithm>

#include "experiments/workloads/workload.hpp"

namespace ridethrough::experiments {

namespace {

class Mining : public WorkloadModel {
 public:
  double cost(const topology::Tenant& t, const WorkloadInput& in) const override {
    double mwh = 0.0;
    for (std::size_t i = 0; i < in.loads.size(); ++i)
      for (const auto& iv : *in.loads[i])
        mwh += in.demands[i] / 1000.0 * (iv.end - std::max(iv.start, 0.0));
    for (double kwh : in.shortfall_kwh) mwh += kwh / 1000.0;  // partial delivery
    return t.revenue_per_mwh * mwh;
  }
};

}  // namespace

const WorkloadModel& mining_workload() {
  static const Mining w;
  return w;
}

}  // namespace ridethrough::experiments
