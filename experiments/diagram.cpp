// The single-line diagram (see diagram.hpp): one node per component (or per group of numbered
// copies on a campus), edges for inputs, powered_by and loads; Graphviz lays it out.
#include "experiments/diagram.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

extern char** environ;

namespace ridethrough::experiments {
namespace {

using topology::Kind;

/// How each kind is drawn: one table, in the order of topology::Kind.
struct KindStyle {
  Kind kind;
  const char* shape;
  const char* fill;
};
constexpr std::array<KindStyle, 6> kStyles{{
    {Kind::Source, "invhouse", "#e8f0fe"},
    {Kind::Generator, "ellipse", "#e6f4ea"},
    {Kind::Node, "box", "#ffffff"},
    {Kind::Switch, "diamond", "#fef7e0"},
    {Kind::Ups, "box3d", "#f3e8fd"},
    {Kind::CoolingSource, "hexagon", "#e0f7fa"},
}};
const KindStyle& style_of(Kind k) {
  for (const auto& s : kStyles)
    if (s.kind == k) return s;
  return kStyles[2];
}

/// A DOT string: quotes and backslashes escaped, new lines as \n (centred lines).
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double v, const char* f = "%.3g") {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string kw(double v) {
  return v >= 1000.0 ? number(v / 1000.0) + " MW" : number(v) + " kW";
}

std::string duration(double h) {
  if (h < 1.0 / 60.0) return number(h * 3600.0) + " s";
  if (h < 1.0) return number(h * 60.0) + " min";
  if (h < 72.0) return number(h) + " h";
  return number(h / 24.0) + " d";
}

/// Numbered copies share a node when the design is large: "hall3_rack17_pdu" -> "hall#_rack#_pdu".
std::string group_key(const std::string& id) {
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(id[i]))) {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += id[i];
    }
  }
  return out;
}

/// What a component's node says beyond its id: capacity and the one key of its kind that
/// matters most on a diagram.
std::string details(const topology::Model& m, int c) {
  std::string s;
  if (m.capacity[c] < topology::kUnlimited) s += "\n" + kw(m.capacity[c]);
  switch (m.kind[c]) {
    case Kind::Generator:
      if (m.start_delay[c] > 0.0 || m.start_fail_prob[c] > 0.0)
        s += "\nstart " + duration(m.start_delay[c]) + ", fails " +
             number(100.0 * m.start_fail_prob[c]) + "%";
      break;
    case Kind::Switch:
      if (m.transfer_delay[c] > 0.0) s += "\ntransfer " + duration(m.transfer_delay[c]);
      break;
    case Kind::Ups:
      if (m.autonomy[c] > 0.0) s += "\nautonomy " + duration(m.autonomy[c]);
      break;
    case Kind::CoolingSource:
      if (m.restart[c] > 0.0) s += "\nrestart " + duration(m.restart[c]);
      break;
    default:
      break;
  }
  return s;
}

/// "needs k of n" on a node whose inputs all have the same capacity: k is the demand of the
/// loads it can serve (each counted whole: a dual-corded load may rest on either path) over
/// one input's capacity.
std::string k_of_n(const topology::Model& m, int c) {
  const int n = m.inputs.size(c);
  if (m.kind[c] != Kind::Node || n < 2) return "";
  const double cap = m.capacity[m.inputs.idx[m.inputs.begin(c)]];
  for (int k = m.inputs.begin(c); k < m.inputs.end(c); ++k)
    if (m.capacity[m.inputs.idx[k]] != cap) return "";
  if (!(cap < topology::kUnlimited)) return "";
  double demand = 0.0;
  for (int l = 0; l < m.n_loads; ++l)
    for (int k = m.load_cone.begin(l); k < m.load_cone.end(l); ++k)
      if (m.load_cone.idx[k] == c) demand += m.demand[l];
  if (demand <= 0.0) return "";
  const int need = static_cast<int>(std::ceil(demand / cap - 1e-9));
  return "\nneeds " + std::to_string(need) + " of " + std::to_string(n);
}

/// The figure to colour by, per component id, from a run or importance JSON.
std::map<std::string, double> figures(const nlohmann::json& r, std::string& by) {
  std::map<std::string, double> out;
  if (!r.contains("components") || !r["components"].is_object()) return out;
  for (const auto& [id, c] : r["components"].items()) {
    if (c.contains("birnbaum")) {
      by = "birnbaum";
      const auto& b = c["birnbaum"];
      out[id] = b.is_object() ? b["mean"].get<double>() : b.get<double>();
    } else if (c.contains("outage_share") && c["outage_share"].is_number()) {
      by = "outage_share";
      out[id] = c["outage_share"].get<double>();
    }
  }
  return out;
}

