#include "tests/fuzz/fuzz_one.hpp"

#include <vector>

#include "topology/cut_sets.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace ridethrough::fuzz {

void fuzz_one(const std::string& bytes) {
  using namespace topology;
  // With an override too, as `--set` would give one.
  const std::vector<Override> sets{{"components.*.repair.mean", "2h"}};
  for (const auto* o : {&sets, static_cast<const std::vector<Override>*>(nullptr)}) {
    auto r = load_design_text(bytes, "fuzz.yaml", o ? *o : std::vector<Override>{});
    for (const auto& d : r.errors) (void)format_diagnostic("fuzz.yaml", d);
    if (!r.design) continue;
    const Model m = compile(*r.design);
    // `check` on designs small enough to stay fast per input (the fuzzer runs thousands a
    // second); order 3 on the smallest.
    if (m.n <= 60 && m.n_loads <= 20) (void)minimal_cut_sets(m, m.n <= 16 ? 3 : 2);
  }
  std::vector<Diagnostic> errors;
  (void)expand_design_text(bytes, {}, errors);
}

}  // namespace ridethrough::fuzz
