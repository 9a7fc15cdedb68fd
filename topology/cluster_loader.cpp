#include "topology/cluster_loader.hpp"

#include "topology/keys.hpp"

#include <functional>
#include <map>
#include <set>

namespace ridethrough::topology {

using reading::did_you_mean;
using reading::loc_of;
using reading::Reader;

namespace {

constexpr const char* kClusterScope = "tenants.*.workload:cluster";
constexpr const char* kJobScope = "tenants.*.workload:cluster.jobs[]";

/// One key of a block: how to read it, and whether it must be there.
template <class Target>
struct Key {
  const char* name;
  bool required;
  std::function<void(Reader&, const YAML::Node&, const std::string&, Target&)> read;
};

/// Reads a mapping through its readers: unknown keys (the design key table's, for `scope`),
/// missing required keys and each value.
template <class Target>
void read_block(Reader& r, const YAML::Node& n, const std::string& what, const char* scope,
                const std::vector<Key<Target>>& keys, Target& out) {
  r.check_keys(n, keys_of(scope), what);
  for (const auto& k : keys) {
    if (auto v = n[k.name])
      k.read(r, v, what + " " + k.name, out);
    else if (k.required)
      r.error(n, what + " needs '" + k.name + "'");
  }
}

const std::vector<Key<ClusterJob>>& job_keys() {
  static const std::vector<Key<ClusterJob>> keys = {
      {"name", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, ClusterJob& j) {
         j.name = r.id_ref(v, what).value_or("");
       }},
      {"hosts", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, ClusterJob& j) {
         j.hosts = r.count(v, what, 1).value_or(1);
       }},
      {"checkpoint_interval", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, ClusterJob& j) {
         j.checkpoint_interval = r.duration(v, what, Reader::Sign::Positive).value_or(1);
       }},
      {"checkpoint_size", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, ClusterJob& j) {
         j.checkpoint_size = r.size(v, what).value_or(0);
       }},
      {"restart_overhead", false,
       [](Reader& r, const YAML::Node& v, const std::string& what, ClusterJob& j) {
         j.restart_overhead = r.duration(v, what, Reader::Sign::NonNegative).value_or(0);
       }},
  };
  return keys;
}

void read_hosts(Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
  if (!r.expect_map(v, what + " (load id -> hosts it powers)")) return;
  r.check_ids(v, what);
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string load = it->first.Scalar();
    c.hosts.emplace_back(load, r.count(it->second, what + " " + load, 1).value_or(1));
    c.host_locs.push_back(loc_of(it->first));
  }
  if (v.size() == 0) r.error(v, what + " must name at least one load");
}

void read_jobs(Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
  if (!v.IsSequence() || v.size() == 0) {
    r.error(v, what +
                   " must be a non-empty list of {name, hosts, checkpoint_interval, "
                   "checkpoint_size, restart_overhead}");
    return;
  }
  std::set<std::string> names;
  // "tenant 'lab' workload jobs" -> "tenant 'lab' job 'pretrain'"
  const std::string tenant = what.substr(0, what.find(" workload"));
  for (const auto& item : v) {
    ClusterJob j;
    j.loc = loc_of(item);
    if (!r.expect_map(item, what + " entry")) continue;
    const std::string label = item["name"] && item["name"].IsScalar()
                                  ? tenant + " job '" + item["name"].Scalar() + "'"
                                  : tenant + " job";
    read_block(r, item, label, kJobScope, job_keys(), j);
    if (!j.name.empty() && !names.insert(j.name).second)
      r.error(item["name"], tenant + " has two jobs named '" + j.name + "'");
    c.jobs.push_back(std::move(j));
  }
}

