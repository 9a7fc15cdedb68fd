#pragma once
// The steps every front end (the CLI, the Python module, the tests) takes the same way:
// loading and compiling a design, expanding a sweep into its points, ranking designs by cost,
// and what identifies a run for --resume.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "topology/design.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace ridethrough::experiments {

/// A validated, compiled design.
struct LoadedDesign {
  topology::Design design;
  topology::Model model;
};

/// The design, or every problem as `FILE:LINE:COL: error: MESSAGE` lines (each naming the
/// overrides, when there are any: " (with PATH=VALUE, ...)").
struct Loading {
  std::optional<LoadedDesign> loaded;
  std::vector<std::string> errors;
};

/// Loads a design (from its file, or from text read as `path`) with its overrides (--set, a
/// sweep point), validates it, compiles it, and refuses a critical load that cannot be served
/// even with every component up.
Loading load_and_compile_file(const std::string& path,
                              const std::vector<topology::Override>& overrides = {});
Loading load_and_compile_text(const std::string& text, const std::string& path,
                              const std::vector<topology::Override>& overrides = {});

/// `compare`: the summaries with an `economics` block get `economics.rank`, 1 for the lowest
/// expected total cost.
void rank_by_expected_total_cost(std::vector<nlohmann::json>& summaries);

/// `sweep`: the points of the axes (a key path and its values each): every combination, the
/// first axis varying slowest, or with `zip` the k-th value of every axis together (which then
/// need as many values each; std::invalid_argument otherwise).
using SweepAxis = std::pair<std::string, std::vector<std::string>>;
std::vector<std::vector<topology::Override>> sweep_points(const std::vector<SweepAxis>& axes,
                                                          bool zip);

/// What a checkpoint must match to be resumed: the version, the design's text, the overrides,
/// the seed, the replications, the stopping rule and the HDF5 output.
std::string checkpoint_fingerprint(const std::string& design_text,
                                   const std::vector<topology::Override>& sets, std::uint64_t seed,
                                   std::uint64_t replications, double target_rel_error,
                                   const std::string& out);

}  // namespace ridethrough::experiments
