#include "topology/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "topology/limits.hpp"
#include "topology/loading.hpp"
#include "topology/templates.hpp"

// Reading a design: the text is checked (bytes, size, nesting), overrides are applied, templates
// expanded, each block read (read_component.cpp, read_blocks.cpp) and the whole validated
// (validate.cpp). Errors come back at their line and column, in the order of the file.
namespace ridethrough::topology {

using loading::apply_override;
using loading::Reader;
using loading::sort_by_position;

namespace {

/// Refuses what is not a design's text before the YAML parser sees it: binary garbage (a NUL
/// byte or invalid UTF-8), more than the size limit, too deep nesting or alias expansion.
bool check_text(Reader& r, const std::string& text) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
    bool ok = len > 0 && i + len <= text.size() && c != 0;
    for (std::size_t k = 1; ok && k < len; ++k)
      ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    if (!ok) {
      r.error(Loc{line, col}, "the file is not UTF-8 text (is it a design file?)");
      return false;
    }
    if (c == '\n')
      ++line, col = 1;
    else
      ++col;
    i += len;
  }
  if (text.size() > limits::kMaxFileBytes) {
    r.error(Loc{1, 1}, "the design is " + std::to_string(text.size() >> 20) +
                           " MiB; designs are limited to " +
                           std::to_string(limits::kMaxFileBytes >> 20) + " MiB");
    return false;
  }
  if (auto p = limits::check_yaml_text(text)) {
    r.error(p->loc, p->message);
    return false;
  }
  return true;
}

/// Parses the text; null (with the error at its place) if it is not YAML or not a mapping.
std::optional<YAML::Node> parse(Reader& r, const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg);
    return std::nullopt;
  }
  if (!root.IsMap()) {
    r.error(Loc{1, 1}, "a design file must be a YAML mapping with version, components and loads");
    return std::nullopt;
  }
  return root;
}

/// Every block of a flat design (no templates), then the checks that need all of them.
void read_design(Reader& r, const YAML::Node& root, Design& d) {
  using namespace loading;
  read_header(r, root, d);
  if (auto s = root["spares"]) read_spares(r, s, d);
  if (auto c = root["components"])
    each_entry(r, c, "components",
               [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                 read_component(r, id, key, n, d);
               });
  else
    r.error(Loc{1, 1}, "missing 'components'");
  if (auto cc = root["common_cause"]) read_common_cause(r, cc, d);
  if (auto l = root["loads"])
    each_entry(r, l, "loads",
               [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                 read_load(r, id, key, n, d);
               });
  if (auto t = root["tenants"])
    each_entry(r, t, "tenants",
               [&](const std::string& id, const YAML::Node& key, const YAML::Node& n) {
                 read_tenant(r, id, key, n, d);
               });
  if (auto e = root["economics"]) read_economics(r, e, static_cast<bool>(root["crews"]), d);
  for (const auto& c : d.components)
    if (c.has_cost && !d.economics.present) {
      r.error(c.cost_loc, "component '" + c.id +
                              "' has a cost, but the design has no economics block (years, "
                              "discount_rate) to add it to");
      break;
    }
  if (auto g = root["grid"]) read_grid(r, g, d);
  if (auto w = root["weather"]) read_weather(r, w, d);
  if (auto o = root["options"]) read_options(r, o, d);
  validate(r, d);
}

/// A templated design: expanded, read flat, and every message pointed back at the file.
LoadResult load_templated(const YAML::Node& root, const std::string& text, const std::string& path,
                          const std::vector<Override>& later, std::vector<Diagnostic>& errors) {
  LoadResult result;
  auto ex = expand_templates(root, errors);
  if (!ex) {
    sort_by_position(errors);
    result.errors = errors;
    return result;
  }
  LoadResult inner = load_design_text(ex->text, path, later);
  for (auto& d : inner.errors) {
    const std::size_t i = d.loc.line >= 1 ? static_cast<std::size_t>(d.loc.line - 1) : 0;
    if (i < ex->origin.size()) {
      d.message += ex->context[i];
      d.loc = ex->origin[i];
    }
  }
  sort_by_position(inner.errors);
  if (inner.design) inner.design->text = text;
  return inner;
}

}  // namespace

