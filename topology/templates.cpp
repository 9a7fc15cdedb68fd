#include "topology/templates.hpp"

#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "topology/keys.hpp"
#include "topology/limits.hpp"
#include "topology/reader.hpp"

namespace ridethrough::topology {

using reading::loc_of;
using reading::Reader;

namespace {

/// Blocks a template can stamp: mappings of named entries, and lists.
const std::vector<std::string> kMapBlocks = {"spares", "components", "loads", "tenants"};
const std::vector<std::string> kListBlocks = {"common_cause"};
constexpr int kMaxDepth = 16;

using Params = std::map<std::string, std::string>;

/// One stamped entry and where it came from.
struct Entry {
  std::string key;  ///< empty for a list item
  YAML::Node value;
  Loc origin;
  std::string context;
};

class Expander {
 public:
  Expander(const YAML::Node& root, std::vector<Diagnostic>& errors)
      : root_(root), r_(errors), errors_(errors) {}

  std::optional<ExpandedDesign> run();

 private:
  std::string substitute(const std::string& s, const Params& p, Loc where,
                         const std::string& context);
  YAML::Node copy(const YAML::Node& n, const Params& p, const std::string& context);
  void stamp(const std::string& name, const Params& p, const std::string& context, int depth);
  void instances(const YAML::Node& list, const Params& outer, const std::string& context,
                 int depth);
  void instance(const YAML::Node& inst, const std::string& name, const YAML::Node& t,
                const Params& outer, const std::string& context, int depth);
  Params defaults(const YAML::Node& t, const std::string& name);
  void bind(const YAML::Node& m, const std::string& name, const std::set<std::string>& known,
            Params& into, const Params& scope, const std::string& ctx, bool report);
  void check_each(const YAML::Node& each, int first, int count, const std::string& context);

  const YAML::Node& root_;
  Reader r_;
  std::vector<Diagnostic>& errors_;
  std::map<std::string, std::vector<Entry>> added_;  ///< per block, in stamping order
  std::size_t count_ = 0;
  bool too_many_ = false;
};

std::string Expander::substitute(const std::string& s, const Params& p, Loc where,
                                 const std::string& context) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    // `$name` (letters and digits): braces would open a mapping inside a flow list.
    if (s[i] == '$' && i + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
      std::size_t end = i + 1;
      while (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end]))) ++end;
      const std::string name = s.substr(i + 1, end - i - 1);
      const auto it = p.find(name);
      if (it == p.end()) {
        std::string known;
        for (const auto& [k, v] : p) known += (known.empty() ? "" : ", ") + k;
        r_.error(where,
                 "unknown parameter '$" + name + "' (this template knows " + known + ")" + context);
        out += s.substr(i, end - i);
      } else {
        out += it->second;
      }
      i = end;
      continue;
    }
    if (s.compare(i, 2, "${") != 0) {
      out += s[i++];
      continue;
    }
    const auto close = s.find('}', i + 2);
    if (close == std::string::npos) {
      r_.error(where, "unclosed '${' in '" + s + "'" + context);
      return out + s.substr(i);
    }
    const std::string name = s.substr(i + 2, close - i - 2);
    const auto it = p.find(name);
    if (it == p.end()) {
      std::string known;
      for (const auto& [k, v] : p) known += (known.empty() ? "" : ", ") + k;
      r_.error(where,
               "unknown parameter '${" + name + "}' (this template knows " + known + ")" + context);
      out += s.substr(i, close + 1 - i);
    } else {
      out += it->second;
    }
    i = close + 1;
  }
  return out;
}

/// Adds to `names` every parameter that `s` refers to ($name or ${name}).
void add_references(const std::string& s, std::set<std::string>& names) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '$') continue;
    if (s[i + 1] == '{') {
      const auto close = s.find('}', i + 2);
      if (close != std::string::npos) names.insert(s.substr(i + 2, close - i - 2));
      continue;
    }
    std::size_t end = i + 1;
    while (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end]))) ++end;
    if (end > i + 1 && std::isalpha(static_cast<unsigned char>(s[i + 1])))
      names.insert(s.substr(i + 1, end - i - 1));
  }
}

/// Every parameter a template's text refers to, in keys and values (nested instances included).
void add_references(const YAML::Node& n, std::set<std::string>& names) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      add_references(n.Scalar(), names);
      return;
    case YAML::NodeType::Sequence:
      for (const auto& x : n) add_references(x, names);
      return;
    case YAML::NodeType::Map:
      for (auto it = n.begin(); it != n.end(); ++it) {
        add_references(it->first, names);
        add_references(it->second, names);
      }
      return;
    default:
      return;
  }
}

YAML::Node Expander::copy(const YAML::Node& n, const Params& p, const std::string& context) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return YAML::Node(substitute(n.Scalar(), p, loc_of(n), context));
    case YAML::NodeType::Sequence: {
      YAML::Node out(YAML::NodeType::Sequence);
      for (const auto& x : n) out.push_back(copy(x, p, context));
      return out;
    }
    case YAML::NodeType::Map: {
      YAML::Node out(YAML::NodeType::Map);
      for (auto it = n.begin(); it != n.end(); ++it)
        out[copy(it->first, p, context)] = copy(it->second, p, context);
      return out;
    }
    default:
      return YAML::Node(n.Type());
  }
}

