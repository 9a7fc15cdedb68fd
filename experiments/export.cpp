#include "experiments/export.hpp"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "experiments/driver.hpp"
#include "topology/capabilities.hpp"
#include "topology/fault_tree.hpp"
#include "topology/features.hpp"

namespace ridethrough::experiments {

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string law_text(const topology::Law& l) {
  if (!l.can_fail()) return "never";
  const char* kind = l.kind == topology::LawKind::Exponential ? "exponential"
                     : l.kind == topology::LawKind::Weibull   ? "weibull"
                     : l.kind == topology::LawKind::Lognormal ? "lognormal"
                                                              : "fixed";
  std::string s = std::string(kind) + " " + l.scale_key() + " " + num(l.scale) + " h";
  if (l.kind == topology::LawKind::Weibull) s += " shape " + num(l.shape);
  if (l.kind == topology::LawKind::Lognormal) s += " sigma " + num(l.shape);
  return s;
}

/// The names of a model: basic events by component id, renamed where a load (a top gate) has
/// the same id; common-cause shocks as ccf_<group>; a member of a group as the gate
/// <id>_or_ccf.
class Names {
 public:
  explicit Names(const topology::Model& m) : m_(m) {
    for (const auto& id : m.load_ids) loads_.insert(id);
  }
  std::string event(int c) const {
    return loads_.count(m_.ids[c]) ? m_.ids[c] + "_component" : m_.ids[c];
  }
  std::string member(int c, int group) const { return group < 0 ? event(c) : event(c) + "_or_ccf"; }

 private:
  const topology::Model& m_;
  std::set<std::string> loads_;
};

/// A formula as MEF writes it: a single child needs no gate around it.
std::string formula(const std::string& op, const std::vector<std::string>& args,
                    const std::string& indent) {
  if (args.empty()) return indent + "<constant value=\"false\"/>\n";
  if (args.size() == 1) return args[0];
  std::string s = indent + "<" + op + ">\n";
  for (const auto& a : args) s += a;
  return s + indent + "</" + op + ">\n";
}

std::string ref(const std::string& name, bool gate, const std::string& indent) {
  return indent + (gate ? "<gate name=\"" : "<basic-event name=\"") + name + "\"/>\n";
}

/// The common-cause group of each component, or -1.
std::vector<int> groups_of(const topology::Model& m) {
  std::vector<int> g(m.n, -1);
  for (std::size_t k = 0; k < m.cc_members.size(); ++k)
    for (int c : m.cc_members[k]) g[c] = static_cast<int>(k);
  return g;
}

std::string fault_tree(const topology::Model& m, const topology::LoadFaultTree& t,
                       const Names& names, const std::vector<int>& group) {
  std::vector<std::string> cuts;
  for (const auto& cut : t.cut_sets) {
    std::vector<std::string> members;
    for (int c : cut) members.push_back(ref(names.member(c, group[c]), group[c] >= 0, "        "));
    cuts.push_back(formula("and", members, "      "));
  }
  const std::string& id = m.load_ids[t.load];
  return "  <define-fault-tree name=\"" + id + "\">\n    <define-gate name=\"" + id +
         "\">\n      <label>load '" + id + "' is not served (power or cooling)</label>\n" +
         formula("or", cuts, "      ") + "    </define-gate>\n  </define-fault-tree>\n";
}

std::string model_data(const topology::Model& m, const std::set<int>& used, const Names& names,
                       const std::vector<int>& group) {
  std::string s = "  <model-data>\n";
  std::set<int> groups;
  for (int c : used) {
    std::string label = "component '" + m.ids[c] + "' (" + topology::kind_name(m.kind[c]) + ")";
    if (m.failure[c].can_fail())
      label += ": failure " + law_text(m.failure[c]) + ", repair " + law_text(m.repair[c]);
    if (m.events.size(c) > 0) label += ": grid events";
    if (m.start_fail_prob[c] > 0) label += ", start fail_prob " + num(m.start_fail_prob[c]);
    if (m.transfer_fail_prob[c] > 0)
      label += ", transfer fail_prob " + num(m.transfer_fail_prob[c]);
    if (m.maintenance_interval[c] > 0) label += ", maintenance";
    s += "    <define-basic-event name=\"" + names.event(c) + "\">\n      <label>" + label +
         "</label>\n      <float value=\"" + num(topology::basic_event_probability(m, c)) +
         "\"/>\n    </define-basic-event>\n";
    if (group[c] >= 0) groups.insert(group[c]);
  }
  for (int g : groups) {
    // The shock is down a share rate x (the members' mean repair time) of the time (rare).
    double repair = 0.0;
    for (int c : m.cc_members[g]) repair += m.repair[c].mean();
    repair /= static_cast<double>(m.cc_members[g].size());
    s += "    <define-basic-event name=\"ccf_" + std::to_string(g + 1) +
         "\">\n      <label>common_cause group " + std::to_string(g + 1) +
         ": shock rate x mean repair (an approximation)</label>\n      <float value=\"" +
         num(std::min(1.0, m.cc_rate[g] * repair)) + "\"/>\n    </define-basic-event>\n";
  }
  return s + "  </model-data>\n";
}

/// A member of a common-cause group is down on its own or by the group's shock.
std::string ccf_gates(const std::set<int>& used, const Names& names,
                      const std::vector<int>& group) {
  std::string s;
  for (int c : used) {
    if (group[c] < 0) continue;
    s += "    <define-gate name=\"" + names.member(c, group[c]) + "\">\n      <or>\n" +
         ref(names.event(c), false, "        ") +
         ref("ccf_" + std::to_string(group[c] + 1), false, "        ") +
         "      </or>\n    </define-gate>\n";
  }
  return s.empty()
             ? s
             : "  <define-fault-tree name=\"common_cause\">\n" + s + "  </define-fault-tree>\n";
}

}  // namespace

