#pragma once
#include <ostream>

#include <nlohmann/json.hpp>

#include "experiments/driver.hpp"
#include "topology/portfolio.hpp"

namespace ridethrough::experiments {

/// `portfolio`: every site of a portfolio over the same replications, with regional events
/// that take down the listed sources of several sites at once. Replication i of a site is the
/// replication `run` would simulate (same seed and index) plus the regional events, so a
/// portfolio of one site without them is that site's `run`. Returns each site's usual summary
/// under `sites` and the portfolio's figures under `portfolio`: the total cost per replication
/// (mean, p99, CVaR99), the share of time and the probability of two or more sites down at
/// once, and the correlation of site costs. With `options.out`, one HDF5 row per replication
/// with each site's downtime and cost.
nlohmann::json run_portfolio(const topology::Portfolio& p, const RunOptions& options);
void print_portfolio(std::ostream& os, const nlohmann::json& result);

}  // namespace ridethrough::experiments