void Expander::stamp(const std::string& name, const Params& p, const std::string& context,
                     int depth) {
  const YAML::Node t = root_["templates"][name];
  const std::string what = "template '" + name + "'";
  for (const auto& block : kMapBlocks) {
    const YAML::Node b = t[block];
    if (!b) continue;
    if (!b.IsMap()) {
      r_.error(b, what + " " + block + " must be a mapping of named entries");
      continue;
    }
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (++count_ > limits::kMaxEntries) {
        if (!too_many_)
          r_.error(it->first, "templates stamp more than " + std::to_string(limits::kMaxEntries) +
                                  " entries, the most a design can have" + context);
        too_many_ = true;
        return;
      }
      const std::string key =
          it->first.IsScalar() ? substitute(it->first.Scalar(), p, loc_of(it->first), context) : "";
      added_[block].push_back({key, copy(it->second, p, context), loc_of(it->first), context});
    }
  }
  for (const auto& block : kListBlocks) {
    const YAML::Node b = t[block];
    if (!b) continue;
    if (!b.IsSequence()) {
      r_.error(b, what + " " + block + " must be a list");
      continue;
    }
    for (const auto& x : b) added_[block].push_back({"", copy(x, p, context), loc_of(x), context});
  }
  if (const YAML::Node inner = t["instances"]) instances(inner, p, context, depth + 1);
}

void Expander::instances(const YAML::Node& list, const Params& outer, const std::string& context,
                         int depth) {
  if (!list.IsSequence()) {
    r_.error(list, "instances must be a list of {template, count, first, with, each}");
    return;
  }
  if (depth > kMaxDepth) {
    r_.error(list, "templates nest more than 16 deep (does a template stamp itself?)" + context);
    return;
  }
  // Not a mapping (reported by run()): as if absent, since indexing it would throw (found by
  // fuzzing: tests/fuzz/regressions/templates_not_a_map.yaml).
  const YAML::Node given = root_["templates"];
  const YAML::Node templates = given && given.IsMap() ? given : YAML::Node();
  std::vector<std::string> names;
  if (templates)
    for (auto it = templates.begin(); it != templates.end(); ++it)
      if (it->first.IsScalar()) names.push_back(it->first.Scalar());
  for (const auto& inst : list) {
    if (!r_.expect_map(inst, "an instances entry")) continue;
    r_.check_keys(inst, keys_of("instances[]"), "an instances entry");
    const YAML::Node tn = inst["template"];
    if (!tn || !tn.IsScalar()) {
      r_.error(inst, "an instances entry needs 'template: NAME'" + context);
      continue;
    }
    const std::string name = tn.Scalar();
    if (!templates || !templates[name]) {
      r_.error(tn,
               "unknown template '" + name + "'" + reading::did_you_mean(name, names) + context);
      continue;
    }
    const YAML::Node t = templates[name];
    if (!r_.expect_map(t, "template '" + name + "'")) continue;
    r_.check_keys(t, keys_of("templates.*"), "template '" + name + "'");
    instance(inst, name, t, outer, context, depth);
    if (too_many_) return;
  }
}

/// The template's default parameters.
Params Expander::defaults(const YAML::Node& t, const std::string& name) {
  Params base;
  if (const YAML::Node d = t["params"]) {
    if (r_.expect_map(d, "template '" + name + "' params"))
      for (auto it = d.begin(); it != d.end(); ++it)
        if (it->first.IsScalar() && it->second.IsScalar())
          base[it->first.Scalar()] = it->second.Scalar();
  }
  return base;
}

/// Sets the parameters a `with` or `each` mapping gives, each evaluated in `scope`; only one
/// the template declares or refers to (a misspelt one would otherwise be ignored without a
/// word). `report`: say what is wrong (once, not per instance).
void Expander::bind(const YAML::Node& m, const std::string& name,
                    const std::set<std::string>& known, Params& into, const Params& scope,
                    const std::string& ctx, bool report) {
  if (!m || !(report ? r_.expect_map(m, "instances with/each") : m.IsMap())) return;
  const std::vector<std::string> known_list(known.begin(), known.end());
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      if (report) r_.error(it->first, "a template parameter must be a name and a single value");
      continue;
    }
    const std::string& key = it->first.Scalar();
    if (!known.count(key)) {
      if (report)
        r_.error(it->first, "template '" + name + "' has no parameter '" + key + "'" +
                                reading::did_you_mean(key, known_list) +
                                (known_list.empty() ? " (it has none)" : "") + ctx);
      continue;
    }
    into[key] = substitute(it->second.Scalar(), scope, loc_of(it->second), ctx);
  }
}

