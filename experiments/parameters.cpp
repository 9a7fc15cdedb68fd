#include "experiments/parameters.hpp"

#include <algorithm>

namespace ridethrough::experiments {

using topology::Component;
using topology::Design;
using topology::Law;
using topology::LawKind;

namespace {

constexpr double kBelowOne = 0.999;

/// Collects the parameters of one component (index `i` in the design).
class ComponentParameters {
 public:
  ComponentParameters(const Component& c, std::size_t i, std::vector<Parameter>& out)
      : c_(c), i_(i), out_(out) {}

  /// A number of the component, if it is in use.
  void number(const std::string& key, double value, double Component::*field,
              double upper = topology::kUnlimited) {
    if (value <= 0.0 || value == topology::kUnlimited) return;
    const std::size_t i = i_;
    out_.push_back({"components." + c_.id + "." + key, c_.id, value, upper,
                    [i, field](Design& d, double v) { d.components[i].*field = v; }});
  }
  /// A law's scale, if the law can fail.
  void law(const std::string& key, const Law& law, Law Component::*field) {
    if (!law.can_fail()) return;
    const std::size_t i = i_;
    out_.push_back({"components." + c_.id + "." + key + "." + law.scale_key(), c_.id, law.scale,
                    topology::kUnlimited,
                    [i, field](Design& d, double v) { (d.components[i].*field).scale = v; }});
  }

 private:
  const Component& c_;
  std::size_t i_;
  std::vector<Parameter>& out_;
};

void component_parameters(const Component& c, std::size_t i, std::vector<Parameter>& out) {
  ComponentParameters p(c, i, out);
  p.law("failure", c.failure, &Component::failure);
  if (c.has_repair &&
      (c.failure.can_fail() || c.standby_failure.can_fail() || c.start_fail_prob > 0 ||
       c.transfer_fail_prob > 0 || c.transfer_human_error > 0))
    p.law("repair", c.repair, &Component::repair);
  p.law("standby_failure", c.standby_failure, &Component::standby_failure);
  p.number("start.fail_prob", c.start_fail_prob, &Component::start_fail_prob, kBelowOne);
  p.number("start.delay", c.start_delay, &Component::start_delay);
  p.number("transfer.fail_prob", c.transfer_fail_prob, &Component::transfer_fail_prob, kBelowOne);
  p.number("transfer.delay", c.transfer_delay, &Component::transfer_delay);
  p.number("transfer.human_error", c.transfer_human_error, &Component::transfer_human_error,
           kBelowOne);
  p.number("retransfer_after", c.retransfer_after, &Component::retransfer_after);
  p.number("autonomy", c.autonomy, &Component::autonomy);
  p.number("battery_energy", c.battery_energy, &Component::battery_energy);
  p.number("recharge", c.recharge, &Component::recharge);
  p.number("restart", c.restart, &Component::restart);
  // Durations of windows, not their intervals: a window must stay shorter than its interval
  // (`sweep --vary` changes an interval with the loader's checks).
  const double within = 1.0 - 1e-9;
  if (c.has_maintenance)
    p.number("maintenance.duration", c.maintenance_duration, &Component::maintenance_duration,
             c.maintenance_interval * within);
  if (c.has_maintenance && c.maintenance_human_error > 0)
    p.number("maintenance.human_error", c.maintenance_human_error,
             &Component::maintenance_human_error, kBelowOne);
  if (c.has_test)
    p.number("test.duration", c.test_duration, &Component::test_duration, c.test_interval * within);
  if (c.has_test && c.test_human_error > 0)
    p.number("test.human_error", c.test_human_error, &Component::test_human_error, kBelowOne);
  p.number("fuel.tank", c.fuel_tank, &Component::fuel_tank);
  if (c.has_refuel) {
    p.number("fuel.refuel.delay", c.refuel_delay, &Component::refuel_delay);
    p.number("fuel.refuel.fail_prob", c.refuel_fail_prob, &Component::refuel_fail_prob, kBelowOne);
  }
  if (c.has_refuel && c.has_storm_refuel) {
    p.number("fuel.refuel.during_events.delay", c.storm_refuel_delay,
             &Component::storm_refuel_delay);
    p.number("fuel.refuel.during_events.fail_prob", c.storm_refuel_fail_prob,
             &Component::storm_refuel_fail_prob, kBelowOne);
  }
  for (std::size_t k = 0; k < c.events.size(); ++k) {
    const auto& e = c.events[k];
    const std::string at = "components." + c.id + ".events." + e.name + ".";
    out.push_back({at + "rate", c.id, e.rate, topology::kUnlimited,
                   [i, k](Design& d, double v) { d.components[i].events[k].rate = v; }});
    out.push_back({at + "duration." + e.duration.scale_key(), c.id, e.duration.scale,
                   topology::kUnlimited,
                   [i, k](Design& d, double v) { d.components[i].events[k].duration.scale = v; }});
  }
}

}  // namespace

std::vector<Parameter> parameters_of(const Design& d) {
  std::vector<Parameter> out;
  for (std::size_t i = 0; i < d.components.size(); ++i)
    component_parameters(d.components[i], i, out);
  for (std::size_t g = 0; g < d.common_cause.size(); ++g)
    out.push_back({"common_cause." + std::to_string(g) + ".beta", "", d.common_cause[g].beta,
                   kBelowOne, [g](Design& x, double v) { x.common_cause[g].beta = v; }});
  for (std::size_t p = 0; p < d.spares.size(); ++p)
    if (d.spares[p].lead_time > 0)
      out.push_back({"spares." + d.spares[p].id + ".lead_time", "", d.spares[p].lead_time,
                     topology::kUnlimited,
                     [p](Design& x, double v) { x.spares[p].lead_time = v; }});
  for (std::size_t l = 0; l < d.loads.size(); ++l)
    if (d.loads[l].thermal_ride_through > 0)
      out.push_back({"loads." + d.loads[l].id + ".thermal_ride_through", "",
                     d.loads[l].thermal_ride_through, topology::kUnlimited,
                     [l](Design& x, double v) { x.loads[l].thermal_ride_through = v; }});
  for (std::size_t k = 0; k < d.weather.events.size(); ++k) {
    const auto& e = d.weather.events[k].event;
    const std::string at = "weather.events." + e.name + ".";
    out.push_back({at + "rate", "", e.rate, topology::kUnlimited,
                   [k](Design& x, double v) { x.weather.events[k].event.rate = v; }});
    out.push_back({at + "duration." + e.duration.scale_key(), "", e.duration.scale,
                   topology::kUnlimited,
                   [k](Design& x, double v) { x.weather.events[k].event.duration.scale = v; }});
  }
  if (d.curtailment.present) {
    out.push_back({"grid.curtailment.rate", "", d.curtailment.rate, topology::kUnlimited,
                   [](Design& x, double v) { x.curtailment.rate = v; }});
    out.push_back({"grid.curtailment.duration." + std::string(d.curtailment.duration.scale_key()),
                   "", d.curtailment.duration.scale, topology::kUnlimited,
                   [](Design& x, double v) { x.curtailment.duration.scale = v; }});
  }
  return out;
}

Design scaled(const Design& d, const Parameter& p, double factor) {
  Design v = d;
  p.set(v, std::min(p.value * factor, p.upper));
  return v;
}

}  // namespace ridethrough::experiments