/// White to red as `share` goes from 0 to 1.
std::string heat(double share) {
  share = std::clamp(share, 0.0, 1.0);
  const auto mix = [&](int from, int to) {
    return static_cast<int>(std::lround(from + (to - from) * share));
  };
  char b[16];
  std::snprintf(b, sizeof b, "#%02x%02x%02x", mix(255, 214), mix(255, 39), mix(255, 40));
  return b;
}

class Builder {
 public:
  Builder(const topology::Model& m, const nlohmann::json& check, const DiagramOptions& o) : m_(m) {
    group_ = m.n > o.group_above;
    const bool group = group_;
    for (int c = 0; c < m.n; ++c) {
      const std::string key = group ? group_key(m.ids[c]) : m.ids[c];
      if (!node_of_key_.count(key)) {
        node_of_key_[key] = static_cast<int>(keys_.size());
        keys_.push_back(key);
        members_.emplace_back();
      }
      node_.push_back(node_of_key_[key]);
      members_[node_.back()].push_back(c);
    }
    for (const auto& [id, l] : check["loads"].items())
      for (const auto& c : l["single_points_of_failure"]) spof_.insert(c.get<std::string>());
    if (o.results) figure_ = figures(*o.results, colour_by_);
    for (const auto& [id, v] : figure_) top_ = std::max(top_, v);
  }

  Diagram build() {
    os_ << "digraph design {\n  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=10, "
           "nodesep=0.3, ranksep=0.45, label="
        << quote(legend()) << ", labelloc=b];\n"
        << "  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n"
        << "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6];\n";
    for (std::size_t k = 0; k < keys_.size(); ++k) component_node(static_cast<int>(k));
    for (int c = 0; c < m_.n; ++c) component_edges(c);
    for (int l = 0; l < m_.n_loads; ++l) load(l);
    for (const auto& key : load_order_)
      os_ << "  " << quote("l:" + key) << " [shape=box, style=\"rounded,filled\", "
          << "fillcolor=\"#fff8c4\", label=" << quote(load_label_[key])
          << ", tooltip=" << quote(members(load_groups_[key])) << "];\n";
    pools_and_groups();
    os_ << "}\n";
    return {os_.str(), colour_by_, static_cast<int>(keys_.size())};
  }

 private:
  std::string legend() const {
    std::string s = m_.name.empty() ? std::string("design") : m_.name;
    s += "\nblack: power; blue: cooling; dashed: powered_by; numbers: a switch's input order; "
         "red outline: single point of failure";
    if (!colour_by_.empty())
      s += "; fill: " + colour_by_ + " (white 0 to red " + number(top_) + ")";
    return s;
  }

  void component_node(int k) {
    const auto& mem = members_[k];
    const int c = mem.front();
    const auto& st = style_of(m_.kind[c]);
    std::string label = keys_[k];
    if (mem.size() > 1) label += " x " + std::to_string(mem.size());
    label += details(m_, c) + k_of_n(m_, c);
    double value = -1.0;
    bool spof = false;
    std::vector<std::string> ids;
    for (int x : mem) {
      if (figure_.count(m_.ids[x])) value = std::max(value, figure_.at(m_.ids[x]));
      spof = spof || spof_.count(m_.ids[x]);
      ids.push_back(m_.ids[x]);
    }
    if (value > 0.0) label += "\n" + colour_by_ + " " + number(value);
    os_ << "  " << quote("c:" + keys_[k]) << " [shape=" << st.shape << ", label=" << quote(label)
        << ", tooltip=" << quote(members(ids))
        << ", fillcolor=" << quote(value >= 0.0 && top_ > 0.0 ? heat(value / top_) : st.fill);
    if (m_.net[c] == topology::Net::Cooling) os_ << ", color=\"#1f77b4\"";
    if (spof) os_ << ", color=\"#d62728\", penwidth=2.5";
    os_ << "];\n";
  }

  void edge(const std::string& from, const std::string& to, const std::string& attrs) {
    if (edges_.insert(from + "\x1f" + to + "\x1f" + attrs).second)
      os_ << "  " << quote(from) << " -> " << quote(to) << " [" << attrs << "];\n";
  }
  std::string node(int c) const { return "c:" + keys_[node_[c]]; }

  void component_edges(int c) {
    const bool cooling = m_.net[c] == topology::Net::Cooling;
    int order = 0;
    for (int k = m_.inputs.begin(c); k < m_.inputs.end(c); ++k) {
      std::string a = cooling ? "color=\"#1f77b4\"" : "color=black";
      if (m_.kind[c] == Kind::Switch) a += ", label=" + quote(std::to_string(++order));
      edge(node(m_.inputs.idx[k]), node(c), a);
    }
    for (int k = m_.powered_by.begin(c); k < m_.powered_by.end(c); ++k)
      edge(node(m_.powered_by.idx[k]), node(c), "style=dashed, color=\"#666666\"");
  }

