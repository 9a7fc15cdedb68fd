// A synchronous training job (SPEC "Costs"): it checkpoints after every checkpoint_interval of
// running time, loses the running time since its last checkpoint at each interruption, and
// resumes restart_time after the incident ends; it costs cost_per_hour for every hour down,
// restarting, or lost.
#include <algorithm>
#include <cmath>

#include "experiments/workloads/workload.hpp"

namespace ridethrough::experiments {

double training_hours(const std::vector<failure_models::Interval>& incidents,
                      double checkpoint_interval, double restart_time) {
  double hours = 0.0;
  double job_start = 0.0;  // when the job last (re)started running
  double resume = 0.0;     // end of the restart in progress (running from then on)
  double restart_from = 0.0;
  for (const auto& iv : incidents) {
    const double s = std::max(iv.start, 0.0);
    const double e = iv.end;
    if (e <= s) continue;
    if (s < resume) {
      hours += s - restart_from;  // interrupted during a restart: no work lost, restart over
    } else {
      if (resume > restart_from) hours += resume - restart_from;  // the restart that completed
      if (iv.start >= 0.0) {
        const double ran = s - job_start;
        hours += ran - std::floor(ran / checkpoint_interval) * checkpoint_interval;
      }
    }
    hours += e - s;
    restart_from = e;
    resume = e + restart_time;
    job_start = resume;
  }
  if (resume > restart_from) hours += resume - restart_from;
  return hours;
}

namespace {

class Training : public WorkloadModel {
 public:
  double cost(const topology::Tenant& t, const WorkloadInput& in) const override {
    return t.cost_per_hour * training_hours(in.incidents, t.checkpoint_interval, t.restart_time);
  }
};

}  // namespace

const WorkloadModel& training_workload() {
  static const Training w;
  return w;
}

}  // namespace ridethrough::experiments