std::string format_diagnostic(const std::string& path, const Diagnostic& d) {
  return path + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) +
         ": error: " + d.message;
}

LoadResult load_design_text(const std::string& text, const std::string& path,
                            const std::vector<Override>& overrides) {
  LoadResult result;
  auto& errors = result.errors;
  Reader r(errors);
  if (!check_text(r, text)) return result;
  const auto parsed = parse(r, text);
  if (!parsed) return result;
  YAML::Node root = *parsed;
  const bool templated = has_templates(root);
  std::vector<Override> later;  // overrides of entries that only templates make
  for (const auto& o : overrides) {
    std::vector<Diagnostic> miss;
    if (apply_override(root, o, miss)) continue;
    if (!templated) {
      errors.insert(errors.end(), miss.begin(), miss.end());
      return result;
    }
    later.push_back(o);
  }
  if (templated) return load_templated(root, text, path, later, errors);
  Design d;
  d.path = path;
  d.text = text;
  try {
    read_design(r, root, d);
  } catch (const YAML::Exception& e) {
    r.error(Loc{e.mark.line + 1, e.mark.column + 1}, std::string("malformed design: ") + e.msg);
  }
  sort_by_position(errors);
  if (errors.empty()) result.design = std::move(d);
  return result;
}

namespace {

/// The text as YAML, or its syntax error at its position.
std::optional<YAML::Node> parse_yaml(const std::string& text, std::vector<Diagnostic>& errors) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back({Loc{e.mark.line + 1, e.mark.column + 1}, "YAML error: " + e.msg});
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> expand_design_text(const std::string& text,
                                              const std::vector<Override>& overrides,
                                              std::vector<Diagnostic>& errors) {
  auto parsed = parse_yaml(text, errors);
  if (!parsed) return std::nullopt;
  YAML::Node root = *parsed;
  std::vector<Override> later;
  for (const auto& o : overrides) {
    std::vector<Diagnostic> miss;
    if (!apply_override(root, o, miss)) later.push_back(o);
  }
  if (!has_templates(root)) {
    if (!later.empty()) {
      apply_override(root, later[0], errors);  // says what it does not match
      return std::nullopt;
    }
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
  }
  auto ex = expand_templates(root, errors);
  if (!ex) return std::nullopt;
  if (later.empty()) return ex->text;
  return rewrite_design_text(ex->text, later, {}, errors);
}

std::optional<std::string> rewrite_design_text(const std::string& text,
                                               const std::vector<Override>& overrides,
                                               const std::vector<std::string>& drop_keys,
                                               std::vector<Diagnostic>& errors) {
  auto parsed = parse_yaml(text, errors);
  if (!parsed) return std::nullopt;
  YAML::Node root = *parsed;
  for (const auto& o : overrides)
    if (!apply_override(root, o, errors)) return std::nullopt;
  for (const auto& k : drop_keys) root.remove(k);
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

LoadResult load_design_file(const std::string& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  LoadResult r;
  if (!in) {
    r.errors.push_back({{1, 1}, "cannot open design file"});
    return r;
  }
  const auto too_big = [&] {
    r.errors.push_back({{1, 1},
                        "the file is larger than " + std::to_string(limits::kMaxFileBytes >> 20) +
                            " MiB, the largest design ridethrough reads"});
    return r;
  };
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > limits::kMaxFileBytes) return too_big();
  // Read in chunks and stop one chunk past the limit, whatever the file is (a pipe has no
  // size), so that a huge stream is refused without being read in full.
  std::string text;
  std::vector<char> chunk(1 << 20);
  while (in && text.size() <= limits::kMaxFileBytes) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (text.size() > limits::kMaxFileBytes) return too_big();
  return load_design_text(text, path, overrides);
}

}  // namespace ridethrough::topology
