#include "topology/limits.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <sstream>
#include <vector>

namespace ridethrough::topology::limits {

namespace {

/// Counts nodes with aliases expanded and tracks the depth, without building anything.
class Counter : public YAML::EventHandler {
 public:
  std::optional<TextProblem> problem;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor, 1); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = size_.find(anchor);
    leaf(mark, 0, it == size_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    std::size_t size;
  };
  static Loc loc(const YAML::Mark& m) { return {m.line + 1, m.column + 1}; }
  void add(const YAML::Mark& mark, std::size_t n) {
    if (stack_.empty()) {
      total_ = sat(total_ + n);
    } else {
      stack_.back().size = sat(stack_.back().size + n);
    }
    if (!problem && expanded() > kMaxExpandedNodes)
      problem = TextProblem{loc(mark), "the YAML's aliases expand to more than " +
                                           std::to_string(kMaxExpandedNodes) +
                                           " nodes (a YAML bomb?); designs are limited to that"};
  }
  std::size_t expanded() const {
    std::size_t s = total_;
    for (const auto& o : stack_) s = sat(s + o.size);
    return s;
  }
  static std::size_t sat(std::size_t x) { return std::min(x, kMaxExpandedNodes * 4); }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t n) {
    if (anchor) size_[anchor] = n;
    add(mark, n);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    stack_.push_back({anchor, 1});
    last_open_ = mark;
    if (!problem && static_cast<int>(stack_.size()) > kMaxDepth)
      problem = TextProblem{loc(mark), "the YAML nests deeper than " + std::to_string(kMaxDepth) +
                                           " levels; designs are limited to that"};
  }
  void close() {
    if (stack_.empty()) return;
    const Open o = stack_.back();
    stack_.pop_back();
    if (o.anchor) size_[o.anchor] = o.size;
    add(last_open_, o.size);
  }

  std::vector<Open> stack_;
  std::map<YAML::anchor_t, std::size_t> size_;
  std::size_t total_ = 0;
  YAML::Mark last_open_;
};

}  // namespace

std::optional<TextProblem> check_yaml_text(const std::string& text) {
  std::istringstream in(text);
  Counter counter;
  try {
    YAML::Parser parser(in);
    // The first document only, as YAML::Load reads: on some malformed text yaml-cpp keeps
    // reporting empty documents forever (found by fuzzing: tests/fuzz/regressions).
    parser.HandleNextDocument(counter);
  } catch (const YAML::DeepRecursion& e) {
    if (counter.problem) return counter.problem;  // where it first went past our limit
    return TextProblem{{e.mark.line + 1, e.mark.column + 1},
                       "the YAML nests deeper than " + std::to_string(kMaxDepth) +
                           " levels; designs are limited to that"};
  } catch (const YAML::Exception&) {
    return std::nullopt;  // a syntax error: the loader's own parse reports it
  }
  return counter.problem;
}

}  // namespace ridethrough::topology::limits
