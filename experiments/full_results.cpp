#include "experiments/full_results.hpp"

#include "experiments/temp_files.hpp"
#include "failure_models/mechanism.hpp"

#include <H5Cpp.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace ridethrough::experiments {

FullRows::FullRows(const topology::Model& m)
    : load_downtime(m.n_loads),
      load_outages(m.n_loads),
      tenant_cost(m.tenants.size()),
      tenant_sla(m.tenants.size()),
      tenant_workload(m.tenants.size()) {}

void FullRows::save(sim::Archive& a) const {
  a.put(replication), a.put(events), a.put(facility_downtime), a.put(facility_outages);
  a.put(load_downtime), a.put(load_outages);
  a.put(tenant_cost), a.put(tenant_sla), a.put(tenant_workload);
  a.put(o_replication), a.put(o_load), a.put(o_start), a.put(o_duration), a.put(o_components);
  a.put(o_shed), a.put(o_mechanism);
  a.put(r_replication), a.put(r_tenant), a.put(r_completed), a.put(r_job), a.put(r_start);
  a.put(r_read);
}

void FullRows::load(sim::Archive& a) {
  a.get(replication), a.get(events), a.get(facility_downtime), a.get(facility_outages);
  a.get(load_downtime), a.get(load_outages);
  a.get(tenant_cost), a.get(tenant_sla), a.get(tenant_workload);
  a.get(o_replication), a.get(o_load), a.get(o_start), a.get(o_duration), a.get(o_components);
  a.get(o_shed), a.get(o_mechanism);
  a.get(r_replication), a.get(r_tenant), a.get(r_completed), a.get(r_job), a.get(r_start);
  a.get(r_read);
}

void FullRows::add(const failure_models::ReplicationResult& r, const topology::Model& m,
                   double facility_downtime_row, const std::vector<double>& load_downtime_row,
                   const std::vector<TenantCost>& costs, const cluster::ClusterOutcome* clusters) {
  replication.push_back(r.index);
  events.push_back(r.events);
  // One row per outage started within the horizon; returns how many.
  auto outage_rows = [&](const std::vector<failure_models::Interval>& down, int load) {
    std::uint32_t count = 0;
    for (const auto& iv : down) {
      if (iv.start < 0.0) continue;
      ++count;
      o_replication.push_back(r.index);
      o_load.push_back(load);
      o_start.push_back(iv.start);
      o_duration.push_back(iv.end - iv.start);
      o_shed.push_back(iv.shed ? 1 : 0);
      std::string ids;
      for (auto k = iv.blame_begin; k < iv.blame_end; ++k)
        ids += (ids.empty() ? "" : " ") + m.cause_names[r.blame[k]];
      o_components.push_back(std::move(ids));
      o_mechanism.push_back(failure_models::describe_mechanism(
          {r.why.begin() + iv.why_begin, r.why.begin() + iv.why_end}, m));
    }
    return count;
  };
  for (int l = 0; l < m.n_loads; ++l) {
    load_downtime[l].push_back(load_downtime_row[l]);
    load_outages[l].push_back(outage_rows(r.load_down[l], l));
  }
  facility_downtime.push_back(facility_downtime_row);
  facility_outages.push_back(outage_rows(r.facility_down, -1));
  for (std::size_t t = 0; t < costs.size(); ++t) {
    tenant_cost[t].push_back(costs[t].total());
    tenant_sla[t].push_back(costs[t].sla);
    tenant_workload[t].push_back(costs[t].workload);
  }
  if (!clusters) return;
  std::size_t slot = 0;
  for (std::size_t t = 0; t < m.tenants.size(); ++t) {
    if (m.tenants[t].workload != topology::WorkloadKind::Cluster) continue;
    const auto& jobs = m.tenants[t].cluster.jobs;
    const auto& tallies = clusters->jobs[slot++];
    for (std::size_t j = 0; j < tallies.size(); ++j)
      for (const auto& row : tallies[j].restarts) {
        r_replication.push_back(r.index);
        r_tenant.push_back(static_cast<std::int32_t>(t));
        r_job.push_back(jobs[j].name);
        r_start.push_back(row.start);
        r_read.push_back(row.read_hours);
        r_completed.push_back(row.completed ? 1 : 0);
      }
  }
}

