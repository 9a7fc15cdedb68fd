// The Python face of ridethrough (`import ridethrough`): the C++ side, kept thin. It loads
// designs, runs them with the GIL released and hands back the same JSON the CLI writes; the
// package (ridethrough/__init__.py) builds the Python API on it.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "experiments/analysis.hpp"
#include "experiments/driver.hpp"
#include "experiments/workflow.hpp"
#include "topology/limits.hpp"
#include "topology/loader.hpp"
#include "topology/model.hpp"

namespace py = pybind11;
using namespace ridethrough;

namespace {

using Loaded = experiments::LoadedDesign;
using Overrides = std::vector<std::pair<std::string, std::string>>;

/// (design, []) or (None, error lines "FILE:LINE:COL: error: ..."), as the CLI reports them.
py::tuple load_text(const std::string& text, const std::string& path, const Overrides& overrides) {
  std::vector<topology::Override> ov;
  for (const auto& [p, v] : overrides) ov.push_back({p, v});
  auto r = experiments::load_and_compile_text(text, path, ov);
  if (!r.loaded) return py::make_tuple(py::none(), r.errors);
  return py::make_tuple(std::make_shared<Loaded>(std::move(*r.loaded)), r.errors);
}

/// Runs the designs over the same replications (common random numbers, as `compare`); one
/// JSON summary per design. Ctrl-C (checked between blocks) raises KeyboardInterrupt and
/// writes nothing.
std::vector<std::string> run(const std::vector<std::shared_ptr<Loaded>>& designs,
                             std::uint64_t replications, std::uint64_t seed, unsigned threads,
                             bool progress, const std::vector<std::string>& outs,
                             bool importance_sampling, double bias, double target_rel_error,
                             const std::string& worker) {
  if (replications == 0 || replications > topology::limits::kMaxReplications)
    throw py::value_error("replications must be between 1 and 1e12");
  experiments::RunOptions o;
  o.replications = replications;
  o.seed = seed;
  o.threads = threads;
  o.progress = progress;
  o.importance_sampling = importance_sampling;
  o.bias = bias;
  o.target_rel_error = target_rel_error;
  o.worker_executable = worker;
  o.command_line = nlohmann::json::array({"python", "ridethrough.run"});
  o.interrupted = [] {
    py::gil_scoped_acquire gil;
    return PyErr_CheckSignals() != 0;  // sets KeyboardInterrupt
  };
  std::vector<nlohmann::json> summaries;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    try {
      if (importance_sampling) {
        for (std::size_t i = 0; i < designs.size(); ++i) {
          o.out = outs[i];
          summaries.push_back(experiments::run_design(designs[i]->design, designs[i]->model, o));
        }
      } else {
        std::vector<experiments::DesignRun> runs;
        for (std::size_t i = 0; i < designs.size(); ++i)
          runs.push_back({&designs[i]->design, &designs[i]->model, outs[i]});
        summaries = experiments::run_designs(runs, o);
      }
    } catch (const experiments::Interrupted&) {
      interrupted = true;
    }
  }
  if (interrupted) {
    if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  std::vector<std::string> out;
  for (const auto& s : summaries) out.push_back(s.dump());
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "ridethrough's engine; use the ridethrough package, not this module";
  py::class_<Loaded, std::shared_ptr<Loaded>>(m, "Design")
      .def_property_readonly("name", [](const Loaded& l) { return l.design.name; })
      .def_property_readonly("path", [](const Loaded& l) { return l.design.path; })
      .def_property_readonly("text", [](const Loaded& l) { return l.design.text; })
      .def_property_readonly("horizon_hours", [](const Loaded& l) { return l.model.horizon; })
      .def_property_readonly("label",
                             [](const Loaded& l) { return experiments::design_label(l.design); });
  m.def("load_text", &load_text, py::arg("text"), py::arg("path"), py::arg("overrides"));
  m.def("run", &run, py::arg("designs"), py::arg("replications"), py::arg("seed"),
        py::arg("threads"), py::arg("progress"), py::arg("outs"), py::arg("importance_sampling"),
        py::arg("bias"), py::arg("target_rel_error"), py::arg("worker"));
  m.def(
      "check",
      [](const Loaded& l, int order) {
        if (order < 1 || order > 3) throw py::value_error("order must be 1, 2 or 3");
        py::gil_scoped_release release;
        return experiments::check_design(l.model, order).dump();
      },
      py::arg("design"), py::arg("order"));
  m.def(
      "exact",
      [](const Loaded& l, bool lump) {
        py::gil_scoped_release release;
        return experiments::exact_design(l.design, l.model, lump).dump();
      },
      py::arg("design"), py::arg("lump"));
  // The flat text of a templated design (`ridethrough expand`), or the errors.
  m.def("expand", [](const std::string& text, const std::string& path, const Overrides& overrides) {
    std::vector<topology::Override> ov;
    for (const auto& [p, v] : overrides) ov.push_back({p, v});
    std::vector<topology::Diagnostic> errs;
    auto flat = topology::expand_design_text(text, ov, errs);
    std::vector<std::string> errors;
    for (const auto& d : errs) errors.push_back(topology::format_diagnostic(path, d));
    return py::make_tuple(flat ? py::object(py::str(*flat)) : py::object(py::none()), errors);
  });
  // The CLI's own steps: ranking by expected total cost, and a sweep's points.
  m.def("rank", [](const std::vector<std::string>& summaries) {
    std::vector<nlohmann::json> s;
    for (const auto& t : summaries) s.push_back(nlohmann::json::parse(t));
    experiments::rank_by_expected_total_cost(s);
    std::vector<std::string> out;
    for (const auto& x : s) out.push_back(x.dump());
    return out;
  });
  m.def(
      "sweep_points",
      [](const std::vector<experiments::SweepAxis>& axes, bool zip) {
        std::vector<std::vector<std::pair<std::string, std::string>>> out;
        try {
          for (const auto& p : experiments::sweep_points(axes, zip)) {
            out.emplace_back();
            for (const auto& o : p) out.back().emplace_back(o.path, o.value);
          }
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
        return out;
      },
      py::arg("axes"), py::arg("zip"));
  m.attr("version") = RIDETHROUGH_VERSION;
}
