// The declared capabilities (issue "every figure right where features meet"): every analysis
// says what it does with every feature, every key of the format says which feature it brings
// in, and a design using a key is seen to use that feature, so that an analysis refuses (or
// approximates, or says what it leaves out) instead of printing a confident wrong answer.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/run.hpp"
#include "topology/capabilities.hpp"
#include "topology/keys.hpp"

using namespace ridethrough::topology;

namespace {

/// Every kind of component, a flexible load and a tenant, so that any key can be set on it.
const std::string kBase = R"(version: 1
components:
  utility: {kind: source, failure: {dist: exponential, mean: 1000h}, repair: {dist: exponential, mean: 5h}}
  gen: {kind: generator, repair: {dist: exponential, mean: 10h}}
  ats: {kind: switch, inputs: [utility, gen], repair: {dist: fixed, value: 2h}}
  ups: {kind: ups, inputs: [ats], autonomy: 10min, recharge: 2h}
  pdu: {kind: node, inputs: [ups], failure: {dist: exponential, mean: 5000h}, repair: {dist: exponential, mean: 4h}}
  chiller: {kind: cooling_source, powered_by: [pdu], failure: {dist: exponential, mean: 3000h}, repair: {dist: exponential, mean: 8h}}
  crah: {kind: node, inputs: [chiller]}
loads:
  hall: {demand: 500kW, power: [pdu], cooling: [crah]}
  miners: {demand: 200kW, power: [ats], priority: flexible}
tenants:
  t: {monthly_fee: 1000}
)";

