#pragma once
#include <string>
#include <vector>

#include "topology/features.hpp"
#include "topology/model.hpp"

namespace ridethrough::topology {

/// The solvers and analyses that read a design. `Run` (plain simulation) is the reference:
/// it handles everything, and every other analysis is judged against it.
enum class Analysis : int {
  Run,
  Exact,           ///< `exact`: the steady state of a Markov chain
  FailureBiasing,  ///< `--importance-sampling` on regenerative cycles
  Splitting,       ///< `--splitting` (and `--importance-sampling` where biasing refuses)
  Check,           ///< `check`: cut sets and concurrent maintainability
  Importance,      ///< `importance`: each component perfect and failed
  Sensitivity,     ///< `sensitivity`: each parameter scaled
  Optimize,        ///< `optimize`: the design's options searched
  Portfolio,       ///< `portfolio`: sites with shared regional events
  Checkpoint,      ///< `run --checkpoint` / `--resume`
  Export,          ///< `export --format open-psa`: a static fault tree per critical load
  kCount
};

constexpr int kAnalysisCount = static_cast<int>(Analysis::kCount);

const char* analysis_name(Analysis a);

/// What an analysis does with a feature.
enum class Support {
  Handled,       ///< as a plain run would
  Approximated,  ///< by a documented simpler rule (the note says which)
  NotEstimated,  ///< the analysis runs, but leaves out the figures the note names
  Refused,       ///< the analysis refuses the design (the note says why)
};

struct Verdict {
  Support support = Support::Refused;
  std::string note;  ///< why, or what is approximated or left out
};

/// The declared verdict of analysis `a` on feature `f`. An analysis that forgot to declare a
/// feature refuses it (and a test fails: every analysis must declare every feature).
Verdict capability(Analysis a, Feature f);

/// True if analysis `a` declares feature `f` (the test that walks the table asks this).
bool declared(Analysis a, Feature f);

/// What analysis `a` makes of a design: one line per use of a feature it refuses ("component
/// 'gen1' (generators): start delays and start failures are not Markovian"), and one per
/// feature it approximates or leaves figures out for (each feature once).
struct Assessment {
  std::vector<std::string> refusals;
  std::vector<std::string> approximations;
  std::vector<std::string> not_estimated;
  bool refused() const { return !refusals.empty(); }
  /// The refusals, one per line (each ending in a newline), as solvers return them.
  std::string refusal_text() const;
};

Assessment assess(Analysis a, const Model& m);

}  // namespace ridethrough::topology
