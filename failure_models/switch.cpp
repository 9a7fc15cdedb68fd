// Transfer switches (ATS, STS): which input they follow, transfers and their failures, the
// return to a better input, and the generators they demand.
//
// Settling an instant only works out what a switch passes on; what it decides (demand its
// generators, move, plan a return, release generators) waits until the instant is otherwise
// over (switch_react), so that an input that dies and comes back at the same instant has no
// effect at all.
#include "failure_models/facility.hpp"

#include <algorithm>

namespace ridethrough::failure_models {

int FacilitySim::first_live_input(int s, int except) const {
  const int b = m_.inputs.begin(s), e = m_.inputs.end(s);
  for (int k = b; k < e; ++k)
    if (k - b != except && live_[m_.inputs.idx[k]]) return k - b;
  return -1;
}

/// What the switch passes on now; returns whether it is live.
bool FacilitySim::switch_update(int s) {
  if (status_[s] != Status::Up) return false;
  const int b = m_.inputs.begin(s);
  if (follow_[s] < 0) {  // just repaired (or new): follows its first live input at once
    const int first = first_live_input(s, -1);
    follow_[s] = first >= 0 ? first : 0;
  }
  const bool followed_live = live_[m_.inputs.idx[b + follow_[s]]] != 0;
  if (transferring_[s] && followed_live && cancel_on_return_[s]) {
    // The input it follows came back before the switch moved: it stays, no delay, no draw.
    transferring_[s] = 0;
    ++aux_stamp_[s];
  }
  queue_react(s);
  return !transferring_[s] && followed_live && powered(s);
}

/// The switch decides once the instant is otherwise over (finish_instant).
void FacilitySim::queue_react(int s) {
  if (react_pending_[s]) return;
  react_pending_[s] = 1;
  react_heap_.push_back(m_.topo_pos[s]);
  std::push_heap(react_heap_.begin(), react_heap_.end(), std::greater<int>());
}

/// The input a switch should be on: while a call is made, the first live one behind a call
/// generator; otherwise (or if none is live) its first live input.
int FacilitySim::preferred_input(int s) const {
  if (calls_made_ > 0) {
    const int b = m_.inputs.begin(s);
    for (int k = b; k < m_.inputs.end(s); ++k)
      if (m_.call_input[k] && live_[m_.inputs.idx[k]]) return k - b;
  }
  return first_live_input(s, -1);
}

/// Demands the generators behind input k (of those not yet demanded), so that they run as long
/// as the switch stays there.
void FacilitySim::hold_input_generators(int s, int k) {
  auto& d = demanded_[s];
  for (int g : m_.switch_input_gens[m_.inputs.begin(s) + k]) {
    if (std::find(d.begin(), d.end(), g) != d.end()) continue;
    d.push_back(g);
    demand_generator(g, +1);
  }
}

/// The decisions of a switch on how the instant ends.
void FacilitySim::switch_react(int s) {
  if (status_[s] != Status::Up || transferring_[s]) return;
  const int b = m_.inputs.begin(s);
  const bool followed_live = live_[m_.inputs.idx[b + follow_[s]]] != 0;
  if (!followed_live) {
    // Demand every generator behind the other inputs, then move to the first live one.
    for (int k = b; k < m_.inputs.end(s); ++k)
      if (k - b != follow_[s]) hold_input_generators(s, k - b);
    if (retr_target_[s] >= 0) retr_target_[s] = -1, ++retr_stamp_[s];
    const int j = first_live_input(s, follow_[s]);
    if (j >= 0) {
      begin_transfer(s, j, false);
      cancel_on_return_[s] = 1;
    }
    return;
  }
  // On a live input: a call moves it onto its generators at once (a planned transfer, which
  // holds them until the switch returns); else plan the return to a better input once it has
  // been live long enough.
  const int best = preferred_input(s);
  if (best >= 0 && best != follow_[s] && calls_made_ > 0 &&
      m_.call_input[m_.inputs.begin(s) + best]) {
    hold_input_generators(s, best);
    begin_transfer(s, best, true);
    return;
  }
  if (best >= 0 && best < follow_[s]) {
    if (retr_target_[s] != best) {
      retr_target_[s] = best;
      q_.push(now_ + m_.retransfer_after[s], kRetransfer, s, ++retr_stamp_[s]);
    }
  } else if (retr_target_[s] >= 0) {
    retr_target_[s] = -1;
    ++retr_stamp_[s];
  }
  if (!demanded_[s].empty()) release_demands(s, follow_[s]);
}

/// Releases the generators a switch demands, except those feeding input `keep_input`.
void FacilitySim::release_demands(int s, int keep_input) {
  auto& d = demanded_[s];
  const std::vector<int>* keep =
      keep_input >= 0 ? &m_.switch_input_gens[m_.inputs.begin(s) + keep_input] : nullptr;
  std::size_t w = 0;
  for (int g : d) {
    if (keep && std::binary_search(keep->begin(), keep->end(), g)) {
      d[w++] = g;
    } else {
      demand_generator(g, -1);
    }
  }
  d.resize(w);
}

/// A planned move (a return to a better input, a move for a call) is made by hand: it may be
/// done wrongly (the switch's transfer human_error), which an automatic move cannot.
void FacilitySim::begin_transfer(int s, int k, bool planned) {
  transferring_[s] = 1;
  cancel_on_return_[s] = 0;
  planned_transfer_[s] = static_cast<char>(planned);
  target_[s] = k;
  if (retr_target_[s] >= 0) {
    retr_target_[s] = -1;
    ++retr_stamp_[s];
  }
  q_.push(now_ + m_.transfer_delay[s], kTransferDone, s, ++aux_stamp_[s]);
  mark(s);
}

void FacilitySim::transfer_done(int s) {
  transferring_[s] = 0;
  auto& draw = rng(s, kDrawStream);
  if (draw.bernoulli(m_.transfer_fail_prob[s])) {
    fail_component(s, false, Why::TransferFailure);
  } else if (planned_transfer_[s] && draw.bernoulli(m_.transfer_human_error[s])) {
    fail_component(s, false, Why::HumanError);
  } else {
    follow_[s] = target_[s];
    mark(s);
  }
}

void FacilitySim::retransfer(int s) {
  if (retr_target_[s] >= 0 && first_live_input(s, -1) == retr_target_[s] &&
      retr_target_[s] < follow_[s]) {
    const int k = retr_target_[s];
    retr_target_[s] = -1;
    begin_transfer(s, k, true);
  }
}

}  // namespace ridethrough::failure_models