  /// Loads grouped like components; each group drawn once, at its first load.
  void load(int l) {
    const std::string key = group_ ? group_key(m_.load_ids[l]) : m_.load_ids[l];
    const std::string id = "l:" + key;
    auto& group = load_groups_[key];
    group.push_back(m_.load_ids[l]);
    if (group.size() == 1) load_order_.push_back(key);
    const std::string label = key + (group.size() > 1 ? " x " + std::to_string(group.size()) : "") +
                              "\n" + kw(m_.demand[l]) + (m_.critical[l] ? "" : "\nflexible");
    load_label_[key] = label;
    for (int k = m_.load_power.begin(l); k < m_.load_power.end(l); ++k)
      edge(node(m_.load_power.idx[k]), id, "color=black");
    for (int k = m_.load_cooling.begin(l); k < m_.load_cooling.end(l); ++k)
      edge(node(m_.load_cooling.idx[k]), id, "color=\"#1f77b4\"");
  }

  void pools_and_groups() {
    for (std::size_t p = 0; p < m_.pool_ids.size(); ++p) {
      const std::string id = "p:" + m_.pool_ids[p];
      os_ << "  " << quote(id) << " [shape=note, fillcolor=\"#f1f3f4\", label="
          << quote("spares: " + m_.pool_ids[p] + "\nstock " + std::to_string(m_.pool_stock[p]) +
                   ", lead " + duration(m_.pool_lead_time[p]))
          << "];\n";
      for (int c = 0; c < m_.n; ++c)
        if (m_.spare_pool[c] == static_cast<int>(p))
          edge(id, node(c), "style=dotted, arrowhead=none, constraint=false");
    }
    for (std::size_t g = 0; g < m_.cc_members.size(); ++g) {
      const std::string id = "g:cc" + std::to_string(g + 1);
      os_ << "  " << quote(id) << " [shape=octagon, fillcolor=\"#fce8e6\", color=\"#d62728\", "
          << "label="
          << quote("common cause\n" + std::to_string(m_.cc_members[g].size()) + " members")
          << "];\n";
      for (int c : m_.cc_members[g])
        edge(id, node(c), "style=dotted, color=\"#d62728\", arrowhead=none, constraint=false");
    }
  }

  /// A tooltip's list of members: all of them up to 20, else the first and last few (DOT
  /// strings are limited to 16 kB).
  static std::string members(const std::vector<std::string>& ids) {
    std::string s;
    const std::size_t n = ids.size();
    for (std::size_t k = 0; k < n; ++k) {
      if (n > 20 && k == 5) {
        s += " ... (" + std::to_string(n) + " in all)";
        k = n - 5;  // then the last four
      }
      s += (s.empty() ? "" : " ") + ids[k];
    }
    return s;
  }

  const topology::Model& m_;
  bool group_ = false;
  std::map<std::string, std::vector<std::string>> load_groups_;
  std::map<std::string, std::string> load_label_;
  std::vector<std::string> load_order_;
  std::vector<std::string> keys_;
  std::map<std::string, int> node_of_key_;
  std::vector<std::vector<int>> members_;
  std::vector<int> node_;
  std::set<std::string> spof_, edges_;
  std::map<std::string, double> figure_;
  std::string colour_by_;
  double top_ = 0.0;
  std::ostringstream os_;
};

}  // namespace

Diagram diagram_dot(const topology::Model& m, const nlohmann::json& check,
                    const DiagramOptions& options) {
  return Builder(m, check, options).build();
}

std::optional<std::string> render_svg(const std::string& dot, std::string& error) {
  char in[] = "/tmp/ridethrough-diagram-XXXXXX";
  const int fd = ::mkstemp(in);
  if (fd < 0) {
    error = "cannot create a temporary file";
    return std::nullopt;
  }
  ::close(fd);
  const std::string out = std::string(in) + ".svg";
  std::ofstream(in) << dot;
  std::vector<std::string> args{"dot", "-Tsvg", in, "-o", out};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int status = -1;
  const int rc = ::posix_spawnp(&pid, "dot", nullptr, nullptr, argv.data(), environ);
  if (rc == 0) ::waitpid(pid, &status, 0);
  std::optional<std::string> svg;
  if (rc != 0) {
    error =
        "Graphviz's `dot` program was not found (Debian: apt-get install graphviz); "
        "--format dot writes the graph itself";
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "Graphviz's `dot` failed on the graph";
  } else {
    std::ifstream f(out);
    std::stringstream ss;
    ss << f.rdbuf();
    svg = ss.str();
  }
  std::remove(in);
  std::remove(out.c_str());
  return svg;
}

}  // namespace ridethrough::experiments
