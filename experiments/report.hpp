#pragma once
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ridethrough::experiments {

/// Human-readable table of one summary.
void print_run_table(std::ostream& os, const nlohmann::json& summary);
/// Designs side by side (same seed and replications).
void print_compare_table(std::ostream& os, const std::vector<nlohmann::json>& summaries);

/// Writes the whole file or nothing: a temporary file next to it, then a rename.
/// Throws std::runtime_error saying why on failure.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace ridethrough::experiments
