#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "topology/design.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace ridethrough::topology {

/// A regional event class: a Poisson process of events that take down every listed source of
/// every listed site at once, for the same duration (a winter storm over a region).
struct RegionalEvent {
  std::string name;
  Loc loc;
  double rate = 0.0;  ///< per hour
  Law duration;
  double peak = 0.0, amplitude = 0.0;  ///< season, as for grid event classes (peak in hours)
  struct Hit {
    int site = -1, component = -1;
  };
  std::vector<Hit> hits;
};

/// A portfolio of sites, each a design of its own, simulated over the same replications.
struct Portfolio {
  std::string path, name;
  struct Site {
    std::string id, path;
    Loc loc;
    std::unique_ptr<Design> design;
    std::unique_ptr<Model> model;
  };
  std::vector<Site> sites;
  std::vector<RegionalEvent> regional;
};

/// One problem, with the file it is in (the portfolio's or a site's).
struct FileDiagnostic {
  std::string path;
  Diagnostic diagnostic;
};

struct PortfolioLoad {
  std::optional<Portfolio> portfolio;
  std::vector<FileDiagnostic> errors;
};

/// Loads a portfolio and every site it names (paths relative to the portfolio file), with the
/// same validation as a design: every problem, each at its file, line and column.
PortfolioLoad load_portfolio_file(const std::string& path);

}  // namespace ridethrough::topology
