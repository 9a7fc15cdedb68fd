#pragma once
// Parameter uncertainty (`--uncertainty K`): the design's uncertain numbers (laws and failure
// probabilities with an error factor) are drawn K times by Latin hypercube sampling; each draw
// runs the inner replications with the same seed (common random numbers across draws and across
// the designs compared), and every figure is reported as its spread over the draws, separately
// from the Monte Carlo noise of each draw.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "experiments/optimize.hpp"
#include "topology/design.hpp"

namespace ridethrough::experiments {

/// One uncertain number of a design and where it is written.
struct UncertainParameter {
  /// The draw it follows: `shared` if given, else the entry as written plus the field
  /// (`gen.start.fail_prob`; the copies of a `count:` entry share it).
  std::string key;
  std::string path;  ///< the key path of the value (`components.gen1.start.fail_prob`)
  double value = 0.0;
  double error_factor = 1.0;
  bool probability = false;  ///< kept within [0, 1]
  enum class Target { Failure, Repair, Standby, StartFail, TransferFail, Event, Call } target;
  int component = -1, event = -1;
};

std::vector<UncertainParameter> uncertain_parameters(const topology::Design& d);

/// Standard normal draws per key, K each, by Latin hypercube: draw k of a key depends only on
/// (seed, key, K), so designs compared see the same draws for the same key.
struct ParameterDraws {
  std::vector<std::string> keys;  ///< sorted
  std::vector<std::vector<double>> z;
  double of(const std::string& key, std::size_t k) const;
};
ParameterDraws draw_parameters(std::vector<std::string> keys, std::size_t draws,
                               std::uint64_t seed);

/// The design with draw k applied: each value times EF^(z / 1.645).
topology::Design apply_draw(const topology::Design& d, const std::vector<UncertainParameter>& ps,
                            const ParameterDraws& draws, std::size_t k);

/// The value of a quantile p of `v` (sorted in place), by the midpoint rule (Hazen): the k-th
/// smallest of K stands for probability (k - 1/2) / K, which is what a stratified sample's
/// k-th smallest draw represents.
double hazen_quantile(std::vector<double>& v, double p);

struct UncertaintyOptions {
  std::size_t draws = 0;
  std::vector<Requirement> requirements;
  bool progress = false;
};

/// Runs the designs (jointly, common random numbers) at each of K draws and returns, per design,
/// its `uncertainty` block: `draws`, the spread `{mean, p05, p50, p95}` of the facility, each
/// load and each tenant's cost (and the expected total cost with economics), the parameters
/// with their drivers (Spearman rank correlation with each figure), `probability_meets` per
/// requirement, and after the first design `probability_better_than_first`.
std::vector<nlohmann::json> propagate_uncertainty(const std::vector<const topology::Design*>& ds,
                                                  const RunOptions& run,
                                                  const UncertaintyOptions& o);

void print_uncertainty(std::ostream& os, const nlohmann::json& block);

}  // namespace ridethrough::experiments
