#include "topology/static_eval.hpp"

#include <cstdio>

namespace ridethrough::topology {

StaticEvaluator::StaticEvaluator(const Model& m)
    : m_(m), power_(m, m.power), cooling_(m, m.cooling) {}

double StaticEvaluator::deliverable(int l, const std::vector<char>& down) {
  std::vector<char> served;
  evaluate(down, served);  // leaves each component's state of this evaluation in mode_
  for (std::size_t i = 0; i < m_.power.items.size(); ++i)
    if (m_.power.items[i].load == l) return power_.max_to(mode_, follow_, static_cast<int>(i));
  return 0.0;
}

bool StaticEvaluator::facility_down(const std::vector<char>& served) const {
  for (int l = 0; l < m_.n_loads; ++l)
    if (m_.critical[l] && !served[l]) return true;
  return false;
}

void StaticEvaluator::evaluate(const std::vector<char>& down, std::vector<char>& served) {
  const int n = m_.n;
  draw_ok_.assign(n, 1);
  live_.assign(n, 0);
  mode_.assign(n, Mode::Dead);
  follow_.assign(n, 0);
  all_dirty_ = true;
  settle(down, m_.topo);
  serve(served);
}

void StaticEvaluator::evaluate(const std::vector<char>& down, std::vector<char>& served,
                               const std::vector<int>& scope) {
  const int n = m_.n;
  if (all_dirty_ || static_cast<int>(live_.size()) != n) {
    draw_ok_.assign(n, 1);
    live_.assign(n, 0);
    mode_.assign(n, Mode::Dead);
    follow_.assign(n, 0);
    all_dirty_ = false;
  }
  settle(down, scope);
  serve(served);
  // Leave everything dead again, so the next scope starts clean.
  for (int c : scope) {
    draw_ok_[c] = 1;
    live_[c] = 0;
    mode_[c] = Mode::Dead;
    follow_[c] = 0;
  }
}

void StaticEvaluator::settle(const std::vector<char>& down, const std::vector<int>& order) {
  // Only equipment that is up asks for its draw.
  power_cand_.assign(m_.power.items.size(), 1);
  for (int c : order)
    if (m_.power.draw_item[c] >= 0 && down[c]) power_cand_[m_.power.draw_item[c]] = 0;
  // Draws that cannot be admitted unpower their equipment, which can change what else is live:
  // repeat until the draws settle (at most once per draw).
  for (std::size_t round = 0; round <= m_.power.items.size(); ++round) {
    for (int c : order) {
      bool powered = true;
      if (m_.powered_by.size(c) > 0) {
        bool any = false;
        for (int k = m_.powered_by.begin(c); k < m_.powered_by.end(c); ++k)
          any |= live_[m_.powered_by.idx[k]] != 0;
        powered = any && draw_ok_[c];
      }
      bool fed = false;
      int first = -1;
      for (int k = m_.inputs.begin(c); k < m_.inputs.end(c); ++k)
        if (live_[m_.inputs.idx[k]]) {
          fed = true;
          if (first < 0) first = k - m_.inputs.begin(c);
        }
      const bool up = !down[c] && powered;
      bool live = false;
      Mode mode = Mode::Pass;
      switch (m_.kind[c]) {
        case Kind::Source:
        case Kind::Generator:
        case Kind::CoolingSource:
          live = up;
          mode = Mode::Source;
          break;
        case Kind::Node:
        case Kind::Ups:
          live = up && fed;
          break;
        case Kind::Switch:
          live = up && fed;
          follow_[c] = first < 0 ? 0 : first;
          break;
      }
      live_[c] = live;
      mode_[c] = live ? mode : Mode::Dead;
    }
    if (m_.power.capacity_free) {
      power_adm_.resize(m_.power.items.size());
      for (std::size_t i = 0; i < m_.power.items.size(); ++i) {
        bool any = false;
        for (int a : m_.power.items[i].attach) any |= live_[a] != 0;
        power_adm_[i] = any && power_cand_[i];
      }
    } else {
      power_.admit(mode_, follow_, power_cand_, false, admitted_);
      power_adm_ = admitted_.item;
    }
    bool changed = false;
    for (std::size_t i = 0; i < m_.power.items.size(); ++i) {
      const int c = m_.power.items[i].component;
      if (c >= 0 && draw_ok_[c] != static_cast<char>(power_adm_[i] != 0)) {
        draw_ok_[c] = power_adm_[i] != 0;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

void StaticEvaluator::serve(std::vector<char>& served) {
  served.assign(m_.n_loads, 0);
  std::vector<char> has_power(m_.n_loads, 0);
  for (std::size_t i = 0; i < m_.power.items.size(); ++i)
    if (m_.power.items[i].load >= 0) has_power[m_.power.items[i].load] = power_adm_[i] != 0;
  cool_cand_.assign(m_.cooling.items.size(), 0);
  for (std::size_t i = 0; i < m_.cooling.items.size(); ++i)
    cool_cand_[i] = has_power[m_.cooling.items[i].load];
  cool_adm_.assign(m_.cooling.items.size(), 0);
  if (!m_.cooling.items.empty()) {
    if (m_.cooling.capacity_free) {
      for (std::size_t i = 0; i < m_.cooling.items.size(); ++i) {
        bool any = false;
        for (int a : m_.cooling.items[i].attach) any |= live_[a] != 0;
        cool_adm_[i] = cool_cand_[i] && any;
      }
    } else {
      cooling_.admit(mode_, follow_, cool_cand_, false, admitted_);
      cool_adm_ = admitted_.item;
    }
  }
  for (int l = 0; l < m_.n_loads; ++l) served[l] = has_power[l];
  for (std::size_t i = 0; i < m_.cooling.items.size(); ++i) {
    const int l = m_.cooling.items[i].load;
    served[l] = served[l] && cool_adm_[i];
  }
}

namespace {
std::string kw(double v) {
  char buf[64];
  if (v >= 1000.0)
    std::snprintf(buf, sizeof buf, "%g MW", v / 1000.0);
  else
    std::snprintf(buf, sizeof buf, "%g kW", v);
  return buf;
}
}  // namespace

std::string why_not_served(StaticEvaluator& eval, const Model& m, int l,
                           const std::vector<char>& down) {
  const double reach = eval.deliverable(l, down);
  if (reach <= 0.0) return "no live path brings it power";
  if (reach < m.demand[l] * (1.0 - 1e-9))
    return "at most " + kw(reach) + " of power reaches it, it needs " + kw(m.demand[l]);
  return "its power (" + kw(reach) +
         " can reach it) goes first to the draws and loads admitted "
         "before it, or its cooling cannot carry its " +
         kw(m.demand[l]) + " of heat";
}

std::vector<Diagnostic> unservable_loads(const Design& d, const Model& m) {
  StaticEvaluator eval(m);
  std::vector<char> down(m.n, 0), served;
  eval.evaluate(down, served);
  std::vector<Diagnostic> out;
  for (int l = 0; l < m.n_loads; ++l)
    if (m.critical[l] && !served[l])
      out.push_back({d.loads[l].loc, "critical load '" + m.load_ids[l] +
                                         "' cannot be served even with every component up: " +
                                         why_not_served(eval, m, l, down)});
  return out;
}

const std::vector<char>& MemoEvaluator::served(const std::vector<char>& down) {
  key_.assign(down.begin(), down.end());
  if (auto it = memo_.find(key_); it != memo_.end()) return it->second;
  if (memo_.size() >= 100000) memo_.clear();
  std::vector<char> s;
  eval_.evaluate(down, s);
  return memo_.emplace(key_, std::move(s)).first->second;
}

}  // namespace ridethrough::topology
