#pragma once
// The data catalogue: records of component types, each with the numbers read at a cited source
// (experiments/catalogue/*.yaml, one record a file). A component takes a record's laws with
// `use: <id>` and overrides any of them with its own keys.
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace ridethrough::topology {

struct CatalogueRecord {
  std::string id, title, source, notes, file;
  std::vector<std::string> kinds;  ///< the component kinds it fits
  YAML::Node fields;               ///< the component keys it supplies (failure, repair, ...)
  /// The population behind the failure rate, where the source gives it.
  std::optional<double> failures, unit_years;
};

/// Where the records are: $RIDETHROUGH_CATALOGUE if set, else the repository's folder.
std::string catalogue_dir();

/// Every record, sorted by id, read once. A record that does not parse is left out and named
/// in `catalogue_errors()`.
const std::vector<CatalogueRecord>& catalogue();
const std::vector<std::string>& catalogue_errors();
const CatalogueRecord* catalogue_record(const std::string& id);

/// The error factor (p95 / p50) of the mean life implied by a record's population: the rate's
/// gamma posterior from `failures` in `unit_years` (a flat prior), inverted.
double population_error_factor(double failures);

}  // namespace ridethrough::topology