OpenPsaExport open_psa(const topology::Design& d, const topology::Model& m) {
  OpenPsaExport out;
  const auto assessed = topology::assess(topology::Analysis::Export, m);
  out.left_out = assessed.approximations;
  out.left_out.insert(out.left_out.end(), assessed.not_estimated.begin(),
                      assessed.not_estimated.end());
  const Names names(m);
  const auto group = groups_of(m);
  std::string trees;
  std::set<int> used;
  for (int l = 0; l < m.n_loads; ++l) {
    if (!m.critical[l]) continue;
    const auto t = topology::load_fault_tree(m, l);
    if (!t.refusal.empty()) {
      out.refusals.push_back("load '" + m.load_ids[l] + "': " + t.refusal);
      continue;
    }
    for (const auto& cut : t.cut_sets) used.insert(cut.begin(), cut.end());
    trees += fault_tree(m, t, names, group);
  }
  if (!out.refusals.empty()) return out;
  std::string comment;
  for (auto line : out.left_out) {
    for (auto k = line.find("--"); k != std::string::npos; k = line.find("--"))
      line.replace(k, 2, "- -");  // not allowed inside an XML comment
    comment += "     - " + line + "\n";
  }
  out.xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ridethrough " +
      std::string(RIDETHROUGH_VERSION) + ": " + design_label(d) +
      ", one fault tree per critical load (\"the load is not served\"), the OR of its "
      "minimal cut sets under the static rule; basic-event probabilities are steady-state "
      "unavailabilities with independent repair." +
      (comment.empty() ? std::string(" -->\n")
                       : std::string("\n     Approximated or left out:\n") + comment + "-->\n") +
      "<opsa-mef>\n" + trees + ccf_gates(used, names, group) + model_data(m, used, names, group) +
      "</opsa-mef>\n";
  return out;
}

}  // namespace ridethrough::experiments
