// Overrides (`--set`, `--vary`, sweep points, optimize options): `path=value` applied to the
// parsed tree, so they go through the same checks as the file.
#include <fnmatch.h>

#include <sstream>

#include "topology/loading.hpp"

namespace ridethrough::topology::loading {

namespace {

int set_at(YAML::Node cur, const std::vector<std::string>& parts, std::size_t i,
           const YAML::Node& value);

/// In a list, a part picks entries by position (`0`, `1`, ...) or by their `name` key (a glob
/// over names like a glob over keys): `tenants.lab.workload.jobs.pretrain.checkpoint_interval`.
int set_in_list(YAML::Node list, const std::vector<std::string>& parts, std::size_t i,
                const YAML::Node& value) {
  const std::string& part = parts[i];
  const bool last = i + 1 == parts.size();
  std::vector<std::size_t> picked;
  const bool digits =
      !part.empty() && part.find_first_not_of("0123456789") == std::string::npos && part.size() < 9;
  if (digits) {
    const std::size_t k = std::stoul(part);
    if (k < list.size()) picked.push_back(k);
  } else {
    for (std::size_t k = 0; k < list.size(); ++k) {
      const YAML::Node item = list[k];
      if (item.IsMap() && item["name"] && item["name"].IsScalar() &&
          ::fnmatch(part.c_str(), item["name"].Scalar().c_str(), 0) == 0)
        picked.push_back(k);
    }
  }
  int n = 0;
  for (std::size_t k : picked) {
    if (last) {
      list[k] = YAML::Clone(value);
      ++n;
    } else {
      n += set_at(list[k], parts, i + 1, value);
    }
  }
  return n;
}

/// Sets `value` at parts[i..] below `cur`. A part with * or ? is a glob over the keys of the
/// mapping it applies to, and sets every match. Returns the number of places set.
int set_at(YAML::Node cur, const std::vector<std::string>& parts, std::size_t i,
           const YAML::Node& value) {
  if (cur.IsSequence()) return set_in_list(cur, parts, i, value);
  if (!cur.IsMap()) return 0;
  const std::string& part = parts[i];
  const bool glob = part.find_first_of("*?[") != std::string::npos;
  const bool last = i + 1 == parts.size();
  if (!glob) {
    if (last) {
      cur[part] = YAML::Clone(value);
      return 1;
    }
    if (!cur[part]) return 0;
    return set_at(cur[part], parts, i + 1, value);
  }
  int n = 0;
  std::vector<std::string> keys;
  for (auto it = cur.begin(); it != cur.end(); ++it)
    if (it->first.IsScalar() && ::fnmatch(part.c_str(), it->first.Scalar().c_str(), 0) == 0)
      keys.push_back(it->first.Scalar());
  for (const auto& k : keys) {
    if (last) {
      cur[k] = YAML::Clone(value);
      ++n;
    } else {
      n += set_at(cur[k], parts, i + 1, value);
    }
  }
  return n;
}

}  // namespace

bool apply_override(YAML::Node root, const Override& o, std::vector<Diagnostic>& errors) {
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
  if (parts.empty() || o.path.empty()) {
    errors.push_back({{1, 1}, "override: empty path"});
    return false;
  }
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    errors.push_back({{1, 1}, "override: value '" + o.value + "' is not valid YAML: " + e.msg});
    return false;
  }
  // The path must lead through existing mappings (only its last key may be new).
  if (set_at(root, parts, 0, value) == 0) {
    errors.push_back(
        {{1, 1},
         "override: path '" + o.path +
             "' matches nothing in the design (each part but the last must "
             "name an existing mapping, or a list entry by position or name; * and ? match keys)"});
    return false;
  }
  return true;
}

}  // namespace ridethrough::topology::loading
