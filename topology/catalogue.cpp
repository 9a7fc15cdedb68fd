#include "topology/catalogue.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <boost/math/distributions/gamma.hpp>

namespace ridethrough::topology {

namespace {

struct Loaded {
  std::vector<CatalogueRecord> records;
  std::vector<std::string> errors;
};

std::optional<CatalogueRecord> read_record(const std::filesystem::path& p, std::string& error) {
  CatalogueRecord rec;
  rec.file = p.string();
  try {
    const YAML::Node n = YAML::LoadFile(rec.file);
    for (const char* key : {"id", "title", "source", "fields"})
      if (!n[key]) {
        error = rec.file + ": a record needs '" + key + "'";
        return std::nullopt;
      }
    rec.id = n["id"].as<std::string>();
    rec.title = n["title"].as<std::string>();
    rec.source = n["source"].as<std::string>();
    if (n["notes"]) rec.notes = n["notes"].as<std::string>();
    if (n["kinds"]) rec.kinds = n["kinds"].as<std::vector<std::string>>();
    rec.fields = n["fields"];
    if (auto pop = n["population"]) {
      rec.failures = pop["failures"].as<double>();
      rec.unit_years = pop["unit_years"].as<double>();
    }
  } catch (const YAML::Exception& e) {
    error = rec.file + ": " + e.what();
    return std::nullopt;
  }
  if (rec.id != p.stem().string()) {
    error = rec.file + ": the id '" + rec.id + "' must be the file's name";
    return std::nullopt;
  }
  return rec;
}

const Loaded& loaded() {
  static const Loaded all = [] {
    Loaded l;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(catalogue_dir(), ec)) {
      if (e.path().extension() != ".yaml") continue;
      std::string error;
      if (auto r = read_record(e.path(), error))
        l.records.push_back(std::move(*r));
      else
        l.errors.push_back(error);
    }
    std::sort(l.records.begin(), l.records.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    return l;
  }();
  return all;
}

}  // namespace

std::string catalogue_dir() {
  if (const char* env = std::getenv("RIDETHROUGH_CATALOGUE"); env && *env) return env;
  return RIDETHROUGH_CATALOGUE_DIR;
}

const std::vector<CatalogueRecord>& catalogue() {
  return loaded().records;
}

const std::vector<std::string>& catalogue_errors() {
  return loaded().errors;
}

const CatalogueRecord* catalogue_record(const std::string& id) {
  for (const auto& r : catalogue())
    if (r.id == id) return &r;
  return nullptr;
}

double population_error_factor(double failures) {
  // rate ~ Gamma(failures, unit time); mean life = 1 / rate, so its p95 / p50 is the rate's
  // p50 / p05 (the scale cancels).
  const boost::math::gamma_distribution<double> g(failures, 1.0);
  return boost::math::quantile(g, 0.50) / boost::math::quantile(g, 0.05);
}

}  // namespace ridethrough::topology
