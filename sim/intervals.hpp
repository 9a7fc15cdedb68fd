#pragma once
#include <algorithm>
#include <vector>

namespace ridethrough::sim {

/// The union of intervals (anything with `start` and `end`), as disjoint intervals in order:
/// overlapping or touching ones become one.
template <class T>
std::vector<T> merge_overlapping(std::vector<T> all) {
  std::sort(all.begin(), all.end(), [](const T& a, const T& b) { return a.start < b.start; });
  std::vector<T> out;
  for (const auto& iv : all) {
    if (!out.empty() && iv.start <= out.back().end)
      out.back().end = std::max(out.back().end, iv.end);
    else
      out.push_back(iv);
  }
  return out;
}

}  // namespace ridethrough::sim
