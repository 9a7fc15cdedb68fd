// `ridethrough catalogue`: the data catalogue's records (topology/catalogue.hpp).
#include <algorithm>
#include <cctype>
#include <iostream>

#include "experiments/commands/command.hpp"
#include "experiments/text.hpp"
#include "topology/catalogue.hpp"

namespace ridethrough::experiments::commands {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The record's keys as one line of YAML (flow style), as a design would write them.
std::string flow(const YAML::Node& n) {
  YAML::Node c = YAML::Clone(n);
  c.SetStyle(YAML::EmitterStyle::Flow);
  YAML::Emitter e;
  e << c;
  return e.c_str();
}

nlohmann::json record_json(const topology::CatalogueRecord& r) {
  nlohmann::json j = {{"id", r.id},         {"title", r.title}, {"kinds", r.kinds},
                      {"source", r.source}, {"notes", r.notes}, {"fields", flow(r.fields)},
                      {"file", r.file}};
  if (r.failures) j["population"] = {{"failures", *r.failures}, {"unit_years", *r.unit_years}};
  return j;
}

class Catalogue : public Command {
 public:
  const char* name() const override { return "catalogue"; }
  const char* help() const override {
    return "list or search the data catalogue's records (use one with `use: <id>` in a "
           "component)";
  }
  void declare(CLI::App& cmd) override {
    cmd.add_option("word", word_, "show only records whose id, title, kind or source has it");
    cmd.add_option("--json", o_.json, "write the records as JSON; '-' means stdout");
  }
  int run(const nlohmann::json&) override {
    if (int rc = check_outputs(o_)) return rc;
    for (const auto& e : topology::catalogue_errors())
      std::cerr << "ridethrough: warning: catalogue record left out: " << e << "\n";
    nlohmann::json list = nlohmann::json::array();
    const std::string w = lower(word_);
    for (const auto& r : topology::catalogue()) {
      std::string hay = r.id + " " + r.title + " " + r.source;
      for (const auto& k : r.kinds) hay += " " + k;
      if (w.empty() || lower(hay).find(w) != std::string::npos) list.push_back(record_json(r));
    }
    if (emit_json(o_, list)) return 0;
    std::cout << list.size() << " record(s) in " << topology::catalogue_dir() << "\n";
    for (const auto& r : list) {
      std::cout << "\n"
                << r["id"].get<std::string>() << "  (" << r["title"].get<std::string>()
                << ")\n  source: " << r["source"].get<std::string>()
                << "\n  gives:  " << r["fields"].get<std::string>() << "\n";
      if (r.contains("population"))
        std::cout << "  population: " << plain(r["population"]["failures"].get<double>())
                  << " failures in " << plain(r["population"]["unit_years"].get<double>())
                  << " unit-years\n";
    }
    if (!list.empty())
      std::cout << "\nuse one in a component: {kind: ..., use: " << list[0]["id"].get<std::string>()
                << "} (the component's own keys override the record's)\n";
    return 0;
  }

 private:
  CommonOptions o_;
  std::string word_;
};

}  // namespace

std::unique_ptr<Command> make_catalogue() {
  return std::make_unique<Catalogue>();
}

}  // namespace ridethrough::experiments::commands