/// For every key that brings in a feature: overrides (PATH=VALUE, as --set takes them) that
/// make the base design use it. A key added to the table with a feature needs a line here.
const std::map<std::string, std::vector<Override>>& examples() {
  static const std::map<std::string, std::vector<Override>> e = {
      {"|crews", {{"crews", "1"}}},
      {"|spares",
       {{"spares", "{pool: {stock: 1, lead_time: 1w}}"}, {"components.pdu.spare_pool", "pool"}}},
      {"|common_cause", {{"common_cause", "[{group: [utility, pdu], beta: 0.1}]"}}},
      {"|tenants", {{"tenants.t.sla", "{credits: [{below: 99.9%, credit: 10%}]}"}}},
      {"|economics", {{"economics", "{capex: 1, years: 10}"}}},
      {"spares.*|stock",
       {{"spares", "{pool: {stock: 2, lead_time: 1w}}"}, {"components.pdu.spare_pool", "pool"}}},
      {"spares.*|lead_time",
       {{"spares", "{pool: {stock: 0, lead_time: 1w}}"}, {"components.pdu.spare_pool", "pool"}}},
      {"components.*|capacity", {{"components.ats.capacity", "600kW"}}},
      {"components.*|maintenance",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h}"}}},
      {"components.*|spare_pool",
       {{"spares", "{pool: {stock: 1, lead_time: 1w}}"}, {"components.pdu.spare_pool", "pool"}}},
      {"components.*|events",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}}]}"}}},
      {"components.*|start", {{"components.gen.start", "{delay: 10s, fail_prob: 0.01}"}}},
      {"components.*|standby_failure",
       {{"components.gen.standby_failure", "{dist: exponential, mean: 2000h}"}}},
      {"components.*|test", {{"components.gen.test", "{interval: 4w, duration: 1h}"}}},
      {"components.*|fuel", {{"components.gen.fuel", "{tank: 24h}"}}},
      {"components.*|transfer", {{"components.ats.transfer", "{delay: 5s, fail_prob: 0.001}"}}},
      {"components.*|retransfer_after", {{"components.ats.retransfer_after", "5min"}}},
      {"components.*|autonomy", {{"components.ups.autonomy", "15min"}}},
      {"components.*|battery_energy",
       {{"components.ups", "{kind: ups, inputs: [ats], battery_energy: 100kWh, recharge: 2h}"}}},
      {"components.*|recharge", {{"components.ups.recharge", "4h"}}},
      {"components.*|restart", {{"components.chiller.restart", "12min"}}},
      {"components.*.maintenance|interval",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h}"}}},
      {"components.*.maintenance|duration",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h}"}}},
      {"components.*.maintenance|offset",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h, offset: 1w}"}}},
      {"components.*.maintenance|crew",
       {{"crews", "2"},
        {"components.pdu.maintenance", "{interval: 26w, duration: 8h, crew: true}"}}},
      {"components.*.maintenance|defer_if_unsafe",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h, defer_if_unsafe: true}"}}},
      {"components.*.maintenance|human_error",
       {{"components.pdu.maintenance", "{interval: 26w, duration: 8h, human_error: 1%}"}}},
      {"components.*.test|human_error",
       {{"components.gen.test", "{interval: 4w, duration: 1h, human_error: 1%}"}}},
      {"components.*.test|interval", {{"components.gen.test", "{interval: 4w, duration: 1h}"}}},
      {"components.*.test|duration", {{"components.gen.test", "{interval: 4w, duration: 1h}"}}},
      {"components.*.test|offset",
       {{"components.gen.test", "{interval: 4w, duration: 1h, offset: 1d}"}}},
      {"components.*.fuel|tank", {{"components.gen.fuel", "{tank: 24h}"}}},
      {"components.*.fuel|refuel", {{"components.gen.fuel", "{tank: 24h, refuel: {delay: 4h}}"}}},
      {"components.*.fuel.refuel|during_events",
       {{"components.gen.fuel", "{tank: 24h, refuel: {delay: 4h, during_events: {delay: 2d}}}"}}},
      {"components.*.fuel.refuel.during_events|delay",
       {{"components.gen.fuel", "{tank: 24h, refuel: {delay: 4h, during_events: {delay: 3d}}}"}}},
      {"components.*.fuel.refuel.during_events|fail_prob",
       {{"components.gen.fuel",
         "{tank: 24h, refuel: {delay: 4h, during_events: {fail_prob: 20%}}}"}}},
      {"components.*.fuel.refuel|delay",
       {{"components.gen.fuel", "{tank: 24h, refuel: {delay: 4h}}"}}},
      {"components.*.fuel.refuel|fail_prob",
       {{"components.gen.fuel", "{tank: 24h, refuel: {delay: 4h, fail_prob: 0.1}}"}}},
      {"components.*.events[]|name",
       {{"components.utility",
         "{kind: source, events: [{name: storm, rate: 2/y, duration: {dist: fixed, value: "
         "5h}}]}"}}},
      {"components.*.events[]|rate",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}}]}"}}},
      {"components.*.events[]|duration",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: lognormal, median: 2h, sigma: "
         "1}}]}"}}},
      {"components.*.events[]|season",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}, season: {peak: "
         "7m, amplitude: 50%}}]}"}}},
      {"components.*.events[].season|peak",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}, season: {peak: "
         "1m, amplitude: 10%}}]}"}}},
      {"components.*.events[].season|amplitude",
       {{"components.utility",
         "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 5h}, season: {peak: "
         "7m, amplitude: 90%}}]}"}}},
      {"components.*.start|delay", {{"components.gen.start", "{delay: 10s}"}}},
      {"components.*.start|fail_prob", {{"components.gen.start", "{fail_prob: 0.02}"}}},
      {"components.*.transfer|delay", {{"components.ats.transfer", "{delay: 5s}"}}},
      {"components.*.transfer|fail_prob", {{"components.ats.transfer", "{fail_prob: 0.001}"}}},
      {"components.*.transfer|human_error",
       {{"components.ats.transfer", "{human_error: 0.001}"},
        {"components.ats.retransfer_after", "5min"}}},
      {"law:weibull|dist",
       {{"components.pdu.failure", "{dist: weibull, shape: 1.5, scale: 5000h}"}}},
      {"law:weibull|shape",
       {{"components.pdu.failure", "{dist: weibull, shape: 2, scale: 5000h}"}}},
      {"law:weibull|scale",
       {{"components.pdu.failure", "{dist: weibull, shape: 1.5, scale: 8000h}"}}},
      {"law:lognormal|dist",
       {{"components.pdu.failure", "{dist: lognormal, median: 4000h, sigma: 1}"}}},
      {"law:lognormal|median",
       {{"components.pdu.failure", "{dist: lognormal, median: 4000h, sigma: 1}"}}},
      {"law:lognormal|sigma",
       {{"components.pdu.failure", "{dist: lognormal, median: 4000h, sigma: 0.5}"}}},
      {"law:fixed|dist", {{"components.pdu.failure", "{dist: fixed, value: 5000h}"}}},
      {"law:fixed|value", {{"components.pdu.failure", "{dist: fixed, value: 3000h}"}}},
      {"law:exponential|uncertainty",
       {{"components.pdu.failure",
         "{dist: exponential, mean: 5000h, uncertainty: {error_factor: 3}}"}}},
      {"law:weibull|uncertainty",
       {{"components.pdu.failure",
         "{dist: weibull, shape: 2, scale: 5000h, uncertainty: {error_factor: 3}}"}}},
      {"law:lognormal|uncertainty",
       {{"components.pdu.failure",
         "{dist: lognormal, median: 4000h, sigma: 1, uncertainty: {error_factor: 3}}"}}},
      {"law:fixed|uncertainty",
       {{"components.pdu.failure", "{dist: fixed, value: 3000h, uncertainty: {error_factor: 2}}"}}},
      {"uncertainty|error_factor",
       {{"components.pdu.repair",
         "{dist: exponential, mean: 8h, uncertainty: {error_factor: 2}}"}}},
      {"uncertainty|shared",
       {{"components.pdu.repair",
         "{dist: exponential, mean: 8h, uncertainty: {error_factor: 2, shared: crews}}"}}},
      {"components.*|cost",
       {{"components.pdu.cost", "{capex: 1000}"}, {"economics", "{capex: 1, years: 10}"}}},
      {"components.*.cost|capex",
       {{"components.pdu.cost", "{capex: 2000}"}, {"economics", "{capex: 1, years: 10}"}}},
      {"components.*.cost|annual_opex",
       {{"components.pdu.cost", "{annual_opex: 50}"}, {"economics", "{capex: 1, years: 10}"}}},
      {"components.*.start|uncertainty",
       {{"components.gen.start", "{fail_prob: 0.02, uncertainty: {error_factor: 3}}"}}},
      {"components.*.transfer|uncertainty",
       {{"components.ats.transfer", "{fail_prob: 0.001, uncertainty: {error_factor: 3}}"}}},
      {"common_cause[]|group", {{"common_cause", "[{group: [utility, pdu], beta: 0.1}]"}}},
      {"common_cause[]|beta", {{"common_cause", "[{group: [utility, pdu], beta: 0.2}]"}}},
      {"loads.*|thermal_ride_through", {{"loads.hall.thermal_ride_through", "5min"}}},
      {"loads.*|tenant",
       {{"loads.hall.tenant", "t"}, {"tenants.t.sla", "{credits: [{below: 99.9%, credit: 10%}]}"}}},
      {"loads.*|divisible", {{"loads.miners.divisible", "true"}}},
      {"loads.*|steps", {{"loads.miners.steps", "4"}}},
      {"loads.*|hosts",
       {{"loads.hall.hosts", "4"},
        {"tenants.t.workload",
         "{kind: cluster, cost_per_gpu_hour: 2, hosts: {hall: 4}, gpus_per_host: 8, "
         "host_bandwidth: 1GB/s, storage_bandwidth: 10GB/s, jobs: [{name: j, hosts: 4, "
         "checkpoint_interval: 1h, checkpoint_size: 1GB}]}"}}},
      {"tenants.*|monthly_fee", {{"tenants.t.sla", "{credits: [{below: 99.9%, credit: 10%}]}"}}},
      {"tenants.*|sla", {{"tenants.t.sla", "{credits: [{below: 99.9%, credit: 10%}]}"}}},
      {"tenants.*|workload", {{"tenants.t.workload", "{kind: mining, revenue_per_mwh: 50}"}}},
      {"tenants.*.sla|period", {{"tenants.t.sla", "{period: month}"}}},
      {"tenants.*.sla|credits", {{"tenants.t.sla", "{credits: [{below: 99%, credit: 5%}]}"}}},
      {"tenants.*.sla|per_incident", {{"tenants.t.sla", "{per_incident: 100}"}}},
      {"tenants.*.sla|cap", {{"tenants.t.sla", "{cap: 50%}"}}},
      {"tenants.*.sla.credits[]|below",
       {{"tenants.t.sla", "{credits: [{below: 99%, credit: 5%}]}"}}},
      {"tenants.*.sla.credits[]|credit",
       {{"tenants.t.sla", "{credits: [{below: 99%, credit: 5%}]}"}}},
      {"tenants.*.workload:training|kind",
       {{"tenants.t.workload", "{kind: training, checkpoint_interval: 1h, cost_per_hour: 10}"}}},
      {"tenants.*.workload:training|checkpoint_interval",
       {{"tenants.t.workload", "{kind: training, checkpoint_interval: 2h, cost_per_hour: 10}"}}},
      {"tenants.*.workload:training|restart_time",
       {{"tenants.t.workload",
         "{kind: training, checkpoint_interval: 1h, restart_time: 10min, cost_per_hour: 10}"}}},
      {"tenants.*.workload:training|cost_per_hour",
       {{"tenants.t.workload", "{kind: training, checkpoint_interval: 1h, cost_per_hour: 20}"}}},
      {"tenants.*.workload:mining|kind",
       {{"tenants.t.workload", "{kind: mining, revenue_per_mwh: 50}"}}},
      {"tenants.*.workload:mining|revenue_per_mwh",
       {{"tenants.t.workload", "{kind: mining, revenue_per_mwh: 60}"}}},
  };
  return e;
}

