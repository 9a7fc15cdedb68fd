// Runs a two-feed design through the installed library and checks the availability against
// the closed form for two independent units: 1 - U1 U2.
#include <cmath>
#include <iostream>

#include "experiments/driver.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

int main() {
  using namespace ridethrough;
  auto r = topology::load_design_text(R"(version: 1
components:
  u: {kind: source, failure: {dist: exponential, mean: 90h}, repair: {dist: exponential, mean: 10h}}
  v: {kind: source, failure: {dist: exponential, mean: 90h}, repair: {dist: exponential, mean: 10h}}
loads:
  l: {demand: 1MW, power: [u, v]}
)",
                                      "inline.yaml");
  if (!r.design) {
    for (const auto& d : r.errors)
      std::cerr << topology::format_diagnostic("inline.yaml", d) << "\n";
    return 2;
  }
  const auto model = topology::compile(*r.design);
  experiments::RunOptions o;
  o.replications = 400;
  o.threads = 1;
  const auto s = experiments::run_design(*r.design, model, o);
  const double a = s["facility"]["availability"]["mean"].get<double>();
  const auto& ci = s["facility"]["availability"]["ci95"];
  const double exact = 1.0 - 0.1 * 0.1;
  const double sigma = (ci[1].get<double>() - ci[0].get<double>()) / 2 / 1.96;
  std::cout << "availability " << a << " exact " << exact << " sigma " << sigma << "\n";
  return std::fabs(a - exact) <= 4 * sigma ? 0 : 1;
}