/// Named, not anonymous: Hdf5Writer::Impl holds these, and in a unity batch GCC warns about a
/// class with members of an anonymous namespace (-Wsubobject-linkage).
namespace hdf5_columns {

/// An extendible, chunked 1-D dataset that rows are appended to.
class Column {
 public:
  Column(H5::Group& g, const std::string& name, const H5::DataType& type, const std::string& doc)
      : type_(type) {
    hsize_t dims[1] = {0}, maxdims[1] = {H5S_UNLIMITED}, chunk[1] = {4096};
    H5::DataSpace space(1, dims, maxdims);
    H5::DSetCreatPropList props;
    props.setChunk(1, chunk);
    props.setDeflate(4);
    ds_ = g.createDataSet(name, type, space, props);
    H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
    ds_.createAttribute("description", str, H5::DataSpace(H5S_SCALAR)).write(str, doc);
  }
  void append(const void* data, std::size_t n) {
    if (n == 0) return;
    hsize_t newsize[1] = {size_ + n};
    ds_.extend(newsize);
    H5::DataSpace file = ds_.getSpace();
    hsize_t offset[1] = {size_}, count[1] = {n};
    file.selectHyperslab(H5S_SELECT_SET, count, offset);
    H5::DataSpace mem(1, count);
    ds_.write(data, type_, mem, file);
    size_ += n;
  }
  void append_strings(const std::vector<std::string>& v) {
    std::vector<const char*> p;
    p.reserve(v.size());
    for (const auto& s : v) p.push_back(s.c_str());
    append(p.data(), p.size());
  }

 private:
  H5::DataSet ds_;
  H5::DataType type_;
  hsize_t size_ = 0;
};

void string_attr(H5::H5Object& obj, const std::string& name, const std::string& value) {
  H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
  obj.createAttribute(name, str, H5::DataSpace(H5S_SCALAR)).write(str, value);
}

void id_dataset(H5::Group& g, const std::string& name, const std::vector<std::string>& ids) {
  H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
  hsize_t dims[1] = {ids.size()};
  auto ds = g.createDataSet(name, str, H5::DataSpace(1, dims));
  std::vector<const char*> p;
  for (const auto& s : ids) p.push_back(s.c_str());
  if (!p.empty()) ds.write(p.data(), str);
}

}  // namespace hdf5_columns

using namespace hdf5_columns;

struct Hdf5Writer::Impl {
  std::string path, tmp;
  H5::H5File file;
  std::vector<std::unique_ptr<Column>> rep_cols;  // fixed order, see open()
  std::unique_ptr<Column> o_rep, o_load, o_load_id, o_start, o_duration, o_components, o_shed,
      o_mechanism;
  std::unique_ptr<Column> r_rep, r_tenant, r_tenant_id, r_job, r_start, r_read, r_completed;
  const topology::Model& m;
  bool done = false;
  explicit Impl(const topology::Model& model) : m(model) {}
};

