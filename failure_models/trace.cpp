// The timeline of one replication (`ridethrough trace`): at the end of every instant, what
// changed since the last, in words. Read off the state rather than hooked into each event, so
// the event loop stays as it is and the words cannot disagree with what the loop did.
#include <cstdio>

#include "failure_models/facility.hpp"

namespace ridethrough::failure_models {

using topology::Kind;

namespace {

std::string duration(double h) {
  char b[48];
  if (h < 1.0 / 60.0)
    std::snprintf(b, sizeof b, "%.3g s", h * 3600.0);
  else if (h < 1.0)
    std::snprintf(b, sizeof b, "%.3g min", h * 60.0);
  else
    std::snprintf(b, sizeof b, "%.4g h", h);
  return b;
}

/// How a component that just went down failed (mechanism.hpp's words).
const char* failed_words(Why how) {
  switch (how) {
    case Why::StartFailure:
      return "failed to start";
    case Why::HiddenFailure:
      return "hidden failure found";
    case Why::TransferFailure:
      return "failed to transfer";
    case Why::CommonCause:
      return "failed: common-cause shock";
    case Why::HumanError:
      return "failed: human error";
    default:
      return "failed";
  }
}

/// Whether what the trace saw differs from `now`; it sees `now` from here on.
template <class T, class U>
bool changed(T& seen, U now) {
  if (seen == static_cast<T>(now)) return false;
  seen = static_cast<T>(now);
  return true;
}
template <class T, class U>
bool changed(std::vector<T>& seen, std::size_t i, U now) {
  return changed(seen[i], now);
}

}  // namespace

void FacilitySim::note(const std::string& subject, const std::string& what) {
  if (!traced_.started || now_ < t0_) return;  // the initial settle and the warmup are not shown
  trace_->push_back({now_ - t0_, subject, what});
}

void FacilitySim::trace_instant() {
  auto& t = traced_;
  if (!t.started) {
    const std::size_t n = static_cast<std::size_t>(m_.n), nl = static_cast<std::size_t>(m_.n_loads);
    for (auto* v : {&t.status, &t.live, &t.gen, &t.transferring, &t.ups_mode, &t.ups_empty,
                    &t.restarting, &t.ready, &t.dry})
      v->assign(n, 0);
    t.follow.assign(n, -1);
    t.grid.assign(m_.event_rate.size(), 0);
    for (auto* v : {&t.load_power, &t.load_cooled, &t.load_draining, &t.load_empty, &t.load_down})
      v->assign(nl, 0);
  }
  for (int c = 0; c < m_.n; ++c) trace_component(c);
  for (std::size_t k = 0; k < t.grid.size(); ++k)
    if (changed(t.grid, k, class_active_[k] > 0 ? 1 : 0))
      note(m_.ids[m_.event_component[k]],
           "grid event '" + m_.event_names[k] + (t.grid[k] ? "' begins" : "' over"));
  if (changed(t.weather, weather_level_))
    note("weather", "ambient " +
                        std::to_string(static_cast<int>(std::lround(
                            m_.weather_levels[static_cast<std::size_t>(weather_level_)]))) +
                        "C");
  for (int l = 0; l < m_.n_loads; ++l) trace_load(l);
  if (changed(t.critical_down, critical_down_ > 0 ? 1 : 0)) {
    if (critical_down_ > 0)
      note("facility", "DOWN: " + describe_mechanism({out_->why.begin() + pending_why_begin_,
                                                      out_->why.begin() + pending_why_end_},
                                                     m_));
    else
      note("facility", "back up");
  }
  t.started = true;
}

void FacilitySim::trace_component(int c) {
  auto& t = traced_;
  const std::string& id = m_.ids[c];
  const auto st = static_cast<std::uint8_t>(status_[c]);
  const auto was = static_cast<Status>(t.status[c]);
  if (changed(t.status, c, st)) {
    switch (status_[c]) {
      case Status::Up:
        note(id, was == Status::Maintenance ? "maintenance over" : "repaired, in service");
        break;
      case Status::Hidden:
        note(id, "failed unseen in standby");
        break;
      case Status::Maintenance:
        note(id, "maintenance begins");
        break;
      case Status::Repairing:
        if (was == Status::Up || was == Status::Hidden) note(id, failed_words(failed_how_[c]));
        note(id, "repair begins");
        break;
      case Status::WaitCrew:
      case Status::WaitSpare:
        if (was == Status::Up || was == Status::Hidden) note(id, failed_words(failed_how_[c]));
        note(id, status_[c] == Status::WaitCrew ? "waits for a crew" : "waits for a spare");
        break;
    }
  }
  if (changed(t.live, c, live_[c] ? 1 : 0)) note(id, live_[c] ? "live" : "dead");
  switch (m_.kind[c]) {
    case Kind::Generator: {
      static const char* words[] = {"stopped", "starting", "running"};
      if (changed(t.gen, c, static_cast<std::uint8_t>(gen_[c])))
        note(id, words[static_cast<int>(gen_[c])]);
      if (changed(t.dry, c, dry_[c] ? 1 : 0)) note(id, dry_[c] ? "out of fuel" : "refuelled");
      break;
    }
    case Kind::Switch: {
      const int b = m_.inputs.begin(c);
      if (changed(t.transferring, c, transferring_[c] ? 1 : 0) && transferring_[c])
        note(id, "transfer to " + m_.ids[m_.inputs.idx[b + target_[c]]] + " begins (" +
                     duration(m_.transfer_delay[c]) + ")");
      if (!transferring_[c] && follow_[c] >= 0 && changed(t.follow, c, follow_[c]) &&
          traced_.started)
        note(id, "on " + m_.ids[m_.inputs.idx[b + follow_[c]]]);
      break;
    }
    case Kind::Ups: {
      static const char* words[] = {"on battery", "battery kept (out of service)",
                                    "on its input, battery recharging"};
      if (changed(t.ups_mode, c, static_cast<std::uint8_t>(ups_mode_[c] + 1)))
        note(id, words[ups_mode_[c] + 1]);
      if (changed(t.ups_empty, c, ups_empty_[c] ? 1 : 0) && ups_empty_[c])
        note(id, "battery exhausted");
      break;
    }
    case Kind::CoolingSource:
      if (changed(t.restarting, c, restart_pending_[c] ? 1 : 0) && restart_pending_[c])
        note(id, "restarting (" + duration(m_.restart[c]) + ")");
      if (changed(t.ready, c, ready_[c] ? 1 : 0) && ready_[c]) note(id, "cooling");
      break;
    default:
      break;
  }
}

void FacilitySim::trace_load(int l) {
  auto& t = traced_;
  const std::string& id = m_.load_ids[l];
  if (changed(t.load_power, l, load_power_[l] ? 1 : 0))
    note(id, load_power_[l] ? "power back" : "power lost");
  if (m_.load_cooling.size(l) > 0) {
    if (changed(t.load_cooled, l, load_cooled_[l] ? 1 : 0))
      note(id, load_cooled_[l] ? "cooling back" : "cooling lost");
    const std::uint8_t draining = budget_mode_[l] < 0 && !budget_empty_[l] ? 1 : 0;
    if (changed(t.load_draining, l, draining) && draining && load_power_[l])
      note(id, "thermal ride-through draining (" + duration(budget_[l]) + " left)");
    if (changed(t.load_empty, l, budget_empty_[l] ? 1 : 0) && budget_empty_[l])
      note(id, "thermal ride-through exceeded");
  }
  if (changed(t.load_down, l, load_down_[l] ? 1 : 0)) {
    if (load_down_[l])
      note(id, "DOWN: " + describe_mechanism({out_->why.begin() + load_why_begin_[l],
                                              out_->why.begin() + load_why_end_[l]},
                                             m_));
    else
      note(id, "back up");
  }
}

}  // namespace ridethrough::failure_models