/// The cluster keys all take one example: a cluster tenant in full.
const std::vector<Override> kClusterOverrides = {
    {"loads.hall.hosts", "4"},
    {"tenants.t.workload",
     "{kind: cluster, cost_per_gpu_hour: 2, hosts: {hall: 4}, gpus_per_host: 8, placement: spread, "
     "host_bandwidth: 1GB/s, storage_bandwidth: 10GB/s, jobs: [{name: j, hosts: 4, "
     "checkpoint_interval: 1h, checkpoint_size: 1GB, restart_overhead: 5min}]}"}};
const std::vector<Override> kCalls = {
    {"grid",
     "{curtailment: {rate: 10/y, duration: {dist: fixed, value: 2h}, limit: 100kW, notice: 10min, "
     "price_per_mwh: 100, penalty_per_mwh: 1000, sources: [utility]}}"}};
/// Every weather key in one example: a seasonal heat wave that derates the chiller.
const std::vector<Override> kWeather = {
    {"weather",
     "{ambient: 22C, events: [{name: heat, rate: 3/y, duration: {dist: fixed, value: 48h}, "
     "ambient: 40C, season: {peak: 7m, amplitude: 50%}}]}"},
    {"components.chiller.capacity", "600kW"},
    {"components.chiller.derate", "[{above: 35C, capacity: 50%}]"}};
