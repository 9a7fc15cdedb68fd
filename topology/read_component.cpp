// One component of a design file: its kind, the keys every component has, then its kind's own
// keys (topology/kinds/), and `count` copies.
#include <algorithm>

#include "topology/catalogue.hpp"
#include "topology/kinds.hpp"
#include "topology/limits.hpp"
#include "topology/loading.hpp"

namespace ridethrough::topology::loading {

namespace {

using reading::did_you_mean;
using reading::loc_of;

/// The kind of a component entry, or null (with an error).
const KindSpec* read_kind(Reader& r, const YAML::Node& key, const YAML::Node& n,
                          const std::string& what) {
  std::vector<std::string> names;
  for (const auto* k : kinds()) names.push_back(k->name);
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  const YAML::Node kind = n["kind"];
  if (!kind) {
    r.error(key, what + " needs 'kind' (" + list + ")");
    return nullptr;
  }
  if (!kind.IsScalar()) {
    r.error(kind, what + ": kind must be a single word");
    return nullptr;
  }
  const KindSpec* spec = kind_named(kind.Scalar());
  if (!spec)
    r.error(kind, what + ": unknown kind '" + kind.Scalar() + "'" +
                      did_you_mean(kind.Scalar(), names) + "; expected " + list);
  return spec;
}

/// Unknown keys, and keys of another kind with a message that says which.
void check_component_keys(Reader& r, const YAML::Node& n, const std::string& what,
                          const KindSpec& spec) {
  std::vector<std::string> allowed = keys_of("components.*", spec.name);
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string k = it->first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    const std::string other = kind_of_key(k);
    if (other.empty()) continue;
    r.error(it->first, "key '" + k + "' does not apply to " + what + " of kind '" + spec.name +
                           "' (it belongs to kind '" + other + "')");
    allowed.push_back(k);  // reported once, not again as unknown
  }
  r.check_keys(n, allowed, what);
}

/// The keys every component has.
void read_common(Reader& r, const YAML::Node& n, const std::string& what, Component& c) {
  const auto pos = Reader::Sign::Positive, nonneg = Reader::Sign::NonNegative;
  if (auto v = n["capacity"]) c.capacity = r.power(v, what + " capacity", pos).value_or(kUnlimited);
  if (auto v = n["power_draw"]) c.power_draw = r.power(v, what + " power_draw", nonneg).value_or(0);
  if (auto v = n["inputs"]) r.id_list(v, what + " inputs", c.inputs, c.input_locs);
  if (auto v = n["powered_by"]) r.id_list(v, what + " powered_by", c.powered_by, c.powered_by_locs);
  if (auto v = n["failure"]) c.failure = r.law(v, what + " failure");
  if (auto v = n["repair"]) {
    c.repair = r.law(v, what + " repair");
    c.has_repair = true;
    if (!c.repair.can_fail()) r.error(v, what + " repair cannot be 'never'");
  }
  if (auto v = n["spare_pool"]) {
    if (auto s = r.id_ref(v, what + " spare_pool")) {
      c.spare_pool = *s;
      c.spare_pool_loc = loc_of(v);
    }
  }
  if (auto v = n["cost"]; v && r.expect_map(v, what + " cost")) {
    r.check_keys(v, keys_of("components.*.cost"), what + " cost");
    c.has_cost = true;
    c.cost_loc = loc_of(v);
    if (auto x = v["capex"]) c.capex = r.number(x, what + " cost capex", nonneg).value_or(0);
    if (auto x = v["annual_opex"])
      c.annual_opex = r.number(x, what + " cost annual_opex", nonneg).value_or(0);
  }
  if (auto m = n["maintenance"]; m && r.expect_map(m, what + " maintenance")) {
    c.has_maintenance = true;
    read_window(r, m, what, "maintenance", c.maintenance_interval, c.maintenance_duration,
                c.maintenance_offset);
    if (auto v = m["crew"])
      c.maintenance_crew = r.flag(v, what + " maintenance crew").value_or(false);
    if (auto v = m["defer_if_unsafe"])
      c.maintenance_defer = r.flag(v, what + " maintenance defer_if_unsafe").value_or(false);
    if (auto v = m["human_error"])
      c.maintenance_human_error = r.share(v, what + " maintenance human_error").value_or(0);
  }
}

/// `count: N`: N identical copies, id1 .. idN; count 0 removes the component (a sweep can).
void add_copies(Reader& r, const YAML::Node& v, const std::string& what, const Component& c,
                Design& d) {
  int count = r.count(v, what + " count", 0).value_or(1);
  if (d.components.size() + static_cast<std::size_t>(count) > limits::kMaxEntries) {
    r.error(v, what + " count makes the design bigger than " + std::to_string(limits::kMaxEntries) +
                   " components and loads, the most it can be");
    count = 0;
  }
  std::vector<std::string> ids;
  for (int k = 1; k <= count; ++k) {
    Component copy = c;
    copy.id = c.id + std::to_string(k);
    ids.push_back(copy.id);
    d.components.push_back(std::move(copy));
  }
  d.counted.emplace_back(c.id, std::move(ids));
}

/// Laws from a record carry its population's doubt, drawn once for every unit that uses it.
void record_uncertainty(const CatalogueRecord& rec, Component& c) {
  if (rec.failures && *rec.failures > 0.0 && !c.failure.uncertainty.present() &&
      c.failure.can_fail())
    c.failure.uncertainty.error_factor = population_error_factor(*rec.failures);
  for (auto* law : {&c.failure, &c.repair, &c.standby_failure})
    if (law->uncertainty.present() && law->uncertainty.shared.empty())
      law->uncertainty.shared = "catalogue:" + rec.id + "." +
                                (law == &c.failure  ? "failure"
                                 : law == &c.repair ? "repair"
                                                    : "standby_failure");
  if (c.start_fail_uncertainty.present() && c.start_fail_uncertainty.shared.empty())
    c.start_fail_uncertainty.shared = "catalogue:" + rec.id + ".start";
}

/// `use: <record>`: the record's keys are read first, as if written in the entry, so the
/// entry's own keys override them.
void read_record_fields(Reader& r, const YAML::Node& use, const std::string& what,
                        const KindSpec* spec, Component& c) {
  const auto name = r.scalar(use, what + " use");
  if (!name) return;
  const CatalogueRecord* rec = catalogue_record(*name);
  if (!rec) {
    std::vector<std::string> ids;
    for (const auto& x : catalogue()) ids.push_back(x.id);
    r.error(use, what + ": no catalogue record '" + *name + "'" + did_you_mean(*name, ids) +
                     " (`ridethrough catalogue` lists them; they are read from " + catalogue_dir() +
                     ")");
    return;
  }
  if (!spec) return;
  if (!rec->kinds.empty() &&
      std::find(rec->kinds.begin(), rec->kinds.end(), spec->name) == rec->kinds.end()) {
    r.error(use, what + ": catalogue record '" + rec->id + "' is for kind '" + rec->kinds[0] +
                     "', not '" + spec->name + "'");
    return;
  }
  const std::string from = what + " (from catalogue record '" + rec->id + "')";
  read_common(r, rec->fields, from, c);
  if (spec->read) spec->read(r, rec->fields, from, c);
  record_uncertainty(*rec, c);  // before the entry's own keys, which replace whole laws
  return;
}

}  // namespace

