// Maintenance windows: when they are due (a fixed schedule, or a random phase), whether they
// wait for a crew or for a safe moment, and what they count.
#include "failure_models/facility.hpp"

#include <algorithm>

namespace ridethrough::failure_models {

void FacilitySim::schedule_maintenance(int c) {
  const double interval = m_.maintenance_interval[c];
  if (interval <= 0.0) return;
  const double offset = m_.maintenance_offset[c];
  const double first = offset >= 0.0 ? offset : rng(c, kMaintStream).uniform() * interval;
  q_.push(first, kMaintDue, c, 0);
}

/// A window is due. The schedule is fixed: the next one is due an interval later whatever
/// happens to this one. It is skipped while the component is down, or while an earlier window
/// of it still waits.
void FacilitySim::maintenance_due(int c) {
  q_.push(now_ + m_.maintenance_interval[c], kMaintDue, c, 0);
  if (!in_service(c) || maint_pending_[c] != MaintPending::None) return;
  request_maintenance(c);
}

void FacilitySim::request_maintenance(int c) {
  if (m_.maintenance_defer[c] && maintenance_unsafe(c)) {
    maint_pending_[c] = MaintPending::Deferred;
    maint_pending_since_[c] = now_;
    deferred_.push_back(c);
    return;
  }
  if (!m_.maintenance_crew[c] || free_crews_ < 0) {
    start_maintenance(c, false);
  } else if (free_crews_ > 0) {
    --free_crews_;
    start_maintenance(c, true);
  } else {
    maint_pending_[c] = MaintPending::WaitCrew;
    crew_queue_.push_back({c, true});
  }
}

/// True if taking `c` out now would drop a critical load that is served now, judged by the
/// admission rule on what the site knows is down: out of service, or a feed cut off by the grid
/// (a storm, a regional event); a hidden generator failure is not known.
bool FacilitySim::maintenance_unsafe(int c) {
  const bool alone = out_of_service_ == 0 && grid_cut_feeds_ == 0;
  if (alone && unsafe_alone_[c] >= 0) return unsafe_alone_[c] != 0;
  const bool unsafe = judge_maintenance(c);
  if (alone) unsafe_alone_[c] = unsafe;
  return unsafe;
}

bool FacilitySim::judge_maintenance(int c) {
  safety_down_.assign(m_.n, 0);
  for (int k = 0; k < m_.n; ++k) safety_down_[k] = !in_service(k) || grid_active_[k] > 0;
  safety_served_now_ = safety_->served(safety_down_);
  safety_down_[c] = 1;
  const std::vector<char>& with = safety_->served(safety_down_);
  for (int l = 0; l < m_.n_loads; ++l)
    if (m_.critical[l] && safety_served_now_[l] && !with[l]) return true;
  return false;
}

void FacilitySim::start_maintenance(int c, bool with_crew) {
  maint_pending_[c] = MaintPending::None;
  maint_holds_crew_[c] = with_crew;
  // (A generator with a hidden failure is already down; the window finds and mends it.)
  take_offline(c);
  set_status(c, Status::Maintenance);
  if (now_ >= t0_ && now_ < tend_) ++out_->component_windows[c];
  q_.push(now_ + m_.maintenance_duration[c], kMaintEnd, c, 0);
}

/// The window closes; with the window's human_error probability the unit comes back failed
/// (reassembled wrongly, left isolated) and goes to repair like any failure.
void FacilitySim::end_maintenance(int c) {
  if (maint_holds_crew_[c]) {
    maint_holds_crew_[c] = 0;
    release_crew();
  }
  if (rng(c, kMaintStream).bernoulli(m_.maintenance_human_error[c])) {
    fail_component(c, false, Why::HumanError);
    return;
  }
  set_up(c);
}

/// The component went down: a window it was waiting for is dropped (the repair, or the window
/// in progress, leaves it as good as new).
void FacilitySim::drop_maintenance_request(int c) {
  if (maint_pending_[c] == MaintPending::Deferred) {
    out_->component_deferred[c] +=
        std::max(0.0, std::min(now_, tend_) - std::max(maint_pending_since_[c], t0_));
    deferred_.erase(std::find(deferred_.begin(), deferred_.end(), c));
  }
  maint_pending_[c] = MaintPending::None;  // a crew request left in the queue is skipped
}

/// Something went down or came back: the first deferred window that is now safe asks for its
/// crew (or starts). Returns true if one did, so the instant is settled again before the next.
bool FacilitySim::retry_deferred_maintenance() {
  for (std::size_t k = 0; k < deferred_.size(); ++k) {
    const int c = deferred_[k];
    if (maintenance_unsafe(c)) continue;
    out_->component_deferred[c] +=
        std::max(0.0, std::min(now_, tend_) - std::max(maint_pending_since_[c], t0_));
    deferred_.erase(deferred_.begin() + static_cast<std::ptrdiff_t>(k));
    maint_pending_[c] = MaintPending::None;
    // Asking again checks safety again; it is safe, so the window starts or waits for a crew.
    request_maintenance(c);
    return true;
  }
  return false;
}

}  // namespace ridethrough::failure_models