/// The weather's factors on grid event and call rates need both to raise.
const std::vector<Override> kWeatherFactors = {
    {"weather",
     "{events: [{rate: 3/y, duration: {dist: fixed, value: 48h}, ambient: 40C, "
     "grid_event_factor: 3, call_factor: 2}]}"},
    {"components.utility",
     "{kind: source, events: [{rate: 2/y, duration: {dist: fixed, value: 1h}}]}"},
    {"grid",
     "{curtailment: {rate: 10/y, duration: {dist: fixed, value: 2h}, limit: 100kW, sources: "
     "[utility]}}"}};
/// Generators for calls: the call moves the ATS onto the generator.
const std::vector<Override> kCallGenerators = {
    {"grid",
     "{curtailment: {rate: 10/y, duration: {dist: fixed, value: 2h}, limit: 100kW, sources: "
     "[utility], generators: [gen], generator_cost_per_mwh: 250}}"}};
const std::vector<Override> kEconomics = {
    {"economics",
     "{capex: 1, annual_opex: 2, years: 10, discount_rate: 5%, crew_cost_per_year: 3, "
     "spare_unit_cost: 4}"},
    {"crews", "2"}};

const std::vector<Override>* example_of(const DesignKey& k) {
  const std::string scope(k.scope);
  if (scope.rfind("tenants.*.workload:cluster", 0) == 0) return &kClusterOverrides;
  if (k.key == "generators" || k.key == "generator_cost_per_mwh") return &kCallGenerators;
  if (k.key == "grid_event_factor" || k.key == "call_factor") return &kWeatherFactors;
  if (scope.rfind("grid", 0) == 0) return &kCalls;
  if (scope == "economics") return &kEconomics;
  if (scope.rfind("weather", 0) == 0 || (scope.empty() && k.key == "weather") ||
      scope.rfind("components.*.derate", 0) == 0 || k.key == "derate")
    return &kWeather;
  const auto it = examples().find(scope + "|" + std::string(k.key));
  return it == examples().end() ? nullptr : &it->second;
}

std::string label(const DesignKey& k) {
  return std::string(k.scope) + (k.scope.empty() ? "" : ".") + std::string(k.key) +
         (k.kind.empty() ? "" : " (" + std::string(k.kind) + ")");
}

}  // namespace

