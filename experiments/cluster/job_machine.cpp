#include "experiments/cluster/job_machine.hpp"

#include <algorithm>
#include <cmath>

namespace ridethrough::experiments::cluster {

JobMachine::JobMachine(const JobTimeline& timeline) : tl_(timeline) {}

double JobMachine::next_stop() const {
  return stop_ < tl_.stops->size() ? (*tl_.stops)[stop_].start : kNever;
}

bool JobMachine::in_window(double t) {
  const auto& w = *tl_.windows;
  while (window_ < w.size() && w[window_].end <= t) ++window_;
  return window_ < w.size() && w[window_].start <= t;
}

double JobMachine::next_window_start(double t) {
  if (in_window(t)) return t;
  return window_ < tl_.windows->size() ? (*tl_.windows)[window_].start : kNever;
}

/// Running from now_ to t: work accrues, and counts toward goodput within the horizon.
void JobMachine::run_to(double t) {
  tally_.work_in_horizon += std::max(0.0, std::min(t, tl_.horizon) - std::min(now_, tl_.horizon));
  work_ += t - now_;
  now_ = t;
}

void JobMachine::write_to(double t) {
  tally_.write_in_horizon += std::max(0.0, std::min(t, tl_.horizon) - std::min(now_, tl_.horizon));
  now_ = t;
}

/// A host went down at now_: everything since the last completed checkpoint is lost.
void JobMachine::enter_stop() {
  tally_.lost_work += work_;
  work_ = 0.0;
  ++tally_.interruptions;
  phase_ = Phase::Stopped;
}

/// Whole write-and-run cycles before `limit` (a stop, the horizon or a window), in one step:
/// a year of 20-minute checkpoints must not cost 26,000 steps. Leaves the last cycle to the
/// step-by-step rules, so the boundary is handled in one place.
void JobMachine::fast_forward(double limit) {
  const double first_write = now_ + (tl_.interval - work_);
  const double cycle = tl_.interval + tl_.analytic_write;
  if (first_write + tl_.analytic_write >= limit) return;
  run_to(first_write);
  write_to(first_write + tl_.analytic_write);
  ++tally_.checkpoints;
  work_ = 0.0;
  const double k = std::floor((limit - now_) / cycle) - 1.0;
  if (k <= 0.0) return;
  // All of it lies before limit <= horizon.
  tally_.work_in_horizon += k * tl_.interval;
  tally_.write_in_horizon += k * tl_.analytic_write;
  tally_.checkpoints += static_cast<std::uint32_t>(k);
  now_ += k * cycle;
}

Step JobMachine::next() {
  switch (phase_) {
    case Phase::Running: {
      const double s = next_stop();
      if (s == kNever && now_ >= tl_.horizon) {
        phase_ = Phase::Done;
        return {Step::Done, now_};
      }
      const double end = std::min(s, tl_.horizon);
      if (now_ + (tl_.interval - work_) < end) {
        const double ws = next_window_start(now_);
        if (ws > now_) fast_forward(std::min(end, ws));
      }
      const double t_write = now_ + (tl_.interval - work_);
      if (t_write >= end) {
        pending_ = end == s ? Pending::ToStop : Pending::ToHorizon;
        wake_ = end;
      } else {
        pending_ = Pending::ToWrite;
        wake_ = t_write;
      }
      return {Step::Wait, wake_};
    }
    case Phase::Writing: {
      const double s = next_stop();
      if (in_window(now_)) return {Step::Write, s};
      const double end = now_ + tl_.analytic_write;
      pending_ = s < end ? Pending::WriteCut : Pending::WriteDone;
      wake_ = std::min(s, end);
      return {Step::Wait, wake_};
    }
    case Phase::Stopped:
      pending_ = Pending::StopEnd;
      wake_ = (*tl_.stops)[stop_].end;
      return {Step::Wait, wake_};
    case Phase::Reading:
      return {Step::Read, next_stop()};
    case Phase::Overhead: {
      const double s = next_stop();
      const double end = now_ + tl_.overhead;
      // A stop at the very moment the restart ends finds the job running, with nothing lost.
      pending_ = s < end ? Pending::RestartCut : Pending::Resumed;
      wake_ = std::min(s, end);
      return {Step::Wait, wake_};
    }
    case Phase::Done:
      break;
  }
  return {Step::Done, now_};
}

void JobMachine::woke() {
  const double t = wake_;
  switch (pending_) {
    case Pending::ToWrite:
      run_to(t);
      work_ = tl_.interval;
      write_began_ = t;
      phase_ = Phase::Writing;
      break;
    case Pending::ToStop:
      run_to(t);
      enter_stop();
      break;
    case Pending::ToHorizon:
      run_to(t);
      break;  // next() finds the job done (no stop is left before the horizon)
    case Pending::WriteDone:
      write_to(t);
      ++tally_.checkpoints;
      if (tl_.record_writes) tally_.writes.push_back({write_began_, t});
      work_ = 0.0;
      phase_ = Phase::Running;
      break;
    case Pending::WriteCut:
      write_to(t);
      enter_stop();
      break;
    case Pending::StopEnd:
      tally_.stopped += t - now_;
      now_ = t;
      ++stop_;
      restart_began_ = t;
      tally_.restarts.push_back({t, std::nan(""), false});
      phase_ = Phase::Reading;
      break;
    case Pending::Resumed:
      tally_.restart += t - restart_began_;
      tally_.restarts.back().completed = true;
      now_ = t;
      work_ = 0.0;
      phase_ = Phase::Running;
      break;
    case Pending::RestartCut:
      tally_.restart += t - restart_began_;
      now_ = t;
      enter_stop();
      break;
    case Pending::None:
      break;
  }
  pending_ = Pending::None;
}

void JobMachine::transferred(double t, bool completed) {
  const double s = next_stop();
  // A transfer that ends just past the stop (rounding of the driver's clock) was cut by it.
  if (completed && t > s) completed = false;
  if (!completed && s == kNever) completed = true;
  if (!completed) t = s;
  t = std::max(t, now_);
  if (phase_ == Phase::Writing) {
    write_to(t);
    if (completed) {
      ++tally_.checkpoints;
      if (tl_.record_writes) tally_.writes.push_back({write_began_, t});
      work_ = 0.0;
      phase_ = Phase::Running;
    } else {
      enter_stop();
    }
  } else if (phase_ == Phase::Reading) {
    if (completed) {
      tally_.restarts.back().read_hours = t - restart_began_;
      now_ = t;
      phase_ = Phase::Overhead;
    } else {
      tally_.restart += t - restart_began_;
      now_ = t;
      enter_stop();
    }
  }
}

}  // namespace ridethrough::experiments::cluster