/// `each` names instances by number: each must be one this entry stamps.
void Expander::check_each(const YAML::Node& each, int first, int count,
                          const std::string& context) {
  for (auto it = each.begin(); it != each.end(); ++it) {
    const std::string k = it->first.IsScalar() ? it->first.Scalar() : "";
    const bool digits =
        !k.empty() && k.size() < 10 && k.find_first_not_of("0123456789") == std::string::npos;
    const long v = digits && std::to_string(std::stol(k)) == k ? std::stol(k) : -1;
    if (v < first || v >= static_cast<long>(first) + count)
      r_.error(
          it->first,
          "instances each: '" + k + "' is not an instance of this entry (it " + "stamps " +
              (count == 0 ? std::string("none")
                          : std::to_string(first) + " to " + std::to_string(first + count - 1)) +
              ")" + context);
  }
}

/// One instances entry: `count` instances of template `name` from number `first`, each with
/// the template's defaults, then `with` (evaluated with the outer parameters), then its `each`.
void Expander::instance(const YAML::Node& inst, const std::string& name, const YAML::Node& t,
                        const Params& outer, const std::string& context, int depth) {
  const int count = inst["count"] ? r_.count(inst["count"], "instances count", 0).value_or(0) : 1;
  const int first = inst["first"] ? r_.count(inst["first"], "instances first", 0).value_or(1) : 1;
  const Params base = defaults(t, name);
  std::set<std::string> known;
  for (const auto& [k, v] : base) known.insert(k);
  add_references(t, known);
  known.erase("i");
  const YAML::Node each = inst["each"];
  if (each && r_.expect_map(each, "instances each")) check_each(each, first, count, context);
  for (int k = 0; k < count; ++k) {
    const int i = first + k;
    const std::string ctx = " (in instance " + std::to_string(i) + " of template '" + name +
                            "', instances at line " + std::to_string(loc_of(inst).line) + ")" +
                            context;
    Params p = base;
    Params scope = outer;
    scope["i"] = std::to_string(i);
    bind(inst["with"], name, known, p, outer, context, k == 0);  // its errors once
    if (each && each.IsMap())
      if (const YAML::Node one = each[std::to_string(i)])
        bind(one, name, known, p, scope, ctx, true);
    p["i"] = std::to_string(i);
    stamp(name, p, ctx, depth);
    if (too_many_) return;
  }
}

/// One flow-style line for a node.
std::string flow(const YAML::Node& n) {
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << n;
  std::string s = e.c_str();
  for (char& c : s)
    if (c == '\n') c = ' ';
  return s;
}

std::string key_text(const std::string& k) {
  YAML::Emitter e;
  e << k;
  return e.c_str();
}

std::optional<ExpandedDesign> Expander::run() {
  const std::size_t before = errors_.size();
  if (const YAML::Node t = root_["templates"]) {
    if (r_.expect_map(t, "templates")) r_.check_ids(t, "templates");
  }
  if (const YAML::Node list = root_["instances"]) instances(list, Params{}, "", 1);
  if (errors_.size() > before) return std::nullopt;

  ExpandedDesign out;
  std::ostringstream text;
  auto line = [&](const std::string& s, Loc origin, const std::string& context) {
    text << s << "\n";
    out.origin.push_back(origin);
    out.context.push_back(context);
  };
  std::set<std::string> seen;
  auto emit_block = [&](const std::string& key, const YAML::Node& value, Loc origin) {
    const bool is_map = std::find(kMapBlocks.begin(), kMapBlocks.end(), key) != kMapBlocks.end();
    const bool is_list =
        std::find(kListBlocks.begin(), kListBlocks.end(), key) != kListBlocks.end();
    const auto& more = added_[key];
    if ((!is_map && !is_list) ||
        (value && !value.IsMap() && !value.IsSequence() && !value.IsNull())) {
      line(key_text(key) + ": " + flow(value), origin, "");
      return;
    }
    line(key_text(key) + ":", origin, "");
    if (value && (value.IsMap() || value.IsSequence())) {
      if (value.IsMap())
        for (auto it = value.begin(); it != value.end(); ++it)
          line("  " + flow(it->first) + ": " + flow(it->second), loc_of(it->first), "");
      else
        for (const auto& x : value) line("  - " + flow(x), loc_of(x), "");
    }
    for (const auto& e : more)
      line(is_map ? "  " + key_text(e.key) + ": " + flow(e.value) : "  - " + flow(e.value),
           e.origin, e.context);
  };
  for (auto it = root_.begin(); it != root_.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (key == "templates" || key == "instances") continue;
    seen.insert(key);
    emit_block(key, it->second, loc_of(it->first));
  }
  // Blocks only the templates fill.
  for (const auto& block : kMapBlocks)
    if (!seen.count(block) && !added_[block].empty()) emit_block(block, YAML::Node(), Loc{1, 1});
  for (const auto& block : kListBlocks)
    if (!seen.count(block) && !added_[block].empty()) emit_block(block, YAML::Node(), Loc{1, 1});
  out.text = text.str();
  return out;
}

}  // namespace

bool has_templates(const YAML::Node& root) {
  return root.IsMap() && (root["templates"] || root["instances"]);
}

std::optional<ExpandedDesign> expand_templates(const YAML::Node& root,
                                               std::vector<Diagnostic>& errors) {
  Expander e(root, errors);
  return e.run();
}

}  // namespace ridethrough::topology