Hdf5Writer::Hdf5Writer(const std::string& path, const topology::Design& d, const topology::Model& m,
                       const nlohmann::json& options)
    : impl_(std::make_unique<Impl>(m)) {
  auto& I = *impl_;
  I.path = path;
  I.tmp = path + ".tmp." + std::to_string(::getpid());
  track_temp_file(I.tmp);
  try {
    H5::Exception::dontPrint();
    I.file = H5::H5File(I.tmp, H5F_ACC_TRUNC);
    string_attr(I.file, "ridethrough_version", RIDETHROUGH_VERSION);
    string_attr(I.file, "design_path", d.path);
    string_attr(I.file, "design_name", d.name);
    string_attr(I.file, "design_text", d.text);
    string_attr(I.file, "options", options.dump());
    string_attr(I.file, "layout",
                "replications/: one row per replication; outages/: one row per outage "
                "(load -1 is the facility); restarts/: one row per job restart of a "
                "cluster tenant (if any); ids/: names for the indices");
    H5::Group ids = I.file.createGroup("/ids");
    id_dataset(ids, "loads", m.load_ids);
    id_dataset(ids, "components", m.ids);
    std::vector<std::string> tenant_ids;
    for (const auto& t : m.tenants) tenant_ids.push_back(t.id);
    id_dataset(ids, "tenants", tenant_ids);

    H5::Group reps = I.file.createGroup("/replications");
    const auto u64 = H5::PredType::NATIVE_UINT64, u32 = H5::PredType::NATIVE_UINT32,
               f64 = H5::PredType::NATIVE_DOUBLE, i32 = H5::PredType::NATIVE_INT32;
    auto col = [&](H5::Group& g, const std::string& name, const H5::DataType& t,
                   const std::string& doc) { return std::make_unique<Column>(g, name, t, doc); };
    I.rep_cols.push_back(col(reps, "replication", u64, "replication index"));
    I.rep_cols.push_back(col(reps, "events", u64, "events simulated"));
    I.rep_cols.push_back(col(reps, "facility_downtime_hours", f64,
                             "hours with a critical load down, within the horizon"));
    I.rep_cols.push_back(
        col(reps, "facility_outages", u32, "facility outages starting within the horizon"));
    for (const auto& id : m.load_ids) {
      I.rep_cols.push_back(
          col(reps, id + ".downtime_hours", f64, "load downtime within the horizon"));
      I.rep_cols.push_back(
          col(reps, id + ".outages", u32, "load outages starting within the horizon"));
    }
    for (const auto& id : tenant_ids) {
      I.rep_cols.push_back(col(reps, id + ".cost", f64, "tenant cost: SLA + workload"));
      I.rep_cols.push_back(col(reps, id + ".sla_cost", f64, "SLA credits and penalties"));
      I.rep_cols.push_back(col(reps, id + ".workload_cost", f64, "lost work or revenue"));
    }
    H5::Group outs = I.file.createGroup("/outages");
    H5::StrType str(H5::PredType::C_S1, H5T_VARIABLE);
    I.o_rep = col(outs, "replication", u64, "replication index");
    I.o_load = col(outs, "load", i32, "load index into ids/loads; -1: the facility");
    I.o_load_id = col(outs, "load_id", str, "load id, or 'facility'");
    I.o_start = col(outs, "start_hours", f64, "start, hours from the end of the warmup");
    I.o_duration = col(outs, "duration_hours", f64, "full length (followed past the horizon)");
    I.o_components =
        col(outs, "components_down", str, "components down when it began, space-separated");
    I.o_shed = col(outs, "shed", i32,
                   "1 if it began with the load shed: a live path reached it but capacity was "
                   "short (for the facility: the critical load that took it down)");
    I.o_mechanism = col(outs, "mechanism", str,
                        "what was down and what the site did with it (README, mechanisms)");
    bool clusters = false;
    for (const auto& t : m.tenants)
      clusters = clusters || t.workload == topology::WorkloadKind::Cluster;
    if (clusters) {
      H5::Group rs = I.file.createGroup("/restarts");
      I.r_rep = col(rs, "replication", u64, "replication index");
      I.r_tenant = col(rs, "tenant", i32, "tenant index into ids/tenants");
      I.r_tenant_id = col(rs, "tenant_id", str, "tenant id");
      I.r_job = col(rs, "job", str, "job name");
      I.r_start = col(rs, "start_hours", f64,
                      "when the job's hosts were all back, hours from the end of the warmup");
      I.r_read = col(rs, "read_hours", f64,
                     "time to read the checkpoint back; NaN if a stop cut the read");
      I.r_completed = col(rs, "completed", i32,
                          "1 if the restart ran to its end, 0 if a stop cut it (it starts over)");
    }
  } catch (const H5::Exception& e) {
    std::remove(I.tmp.c_str());
    throw std::runtime_error("cannot write HDF5 file '" + path + "': " + e.getDetailMsg());
  }
}

Hdf5Writer::~Hdf5Writer() {
  if (impl_) untrack_temp_file(impl_->tmp);
  if (impl_ && !impl_->done) {
    try {
      impl_->file.close();
    } catch (...) {
    }
    std::remove(impl_->tmp.c_str());
  }
}

