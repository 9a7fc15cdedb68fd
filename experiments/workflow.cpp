#include "experiments/workflow.hpp"

#include <algorithm>
#include <stdexcept>

#include "topology/static_eval.hpp"

namespace ridethrough::experiments {

namespace {

Loading finish(topology::LoadResult r, const std::string& path,
               const std::vector<topology::Override>& overrides) {
  std::string with;
  for (const auto& o : overrides)
    with += (with.empty() ? " (with " : ", ") + o.path + "=" + o.value;
  if (!with.empty()) with += ")";
  Loading out;
  auto report = [&](const std::vector<topology::Diagnostic>& errors) {
    for (const auto& d : errors) out.errors.push_back(topology::format_diagnostic(path, d) + with);
  };
  if (!r.design) {
    report(r.errors);
    return out;
  }
  LoadedDesign l{std::move(*r.design), {}};
  l.model = topology::compile(l.design);
  const auto unservable = topology::unservable_loads(l.design, l.model);
  report(unservable);
  if (unservable.empty()) out.loaded = std::move(l);
  return out;
}

}  // namespace

Loading load_and_compile_file(const std::string& path,
                              const std::vector<topology::Override>& overrides) {
  return finish(topology::load_design_file(path, overrides), path, overrides);
}

Loading load_and_compile_text(const std::string& text, const std::string& path,
                              const std::vector<topology::Override>& overrides) {
  return finish(topology::load_design_text(text, path, overrides), path, overrides);
}

void rank_by_expected_total_cost(std::vector<nlohmann::json>& summaries) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < summaries.size(); ++i)
    if (summaries[i].contains("economics")) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return summaries[a]["economics"]["expected_total_cost"].get<double>() <
           summaries[b]["economics"]["expected_total_cost"].get<double>();
  });
  for (std::size_t r = 0; r < order.size(); ++r) summaries[order[r]]["economics"]["rank"] = r + 1;
}

std::vector<std::vector<topology::Override>> sweep_points(const std::vector<SweepAxis>& axes,
                                                          bool zip) {
  std::vector<std::vector<topology::Override>> points;
  if (zip) {
    for (const auto& a : axes)
      if (a.second.size() != axes[0].second.size())
        throw std::invalid_argument("--zip needs the same number of values in every --vary ('" +
                                    axes[0].first + "' has " +
                                    std::to_string(axes[0].second.size()) + ", '" + a.first +
                                    "' has " + std::to_string(a.second.size()) + ")");
    for (std::size_t k = 0; !axes.empty() && k < axes[0].second.size(); ++k) {
      std::vector<topology::Override> p;
      for (const auto& [path, values] : axes) p.push_back({path, values[k]});
      points.push_back(p);
    }
    return points;
  }
  points = {{}};
  for (const auto& [path, values] : axes) {
    std::vector<std::vector<topology::Override>> next;
    for (const auto& p : points)
      for (const auto& value : values) {
        auto q = p;
        q.push_back({path, value});
        next.push_back(q);
      }
    points = next;
  }
  return points;
}

std::string checkpoint_fingerprint(const std::string& design_text,
                                   const std::vector<topology::Override>& sets, std::uint64_t seed,
                                   std::uint64_t replications, double target_rel_error,
                                   const std::string& out) {
  nlohmann::json sets_json = nlohmann::json::array();
  for (const auto& s : sets) sets_json.push_back({s.path, s.value});
  return nlohmann::json{{"version", RIDETHROUGH_VERSION},
                        {"design", design_text},
                        {"sets", sets_json},
                        {"seed", seed},
                        {"replications", replications},
                        {"target_rel_error", target_rel_error},
                        {"out", out}}
      .dump();
}

}  // namespace ridethrough::experiments