const std::vector<Key<Cluster>>& cluster_keys() {
  static const std::vector<Key<Cluster>> keys = {
      {"kind", true, [](Reader&, const YAML::Node&, const std::string&, Cluster&) {}},
      {"cost_per_gpu_hour", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
         c.cost_per_gpu_hour = r.number(v, what, Reader::Sign::NonNegative).value_or(0);
       }},
      {"hosts", true, read_hosts},
      {"gpus_per_host", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
         c.gpus_per_host = r.count(v, what, 1).value_or(1);
       }},
      {"host_bandwidth", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
         c.host_bandwidth = r.bandwidth(v, what).value_or(1);
       }},
      {"storage_bandwidth", true,
       [](Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
         c.storage_bandwidth = r.bandwidth(v, what).value_or(1);
       }},
      {"placement", false,
       [](Reader& r, const YAML::Node& v, const std::string& what, Cluster& c) {
         const auto s = r.scalar(v, what);
         if (!s) return;
         if (*s == "packed" || *s == "spread")
           c.spread = *s == "spread";
         else
           r.error(v, what + ": unknown placement '" + *s + "'" +
                          did_you_mean(*s, {"packed", "spread"}) + "; expected packed or spread");
       }},
      {"jobs", true, read_jobs},
  };
  return keys;
}

}  // namespace

void parse_cluster_workload(Reader& r, const YAML::Node& w, const std::string& what, Tenant& t) {
  t.workload = WorkloadKind::Cluster;
  read_block(r, w, what + " workload", kClusterScope, cluster_keys(), t.cluster);
}

void validate_clusters(Reader& r, const Design& d) {
  std::map<std::string, const Load*> loads;
  std::vector<std::string> load_ids;
  for (const auto& l : d.loads) loads[l.id] = &l, load_ids.push_back(l.id);
  // Per load: the cluster tenants using it and the hosts each takes.
  std::map<std::string, std::vector<std::pair<const Tenant*, int>>> users;
  for (const auto& t : d.tenants) {
    if (t.workload != WorkloadKind::Cluster) continue;
    const auto& c = t.cluster;
    const std::string what = "tenant '" + t.id + "'";
    long total = 0;
    for (std::size_t k = 0; k < c.hosts.size(); ++k) {
      const auto& [id, n] = c.hosts[k];
      total += n;
      const auto it = loads.find(id);
      if (it == loads.end()) {
        r.error(c.host_locs[k],
                what + " hosts names unknown load '" + id + "'" + did_you_mean(id, load_ids));
        continue;
      }
      if (it->second->steps >= 0)
        r.error(c.host_locs[k], what + " hosts: load '" + id +
                                    "' is shed in part (divisible or steps), but a host is up "
                                    "only while its load receives all of its demand");
      users[id].emplace_back(&t, n);
    }
    long needed = 0;
    bool too_wide = false;  // then the sum says nothing new
    for (const auto& j : c.jobs) {
      needed += j.hosts;
      if (j.hosts > total) {
        too_wide = true;
        r.error(j.loc, what + " job '" + j.name + "' needs " + std::to_string(j.hosts) +
                           " hosts, but the tenant has " + std::to_string(total));
      } else if (needed > total && !too_wide) {
        r.error(j.loc, what + " jobs need " + std::to_string(needed) + " hosts up to job '" +
                           j.name + "', more than the " + std::to_string(total) +
                           " the tenant has (a job holds its hosts for the whole run)");
        too_wide = true;
      }
    }
  }
  for (const auto& [id, list] : users) {
    const Load& l = *loads[id];
    long used = 0;
    std::string names;
    for (const auto& [t, n] : list) {
      used += n;
      names += (names.empty() ? "'" : ", '") + t->id + "' (" + std::to_string(n) + ")";
    }
    if (l.hosts >= 0 && used > l.hosts)
      r.error(l.hosts_loc, "load '" + id + "' powers " + std::to_string(l.hosts) +
                               " hosts, but cluster tenants " + names + " use " +
                               std::to_string(used));
    else if (l.hosts < 0 && list.size() > 1)
      r.error(l.loc, "load '" + id + "' is used by cluster tenants " + names +
                         "; say how many hosts it powers with 'hosts: N' so they can share it");
  }
}

}  // namespace ridethrough::topology
