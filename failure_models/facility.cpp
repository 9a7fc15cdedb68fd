#include "failure_models/facility.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <tuple>

#include "failure_models/laws.hpp"

namespace ridethrough::failure_models {

using topology::Kind;
using topology::Mode;

namespace {
constexpr double kInf = topology::kUnlimited;
constexpr std::uint64_t kStreamsPerComponent = 2;

double overlap(double a, double b, double lo, double hi) {
  return std::max(0.0, std::min(b, hi) - std::max(a, lo));
}
}  // namespace

FacilitySim::FacilitySim(const topology::Model& model)
    : m_(model), power_admission_(model, model.power), cooling_admission_(model, model.cooling) {
  const int n = m_.n;
  life_rng_.resize(n);
  aux_rng_.resize(n);
  demanded_.resize(n);
  pool_wait_.resize(m_.pool_ids.size());
  cc_rng_.resize(m_.cc_members.size());
  for (int c = 0; c < n; ++c)
    if (m_.kind[c] == Kind::CoolingSource) cooling_sources_.push_back(c);
  cooling_item_of_load_.assign(m_.n_loads, -1);
  for (std::size_t i = 0; i < m_.cooling.items.size(); ++i)
    cooling_item_of_load_[m_.cooling.items[i].load] = static_cast<int>(i);
}

// ---------------------------------------------------------------------------------------------
// Replication set-up and main loop

void FacilitySim::reset(std::uint64_t seed, std::uint64_t index) {
  const int n = m_.n;
  q_.clear();
  now_ = 0.0;
  t0_ = m_.warmup;
  tend_ = m_.warmup + m_.horizon;
  events_ = 0;
  for (int c = 0; c < n; ++c) {
    life_rng_[c].seed(sim::stream_key(seed, index, kStreamsPerComponent * c));
    aux_rng_[c].seed(sim::stream_key(seed, index, kStreamsPerComponent * c + 1));
  }
  const std::uint64_t base = kStreamsPerComponent * static_cast<std::uint64_t>(n);
  for (std::size_t g = 0; g < cc_rng_.size(); ++g)
    cc_rng_[g].seed(sim::stream_key(seed, index, base + g));

  status_.assign(n, Status::Up);
  life_stamp_.assign(n, 0);
  aux_stamp_.assign(n, 0);
  retr_stamp_.assign(n, 0);
  live_.assign(n, 0);
  mode_.assign(n, Mode::Dead);
  down_since_.assign(n, 0.0);
  gen_.assign(n, Gen::Idle);
  gen_demand_.assign(n, 0);
  life_left_.assign(n, kInf);
  run_since_.assign(n, 0.0);
  follow_.assign(n, -1);
  target_.assign(n, -1);
  retr_target_.assign(n, -1);
  transferring_.assign(n, 0);
  cancel_on_return_.assign(n, 0);
  for (auto& d : demanded_) d.clear();
  charge_.assign(n, 1.0);
  charge_t_.assign(n, 0.0);
  ups_mode_.assign(n, 0);
  ups_empty_.assign(n, 0);
  ready_.assign(n, 1);
  restart_pending_.assign(n, 0);
  was_powered_.assign(n, 1);
  draw_admitted_.assign(n, 1);
  dirty_.assign(n, 0);
  dirty_heap_.clear();

  free_crews_ = m_.crews;
  crew_queue_.clear();
  pool_stock_ = m_.pool_stock;
  for (auto& w : pool_wait_) w.clear();

  const std::size_t np = m_.power.items.size(), nc = m_.cooling.items.size();
  power_candidate_.assign(np, 1);
  power_admitted_.assign(np, 0);
  power_item_dirty_.assign(np, 0);
  power_dirty_items_.clear();
  cooling_candidate_.assign(nc, 0);
  cooling_admitted_.assign(nc, 0);
  cooling_item_dirty_.assign(nc, 0);
  cooling_dirty_items_.clear();
  power_dirty_ = cooling_dirty_ = true;

  const int nl = m_.n_loads;
  load_power_.assign(nl, 0);
  load_cooled_.assign(nl, 0);
  load_down_.assign(nl, 0);
  load_dirty_.assign(nl, 0);
  dirty_loads_.clear();
  load_down_since_.assign(nl, 0.0);
  load_blame_begin_.assign(nl, 0);
  load_blame_end_.assign(nl, 0);
  budget_.assign(m_.thermal_ride_through.begin(), m_.thermal_ride_through.end());
  budget_t_.assign(nl, 0.0);
  budget_mode_.assign(nl, 0);
  budget_empty_.assign(nl, 0);
  thermal_stamp_.assign(nl, 0);
  critical_down_ = 0;
  facility_down_since_ = 0.0;

  // Lives, maintenance phases, common-cause shocks.
  for (int c = 0; c < n; ++c) {
    renew(c);
    if (m_.maintenance_interval[c] > 0.0)
      q_.push(aux_rng_[c].uniform() * m_.maintenance_interval[c], kMaintStart, c, 0);
  }
  for (std::size_t g = 0; g < m_.cc_members.size(); ++g)
    q_.push(cc_rng_[g].exponential() / m_.cc_rate[g], kCommonCause, static_cast<int>(g), 0);
  for (int c : m_.topo) mark(c);
  for (int l = 0; l < nl; ++l) {
    load_dirty_[l] = 1;
    dirty_loads_.push_back(l);
  }
  for (std::size_t i = 0; i < np; ++i)
    power_item_dirty_[i] = 1, power_dirty_items_.push_back(static_cast<int>(i));
  for (std::size_t i = 0; i < nc; ++i)
    cooling_item_dirty_[i] = 1, cooling_dirty_items_.push_back(static_cast<int>(i));
}

void FacilitySim::run(std::uint64_t seed, std::uint64_t index, ReplicationResult& out) {
  out.reset(m_.n_loads, m_.n);
  out.index = index;
  out_ = &out;
  reset(seed, index);

  // Outages that start within the horizon are followed to their end, within a generous limit
  // that only a design whose repairs never finish could reach.
  const double hard_end = tend_ + std::max(10.0 * m_.horizon, 1e5);
  process_instant();  // t = 0 settles even without events
  while (!q_.empty()) {
    const double t = q_.top().time;
    if (t > tend_ && (!following() || t > hard_end)) break;
    now_ = t;
    process_instant();
  }
  // Close what is still open at the end of the measured span (or of the follow-up).
  const double close = std::max(now_, tend_);
  now_ = close;
  for (int c = 0; c < m_.n; ++c)
    if (status_[c] != Status::Up)
      out.component_downtime[c] += overlap(down_since_[c], tend_, t0_, tend_);
  for (int l = 0; l < m_.n_loads; ++l)
    if (load_down_[l] && load_down_since_[l] < tend_)
      out.load_down[l].push_back(
          {load_down_since_[l] - t0_, close - t0_, load_blame_begin_[l], load_blame_end_[l]});
  if (critical_down_ > 0) close_facility_interval();
  out.events = events_;
  out_ = nullptr;
}

/// Applies every event of the current instant, settles, and records loads once nothing is left
/// to happen at this instant (so zero-length outages never exist).
void FacilitySim::process_instant() {
  for (;;) {
    while (!q_.empty() && q_.top().time == now_) apply(q_.pop());
    settle();
    if (!q_.empty() && q_.top().time == now_) continue;
    if (finish_instant()) break;
  }
  record_loads();
}

bool FacilitySim::following() const {
  if (critical_down_ > 0 && facility_down_since_ < tend_) return true;
  for (int l = 0; l < m_.n_loads; ++l)
    if (load_down_[l] && load_down_since_[l] < tend_) return true;
  return false;
}

/// Settles the instant once no event is left at it: chiller restarts follow the powered state
/// the instant ends with, so a zero-length blip restarts nothing. Returns false if that created
/// more work at this instant.
bool FacilitySim::finish_instant() {
  bool changed = false;
  for (int c : cooling_sources_) {
    const bool up = status_[c] == Status::Up;
    const bool pw = up && powered(c);
    if (!pw) {
      if (restart_pending_[c]) {
        restart_pending_[c] = 0;
        ++aux_stamp_[c];
      }
      if (was_powered_[c] || ready_[c]) {
        ready_[c] = 0;
        mark(c);
        changed = true;
      }
    } else if (!ready_[c] && !restart_pending_[c]) {
      if (m_.restart[c] > 0.0) {
        restart_pending_[c] = 1;
        q_.push(now_ + m_.restart[c], kRestartDone, c, ++aux_stamp_[c]);
      } else {
        ready_[c] = 1;
        mark(c);
        changed = true;
      }
    }
    was_powered_[c] = pw;
  }
  if (changed) settle();
  return q_.empty() || q_.top().time != now_;
}

// ---------------------------------------------------------------------------------------------
// Events

void FacilitySim::apply(const sim::Event& e) {
  const int c = e.target;
  switch (e.type) {
    case kFail:
      if (e.stamp != life_stamp_[c] || status_[c] != Status::Up) return;
      ++events_;
      fail_component(c);
      return;
    case kRepairDone:
      ++events_;
      if (free_crews_ >= 0) {
        if (!crew_queue_.empty()) {  // the crew goes straight to the next ready repair
          const int next = crew_queue_.front();
          crew_queue_.pop_front();
          start_repair(next);
        } else {
          ++free_crews_;
        }
      }
      set_up(c);
      return;
    case kSpareArrive:
      ++events_;
      ++pool_stock_[c];
      if (!pool_wait_[c].empty()) {
        const int comp = pool_wait_[c].front();
        pool_wait_[c].pop_front();
        --pool_stock_[c];
        ready_for_crew(comp);
      }
      return;
    case kMaintStart:
      ++events_;
      q_.push(now_ + m_.maintenance_interval[c], kMaintStart, c, 0);
      if (status_[c] != Status::Up) return;  // skipped while down
      take_offline(c);
      status_[c] = Status::Maintenance;
      down_start(c);
      q_.push(now_ + m_.maintenance_duration[c], kMaintEnd, c, 0);
      return;
    case kMaintEnd:
      ++events_;
      set_up(c);
      return;
    case kStartDone:
      if (e.stamp != aux_stamp_[c] || gen_[c] != Gen::Starting) return;
      ++events_;
      if (aux_rng_[c].bernoulli(m_.start_fail_prob[c])) {
        fail_component(c);
      } else {
        gen_[c] = Gen::Running;
        run_since_[c] = now_;
        if (life_left_[c] < kInf) q_.push(now_ + life_left_[c], kFail, c, ++life_stamp_[c]);
        mark(c);
      }
      return;
    case kTransferDone:
      if (e.stamp != aux_stamp_[c] || !transferring_[c]) return;
      ++events_;
      transferring_[c] = 0;
      if (aux_rng_[c].bernoulli(m_.transfer_fail_prob[c])) {
        fail_component(c);
      } else {
        follow_[c] = target_[c];
        mark(c);
      }
      return;
    case kRetransfer:
      if (e.stamp != retr_stamp_[c] || status_[c] != Status::Up || transferring_[c]) return;
      ++events_;
      if (retr_target_[c] >= 0 && first_live_input(c, -1) == retr_target_[c] &&
          retr_target_[c] < follow_[c]) {
        const int k = retr_target_[c];
        retr_target_[c] = -1;
        begin_transfer(c, k);
      }
      return;
    case kUpsEmpty:
      if (e.stamp != aux_stamp_[c]) return;
      ++events_;
      charge_[c] = 0.0;
      charge_t_[c] = now_;
      ups_empty_[c] = 1;
      mark(c);
      return;
    case kRestartDone:
      if (e.stamp != aux_stamp_[c] || !restart_pending_[c]) return;
      ++events_;
      restart_pending_[c] = 0;
      ready_[c] = 1;
      mark(c);
      return;
    case kThermalEmpty:
      if (e.stamp != thermal_stamp_[c]) return;
      ++events_;
      budget_[c] = 0.0;
      budget_t_[c] = now_;
      budget_empty_[c] = 1;
      if (!load_dirty_[c]) load_dirty_[c] = 1, dirty_loads_.push_back(c);
      return;
    case kCommonCause: {
      ++events_;
      q_.push(now_ + cc_rng_[c].exponential() / m_.cc_rate[c], kCommonCause, c, 0);
      for (int member : m_.cc_members[c])
        if (status_[member] == Status::Up) fail_component(member);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Failures, repairs, crews, spares

void FacilitySim::count_failure(int c) {
  if (now_ >= t0_ && now_ < tend_) ++out_->component_failures[c];
}

void FacilitySim::down_start(int c) {
  down_since_[c] = now_;
}

void FacilitySim::down_end(int c) {
  out_->component_downtime[c] += overlap(down_since_[c], now_, t0_, tend_);
}

/// Shuts down a component's own activity when it fails or goes into maintenance.
void FacilitySim::take_offline(int c) {
  ++life_stamp_[c];
  ++aux_stamp_[c];
  ++retr_stamp_[c];
  switch (m_.kind[c]) {
    case Kind::Generator:
      gen_[c] = Gen::Idle;
      break;
    case Kind::Switch:
      transferring_[c] = 0;
      retr_target_[c] = -1;
      release_demands(c, -1);
      break;
    case Kind::Ups:
      ups_set_mode(c, 0);
      break;
    case Kind::CoolingSource:
      ready_[c] = 0;
      restart_pending_[c] = 0;
      break;
    default:
      break;
  }
  mark(c);
}

void FacilitySim::fail_component(int c) {
  count_failure(c);
  take_offline(c);
  down_start(c);
  const int pool = m_.spare_pool[c];
  if (pool >= 0) {
    q_.push(now_ + m_.pool_lead_time[pool], kSpareArrive, pool, 0);
    if (pool_stock_[pool] > 0) {
      --pool_stock_[pool];
      ready_for_crew(c);
    } else {
      status_[c] = Status::WaitSpare;
      pool_wait_[pool].push_back(c);
    }
  } else {
    ready_for_crew(c);
  }
}

void FacilitySim::ready_for_crew(int c) {
  status_[c] = Status::WaitCrew;
  if (free_crews_ < 0) {
    start_repair(c);  // unlimited crews
  } else if (free_crews_ > 0) {
    --free_crews_;
    start_repair(c);
  } else {
    crew_queue_.push_back(c);
  }
}

void FacilitySim::start_repair(int c) {
  status_[c] = Status::Repairing;
  q_.push(now_ + sample(m_.repair[c], aux_rng_[c]), kRepairDone, c, 0);
}

/// Back in service after a repair or maintenance, as good as new.
void FacilitySim::set_up(int c) {
  status_[c] = Status::Up;
  down_end(c);
  renew(c);
  if (m_.kind[c] == Kind::Switch) follow_[c] = -1;  // follows its first live input, no transfer
  if (m_.kind[c] == Kind::Generator && gen_demand_[c] > 0) start_generator(c);
  mark(c);
}

/// Draws a new life. A generator's life is counted in running hours.
void FacilitySim::renew(int c) {
  const double life = sample(m_.failure[c], life_rng_[c]) * m_.life_stretch[c];
  if (m_.kind[c] == Kind::Generator) {
    life_left_[c] = life;
  } else if (life < kInf) {
    q_.push(now_ + life, kFail, c, ++life_stamp_[c]);
  }
}

// ---------------------------------------------------------------------------------------------
// Generators and switches

void FacilitySim::start_generator(int g) {
  gen_[g] = Gen::Starting;
  q_.push(now_ + m_.start_delay[g], kStartDone, g, ++aux_stamp_[g]);
}

void FacilitySim::demand_generator(int g, int delta) {
  const int before = gen_demand_[g];
  gen_demand_[g] += delta;
  assert(gen_demand_[g] >= 0);
  if (status_[g] != Status::Up) return;
  if (before == 0 && gen_demand_[g] > 0 && gen_[g] == Gen::Idle) {
    start_generator(g);
  } else if (before > 0 && gen_demand_[g] == 0) {
    if (gen_[g] == Gen::Starting) {
      ++aux_stamp_[g];  // stops without a failure draw
    } else if (gen_[g] == Gen::Running) {
      life_left_[g] -= now_ - run_since_[g];
      ++life_stamp_[g];
    }
    gen_[g] = Gen::Idle;
    mark(g);
  }
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

void FacilitySim::begin_transfer(int s, int k) {
  transferring_[s] = 1;
  cancel_on_return_[s] = 0;
  target_[s] = k;
  if (retr_target_[s] >= 0) {
    retr_target_[s] = -1;
    ++retr_stamp_[s];
  }
  q_.push(now_ + m_.transfer_delay[s], kTransferDone, s, ++aux_stamp_[s]);
  mark(s);
}

int FacilitySim::first_live_input(int s, int except) const {
  const int b = m_.inputs.begin(s), e = m_.inputs.end(s);
  for (int k = b; k < e; ++k)
    if (k - b != except && live_[m_.inputs.idx[k]]) return k - b;
  return -1;
}

bool FacilitySim::any_input_live(int c) const {
  for (int k = m_.inputs.begin(c); k < m_.inputs.end(c); ++k)
    if (live_[m_.inputs.idx[k]]) return true;
  return false;
}

bool FacilitySim::powered(int c) const {
  const int b = m_.powered_by.begin(c), e = m_.powered_by.end(c);
  if (b == e) return true;
  bool any = false;
  for (int k = b; k < e && !any; ++k) any = live_[m_.powered_by.idx[k]] != 0;
  return any && draw_admitted_[c];
}

// ---------------------------------------------------------------------------------------------
// UPS

double FacilitySim::ups_charge_now(int u) const {
  const double dt = now_ - charge_t_[u];
  if (ups_mode_[u] > 0) return std::min(1.0, charge_[u] + dt / m_.recharge[u]);
  if (ups_mode_[u] < 0) return std::max(0.0, charge_[u] - dt / m_.autonomy[u]);
  return charge_[u];
}

void FacilitySim::ups_set_mode(int u, int mode) {
  if (ups_mode_[u] == mode) return;
  charge_[u] = ups_empty_[u] ? 0.0 : ups_charge_now(u);
  charge_t_[u] = now_;
  ups_mode_[u] = mode;
  ++aux_stamp_[u];
  if (mode < 0) {
    if (charge_[u] > 0.0)
      q_.push(now_ + charge_[u] * m_.autonomy[u], kUpsEmpty, u, aux_stamp_[u]);
    else
      ups_empty_[u] = 1;
  } else if (mode > 0) {
    ups_empty_[u] = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Settling one instant

void FacilitySim::mark(int c) {
  if (dirty_[c]) return;
  dirty_[c] = 1;
  dirty_heap_.push_back(m_.topo_pos[c]);
  std::push_heap(dirty_heap_.begin(), dirty_heap_.end(), std::greater<int>());
}

void FacilitySim::mark_items(int c) {
  const auto& pw = m_.power.items_of_component;
  for (int k = pw.begin(c); k < pw.end(c); ++k) {
    const int i = pw.idx[k];
    if (!power_item_dirty_[i]) power_item_dirty_[i] = 1, power_dirty_items_.push_back(i);
  }
  const auto& cl = m_.cooling.items_of_component;
  for (int k = cl.begin(c); k < cl.end(c); ++k) {
    const int i = cl.idx[k];
    if (!cooling_item_dirty_[i]) cooling_item_dirty_[i] = 1, cooling_dirty_items_.push_back(i);
  }
  if (m_.net[c] == topology::Net::Power)
    power_dirty_ = true;
  else
    cooling_dirty_ = true;
}

/// Recomputes one component's state from its inputs, and lets switches, generators and UPS
/// react to what they see.
void FacilitySim::update(int c) {
  const bool up = status_[c] == Status::Up;
  bool live = false;
  Mode mode = Mode::Pass;
  const int old_follow = follow_[c];
  switch (m_.kind[c]) {
    case Kind::Source:
      live = up && powered(c);
      mode = Mode::Source;
      break;
    case Kind::Generator:
      live = up && gen_[c] == Gen::Running && powered(c);
      mode = Mode::Source;
      break;
    case Kind::Node:
      live = up && powered(c) && any_input_live(c);
      break;
    case Kind::CoolingSource:
      live = up && powered(c) && ready_[c];
      mode = Mode::Source;
      break;
    case Kind::Ups: {
      if (!up) break;
      const bool fed = any_input_live(c);
      ups_set_mode(c, fed ? 1 : -1);
      live = (fed || !ups_empty_[c]) && powered(c);
      mode = fed ? Mode::Pass : Mode::Source;
      break;
    }
    case Kind::Switch: {
      if (!up) break;
      const int b = m_.inputs.begin(c);
      if (follow_[c] < 0) {
        const int first = first_live_input(c, -1);
        follow_[c] = first >= 0 ? first : 0;
      }
      const bool followed_live = live_[m_.inputs.idx[b + follow_[c]]] != 0;
      if (transferring_[c]) {
        if (followed_live && cancel_on_return_[c]) {  // it came back before the switch moved
          transferring_[c] = 0;
          ++aux_stamp_[c];
        }
      } else if (!followed_live) {
        // Demand every generator behind the other inputs, then move to the first live one.
        for (int k = b; k < m_.inputs.end(c); ++k) {
          if (k - b == follow_[c]) continue;
          for (int g : m_.switch_input_gens[k]) {
            auto& d = demanded_[c];
            if (std::find(d.begin(), d.end(), g) == d.end()) {
              d.push_back(g);
              demand_generator(g, +1);
            }
          }
        }
        const int j = first_live_input(c, follow_[c]);
        if (j >= 0) {
          begin_transfer(c, j);
          cancel_on_return_[c] = 1;
        }
        if (retr_target_[c] >= 0) retr_target_[c] = -1, ++retr_stamp_[c];
      }
      if (!transferring_[c] && live_[m_.inputs.idx[b + follow_[c]]]) {
        const int best = first_live_input(c, -1);
        if (best >= 0 && best < follow_[c]) {
          if (retr_target_[c] != best) {
            retr_target_[c] = best;
            q_.push(now_ + m_.retransfer_after[c], kRetransfer, c, ++retr_stamp_[c]);
          }
        } else if (retr_target_[c] >= 0) {
          retr_target_[c] = -1;
          ++retr_stamp_[c];
        }
        if (!demanded_[c].empty()) release_demands(c, follow_[c]);
      }
      live = !transferring_[c] && live_[m_.inputs.idx[b + follow_[c]]] && powered(c);
      break;
    }
  }
  if (!live) mode = Mode::Dead;
  if (live != static_cast<bool>(live_[c]) || mode != mode_[c] || follow_[c] != old_follow) {
    live_[c] = live;
    mode_[c] = mode;
    for (int k = m_.dependents.begin(c); k < m_.dependents.end(c); ++k) mark(m_.dependents.idx[k]);
    mark_items(c);
  }
}

void FacilitySim::settle() {
  for (int round = 0; round < 64; ++round) {
    while (!dirty_heap_.empty()) {
      std::pop_heap(dirty_heap_.begin(), dirty_heap_.end(), std::greater<int>());
      const int c = m_.topo[dirty_heap_.back()];
      dirty_heap_.pop_back();
      dirty_[c] = 0;
      update(c);
    }
    if (power_dirty_) admit_power();
    if (!dirty_heap_.empty()) continue;  // a draw changed: equipment power changed
    if (cooling_dirty_) admit_cooling();
    if (dirty_heap_.empty()) return;
  }
  assert(false && "settle did not converge");
}

void FacilitySim::admit_power() {
  power_dirty_ = false;
  const auto& items = m_.power.items;
  if (m_.power.capacity_free) {
    // No capacity can bind: an item is admitted as soon as one of its feeds is live.
    for (int i : power_dirty_items_) {
      power_item_dirty_[i] = 0;
      bool any = false;
      for (int a : items[i].attach) any = any || live_[a];
      power_admitted_[i] = any;
      apply_power_item(i);
    }
  } else {
    for (int i : power_dirty_items_) power_item_dirty_[i] = 0;
    power_admission_.admit(mode_, follow_, power_candidate_, power_admitted_);
    for (std::size_t i = 0; i < items.size(); ++i) apply_power_item(static_cast<int>(i));
  }
  power_dirty_items_.clear();
}

/// Passes one power item's admission on: to the equipment drawing it, or to the load.
void FacilitySim::apply_power_item(int i) {
  const auto& item = m_.power.items[i];
  const bool a = power_admitted_[i];
  if (item.component >= 0) {
    if (a != static_cast<bool>(draw_admitted_[item.component])) {
      draw_admitted_[item.component] = a;
      mark(item.component);
    }
    return;
  }
  const int l = item.load;
  if (a == static_cast<bool>(load_power_[l])) return;
  load_power_[l] = a;
  if (!load_dirty_[l]) load_dirty_[l] = 1, dirty_loads_.push_back(l);
  const int ci = cooling_item_of_load_[l];
  if (ci >= 0) {
    cooling_candidate_[ci] = a;
    if (!cooling_item_dirty_[ci]) cooling_item_dirty_[ci] = 1, cooling_dirty_items_.push_back(ci);
    cooling_dirty_ = true;
  }
}

void FacilitySim::admit_cooling() {
  cooling_dirty_ = false;
  const auto& items = m_.cooling.items;
  if (items.empty()) return;
  if (m_.cooling.capacity_free) {
    for (int i : cooling_dirty_items_) {
      cooling_item_dirty_[i] = 0;
      bool any = false;
      if (cooling_candidate_[i])
        for (int a : items[i].attach) any = any || live_[a];
      cooling_admitted_[i] = any;
    }
  } else {
    for (int i : cooling_dirty_items_) cooling_item_dirty_[i] = 0;
    cooling_admission_.admit(mode_, follow_, cooling_candidate_, cooling_admitted_);
  }
  cooling_dirty_items_.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const int l = items[i].load;
    const bool a = cooling_admitted_[i];
    if (a != static_cast<bool>(load_cooled_[l])) {
      load_cooled_[l] = a;
      if (!load_dirty_[l]) load_dirty_[l] = 1, dirty_loads_.push_back(l);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Loads: thermal budget and outage records

/// Moves a load's thermal budget to now and sets how it evolves from here: it drains while the
/// load has power but no cooling, refills while cooled, and is frozen without power.
void FacilitySim::load_budget_update(int l) {
  const double cap = m_.thermal_ride_through[l];
  const double dt = now_ - budget_t_[l];
  double b = budget_[l];
  if (budget_mode_[l] < 0) b = budget_empty_[l] ? 0.0 : std::max(0.0, b - dt);
  if (budget_mode_[l] > 0) b = std::min(cap, b + dt);
  budget_[l] = b;
  budget_t_[l] = now_;
  const bool has_cooling = m_.load_cooling.size(l) > 0;
  const int mode = !has_cooling || !load_power_[l] ? 0 : load_cooled_[l] ? 1 : -1;
  if (mode == budget_mode_[l]) return;
  budget_mode_[l] = mode;
  ++thermal_stamp_[l];
  if (mode < 0) {
    budget_empty_[l] = b <= 0.0;
    if (!budget_empty_[l]) q_.push(now_ + b, kThermalEmpty, l, thermal_stamp_[l]);
  } else if (mode > 0) {
    budget_empty_[l] = 0;
  }
}

/// Records the facility interval that ends now, with the components down at its start.
void FacilitySim::close_facility_interval() {
  if (facility_down_since_ >= tend_ || now_ <= t0_) return;
  out_->facility_down.push_back(
      {facility_down_since_ - t0_, now_ - t0_, pending_blame_begin_, pending_blame_end_});
}

/// Appends the components down now to the replication's blame list; returns their range.
std::pair<std::uint32_t, std::uint32_t> FacilitySim::snapshot_down() {
  auto& b = out_->blame;
  const auto begin = static_cast<std::uint32_t>(b.size());
  for (int c = 0; c < m_.n; ++c)
    if (status_[c] != Status::Up) b.push_back(c);
  return {begin, static_cast<std::uint32_t>(b.size())};
}

void FacilitySim::record_loads() {
  for (int l : dirty_loads_) {
    load_dirty_[l] = 0;
    load_budget_update(l);
    const bool has_cooling = m_.load_cooling.size(l) > 0;
    const bool down = !load_power_[l] || (has_cooling && !load_cooled_[l] && budget_empty_[l]);
    if (down == static_cast<bool>(load_down_[l])) continue;
    load_down_[l] = down;
    if (down) {
      load_down_since_[l] = now_;
      if (record_load_blame_ && now_ < tend_)
        std::tie(load_blame_begin_[l], load_blame_end_[l]) = snapshot_down();
    } else if (load_down_since_[l] < tend_ && now_ > t0_) {
      out_->load_down[l].push_back(
          {load_down_since_[l] - t0_, now_ - t0_, load_blame_begin_[l], load_blame_end_[l]});
    }
    if (!m_.critical[l]) continue;
    if (down && critical_down_++ == 0) {
      facility_down_since_ = now_;
      if (now_ < tend_) std::tie(pending_blame_begin_, pending_blame_end_) = snapshot_down();
    } else if (!down && --critical_down_ == 0) {
      close_facility_interval();
    }
  }
  dirty_loads_.clear();
}

}  // namespace ridethrough::failure_models
