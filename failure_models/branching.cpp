// Branching a replication for splitting: stepping it one instant at a time, reading how far its
// ride-through stores have drained, and making a copy's future independent of its original.
#include <algorithm>

#include "failure_models/facility.hpp"
#include "failure_models/season.hpp"

namespace ridethrough::failure_models {

using topology::Kind;
using topology::LawKind;

namespace {
/// Separates a branch's grid, call and common-cause streams from its components' streams.
constexpr std::uint64_t kBranchStride = 0xd1b54a32d192ed03ULL;
}  // namespace

void FacilitySim::begin(std::uint64_t seed, std::uint64_t index, ReplicationResult& out) {
  static const std::vector<ExternalOutage> none;
  external_ = &none;
  out.reset(m_.n_loads, m_.n, static_cast<int>(m_.event_rate.size()));
  out.index = index;
  out_ = &out;
  reset(seed, index);
  process_instant();
}

double FacilitySim::ride_through_left() const {
  double left = -1.0;
  for (int u = 0; u < m_.n; ++u)
    if (ups_mode_[u] < 0 && !ups_empty_[u] && status_[u] == Status::Up)
      left = std::max(left, ups_charge_now(u));
  for (int l = 0; l < m_.n_loads; ++l)
    if (budget_mode_[l] < 0 && !budget_empty_[l]) {
      const double b = std::max(0.0, budget_[l] - (now_ - budget_t_[l]));
      left = std::max(left, b / m_.thermal_ride_through[l]);
    }
  return left;
}

double FacilitySim::ride_through_reaches(double share) const {
  double when = now_;
  bool any = false;
  for (int u = 0; u < m_.n; ++u)
    if (ups_mode_[u] < 0 && !ups_empty_[u] && status_[u] == Status::Up) {
      any = true;
      const double rate = -charge_rate_[u];
      const double left = ups_charge_now(u);
      if (left > share) when = rate > 0.0 ? std::max(when, now_ + (left - share) / rate) : kInf;
    }
  for (int l = 0; l < m_.n_loads; ++l)
    if (budget_mode_[l] < 0 && !budget_empty_[l]) {
      any = true;
      const double full = m_.thermal_ride_through[l];
      const double left = std::max(0.0, budget_[l] - (now_ - budget_t_[l])) / full;
      if (left > share) when = std::max(when, now_ + (left - share) * full);
    }
  return any ? when : kInf;
}

void FacilitySim::rebranch(std::uint64_t key) {
  seed_ = key;
  if (++generation_ == 0) {
    std::fill(rng_generation_.begin(), rng_generation_.end(), 0);
    generation_ = 1;
  }
  for (std::size_t g = 0; g < cc_rng_.size(); ++g)
    cc_rng_[g].seed(sim::stream_key(key, index_, m_.cc_stream_id[g] + kBranchStride));
  for (std::size_t k = 0; k < event_rng_.size(); ++k)
    event_rng_[k].seed(sim::stream_key(key, index_, m_.event_stream_id[k] + kBranchStride));
  call_rng_.seed(sim::stream_key(key, index_, m_.call_stream_id + kBranchStride));
  for (std::size_t k = 0; k < weather_rng_.size(); ++k)
    weather_rng_[k].seed(sim::stream_key(key, index_, m_.weather_stream_id[k] + kBranchStride));

  auto exponential = [&](const topology::Law& law) { return law.kind == LawKind::Exponential; };
  // A fresh residual life, in the time unit of the law (running hours for a generator).
  auto life = [&](int c) {
    return m_.failure[c].scale * m_.life_stretch[c] * rng(c, kLifeStream).exponential();
  };
  q_.retime([&](const sim::Event& e) -> double {
    const int c = e.target;
    switch (e.type) {
      case kFail:
        if (e.stamp != life_stamp_[c] || status_[c] != Status::Up || !exponential(m_.failure[c]))
          return e.time;
        if (m_.kind[c] == Kind::Generator) {  // running: the event is at run_since + life_left
          const double rest = life(c);
          life_left_[c] = (now_ - run_since_[c]) + rest;
          return now_ + rest;
        }
        return now_ + life(c);
      case kRepairDone:
        if (!exponential(m_.repair[c])) return e.time;
        return now_ + m_.repair[c].scale * rng(c, kRepairStream).exponential();
      case kStandbyFail:
        if (e.stamp != standby_stamp_[c] || !exponential(m_.standby_failure[c])) return e.time;
        {
          const double rest = m_.standby_failure[c].scale * rng(c, kStandbyStream).exponential();
          standby_left_[c] = (now_ - idle_since_[c]) + rest;
          return now_ + rest;
        }
      case kCommonCause:
        return now_ + cc_rng_[c].exponential() / m_.cc_rate[c];
      case kGridArrive:
        return grid_gap(c);
      case kCallArrive:
        return call_gap();
      case kWeatherArrive:
        return now_ + seasonal_gap(weather_rng_[c], m_.weather_rate[c], m_.weather_amplitude[c]);
      default:
        return e.time;
    }
  });
  // Generator lives not on the clock: the running life of one not running, the standby life
  // of one not idle (each ages only in its own state, so what is left is again exponential).
  for (int g = 0; g < m_.n; ++g) {
    if (m_.kind[g] != Kind::Generator || status_[g] != Status::Up) continue;
    if (gen_[g] != Gen::Running && life_left_[g] < kInf && exponential(m_.failure[g]))
      life_left_[g] = life(g);
    if (gen_[g] != Gen::Idle && standby_left_[g] < kInf && exponential(m_.standby_failure[g]))
      standby_left_[g] = m_.standby_failure[g].scale * rng(g, kStandbyStream).exponential();
  }
}

}  // namespace ridethrough::failure_models
