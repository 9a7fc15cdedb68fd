#pragma once
// Timelines of single replications (`ridethrough trace`, `run --trace N`): a replication is a
// pure function of (design, seed, index), so any one can be replayed with its events in words.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "failure_models/trace.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

struct Timeline {
  std::uint64_t replication = 0;
  double facility_downtime = 0.0;  ///< hours within the horizon
  std::vector<failure_models::TraceEntry> entries;
};

/// Replays replication `index` of a run with `seed`, recording its timeline.
Timeline trace_replication(const topology::Model& m, std::uint64_t seed, std::uint64_t index);

/// Entries within [from, to] hours; as JSON: {replication, facility_downtime_hours, events:
/// [{time_hours, subject, what}]}.
nlohmann::json timeline_json(const Timeline& t, double from, double to);
/// The text form: one line per entry, time in hours and as day and clock.
void print_timeline(std::ostream& os, const Timeline& t, double from, double to);

}  // namespace ridethrough::experiments