TEST_CASE("capabilities: every analysis declares every feature", "[capabilities][trust]") {
  for (int a = 0; a < kAnalysisCount; ++a)
    for (int f = 0; f < kFeatureCount; ++f) {
      INFO(analysis_name(static_cast<Analysis>(a))
           << " / " << feature_name(static_cast<Feature>(f)));
      CHECK(declared(static_cast<Analysis>(a), static_cast<Feature>(f)));
      const Verdict v = capability(static_cast<Analysis>(a), static_cast<Feature>(f));
      // A refusal, an approximation or a figure left out must say why.
      CHECK((v.support == Support::Handled || !v.note.empty()));
    }
  // The plain run is the reference: it handles everything.
  for (int f = 0; f < kFeatureCount; ++f)
    CHECK(capability(Analysis::Run, static_cast<Feature>(f)).support == Support::Handled);
}

TEST_CASE("capabilities: every key of the format brings in the feature it declares",
          "[capabilities][trust]") {
  // Walks the key table: a key with a feature has an example that loads, the example's design
  // uses that feature, and every analysis that refuses the feature refuses the design.
  int walked = 0;
  for (const auto& k : design_keys()) {
    if (k.feature == kNoFeature) continue;
    INFO("key " << label(k) << " (" << feature_name(k.feature) << ")");
    const auto* ex = example_of(k);
    REQUIRE(ex != nullptr);
    auto r = load_design_text(kBase, "base.yaml", *ex);
    std::string errors;
    for (const auto& e : r.errors) errors += format_diagnostic("base.yaml", e) + "\n";
    INFO(errors);
    REQUIRE(r.design);
    const Model m = compile(*r.design);
    CHECK(uses(features_of(m), k.feature));
    for (int a = 0; a < kAnalysisCount; ++a) {
      const auto an = static_cast<Analysis>(a);
      INFO("analysis " << analysis_name(an));
      if (capability(an, k.feature).support == Support::Refused) CHECK(assess(an, m).refused());
    }
    ++walked;
  }
  CHECK(walked > 90);
  // The base design itself uses the dynamics of its kinds, and a plain run refuses nothing.
  auto base = load_design_text(kBase, "base.yaml");
  REQUIRE(base.design);
  const Model m = compile(*base.design);
  CHECK_FALSE(assess(Analysis::Run, m).refused());
  CHECK(assess(Analysis::Exact, m).refused());
}

TEST_CASE("capabilities: the key table's scopes are the loader's", "[capabilities][trust]") {
  // Every scope in the table is read by the loader: a design with an unknown key in each is
  // refused with that scope's keys offered.
  std::set<std::string> scopes;
  for (const auto& k : design_keys()) scopes.insert(std::string(k.scope));
  CHECK(scopes.count("components.*.fuel.refuel"));
  CHECK(keys_of("components.*", "generator") ==
        std::vector<std::string>{"kind", "capacity", "failure", "repair", "maintenance", "use",
                                 "cost", "spare_pool", "powered_by", "power_draw", "count", "start",
                                 "standby_failure", "test", "fuel"});
  CHECK(kind_of_key("autonomy") == "ups");
  CHECK(kind_of_key("capacity").empty());
  auto r = load_design_text(kBase, "base.yaml", {{"components.gen.fuel", "{tank: 8h, refil: 1}"}});
  REQUIRE_FALSE(r.design);
  bool offered = false;
  for (const auto& e : r.errors)
    offered = offered || e.message.find(
                             "unknown key 'refil' in component 'gen' fuel (did you "
                             "mean 'refuel'?)") != std::string::npos;
  CHECK(offered);
}

TEST_CASE("docs/format.md names every key of the format", "[capabilities][docs]") {
  std::ifstream in(std::string(RIDETHROUGH_SOURCE_DIR) + "/docs/format.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  auto word = [&](const std::string& w) {
    for (auto p = doc.find(w); p != std::string::npos; p = doc.find(w, p + 1)) {
      const auto ok = [](char ch) {
        return !(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
      };
      if ((p == 0 || ok(doc[p - 1])) && (p + w.size() == doc.size() || ok(doc[p + w.size()])))
        return true;
    }
    return false;
  };
  for (const auto& k : design_keys()) {
    INFO("key " << k.scope << " " << k.key);
    CHECK(word(std::string(k.key)));
  }
}