void Hdf5Writer::append(const FullRows& r) {
  auto& I = *impl_;
  try {
    std::size_t k = 0;
    const std::size_t n = r.replication.size();
    I.rep_cols[k++]->append(r.replication.data(), n);
    I.rep_cols[k++]->append(r.events.data(), n);
    I.rep_cols[k++]->append(r.facility_downtime.data(), n);
    I.rep_cols[k++]->append(r.facility_outages.data(), n);
    for (int l = 0; l < I.m.n_loads; ++l) {
      I.rep_cols[k++]->append(r.load_downtime[l].data(), n);
      I.rep_cols[k++]->append(r.load_outages[l].data(), n);
    }
    for (std::size_t t = 0; t < r.tenant_cost.size(); ++t) {
      I.rep_cols[k++]->append(r.tenant_cost[t].data(), n);
      I.rep_cols[k++]->append(r.tenant_sla[t].data(), n);
      I.rep_cols[k++]->append(r.tenant_workload[t].data(), n);
    }
    const std::size_t no = r.o_replication.size();
    I.o_rep->append(r.o_replication.data(), no);
    I.o_load->append(r.o_load.data(), no);
    std::vector<std::string> load_ids;
    for (int l : r.o_load) load_ids.push_back(l < 0 ? "facility" : I.m.load_ids[l]);
    I.o_load_id->append_strings(load_ids);
    I.o_start->append(r.o_start.data(), no);
    I.o_duration->append(r.o_duration.data(), no);
    I.o_components->append_strings(r.o_components);
    I.o_shed->append(r.o_shed.data(), no);
    I.o_mechanism->append_strings(r.o_mechanism);
    if (I.r_rep) {
      const std::size_t nr = r.r_replication.size();
      I.r_rep->append(r.r_replication.data(), nr);
      I.r_tenant->append(r.r_tenant.data(), nr);
      std::vector<std::string> ids;
      for (int t : r.r_tenant) ids.push_back(I.m.tenants[t].id);
      I.r_tenant_id->append_strings(ids);
      I.r_job->append_strings(r.r_job);
      I.r_start->append(r.r_start.data(), nr);
      I.r_read->append(r.r_read.data(), nr);
      I.r_completed->append(r.r_completed.data(), nr);
    }
  } catch (const H5::Exception& e) {
    throw std::runtime_error("error while writing HDF5 file '" + I.path + "': " + e.getDetailMsg());
  }
}

namespace {

/// Writes the summary, closes the file and moves it from its temporary name into place, so an
/// output file is written completely or not at all.
void close_into_place(H5::H5File& file, const std::string& tmp, const std::string& path,
                      const nlohmann::json& summary) {
  try {
    string_attr(file, "summary", summary.dump());
    file.close();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("error while writing HDF5 file '" + path + "': " + e.getDetailMsg());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot move the HDF5 output into place at '" + path + "'");
  }
}

}  // namespace

void Hdf5Writer::finish(const nlohmann::json& summary) {
  auto& I = *impl_;
  close_into_place(I.file, I.tmp, I.path, summary);
  I.done = true;
}

struct TableWriter::Impl {
  std::string path, tmp;
  H5::H5File file;
  std::vector<std::unique_ptr<Column>> cols;
  bool done = false;
};

TableWriter::TableWriter(const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& attributes,
                         const std::vector<std::pair<std::string, std::string>>& columns)
    : impl_(std::make_unique<Impl>()) {
  auto& I = *impl_;
  I.path = path;
  I.tmp = path + ".tmp." + std::to_string(::getpid());
  track_temp_file(I.tmp);
  try {
    H5::Exception::dontPrint();
    I.file = H5::H5File(I.tmp, H5F_ACC_TRUNC);
    string_attr(I.file, "ridethrough_version", RIDETHROUGH_VERSION);
    for (const auto& [k, v] : attributes) string_attr(I.file, k, v);
    H5::Group reps = I.file.createGroup("/replications");
    for (const auto& [name, doc] : columns)
      I.cols.push_back(std::make_unique<Column>(reps, name, H5::PredType::NATIVE_DOUBLE, doc));
  } catch (const H5::Exception& e) {
    std::remove(I.tmp.c_str());
    throw std::runtime_error("cannot write HDF5 file '" + path + "': " + e.getDetailMsg());
  }
}

TableWriter::~TableWriter() {
  if (impl_) untrack_temp_file(impl_->tmp);
  if (impl_ && !impl_->done) {
    try {
      impl_->file.close();
    } catch (...) {
    }
    std::remove(impl_->tmp.c_str());
  }
}

void TableWriter::append(const std::vector<std::vector<double>>& columns) {
  auto& I = *impl_;
  try {
    for (std::size_t k = 0; k < columns.size() && k < I.cols.size(); ++k)
      I.cols[k]->append(columns[k].data(), columns[k].size());
  } catch (const H5::Exception& e) {
    throw std::runtime_error("error while writing HDF5 file '" + I.path + "': " + e.getDetailMsg());
  }
}

void TableWriter::finish(const nlohmann::json& summary) {
  auto& I = *impl_;
  close_into_place(I.file, I.tmp, I.path, summary);
  I.done = true;
}

}  // namespace ridethrough::experiments
