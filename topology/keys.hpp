#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "topology/features.hpp"

namespace ridethrough::topology {

/// A key that brings in no feature: structure every analysis reads the same way (ids, inputs,
/// demands, names, the law a feature's key carries).
constexpr Feature kNoFeature = Feature::kCount;

/// One key of the design format: the mapping it belongs to (a dotted path, `*` for any id and
/// `[]` for any list entry), for components the kind it belongs to (empty: every kind), and the
/// feature it brings in. The loader accepts exactly these keys: it asks `keys_of` for the keys
/// of every mapping it reads, so a key missing here is an "unknown key" error, and a key here
/// must say which feature it is (tests/topology/test_capabilities.cpp walks the table).
struct DesignKey {
  std::string_view scope;
  std::string_view key;
  Feature feature;
  std::string_view kind = {};
};

/// The whole table, in the order of the reference (docs/format.md).
const std::vector<DesignKey>& design_keys();

/// The keys a mapping at `scope` accepts (for a component: the common ones and those of
/// `kind`), in table order.
std::vector<std::string> keys_of(std::string_view scope, std::string_view kind = {});

/// For a component key that is not one of `kind`'s: the kind it belongs to, or empty.
std::string kind_of_key(std::string_view key);

}  // namespace ridethrough::topology