void read_component(Reader& r, const std::string& id, const YAML::Node& key, const YAML::Node& n,
                    Design& d) {
  Component c;
  c.id = id;
  c.loc = loc_of(key);
  const std::string what = "component '" + id + "'";
  if (!r.expect_map(n, what)) return;
  const KindSpec* spec = read_kind(r, key, n, what);
  if (spec) {
    c.kind = spec->kind;
    check_component_keys(r, n, what, *spec);
  }
  if (auto use = n["use"]) {
    read_record_fields(r, use, what, spec, c);
    if (n["events"]) c.events.clear();  // the entry's own classes replace the record's
  }
  read_common(r, n, what, c);
  if (spec) {
    if (spec->read) spec->read(r, n, what, c);
    if (spec->takes_inputs && !n["inputs"])
      r.error(key, what + " of kind '" + spec->name + "' needs 'inputs'");
    if (spec->check) spec->check(r, key, n, what);
    if (n["power_draw"] && !n["powered_by"])
      r.error(n["power_draw"], what + " has a power_draw but no powered_by to draw it from");
  }
  const bool can_fail = c.failure.can_fail() || c.standby_failure.can_fail() ||
                        c.start_fail_prob > 0 || c.transfer_fail_prob > 0 ||
                        c.maintenance_human_error > 0 || c.test_human_error > 0 ||
                        c.transfer_human_error > 0;
  if (can_fail && !c.has_repair) r.error(key, what + " can fail but has no 'repair' law");
  if (auto v = n["count"])
    add_copies(r, v, what, c, d);
  else
    d.components.push_back(std::move(c));
}

}  // namespace ridethrough::topology::loading
