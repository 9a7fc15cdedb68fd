#include "topology/fault_tree.hpp"

#include <algorithm>

#include "topology/cut_sets.hpp"
#include "topology/features.hpp"
#include "topology/static_eval.hpp"

namespace ridethrough::topology {

namespace {

/// Enumerates sets of the candidates by increasing order, skipping supersets of cut sets found.
class CutSetSearch {
 public:
  CutSetSearch(const Model& m, int l, std::vector<int> candidates, std::vector<int> scope,
               std::size_t budget)
      : m_(m),
        l_(l),
        cand_(std::move(candidates)),
        scope_(std::move(scope)),
        eval_(m),
        down_(m.n, 0),
        budget_(budget) {}

  /// False if the budget ran out.
  bool run(std::vector<std::vector<int>>& out) {
    for (std::size_t k = 1; k <= cand_.size(); ++k) {
      std::vector<int> pick;
      if (!extend(0, k, pick, out)) return false;
    }
    return true;
  }

  /// True if the load is down with exactly `set` (indices into m) down.
  bool down(const std::vector<int>& set) {
    for (int c : set) down_[c] = 1;
    eval_.evaluate(down_, served_, scope_);
    for (int c : set) down_[c] = 0;
    ++evaluations_;
    return !served_[l_];
  }
  std::size_t evaluations() const { return evaluations_; }

 private:
  bool contains_cut(const std::vector<int>& pick, const std::vector<std::vector<int>>& cuts) {
    for (const auto& c : cuts)
      if (std::includes(pick.begin(), pick.end(), c.begin(), c.end())) return true;
    return false;
  }
  bool extend(std::size_t from, std::size_t k, std::vector<int>& pick,
              std::vector<std::vector<int>>& out) {
    if (contains_cut(pick, out)) return true;
    if (pick.size() == k) {
      if (evaluations_ >= budget_) return false;
      if (down(pick)) out.push_back(pick);
      return true;
    }
    for (std::size_t i = from; i < cand_.size(); ++i) {
      pick.push_back(cand_[i]);
      const bool ok = extend(i + 1, k, pick, out);
      pick.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  const Model& m_;
  int l_;
  std::vector<int> cand_, scope_;
  StaticEvaluator eval_;
  std::vector<char> down_, served_;
  std::size_t budget_, evaluations_ = 0;
};

/// Where service can be non-monotone, every state must be down exactly when it holds a cut set.
std::string coherence(CutSetSearch& s, const std::vector<int>& cand,
                      const std::vector<std::vector<int>>& cuts, const Model& m) {
  if (cand.size() > 20)
    return "capacities can bind, and checking that the structure is coherent would take 2^" +
           std::to_string(cand.size()) + " evaluations (at most 2^20)";
  for (std::uint32_t mask = 0; mask < (1u << cand.size()); ++mask) {
    std::vector<int> set;
    for (std::size_t i = 0; i < cand.size(); ++i)
      if (mask & (1u << i)) set.push_back(cand[i]);
    bool has_cut = false;
    for (const auto& c : cuts)
      has_cut = has_cut || std::includes(set.begin(), set.end(), c.begin(), c.end());
    if (s.down(set) != has_cut) {
      std::string ids;
      for (int c : set) ids += (ids.empty() ? "" : ", ") + m.ids[c];
      return "the structure is not coherent: with {" + ids + "} down the load is " +
             (has_cut ? "served although a cut set of it is down"
                      : "down although no cut set of it is") +
             " (admission order or shared capacity): it has no fault tree of minimal cut sets";
    }
  }
  return "";
}

}  // namespace

LoadFaultTree load_fault_tree(const Model& m, int l, std::size_t max_evaluations) {
  LoadFaultTree t;
  t.load = l;
  const auto relevant = relevant_components(m)[l];
  std::vector<int> cand;
  for (int c : relevant)
    if (can_be_down(m, c)) cand.push_back(c);
  std::sort(cand.begin(), cand.end());
  CutSetSearch search(m, l, cand, relevant, max_evaluations);
  if (search.down({})) {
    t.refusal = "it is not served even with every component up";
    return t;
  }
  if (!search.run(t.cut_sets)) {
    t.refusal = "enumerating its minimal cut sets over " + std::to_string(cand.size()) +
                " components that can be down takes more than " + std::to_string(max_evaluations) +
                " evaluations";
    return t;
  }
  if (!m.power.capacity_free || !m.cooling.capacity_free)
    t.refusal = coherence(search, cand, t.cut_sets, m);
  return t;
}

}  // namespace ridethrough::topology
