// Weather: classes of events (heat waves) that raise the ambient while they last, overlapping
// events taking the hottest; cooling sources with a `derate` lose capacity above their steps.
// The level of the ambient is part of the cooling admission's state (topology::Admission), so
// each level's admission is cached like any other state.
#include "failure_models/facility.hpp"
#include "failure_models/season.hpp"
#include "topology/law.hpp"

namespace ridethrough::failure_models {

/// The next event of class k, seasonal classes by thinning (as grid events, grid.cpp).
void FacilitySim::schedule_weather(int k) {
  q_.push(now_ + seasonal_gap(weather_rng_[k], m_.weather_rate[k], m_.weather_amplitude[k]),
          kWeatherArrive, k, 0);
}

void FacilitySim::weather_arrives(int k) {
  schedule_weather(k);
  if (season_rejects(weather_rng_[k], now_, m_.weather_peak[k], m_.weather_amplitude[k])) return;
  ++weather_active_[k];
  q_.push(now_ + sample(m_.weather_duration[k], weather_rng_[k]), kWeatherEnd, k, 0);
  weather_changes();
}

void FacilitySim::weather_ends(int k) {
  --weather_active_[k];
  weather_changes();
}

/// The ambient is the hottest level of the classes under way, the factors on grid event and
/// call rates the largest; a change of ambient re-admits cooling.
void FacilitySim::weather_changes() {
  int level = 0;
  grid_factor_ = call_factor_ = 1.0;
  for (std::size_t k = 0; k < weather_active_.size(); ++k)
    if (weather_active_[k] > 0) {
      level = std::max(level, m_.weather_level_of[k]);
      grid_factor_ = std::max(grid_factor_, m_.weather_grid_factor[k]);
      call_factor_ = std::max(call_factor_, m_.weather_call_factor[k]);
    }
  if (level == weather_level_) return;
  weather_level_ = level;
  cooling_key_[cooling_admission_->layout().call] = static_cast<char>(level << 1);
  for (std::size_t i = 0; i < m_.cooling.items.size(); ++i)
    if (!cooling_item_dirty_[i]) {
      cooling_item_dirty_[i] = 1;
      cooling_dirty_items_.push_back(static_cast<int>(i));
    }
  cooling_dirty_ = true;
}

}  // namespace ridethrough::failure_models
